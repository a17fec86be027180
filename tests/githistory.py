"""Real git repositories built from a list of steps, for the tests.

    repo = Repo(tmp_path / "repo", Person("Thư ký", "thuky@example.vn"))
    repo.run(
        Commit("Start", "2026-09-01 08:00", {"a.md": "A\\n"}),
        Branch("tin"),
        Commit("Submit", "2026-10-05 09:00", {"b.md": "B\\n"}, author=writer),
        Switch("main"),
        Merge("tin", "2026-10-05 10:00"),      # --no-ff: main's first parent stays main
    )
    repo.run(Revert("2026-10-06 08:00"))       # more steps later, on the same repository

Dates are Vietnam time ("2026-11-03 09:00", or an aware datetime); without one a commit is
made now. Unsigned steps are written by one `git fast-import` per run; a signed commit
(`sign=True`, the author's ssh key) is made by `git commit -S` with gpg.format=ssh.
After each run the index and working tree match the current branch, as after a checkout;
files the history never tracked are left alone.

The steps are computed on a model of the history (for each commit: its parents and
its files as blob ids), so merges and reverts need no working tree. Commits made
outside the model (the code under test, `repo.git(...)`) are read from git when a
later run builds on them.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

VIETNAM = timezone(timedelta(hours=7))
FileValue = str | bytes | None  # None deletes the file


class Signer(Protocol):
    name: str
    email: str
    key: Path | None


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    key: Path | None = None  # the private ssh key; the public one is beside it (.pub)


def keygen(folder: Path, name: str, email: str) -> Path:
    """A new ed25519 key pair `folder/name` (+ .pub) made by ssh-keygen; the private key."""
    key = Path(folder) / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key), "-C", email], check=True
    )
    return key


def public_key(key: Path) -> str:
    """'ssh-ed25519 AAAA…' of a private key made by `keygen`."""
    return " ".join(Path(key).with_suffix(".pub").read_text().split()[:2])


def allowed_signers(people: Iterable[Signer]) -> str:
    """The text of an ssh allowed-signers file (gpg.ssh.allowedSignersFile) for `people`."""
    return "".join(f'{p.email} namespaces="git" {public_key(p.key)}\n' for p in people if p.key)


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (but .git), by its path relative to it: a first commit."""
    folder = Path(folder)
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(folder).parts
    }


def stamp(when: str | datetime | None) -> datetime:
    """An aware datetime: a naive text or datetime is Vietnam time; None is now."""
    if when is None:
        return datetime.now(VIETNAM).replace(microsecond=0)
    moment = datetime.fromisoformat(when) if isinstance(when, str) else when
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


# --- the steps ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Commit:
    """A commit on the current branch: `files` written (None: deleted), after `moves`
    (old path -> new path, all at once, so two files can swap names)."""

    message: str
    when: str | datetime | None = None
    files: Mapping[str, FileValue] = field(default_factory=dict)
    author: Signer | None = None  # default: the repository's person
    sign: bool = False
    moves: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Branch:
    """`git switch -c name start`: a new branch, from `start` (default: the current one)."""

    name: str
    start: str | None = None


@dataclass(frozen=True)
class Switch:
    name: str


@dataclass(frozen=True)
class Merge:
    """`git merge --no-ff branch` into the current branch; a conflict is an error."""

    branch: str
    when: str | datetime | None = None
    message: str | None = None
    author: Signer | None = None


@dataclass(frozen=True)
class Revert:
    """`git revert -m 1 HEAD`: undo the current branch's last commit (or merge)."""

    when: str | datetime | None = None
    author: Signer | None = None


@dataclass(frozen=True)
class Tag:
    """A lightweight tag at `target`: a branch, optionally `~n` first parents back."""

    name: str
    target: str | None = None


Step = Commit | Branch | Switch | Merge | Revert | Tag


# --- the model ----------------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    ref: str  # a commit id, or ":mark" until fast-import has written it
    parents: tuple[_Node, ...] | None = None  # None: not read from git yet
    files: dict[str, str] | None = None  # path -> blob id; None: not read from git yet
    message: str = ""


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _data(text: str | bytes) -> bytes:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return b"data %d\n" % len(data) + data + b"\n"


def _identity(person: Signer, moment: datetime) -> str:
    offset = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if offset >= 0 else "-"
    zone = f"{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"
    return f"{person.name} <{person.email}> {int(moment.timestamp())} {zone}"


class Repo:
    """A git repository in `root` (made if missing) whose history is built with `run`."""

    def __init__(self, root: Path, person: Signer, branch: str = "main"):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.person = person
        self.git("init", "-q", "-b", branch)
        self.git("config", "user.name", person.name)
        self.git("config", "user.email", person.email)
        self.git("config", "commit.gpgsign", "false")
        self._known: dict[str, _Node] = {}  # commit id -> node
        self._blobs: dict[str, bytes] = {}  # blob id -> data not yet written
        self._marks = 0
        self._pending: list[_Node] = []  # in the stream, not yet written

    def git(self, *args: str, when: str | datetime | None = None, env=None) -> str:
        """Plain git in the repository; `when` sets the author and committer dates."""
        environment = {**os.environ, **(env or {})}
        if when is not None:
            moment = stamp(when).isoformat()
            environment.update(GIT_AUTHOR_DATE=moment, GIT_COMMITTER_DATE=moment)
        completed = subprocess.run(
            ["git", *args], cwd=self.root, env=environment, capture_output=True, check=False
        )
        if completed.returncode:
            raise RuntimeError(f"git {' '.join(args)}: {completed.stderr.decode()}")
        return completed.stdout.decode("utf-8").strip()

    # -- running steps

    def run(self, *steps: Step | Iterable) -> Repo:
        """Apply the steps (lists of steps are flattened) in order."""
        self._tips = self._read_tips()
        self._current = self.git("symbolic-ref", "--short", "HEAD")
        self._tags: dict[str, _Node] = {}
        self._stream: list[bytes] = []
        self._moved: set[str] = set()
        for step in _flatten(steps):
            getattr(self, f"_{type(step).__name__.lower()}")(step)
        self._flush()
        self.git("symbolic-ref", "HEAD", f"refs/heads/{self._current}")
        if self._current in self._tips:
            self.git("reset", "-q", "--hard")
        return self

    def _commit(self, step: Commit) -> None:
        parent = self._tips.get(self._current)
        files = dict(self._files(parent)) if parent else {}
        moved = {new: files.pop(old) for old, new in step.moves.items()}
        files.update(moved)
        for path, value in step.files.items():
            if value is None:
                if files.pop(path, None) is None:
                    raise KeyError(f"{path}: no such file to delete")
            else:
                data = value.encode("utf-8") if isinstance(value, str) else value
                files[path] = blob_id(data)
                self._blobs.setdefault(files[path], data)
        if step.sign:
            self._signed(step, parent, files, self._blobs)
        else:
            person = step.author or self.person
            self._write(step.message, (parent,) if parent else (), files, person, step.when)

    def _merge(self, step: Merge) -> None:
        ours, theirs = self._tips[self._current], self._tips[step.branch]
        base = self._merge_base(ours, theirs)
        old, mine, other = (self._files(n) if n else {} for n in (base, ours, theirs))
        files = {}
        for path in sorted(set(old) | set(mine) | set(other)):
            was, a, b = old.get(path), mine.get(path), other.get(path)
            if a != b and was not in (a, b):
                raise ValueError(f"merge {step.branch}: {path} changed on both sides")
            value = b if a == was else a
            if value is not None:
                files[path] = value
        into = "" if self._current == "main" else f" into {self._current}"
        message = step.message or f"Merge branch '{step.branch}'{into}"
        self._write(message, (ours, theirs), files, step.author or self.person, step.when)

    def _revert(self, step: Revert) -> None:
        tip = self._tips[self._current]
        undone = self._parents(tip)[0]
        if not tip.message:
            tip.message = self.git("log", "-1", "--format=%B", tip.ref)
        subject = tip.message.splitlines()[0]
        message = f'Revert "{subject}"\n\nThis reverts the last commit on {self._current}.'
        person = step.author or self.person
        self._write(message, (tip,), dict(self._files(undone)), person, step.when)

    def _branch(self, step: Branch) -> None:
        if step.name in self._tips:
            raise ValueError(f"branch {step.name} exists")
        self._tips[step.name] = self._resolve(step.start or self._current)
        self._moved.add(step.name)
        self._current = step.name

    def _switch(self, step: Switch) -> None:
        if step.name not in self._tips:
            raise KeyError(f"no branch {step.name}")
        self._current = step.name

    def _tag(self, step: Tag) -> None:
        self._tags[step.name] = self._resolve(step.target or self._current)

    # -- the model

    def _read_tips(self) -> dict[str, _Node]:
        listing = self.git("for-each-ref", "--format=%(objectname) %(refname)", "refs/heads")
        return {
            name.removeprefix("refs/heads/"): self._node(commit)
            for commit, name in (line.split() for line in listing.splitlines())
        }

    def _node(self, commit: str) -> _Node:
        if commit not in self._known:
            self._known[commit] = _Node(commit)
        return self._known[commit]

    def _parents(self, node: _Node) -> tuple[_Node, ...]:
        if node.parents is None:
            ids = self.git("rev-list", "--parents", "-n", "1", node.ref).split()[1:]
            node.parents = tuple(self._node(commit) for commit in ids)
        return node.parents

    def _files(self, node: _Node) -> dict[str, str]:
        if node.files is None:
            listing = self.git("ls-tree", "-r", "-z", "--full-tree", node.ref)
            node.files = {}
            for entry in filter(None, listing.split("\0")):
                meta, path = entry.split("\t", 1)
                if meta.split()[1] == "blob":
                    node.files[path] = meta.split()[2]
        return node.files

    def _resolve(self, name: str) -> _Node:
        branch, _, back = name.partition("~")
        node = self._tips[branch]
        for _ in range(int(back or 0)):
            node = self._parents(node)[0]
        return node

    def _merge_base(self, ours: _Node, theirs: _Node) -> _Node | None:
        mine, queue = set(), deque([ours])
        while queue:
            node = queue.popleft()
            if node not in mine:
                mine.add(node)
                queue.extend(self._parents(node))
        queue, seen = deque([theirs]), set()
        while queue:
            node = queue.popleft()
            if node in mine:
                return node
            if node not in seen:
                seen.add(node)
                queue.extend(self._parents(node))
        return None

    # -- writing

    def _write(self, message, parents, files, person, when) -> None:
        """One commit into the fast-import stream: its changes from its first parent."""
        moment = stamp(when)
        self._marks += 1
        node = _Node(f":{self._marks}", tuple(parents), files, message)
        message = message if message.endswith("\n") else message + "\n"
        lines = [
            f"commit refs/heads/{self._current}",
            f"mark {node.ref}",
            f"author {_identity(person, moment)}",
            f"committer {_identity(person, moment)}",
        ]
        chunk = "\n".join(lines).encode("utf-8") + b"\n" + _data(message)
        if parents:
            chunk += f"from {parents[0].ref}\n".encode()
            chunk += b"".join(f"merge {p.ref}\n".encode() for p in parents[1:])
        before = self._files(parents[0]) if parents else {}
        for path in sorted(set(before) - set(files)):
            chunk += f"D {path}\n".encode()
        for path, blob in sorted(files.items()):
            if before.get(path) != blob:
                if blob in self._blobs:
                    chunk += f"M 100644 inline {path}\n".encode() + _data(self._blobs[blob])
                else:
                    chunk += f"M 100644 {blob} {path}\n".encode()
        self._stream.append(chunk + b"\n")
        self._pending.append(node)
        self._tips[self._current] = node
        self._moved.add(self._current)

    def _flush(self) -> None:
        """Write the stream with one `git fast-import`; marks become commit ids."""
        refs = [(f"refs/heads/{b}", self._tips[b]) for b in sorted(self._moved)]
        refs += [(f"refs/tags/{t}", node) for t, node in sorted(self._tags.items())]
        if not self._stream and not refs:
            return
        for ref, node in refs:
            self._stream.append(f"reset {ref}\nfrom {node.ref}\n\n".encode())
        marks = self.root / ".git" / "githistory-marks"
        completed = subprocess.run(
            ["git", "fast-import", "--quiet", "--force", f"--export-marks={marks}"],
            cwd=self.root,
            input=b"".join(self._stream) + b"done\n",
            capture_output=True,
            check=False,
        )
        if completed.returncode:
            raise RuntimeError(f"git fast-import: {completed.stderr.decode()}")
        pending = {node.ref: node for node in self._pending}
        for line in marks.read_text().splitlines():
            mark, commit = line.split()
            if mark in pending:
                pending[mark].ref = commit
                self._known[commit] = pending[mark]
        marks.unlink()
        self._stream, self._pending, self._moved, self._tags = [], [], set(), {}
        self._blobs = {}

    def _signed(self, step: Commit, parent: _Node | None, files: dict[str, str], blobs) -> None:
        """`git commit -S` on the branch checked out, signed with the author's ssh key."""
        blobs = dict(blobs)
        self._flush()
        self.git("symbolic-ref", "HEAD", f"refs/heads/{self._current}")  # at `parent` now
        if parent:
            self.git("reset", "-q", "--hard")
        touched = [*step.moves, *step.moves.values(), *step.files]
        before = self._files(parent) if parent else {}
        for path in touched:
            target = self.root / path
            if path in files:
                if before.get(path) != files[path] or not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    data = blobs.get(files[path])
                    if data is None:
                        data = subprocess.run(
                            ["git", "cat-file", "blob", files[path]],
                            cwd=self.root,
                            capture_output=True,
                            check=True,
                        ).stdout
                    target.write_bytes(data)
            else:
                target.unlink(missing_ok=True)
        self.git("add", "-A", "--", *touched)
        person = step.author or self.person
        self.git(
            "-c", f"user.name={person.name}",
            "-c", f"user.email={person.email}",
            "-c", "gpg.format=ssh",
            "-c", f"user.signingkey={person.key}",
            "commit", "-q", "-S", "-m", step.message,
            when=step.when,
        )  # fmt: skip
        node = _Node(self.git("rev-parse", "HEAD"), (parent,) if parent else (), files)
        node.message = step.message
        self._known[node.ref] = node
        self._tips[self._current] = node
        self._blobs = {}


def _flatten(steps) -> Iterable[Step]:
    for step in steps:
        if isinstance(step, list | tuple):
            yield from _flatten(step)
        else:
            yield step
