"""Plain `git` subprocess calls for the review chain: refs, diffs, blobs, signed logs.

Everything the gate decides is read from git objects (never the working tree), so
the same answer comes out on a laptop, in CI, or months later in an audit.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from portal.errors import PortalError

ZERO = "0" * 40
FIELD = "\x1f"
TRAILER_SEPARATOR = "\x1e"


@dataclass(frozen=True)
class Change:
    """One file changed by a submission: blobs before (at the merge base) and after."""

    path: str
    status: str  # A, M, D, T
    old_blob: str
    new_blob: str


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    signature: str  # %G?: G good, U unknown key or outside its validity, N none, B bad
    signer: str  # %GS: the principal (e-mail) of the allowed-signers line that matched
    key: str  # %GK: the key's fingerprint
    author_email: str
    time: int  # committer time, seconds since the epoch
    trailers: tuple[tuple[str, str], ...]
    subject: str

    def trailer(self, key: str) -> str | None:
        values = [v for k, v in self.trailers if k.lower() == key.lower()]
        return values[-1] if values else None


_LOG_FORMAT = FIELD.join(
    ["%H", "%P", "%G?", "%GS", "%GK", "%ae", "%ct", "%(trailers:only,unfold,separator=%x1e)", "%s"]
)


class Git:
    def __init__(self, root: Path | str = "."):
        self.root = Path(root)

    def run(self, *args: str, config: dict | None = None, env: dict | None = None) -> str:
        completed = self._call(args, config, env)
        if completed.returncode != 0:
            message = completed.stderr.strip() or completed.stdout.strip()
            raise PortalError(f"lệnh git {args[0]} thất bại: {message}")
        return completed.stdout

    def output(self, *args: str) -> str:
        """Standard output of a command whose failure only means "nothing found" (git grep)."""
        return self._call(args).stdout

    def ok(self, *args: str) -> bool:
        return self._call(args).returncode == 0

    def _call(self, args, config=None, env=None) -> subprocess.CompletedProcess:
        command = ["git"]
        for key, value in (config or {}).items():
            command += ["-c", f"{key}={value}"]
        try:
            return subprocess.run(
                [*command, *args],
                cwd=self.root,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=env,
            )
        except FileNotFoundError:
            raise PortalError("không tìm thấy chương trình git; hãy cài git 2.34 trở lên") from None

    @classmethod
    def here(cls, start: Path | str = ".") -> "Git":
        """The repository holding `start` (its top folder)."""
        git = cls(start)
        if not git.ok("rev-parse", "--git-dir"):
            raise PortalError(f"'{Path(start).resolve()}' không nằm trong một kho git")
        return cls(git.run("rev-parse", "--show-toplevel").strip())

    def commit_of(self, name: str) -> str:
        """The commit a branch or revision names; PortalError when there is none."""
        completed = self._call(("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"))
        if completed.returncode != 0:
            raise PortalError(f"không tìm thấy nhánh hay commit '{name}' trong kho git")
        return completed.stdout.strip()

    def branch_name(self, name: str) -> str:
        """`HEAD` → the branch it is on (for messages); other names unchanged."""
        if name != "HEAD":
            return name
        return self.output("symbolic-ref", "--short", "-q", "HEAD").strip() or name

    def exists(self, name: str) -> bool:
        return self.ok("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")

    def merge_base(self, base: str, head: str) -> str:
        completed = self._call(("merge-base", base, head))
        if completed.returncode != 0:
            raise PortalError(f"nhánh '{head}' không có gốc chung với '{base}'")
        return completed.stdout.strip()

    def changes(self, old: str, new: str) -> list[Change]:
        """Files that differ between two commits (renames seen as delete + add)."""
        out = self.run("diff", "--raw", "-z", "--no-renames", "--no-abbrev", old, new)
        fields = out.split("\0")
        changes = []
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            if not meta.startswith(":"):
                continue
            _, _, old_blob, new_blob, status = meta[1:].split(" ")
            changes.append(Change(path, status[0], old_blob, new_blob))
        return changes

    def show(self, rev: str, path: str) -> str | None:
        """The text of `path` at `rev`, or None when it is not there."""
        completed = self._call(("cat-file", "blob", f"{rev}:{path}"))
        return completed.stdout if completed.returncode == 0 else None

    def blobs(self, shas: list[str]) -> dict[str, str]:
        """Many blobs' text in one `git cat-file --batch` call."""
        wanted = [s for s in dict.fromkeys(shas) if s and s != ZERO]
        if not wanted:
            return {}
        completed = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=self.root,
            input=("\n".join(wanted) + "\n").encode(),
            capture_output=True,
        )
        data, found, at = completed.stdout, {}, 0
        for sha in wanted:
            end = data.index(b"\n", at)
            header = data[at:end].split()
            at = end + 1
            if len(header) < 3:  # "<sha> missing"
                continue
            size = int(header[2])
            found[sha] = data[at : at + size].decode("utf-8", errors="replace")
            at += size + 1
        return found

    def log(self, revisions: list[str], signers_file: Path | None = None) -> list[Commit]:
        """Commits of `revisions`, oldest first, with signature status checked against
        `signers_file` (git's `gpg.ssh.allowedSignersFile`)."""
        config = {"gpg.ssh.allowedSignersFile": str(signers_file or "/dev/null")}
        out = self.run(
            "log",
            "-z",
            "--topo-order",
            "--reverse",
            f"--format={_LOG_FORMAT}",
            *revisions,
            "--",
            config=config,
        )
        return [_commit(record) for record in out.split("\0") if record.strip()]

    def files_by_commit(self, revisions: list[str]) -> dict[str, list[str]]:
        """Paths each commit of `revisions` changes against its first parent."""
        out = self.run("log", "-z", "--no-renames", "--format=%x1e%H", "--name-only", *revisions)
        files = {}
        for record in out.split("\x1e"):
            if record.strip("\0\n"):
                sha, *paths = record.split("\0")
                files[sha.strip()] = [p.lstrip("\n") for p in paths if p.strip("\n")]
        return files

    def files_of(self, sha: str) -> list[str]:
        """Paths a commit changes against its first parent (all paths for a root commit)."""
        out = self.run("diff-tree", "--no-commit-id", "-r", "-z", "--name-only", "--root", sha)
        return [p for p in out.split("\0") if p]

    def config(self, key: str) -> str | None:
        completed = self._call(("config", "--get", key))
        return (completed.stdout.strip() or None) if completed.returncode == 0 else None


def _commit(record: str) -> Commit:
    sha, parents, sig, signer, key, email, when, trailers, subject = record.strip("\n").split(
        FIELD, 8
    )
    pairs = []
    for line in trailers.split(TRAILER_SEPARATOR):
        key_name, sep, value = line.partition(":")
        if sep:
            pairs.append((key_name.strip(), value.strip()))
    return Commit(
        sha=sha,
        parents=tuple(parents.split()),
        signature=sig,
        signer=signer,
        key=key,
        author_email=email,
        time=int(when),
        trailers=tuple(pairs),
        subject=subject,
    )
