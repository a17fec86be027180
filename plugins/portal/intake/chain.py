"""Each submission into the review chain: a branch `intake/…` with one commit.

The commit is built with git plumbing on a temporary index (the secretary's working
tree and current branch are never touched): the drafts, their images and files, and
under `reviews/intake/<name>/` the original message or document as evidence with a
Vietnamese summary (TOM-TAT.md) of what was converted and what the editor must still
fill in. The trailer `Intake-Sha256` records the original's hash: an input already
on some branch is never taken twice.
"""

import hashlib
from datetime import datetime
from pathlib import Path

from portal.dates import VIETNAM
from portal.errors import PortalError
from portal.files import write_atomically
from portal.git import ZERO, Git
from portal.intake.mail import Submission
from portal.project import REPO_INTAKE

EVIDENCE_DIR = REPO_INTAKE
BRANCH_PREFIX = "intake/"
TRAILER = "Intake-Sha256"
SOURCE_TRAILER = "Intake-Source"  # the IMAP message (account, folder, UIDVALIDITY, UID)
TAKEN_REFS = "refs/intake-taken/"  # one per original taken in: survives a deleted branch


def repository_root(start: Path) -> Path:
    hint = "chạy lệnh trong thư mục của Cổng, hoặc dùng --here để chỉ ghi tệp"
    return Git.here(start, hint).root


def source_key(source: str) -> str:
    """The memory key of where a message came from (an IMAP UID): known without fetching it."""
    return "src-" + hashlib.sha256(source.encode("utf-8")).hexdigest()


def taken_keys(root: Path) -> dict[str, str]:
    """Keys (original's hash, IMAP source) of everything taken in → the commit holding it.

    Read from our own refs (kept when a rejected branch is deleted) and from the trailers
    of every commit on any branch (intake done on another clone, then fetched)."""
    taken, git = {}, Git(root)
    refs = git.run("for-each-ref", "--format=%(objectname) %(refname)", TAKEN_REFS)
    for line in refs.splitlines():
        sha, _, ref = line.partition(" ")
        taken[ref.removeprefix(TAKEN_REFS)] = sha[:12]
    values = "valueonly,separator=%x1f"
    out = git.run(
        "log",
        "--all",
        f"--grep=^{TRAILER}:",
        f"--format=%H%x1e%(trailers:key={TRAILER},{values})%x1e"
        f"%(trailers:key={SOURCE_TRAILER},{values})",
    )
    for line in out.splitlines():
        sha, hashes, sources = (line.split("\x1e") + ["", ""])[:3]
        keys = hashes.split("\x1f") + [source_key(s) for s in sources.split("\x1f") if s]
        for key in filter(None, (k.strip() for k in keys)):
            taken.setdefault(key, sha[:12])
    return taken


def evidence_folder(sub: Submission, day: str) -> str:
    return f"{EVIDENCE_DIR}/{day}-{sub.name}-{sub.key[:8]}"


def summary_text(sub: Submission, folder: str) -> str:
    """The Vietnamese note for the editor: what arrived, what was made, what is left."""
    lines = [f"# Tiếp nhận: {sub.subject or sub.source}", ""]
    sender = sub.sender.name or "không rõ"
    if sub.sender.email:
        sender = f"{sub.sender.name} <{sub.sender.email}>" if sub.sender.name else sub.sender.email
    lines += [f"- Nguồn: {sub.source}", f"- Người gửi: {sender}"]
    lines += [f"- Bản gốc (lưu làm bằng chứng): {folder}/goc{sub.original_suffix}", ""]
    if sub.drafts:
        lines += ["## Bản nháp đã tạo", ""]
        lines += [f"- `{d.path}` — {d.title}" for d in sub.drafts]
        lines.append("")
    if sub.converted:
        lines += ["## Đã chuyển đổi", "", *(f"- {c}" for c in sub.converted), ""]
    if sub.problems:
        lines += ["## Không nhận được (cần xử lý)", "", *(f"- {p}" for p in sub.problems), ""]
    if sub.drafts:
        lines += ["## Biên tập viên cần điền hoặc kiểm tra", ""]
        for draft in sub.drafts:
            lines += [f"`{draft.path}`:", *(f"- [ ] {t}" for t in draft.todo), ""]
        lines += [
            "Sau khi sửa: chạy `make check` rồi gửi duyệt (mở pull request của nhánh này).",
            "",
        ]
    return "\n".join(lines)


def planned_files(sub: Submission, folder: str) -> dict[str, bytes]:
    files = {}
    for draft in sub.drafts:
        files[draft.path] = draft.text.encode("utf-8")
        files.update(draft.files)
    files[f"{folder}/goc{sub.original_suffix}"] = sub.original
    files[f"{folder}/TOM-TAT.md"] = summary_text(sub, folder).encode("utf-8")
    return files


def _free_branch(root: Path, name: str) -> str:
    number = 1
    while True:
        branch = f"{BRANCH_PREFIX}{name}{'' if number == 1 else f'-{number}'}"
        if not Git(root).run("branch", "--list", branch).strip():
            return branch
        number += 1


def _commit_message(sub: Submission) -> str:
    title = sub.drafts[0].title if sub.drafts else sub.subject or sub.source
    sender = sub.sender.email or "unknown sender"
    lines = [f"Intake: {title[:60]}", "", f"Submission from {sender} ({sub.source})."]
    lines += [f"Draft: {d.path}" for d in sub.drafts]
    lines += [f"Problem: {p}" for p in sub.problems]
    trailers = f"{TRAILER}: {sub.key}\n"
    if sub.source.startswith("imap://"):
        trailers += f"{SOURCE_TRAILER}: {sub.source}\n"
    if sub.sender.email:
        trailers += f"Intake-From: {sub.sender.email}\n"
    return "\n".join(lines) + "\n\n" + trailers


def signing_key(root: Path) -> str | None:
    """The key `git commit -S` would sign with (user.signingkey), None when none is set."""
    return Git(root).config("user.signingkey")


def commit_branch(root: Path, sub: Submission, base: str = "HEAD") -> str:
    """Create the branch for one submission; returns its name. The base is untouched."""
    day = datetime.now(VIETNAM).strftime("%Y-%m-%d")
    folder = evidence_folder(sub, day)
    files = planned_files(sub, folder)
    git = Git(root)
    base_sha = git.commit_of(base)
    tree = git.tree_with(base_sha, files)
    author = {}
    if sub.sender.email:
        author = {"GIT_AUTHOR_NAME": sub.sender.name or sub.sender.email}
        author["GIT_AUTHOR_EMAIL"] = sub.sender.email
    # The review gate accepts a content commit only when a roster key signed it (the signer
    # is its proven author, docs/review.md): sign with the secretary's key when one is set.
    sign = signing_key(root) is not None
    commit = git.commit_tree(tree, [base_sha], _commit_message(sub), sign=sign, env=author)
    branch = _free_branch(root, f"{day}-{sub.name}")
    git.update_ref(f"refs/heads/{branch}", commit, ZERO)
    git.update_ref(f"{TAKEN_REFS}{sub.key}", commit)
    if sub.source.startswith("imap://"):
        git.update_ref(f"{TAKEN_REFS}{source_key(sub.source)}", commit)
    return branch


def push(root: Path, branch: str, remote: str) -> None:
    Git(root).run("push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}")


def write_here(root: Path, sub: Submission) -> list[str]:
    """Without git: the same files written into the working tree (never over a file)."""
    folder = evidence_folder(sub, datetime.now(VIETNAM).strftime("%Y-%m-%d"))
    files = planned_files(sub, folder)
    existing = [path for path in files if (root / path).exists() or (root / path).is_symlink()]
    if existing:  # checked before writing anything: all or nothing
        raise PortalError(f"{existing[0]}: tệp đã có, không ghi đè")
    for path, data in files.items():
        write_atomically(root / path, data)
    return list(files)
