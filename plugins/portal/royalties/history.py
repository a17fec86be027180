"""What was published on the portal, and when, read from the history of main.

Never from a hand-kept list: main's first-parent history is read in one
`git log --raw` pass, and every version of every content file in one
`git cat-file --batch` pass, so review-chain merges, plain merges and plain
commits are read alike.

Rules (docs/royalties.md explains them to the secretary):

* A commit on main's first-parent line *lands* at its committer time, never
  earlier than the commit before it (clocks can be wrong; the order cannot).
* An item is *live* while its file is present with `status: published`, and
  *visible* from max(its `date`, the time the live version landed): Pelican
  leaves future-dated items out until their date has come.
* A *run* is one stretch of visibility: from that moment until the first
  commit where the file is gone or not published any more.
* An item's identity is its work, not its file name. A file is a later state of
  an earlier item when (a) it has the item's slug (its published address) and its
  date or its title, wherever and whenever the file appears; or (b) in the same
  file or in a file that left in the same commit, it has the item's date and
  authors (a title corrected, with or without a rename). So a rename, a rename
  with a rewrite in one commit, a move to another section, a revert and a re-merge
  keep the item; another work under a freed file name, written over a file, or
  reusing a slug is a new item (docs/royalties.md, "Một tác phẩm"). Git's rename
  detection is not used: it guesses from text similarity.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from pathlib import Path

from portal import yamlfile
from portal.content.items import derived_slug
from portal.dates import VIETNAM, parse_datetime
from portal.git import Git
from portal.project import is_item_path
from portal.royalties.logcache import HEADER as _HEADER
from portal.royalties.logcache import raw_log

DEFAULT_REF = "main"


class Blob:
    """One content of a file: a quick look at its top-level scalars (status, date, slug…),
    and the full front matter, parsed only when asked for and then kept."""

    __slots__ = ("raw", "path", "_header", "_parsed", "_date")

    def __init__(self, raw: bytes, path: str):
        self.raw, self.path = raw, path
        self._header = self._parsed = self._date = None

    @property
    def header(self) -> dict:
        if self._header is None:
            self._header = _scan_header(self.raw)
            if self._header is None:  # anything unusual: ask the YAML parser
                meta = self.meta or {}
                self._header = {
                    key: str(meta[key])
                    for key in HEADER_FIELDS
                    if isinstance(meta.get(key), (str, int, float)) and meta[key] is not True
                }
        return self._header

    @property
    def meta(self) -> dict | None:
        return self._parse()[0]

    @property
    def lines(self) -> dict:
        return self._parse()[1]

    @property
    def date(self) -> datetime | None:
        if self._date is None:
            try:
                self._date = parse_datetime(self.header["date"]) if "date" in self.header else False
            except ValueError:
                self._date = False
        return self._date or None

    def _parse(self) -> tuple:
        if self._parsed is None:
            self._parsed = (None, {})
            try:
                parsed = yamlfile.parse(self.raw.decode("utf-8"), self.path)
            except UnicodeDecodeError:
                return self._parsed
            if isinstance(parsed.data, dict) and not parsed.problems:
                self._parsed = (parsed.data, parsed.lines)
        return self._parsed


HEADER_FIELDS = ("status", "date", "slug", "title", "kind", "doc_type", "number", "section", "unit")


def _scan_header(raw: bytes) -> dict | None:
    try:
        return yamlfile.quick_fields(raw.decode("utf-8"), HEADER_FIELDS)
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class Version:
    """One state of an item's file on main, from `time` until the next version."""

    time: datetime
    commit: str
    path: str
    blob: Blob | None = field(default=None, compare=False)  # None: the file is gone

    @property
    def meta(self) -> dict | None:
        return self.blob.meta if self.blob else None

    @property
    def lines(self) -> dict:
        return self.blob.lines if self.blob else {}

    @property
    def date(self) -> datetime | None:
        return self.blob.date if self.blob else None

    @property
    def live(self) -> bool:
        return bool(self.blob) and self.blob.header.get("status") == "published" and bool(self.date)


@dataclass(frozen=True)
class Run:
    start: datetime  # visible from
    end: datetime | None  # the moment it stopped being live; None: still live at the cutoff


@dataclass
class ItemLife:
    key: str
    versions: list = field(default_factory=list)  # in landing order

    def version_at(self, moment: datetime) -> Version | None:
        """The version in force at `moment` (None before the file existed)."""
        index = bisect_right([v.time for v in self.versions], moment)
        return self.versions[index - 1] if index else None

    def runs(self, cutoff: datetime) -> list[Run]:
        """Stretches of visibility up to `cutoff` (history after it is ignored)."""
        versions = [v for v in self.versions if v.time <= cutoff]
        runs, start = [], None
        for index, version in enumerate(versions):
            if not version.live:
                if start is not None:
                    runs.append(Run(start, version.time))
                    start = None
                continue
            if start is None:
                until = versions[index + 1].time if index + 1 < len(versions) else None
                candidate = max(version.date, version.time)
                if (until is None and candidate <= cutoff) or (until and candidate < until):
                    start = candidate
        if start is not None:
            runs.append(Run(start, None))
        return runs


@dataclass
class History:
    repo_root: Path
    content_prefix: str  # the content folder relative to the repository, "content"
    ref: str
    head: str
    items: dict  # key -> ItemLife
    last_landed: datetime | None = None
    commits: list = field(default_factory=list)  # (landed, commit) of main, oldest first

    started: datetime | None = None  # when main's first commit landed, even if not read

    @property
    def first_landed(self) -> datetime | None:
        return self.commits[0][0] if self.commits else self.started

    @property
    def first_item_landed(self) -> datetime | None:
        """When the first content item landed on main (None: never)."""
        return min((life.versions[0].time for life in self.items.values()), default=None)

    def commit_at(self, moment: datetime) -> str | None:
        """The commit of main in force at `moment` (None before the first one)."""
        index = bisect_right(self.commits, moment, key=lambda entry: entry[0])
        return self.commits[index - 1][1] if index else None


def read_history(
    content_root: Path, ref: str = DEFAULT_REF, until: datetime | None = None
) -> History:
    """Every version of every content item on `ref`'s first-parent history, up to the
    commits landed by `until` when given (later history cannot change what was then)."""
    repo = _open_repo(content_root)
    try:
        return _read(repo, content_root, ref, until)
    finally:
        repo.close()


def _read(repo: Git, content_root: Path, ref: str, until: datetime | None) -> History:
    repo_root = repo.root.resolve()
    prefix = Path(content_root).resolve().relative_to(repo_root).as_posix()
    prefix = "" if prefix == "." else prefix
    # Money is paid from what the name means: a short name that is also a tag (a tag
    # `main` beside the branch `main`) is refused, not guessed (pass refs/heads/main).
    head = repo.resolve_base(ref, option="--ref")
    chain = full_chain = repo.first_parent_chain(head)
    if until is not None:
        chain = chain[: _landed_by(chain, until.timestamp())]
    log = raw_log(repo, [commit for commit, _ in chain])
    history = History(repo_root, prefix, ref, head, {})
    if full_chain:
        history.started = datetime.fromtimestamp(full_chain[0][1], VIETNAM)
    changes = [c for c in _parse_log(log, history.commits) if is_item_path(c[4], prefix)]
    blobs = repo.blob_bytes({blob for *_, blob in changes if blob})
    _build_lives(history, changes, blobs)
    return history


def _landed_by(chain: list[tuple[str, int]], seconds: float) -> int:
    """How many commits of the chain had landed by `seconds` (landing never goes back)."""
    landed = None
    for index, (_, committed) in enumerate(chain):
        landed = committed if landed is None else max(landed, committed)
        if landed > seconds:
            return index
    return len(chain)


def _open_repo(content_root: Path) -> Git:
    return Git.here(
        content_root,
        "nhuận bút và báo cáo được tính từ lịch sử nhánh main, hãy chạy lệnh trong bản sao "
        "(clone) của kho Cổng",
    )


def _parse_log(log: bytes, commits: list):
    """Yield (commit, landed time, status, old path, new path, new blob) per change;
    append (landed time, commit) of every commit to `commits`."""
    tokens = log.split(b"\0")
    commit, landed, previous = None, None, None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n").decode("utf-8", "surrogateescape")
        index += 1
        if token.startswith(_HEADER):
            commit, seconds = token[1:].split()
            moment = datetime.fromtimestamp(int(seconds), VIETNAM)
            landed = max(moment, previous) if previous else moment
            previous = landed
            commits.append((landed, commit))
            continue
        if not token.startswith(":"):
            continue
        fields = token.split()
        status, blob = fields[4], fields[3]
        old = tokens[index].decode("utf-8", "surrogateescape")
        index += 1
        new = old
        if status[0] in "RC":
            new = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
        blob = None if set(blob) == {"0"} else blob
        yield commit, landed, status[0], old, new, blob


def _build_lives(history: History, changes: list, raw_blobs: dict) -> None:
    blobs: dict[str, Blob] = {}
    state = _Identities()
    for commit, group in groupby(changes, key=lambda change: change[0]):
        group = [c for c in group if is_item_path(c[4], history.content_prefix)]
        if not group:
            continue
        landed = group[0][1]
        history.last_landed = landed
        versions = []
        for _, _, status, _, path, sha in group:
            if status == "D":
                versions.append(Version(landed, commit, path))
                continue
            if sha not in blobs:
                blobs[sha] = Blob(raw_blobs.get(sha, b""), path)
            versions.append(Version(landed, commit, path, blobs[sha]))
        state.apply(history, versions)


class _Identities:
    """Which item each file is, commit by commit (see the module's rules).

    Within one commit every file that leaves (deleted, or overwritten by another
    work) is set aside first, so a file renamed and rewritten in one commit finds
    its item whatever the order of the two names.
    """

    def __init__(self):
        self.key_of_path: dict[str, str] = {}  # present path -> item key
        self.gone: dict[str, list] = {}  # slug -> keys of items whose file is gone

    def apply(self, history: History, versions: list) -> None:
        leaving, arriving = [], []
        for version in versions:
            key = self.key_of_path.get(version.path)
            if version.blob is None:
                if key is not None:
                    leaving.append(self.key_of_path.pop(version.path))
                continue
            if key is not None and same_work(_last_content(history.items[key]), version, False):
                history.items[key].versions.append(version)
                continue
            if key is not None:  # changed beyond its slug: matched below like any arrival
                leaving.append(self.key_of_path.pop(version.path))
            arriving.append(version)
        keys = self._match(history, leaving, arriving)
        for version, key in zip(arriving, keys, strict=True):
            self.key_of_path[version.path] = key
            history.items.setdefault(key, ItemLife(key)).versions.append(version)
        for key in leaving:
            life = history.items[key]
            last = _last_content(life)
            time, commit = versions[0].time, versions[0].commit
            life.versions.append(Version(time, commit, last.path))
            slug = _slug(last.blob.header)
            if slug:
                self.gone.setdefault(slug, []).append(key)

    def _match(self, history: History, leaving: list, arriving: list) -> list[str]:
        """The item of each arriving file: one that left in this commit with the same slug,
        then one that left with the same date and authors (a title corrected), then one
        that went away earlier with the same slug (it comes back), else a new item.
        Strict matches go first, so a looser one can never take another file's item."""
        keys = [_take_match(history, leaving, version, False) for version in arriving]
        for index, version in enumerate(arriving):
            keys[index] = keys[index] or _take_match(history, leaving, version, True)
        for index, version in enumerate(arriving):
            keys[index] = keys[index] or self._returning(history, version)
            keys[index] = keys[index] or _new_key(history, version.path)
        return keys

    def _returning(self, history: History, version: Version) -> str | None:
        """An item whose file went away earlier and comes back (reverted, merged again)."""
        if not self.gone:  # the common case: nothing has gone yet, no slug to work out
            return None
        keys = self.gone.get(_slug(version.blob.header) or "", [])
        key = _take_match(history, keys[::-1], version, False)
        if key is not None:
            keys.remove(key)
        return key


def same_work(old: Version | None, new: Version, nearby: bool) -> bool:
    """Whether `new` is a later state of the work `old` was.

    The same published address (slug) with the same publication date or title is
    the same work, wherever and whenever its file comes back. `nearby` (the same
    file, or a file that left in the same commit): a changed slug with the same
    date and authors is the same work too (a title corrected, with or without a rename).
    """
    if old is None or old.blob is None:
        return False
    same_date = old.date is not None and old.date == new.date
    if _slug(old.blob.header) == _slug(new.blob.header):
        return same_date or old.blob.header.get("title") == new.blob.header.get("title")
    return nearby and same_date and _authors(old) == _authors(new)


def _authors(version: Version) -> tuple:
    authors = (version.meta or {}).get("authors")
    if not isinstance(authors, list):
        return ()
    return tuple(sorted(str(a.get("id") or a.get("name")) for a in authors if isinstance(a, dict)))


def _take_match(history: History, keys: list, version: Version, nearby: bool) -> str | None:
    for key in keys:
        if same_work(_last_content(history.items[key]), version, nearby):
            keys.remove(key)
            return key
    return None


def _last_content(life: ItemLife) -> Version | None:
    return next((v for v in reversed(life.versions) if v.blob is not None), None)


def _new_key(history: History, path: str) -> str:
    key, number = path, 1
    while key in history.items:
        number += 1
        key = f"{path}#{number}"
    return key


def _slug(header: dict) -> str | None:
    try:
        return header.get("slug") or derived_slug(header)
    except (KeyError, TypeError):
        return None
