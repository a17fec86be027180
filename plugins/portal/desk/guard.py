"""A git `reference-transaction` hook for the repository decap-server writes to: the
published branch moves only when the review gate (`portal review verify`) passes.

Decap's "Publish" with the local backend merges the submission branch into main in
that repository; git calls this hook with the prepared ref updates before making them,
and a non-zero exit aborts the whole transaction. On a forge the same rule is branch
protection with the gate as a required check (docs/desk.md).
"""

import os
import shlex
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

from portal.errors import PortalError
from portal.files import write_atomically
from portal.git import Git

ZERO = "0" * 40
HOOK = "reference-transaction"


def protected_updates(stdin: str, branch: str) -> list[tuple[str, str]]:
    """(old, new) for each update of refs/heads/<branch> in the hook's input."""
    updates = []
    for line in stdin.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == f"refs/heads/{branch}":
            updates.append((parts[0], parts[1]))
    return updates


def current_value(branch: str) -> str | None:
    """The branch's commit now (the hook runs in the repository, with git's environment)."""
    return Git().find_commit(f"refs/heads/{branch}")


def gate_allows(old: str, new: str) -> tuple[bool, str]:
    """Run the review gate on the change from `old` to `new` (commit ids, never names)."""
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "review", "verify", "--base", old, "--head", new],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def run(state: str, stdin: str, branch: str) -> int:
    """The hook: 0 lets git go on; 1 aborts the transaction (fail closed)."""
    if state == "aborted":
        restore_checkout(stdin, branch)
        return 0
    if state != "prepared":
        return 0
    for old, new in protected_updates(stdin, branch):
        if set(old) <= {"0"}:
            # Zeros mean "not given" as well as "new branch" (`git update-ref main X`):
            # the branch's current value, read under git's lock, tells them apart.
            old = current_value(branch)
            if old is None:
                continue  # the branch is really being created (a new, empty repository)
        if set(new) <= {"0"}:
            print(f"Từ chối: không được xóa nhánh {branch}.", file=sys.stderr)
            return 1
        allowed, report = gate_allows(old, new)
        if not allowed:
            print(
                f"Từ chối đăng lên {branch}: lần gửi chưa qua cổng duyệt "
                f"(portal review verify).\n{report}",
                file=sys.stderr,
            )
            return 1
    return 0


def restore_checkout(stdin: str, branch: str) -> None:
    """After a refused merge, put the checkout back as it was.

    git updates the working tree and index *before* it moves the branch, so a refused
    merge leaves the submission's files in the checkout, where decap-server's next save
    (which adds everything) would carry them into another submission. A two-tree
    read-tree from the refused commit back to the branch's commit undoes exactly that
    change; it refuses (and we leave things alone) if local edits would be lost."""
    for _old, new in protected_updates(stdin, branch):
        kept = current_value(branch)
        if kept is None or set(new) <= {"0"} or new == kept:
            continue
        with suppress(PortalError):  # a refusal or a hang: the checkout is left alone
            Git().ok("read-tree", "-m", "-u", new, kept, timeout=120)


def install(repo: Path, branch: str = "main") -> Path:
    """Write the hook into `repo`'s hooks folder (core.hooksPath honoured)."""
    path = Git(repo).hooks_dir() / HOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    script = (
        "#!/bin/sh\n"
        "# Bàn biên tập: nhánh đăng chỉ đổi khi cổng duyệt cho qua (portal desk guard).\n"
        f'exec {shlex.quote(sys.executable)} -m portal.cli desk guard "$1" '
        f"--branch {shlex.quote(branch)}\n"
    )
    write_atomically(path, script)
    os.chmod(path, 0o755)
    return path
