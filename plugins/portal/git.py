"""Plain `git` subprocess calls for the review chain: refs, diffs, blobs, signed logs.

Everything the gate decides is read from git objects (never the working tree), so
the same answer comes out on a laptop, in CI, or months later in an audit.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from portal.errors import PortalError

ZERO = "0" * 40
SYMLINK, GITLINK = "120000", "160000"
HEX = re.compile(r"[0-9a-f]{4,64}")
BRANCH_PREFIXES = ("refs/heads/", "refs/remotes/")
FIELD = "\x1f"
TRAILER_SEPARATOR = "\x1e"


@dataclass(frozen=True)
class Change:
    """One file changed by a submission: blobs before (at the merge base) and after."""

    path: str
    status: str  # A, M, D, T
    old_blob: str
    new_blob: str
    old_mode: str = "000000"  # 100644 file, 100755 executable, 120000 symlink, 160000 gitlink
    new_mode: str = "000000"

    @property
    def new_kind(self) -> str | None:
        """'symlink' or 'gitlink' when the path becomes one (the gate refuses both)."""
        return {SYMLINK: "symlink", GITLINK: "gitlink (submodule)"}.get(self.new_mode)


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    signature: str  # %G?: G good, U unknown key or outside its validity, N none, B bad
    signer: str  # %GS: the principal (e-mail) of the allowed-signers line that matched
    key: str  # %GK: the key's fingerprint
    author_email: str
    committer_email: str
    time: int  # committer time, seconds since the epoch
    trailers: tuple[tuple[str, str], ...]
    subject: str

    def trailer(self, key: str) -> str | None:
        values = [v for k, v in self.trailers if k.lower() == key.lower()]
        return values[-1] if values else None


_LOG_FORMAT = FIELD.join(
    [
        "%H",
        "%P",
        "%G?",
        "%GS",
        "%GK",
        "%ae",
        "%ce",
        "%ct",
        "%(trailers:only,unfold,separator=%x1e)",
        "%s",
    ]
)


class Git:
    def __init__(self, root: Path | str = "."):
        self.root = Path(root)
        self._bases: dict[str, str] = {}  # resolve_base's answers: refs do not move meanwhile

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
        completed = self._call(
            ("rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
        )
        if completed.returncode != 0:
            raise PortalError(f"không tìm thấy nhánh hay commit '{name}' trong kho git")
        return completed.stdout.strip()

    def resolve_base(self, name: str) -> str:
        """The commit of a base given as a full ref (refs/...), a commit id, or a short
        branch name that no other ref shadows; anything ambiguous is refused.

        git prefers a tag to a remote branch of the same short name, so a pushed tag
        `origin/main` would otherwise replace the base (and its roster) with the attacker's.
        """
        if name not in self._bases:
            self._bases[name] = self._resolve_base(name)
        return self._bases[name]

    def _resolve_base(self, name: str) -> str:
        if name.startswith("refs/"):
            if not self.ok("show-ref", "--verify", "--quiet", name):
                raise PortalError(f"--base: không có ref '{name}' trong kho git")
            return self.commit_of(name)
        shadows = self._refs_named(name)
        if HEX.fullmatch(name):
            if shadows:
                raise PortalError(_ambiguous(name, ["mã commit", *shadows]))
            commit = self.commit_of(name)
            if not commit.startswith(name):
                raise PortalError(f"--base: '{name}' không phải một mã commit")
            return commit
        if len(shadows) > 1:
            raise PortalError(_ambiguous(name, shadows))
        if not shadows or not shadows[0].startswith(BRANCH_PREFIXES):
            found = f" (chỉ có {shadows[0]})" if shadows else ""
            raise PortalError(
                f"--base: '{name}' không phải tên một nhánh{found}; hãy dùng tên đầy đủ "
                "(refs/remotes/origin/main, refs/heads/main) hoặc mã commit của nhánh gốc"
            )
        return self.commit_of(shadows[0])

    def _refs_named(self, name: str) -> list[str]:
        """Every ref git's name lookup could take `name` for (git rev-parse's rules)."""
        spelled = [
            f"refs/{name}",
            f"refs/tags/{name}",
            f"refs/heads/{name}",
            f"refs/remotes/{name}",
            f"refs/remotes/{name}/HEAD",
        ]
        listed = self.run("for-each-ref", "--format=%(refname)", *spelled).split()
        return [ref for ref in spelled if ref in listed]

    def branch_name(self, name: str) -> str:
        """`HEAD` → the branch it is on (for messages); other names unchanged."""
        if name != "HEAD":
            return name
        return self.output("symbolic-ref", "--short", "-q", "HEAD").strip() or name

    def exists(self, name: str) -> bool:
        return self.ok("rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")

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
            old_mode, new_mode, old_blob, new_blob, status = meta[1:].split(" ")
            changes.append(Change(path, status[0], old_blob, new_blob, old_mode, new_mode))
        return changes

    def introduced_by_merge(self, merge: str, parents: tuple[str, ...]) -> list[Change]:
        """Paths a merge commit leaves different from every parent: changes that neither
        side had, i.e. the merger's own (a conflict resolution or an edit while merging)."""
        per_parent = [{c.path: c for c in self.changes(parent, merge)} for parent in parents]
        common = set.intersection(*(set(changes) for changes in per_parent))
        return [per_parent[0][path] for path in sorted(common)]

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

    def tree_blobs(self, rev: str, folder: str) -> dict[str, str]:
        """path → blob id of every file under `folder` at `rev` (empty when none)."""
        out = self.output("ls-tree", "-r", "-z", "--full-tree", rev, "--", folder)
        blobs = {}
        for record in out.split("\0"):
            meta, _, path = record.partition("\t")
            if meta:
                blobs[path] = meta.split()[2]
        return blobs

    def config(self, key: str) -> str | None:
        completed = self._call(("config", "--get", key))
        return (completed.stdout.strip() or None) if completed.returncode == 0 else None


def _ambiguous(name: str, meanings: list[str]) -> str:
    return (
        f"--base: tên '{name}' không rõ ràng, có thể là {', '.join(meanings)}; hãy dùng tên "
        "đầy đủ (ví dụ refs/remotes/origin/main) hoặc mã commit của nhánh gốc"
    )


def _commit(record: str) -> Commit:
    fields = record.strip("\n").split(FIELD, 9)
    sha, parents, sig, signer, key, email, committer, when, trailers, subject = fields
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
        committer_email=committer,
        time=int(when),
        trailers=tuple(pairs),
        subject=subject,
    )
