"""The one door to git: every other module of the portal asks `Git`, never the `git`
program or GitPython itself.

Commands run as plain `git` processes (with `-c key=value` settings and extra
environment where signing needs them); objects are read through one persistent
`git cat-file --batch` (GitPython's), so many blobs cost one process, not one each.
Everything the review gate and the royalties decide is read from git objects (never
the working tree), so the same answer comes out on a laptop, in CI, or months later
in an audit.
"""

import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from contextlib import suppress
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


NOT_FOUND = "không tìm thấy chương trình git; hãy cài git 2.34 trở lên"
REGULAR_FILES = ("100644", "100755")
PIPE_PAGE = 4096  # the least a pipe holds (Linux shrinks pipes to one page under pressure)


def _gitpython():
    """GitPython, imported on first use: only the object reader needs it, and a build
    that reads no git object (the site's) starts 0.08 s sooner without it."""
    # GitPython checks for the git program as it is imported and would stop every command
    # with an English ImportError; without git, the first use says what to do instead.
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    import git  # noqa: PLC0415 -- a heavy library, loaded where it is used

    return git


class Git:
    def __init__(self, root: Path | str = "."):
        self.root = Path(root)
        self._bases: dict[str, str] = {}  # resolve_base's answers: refs do not move meanwhile
        self._objects = None  # GitPython's Git: holds the persistent `cat-file --batch`

    # Running commands

    def run(
        self,
        *args: str,
        config: dict | None = None,
        env: dict | None = None,
        input: str | bytes | None = None,
        timeout: float | None = None,
    ) -> str:
        """Standard output of `git <args>` as text; PortalError when git fails.

        `config`: `-c key=value` settings for this command only; `env`: variables added
        to the environment; `input`: what the command reads on its standard input."""
        return _text(self.run_bytes(*args, config=config, env=env, input=input, timeout=timeout))

    def run_bytes(
        self,
        *args: str,
        config: dict | None = None,
        env: dict | None = None,
        input: str | bytes | None = None,
        timeout: float | None = None,
    ) -> bytes:
        """Standard output of `git <args>` as bytes (paths and contents as git stores them)."""
        completed = self._call(args, config, env, input, timeout)
        if completed.returncode != 0:
            message = _text(completed.stderr).strip() or _text(completed.stdout).strip()
            raise PortalError(f"lệnh git {args[0]} thất bại: {message}")
        return completed.stdout

    def output(self, *args: str) -> str:
        """Standard output of a command whose failure only means "nothing found" (git grep)."""
        return _text(self._call(args).stdout)

    def ok(self, *args: str, timeout: float | None = None) -> bool:
        return self._call(args, timeout=timeout).returncode == 0

    def _call(
        self, args, config=None, env=None, input=None, timeout=None
    ) -> subprocess.CompletedProcess:
        command = ["git"]
        for key, value in (config or {}).items():
            command += ["-c", f"{key}={value}"]
        try:
            return subprocess.run(
                [*command, *args],
                cwd=self.root,
                input=input.encode("utf-8") if isinstance(input, str) else input,
                capture_output=True,
                env={**os.environ, **env} if env else None,
                timeout=timeout,
            )
        except FileNotFoundError:
            raise PortalError(NOT_FOUND) from None
        except subprocess.TimeoutExpired:
            raise PortalError(f"lệnh git {args[0]} chạy quá {timeout:g} giây") from None

    # The repository

    @classmethod
    def find(cls, start: Path | str = ".") -> "Git | None":
        """The repository holding `start` (its top folder); None when there is none."""
        if not Path(start).is_dir():
            return None
        completed = cls(start)._call(("rev-parse", "--show-toplevel"))
        top = _text(completed.stdout).strip()
        return cls(top) if completed.returncode == 0 and top else None

    @classmethod
    def here(cls, start: Path | str = ".", hint: str = "") -> "Git":
        """The repository holding `start` (its top folder); `hint` says what to do if none."""
        git = cls.find(start)
        if git is None:
            where = f"'{Path(start).resolve()}' không nằm trong một kho git"
            raise PortalError(f"{where}: {hint}" if hint else where)
        return git

    @property
    def common_dir(self) -> Path:
        """The git folder shared by every worktree of the repository (where caches go)."""
        return Path(self.run("rev-parse", "--path-format=absolute", "--git-common-dir").strip())

    def hooks_dir(self) -> Path:
        """Where git looks for this repository's hooks (core.hooksPath honoured)."""
        return (self.root / self.run("rev-parse", "--git-path", "hooks").strip()).resolve()

    def current_branch(self) -> str | None:
        """The branch HEAD is on; None when HEAD is detached."""
        return self.output("symbolic-ref", "--short", "-q", "HEAD").strip() or None

    # Names and commits

    def find_commit(self, name: str) -> str | None:
        """The commit a branch or revision names; None when there is none."""
        completed = self._call(
            ("rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
        )
        return _text(completed.stdout).strip() if completed.returncode == 0 else None

    def commit_of(self, name: str) -> str:
        """The commit a branch or revision names; PortalError when there is none."""
        commit = self.find_commit(name)
        if commit is None:
            raise PortalError(f"không tìm thấy nhánh hay commit '{name}' trong kho git")
        return commit

    def resolve_base(self, name: str, option: str = "--base") -> str:
        """The commit of a base given as a full ref (refs/...), a commit id, or a short
        branch name that no other ref shadows; anything ambiguous is refused (messages
        name the command-line `option` the name came from).

        git prefers a tag to a remote branch of the same short name, so a pushed tag
        `origin/main` would otherwise replace the base (and its roster) with the attacker's.
        """
        if name not in self._bases:
            self._bases[name] = self._resolve_base(name, option)
        return self._bases[name]

    def _resolve_base(self, name: str, option: str) -> str:
        if name.startswith("refs/"):
            if not self.ok("show-ref", "--verify", "--quiet", name):
                raise PortalError(f"{option}: không có ref '{name}' trong kho git")
            return self.commit_of(name)
        shadows = self._refs_named(name)
        if HEX.fullmatch(name):
            if shadows:
                raise PortalError(_ambiguous(option, name, ["mã commit", *shadows]))
            commit = self.commit_of(name)
            if not commit.startswith(name):
                raise PortalError(f"{option}: '{name}' không phải một mã commit")
            return commit
        if len(shadows) > 1:
            raise PortalError(_ambiguous(option, name, shadows))
        if not shadows:
            raise PortalError(
                f"{option}: không tìm thấy nhánh '{name}' trong kho git; chạy 'git fetch' "
                f"hoặc ghi {option} đúng (tên đầy đủ như refs/remotes/origin/main, "
                "refs/heads/main, hoặc mã commit)"
            )
        if not shadows[0].startswith(BRANCH_PREFIXES):
            raise PortalError(
                f"{option}: '{name}' không phải tên một nhánh (chỉ có {shadows[0]}); hãy dùng "
                "tên đầy đủ (refs/remotes/origin/main, refs/heads/main) hoặc mã commit của "
                "nhánh gốc"
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
        return self.current_branch() or name

    def exists(self, name: str) -> bool:
        return self.ok("rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")

    def merge_base(self, base: str, head: str) -> str:
        completed = self._call(("merge-base", base, head))
        if completed.returncode != 0:
            raise PortalError(f"nhánh '{head}' không có gốc chung với '{base}'")
        return _text(completed.stdout).strip()

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

    # Objects, through one persistent `git cat-file --batch`

    def show(self, rev: str, path: str) -> str | None:
        """The text of `path` at `rev`, or None when it is not there."""
        found = self.read_objects([f"{rev}:{path}"], kind="blob")
        return _text(found[f"{rev}:{path}"]) if found else None

    def blobs(self, shas: list[str]) -> dict[str, str]:
        """Many blobs' text (UTF-8, undecodable bytes replaced); missing ones left out."""
        found = self.blob_bytes(shas)
        return {sha: data.decode("utf-8", errors="replace") for sha, data in found.items()}

    def blob_bytes(self, shas: Iterable[str]) -> dict[str, bytes]:
        """Many blobs' bytes; the zero id (no blob) and missing objects are left out."""
        return self.read_objects([s for s in shas if s and s != ZERO])

    def read_objects(self, names: Iterable[str], kind: str | None = None) -> dict[str, bytes]:
        """name → content of each object git can find by that name (an id, `rev:path`),
        of type `kind` when given. One persistent `git cat-file --batch` answers every
        call; many names are written from another thread while the answers are read,
        so neither side waits on a full pipe."""
        wanted = [n for n in dict.fromkeys(names) if "\n" not in n]
        if not wanted:
            return {}
        process = self._cat_file()
        request = "".join(f"{name}\n" for name in wanted).encode("utf-8")
        failed: list = []
        writer = None
        if len(request) <= PIPE_PAGE:  # fits in an empty pipe whatever its size
            _write(process.stdin, request, failed)
        else:
            writer = threading.Thread(target=_write, args=(process.stdin, request, failed))
            writer.start()
        found = {}
        try:
            for name in wanted:
                header = process.stdout.readline()
                if header.endswith((b" missing\n", b" ambiguous\n")):
                    continue
                fields = header.split()
                if len(fields) != 3 or not fields[2].isdigit():
                    raise self._reader_failed(process, ended=not header)
                size = int(fields[2])
                data = process.stdout.read(size + 1)  # the content and git's newline
                if len(data) != size + 1:
                    raise self._reader_failed(process, ended=True)
                if kind is None or fields[1] == kind.encode():
                    found[name] = data[:size]
        except BaseException:
            self.close()  # out of step with git: the next call starts a new reader
            raise
        finally:
            if writer is not None:
                writer.join()
        if failed:
            raise self._reader_failed(process, ended=True)
        return found

    def _cat_file(self):
        """The persistent `git cat-file --batch` process (GitPython keeps it running)."""
        gitpython = _gitpython()
        if self._objects is None:
            self._objects = gitpython.Git(self.root)
        try:
            return self._objects._get_persistent_cmd("cat_file_all", "cat_file", batch=True)
        except gitpython.GitCommandNotFound:
            raise PortalError(NOT_FOUND) from None

    def _reader_failed(self, process, ended: bool) -> PortalError:
        """The reader stopped (`ended`: what git said as it went) or is out of step."""
        said = b""
        if ended and process.stderr is not None:
            with suppress(OSError, ValueError):
                said = process.stderr.read() or b""
        self.close()
        return PortalError(f"lệnh git cat-file thất bại: {_text(said).strip() or 'git dừng'}")

    def close(self) -> None:
        """End the persistent object reader (it also ends when this object is dropped)."""
        if self._objects is not None:
            self._objects.clear_cache()
            self._objects = None

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

    def tree_files(self, rev: str, paths: list[str]) -> dict[str, bytes]:
        """path → content of every regular file at or under `paths` at `rev`; symbolic
        links and submodules are left out."""
        out = self.run_bytes("ls-tree", "-r", "-z", "--full-tree", rev, "--", *paths)
        ids = {}
        for record in out.split(b"\0"):
            meta, _, path = record.partition(b"\t")
            if meta:
                mode, _kind, sha = meta.decode("ascii").split()
                if mode in REGULAR_FILES:
                    ids[path.decode("utf-8", "surrogateescape")] = sha
        blobs = self.blob_bytes(ids.values())
        return {path: blobs[sha] for path, sha in ids.items() if sha in blobs}

    # main's first-parent history (the royalties)

    def first_parent_chain(self, head: str) -> list[tuple[str, int]]:
        """(commit, committer time) of `head`'s first-parent chain, oldest first (no diffs)."""
        out = self.run("rev-list", "--first-parent", "--reverse", "--timestamp", head)
        return [(commit, int(seconds)) for seconds, commit in map(str.split, out.splitlines())]

    def raw_log(self, spec: str, header: str) -> bytes:
        """`git log --raw -z` of `spec`'s first-parent line, oldest first: each commit opens
        with `header` (a --format string), then its changes against its first parent,
        full blob ids, renames as a delete and an add. No pathspec: limiting by path makes
        git 2–3 times slower."""
        return self.run_bytes(
            "log",
            "--first-parent",
            "--reverse",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            "-z",
            f"--format={header}",
            spec,
        )

    # Writing commits without a checkout (intake)

    def tree_with(self, base: str, files: dict[str, bytes]) -> str:
        """The tree of commit `base` with `files` (path → content, mode 100644) added or
        replaced, built on a temporary index: the working tree, the repository's index
        and HEAD are never touched. One git call per step, not per file."""
        with tempfile.TemporaryDirectory(prefix="portal-git-") as folder:
            temp = Path(folder)
            blobs = []
            for number, data in enumerate(files.values()):
                blobs.append(temp / f"blob-{number}")
                blobs[-1].write_bytes(data)
            listing = "\n".join(str(b) for b in blobs)
            shas = self.run("hash-object", "-w", "--no-filters", "--stdin-paths", input=listing)
            index = {"GIT_INDEX_FILE": str(temp / "index")}
            self.run("read-tree", base, env=index)
            entries = "".join(
                f"100644 {sha}\t{path}\n" for sha, path in zip(shas.split(), files, strict=True)
            )
            self.run("update-index", "--index-info", input=entries, env=index)
            return self.run("write-tree", env=index).strip()

    def commit_tree(
        self, tree: str, parents: list[str], message: str, sign: bool = False, env=None
    ) -> str:
        """A new commit object (no branch moves); `sign`: signed as `git commit -S` would."""
        parent_args = [arg for parent in parents for arg in ("-p", parent)]
        sign_args = ["-S"] if sign else []
        return self.run(
            "commit-tree", tree, *parent_args, *sign_args, "-F", "-", input=message, env=env
        ).strip()

    def update_ref(self, ref: str, new: str, old: str | None = None) -> None:
        """Point `ref` at `new`; with `old` (ZERO: the ref must not exist yet) only if
        it still points there."""
        self.run("update-ref", ref, new, *([old] if old is not None else []))

    def config(self, key: str) -> str | None:
        completed = self._call(("config", "--get", key))
        return (_text(completed.stdout).strip() or None) if completed.returncode == 0 else None


def _text(data: bytes) -> str:
    """git's output as text, as Python's text mode reads it (universal newlines)."""
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _write(stream, request: bytes, failed: list) -> None:
    try:
        stream.write(request)
        stream.flush()
    except (OSError, ValueError) as error:  # git stopped reading: the reader reports it
        failed.append(error)


def _ambiguous(option: str, name: str, meanings: list[str]) -> str:
    return (
        f"{option}: tên '{name}' không rõ ràng, có thể là {', '.join(meanings)}; hãy dùng tên "
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
