"""Full-text search: a Pagefind index of every published item and page, built after
Pelican has written the site.

Pagefind folds tones (`noi vu` finds "Nội vụ") but not đ (`da nang` would not find
"Đà Nẵng"). So Pagefind indexes the page's original text once and, after it, the words
holding đ folded by `portal.vntext.fold` (đ → d, no tones); the search page folds the
query the same way. The folded words are never shown: the search page cuts its excerpt
from the fragment's content, the original text, where the folded words begin
(theme/static/js/search.js).

The text of a page is what the reader sees inside its `data-search-body` element,
minus any `data-search-ignore` part (breadcrumbs, buttons, related items).

The index is split in shards, one per quarter of the items' dates (`2026-q4`), each
built by its own Pagefind run and merged in the browser (`mergeIndex`): a build
re-indexes only the shards whose records changed, and no Pagefind process holds the
whole site in memory. `pagefind/shards.json` lists them, newest first; Pagefind's
script sits once in `pagefind/`, each shard keeps its index and the web worker (which
Pagefind loads from the first shard's folder).
"""

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

from portal.files import write_atomically
from portal.site.forking import release_free_memory
from portal.vntext import fold

OUTPUT_FOLDER = "pagefind"
BODY_ATTRIBUTE = "data-search-body"
IGNORE_ATTRIBUTE = "data-search-ignore"
_SKIPPED_TAGS = {"script", "style", "template", "noscript", "button"}
_VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area"}
# Inline elements sit inside a word's sentence: no space is added around them.
_INLINE_TAGS = {"a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s"}
_INLINE_TAGS |= {"small", "span", "strong", "sub", "sup", "time", "u"}


SHARDS_FILE = "shards.json"
SHARD_FILES = ("fragment", "index", "filter", "pagefind-entry.json")  # the rest is shared
# Pagefind starts its web worker from the first index's folder (its basePath), not from the
# folder of pagefind.js: each shard keeps a copy, so whichever is newest serves it.
WORKER_FILE = "pagefind-worker.js"


@dataclass
class Record:
    url: str  # relative to the site root, no leading slash (Pagefind's results add one)
    title: str
    text: str | None  # None until its shard is indexed: then taken from `page` (start_index)
    meta: dict
    shard: str = "khac"  # the quarter of the item's date: "2026-q4"
    text_digest: str = ""  # `text_digest(text)`, known without the text
    page: str = ""  # the output file the text is taken from


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def shard_of(when) -> str:
    return f"{when.year:04d}-q{(when.month - 1) // 3 + 1}" if when else "khac"


# Folding character by character gives `fold(text)` for text in these ranges (Latin and
# Vietnamese letters, spaces and punctuation): no letter there composes with its neighbour
# or lower-cases by context. Other text goes through `fold` itself.
_LOCAL_FOLD = re.compile(r"[^\u0000-\u036f\u1e00-\u1eff\u2000-\u206f]")
_FOLDED: dict[int, str] = {}


def fast_fold(text: str) -> str:
    """`portal.vntext.fold(text)`, about ten times faster on long Vietnamese text."""
    text = unicodedata.normalize("NFC", text)
    if _LOCAL_FOLD.search(text):
        return fold(text)
    for char in set(text).difference(map(chr, _FOLDED)):
        _FOLDED[ord(char)] = fold(char)
    return text.translate(_FOLDED)


class _PageText(HTMLParser):
    """The visible text inside the search body, block elements separated by spaces."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0  # nesting inside the search body (0: outside)
        self.skip_depth = 0  # nesting inside an ignored or skipped element

    def handle_starttag(self, tag, attrs):
        if tag in _VOID_TAGS:
            self._space()
            return
        names = {name for name, _ in attrs}
        if self.depth:
            self.depth += 1
            if self.skip_depth or IGNORE_ATTRIBUTE in names or tag in _SKIPPED_TAGS:
                self.skip_depth += 1
            self._space(tag)
        elif BODY_ATTRIBUTE in names:
            self.depth = 1

    def handle_endtag(self, tag):
        if tag in _VOID_TAGS or not self.depth:
            return
        self.depth -= 1
        if self.skip_depth:
            self.skip_depth -= 1
        self._space(tag)

    def handle_data(self, data):
        if self.depth and not self.skip_depth:
            self.parts.append(data)

    def _space(self, tag: str = "") -> None:
        if self.depth and not self.skip_depth and tag not in _INLINE_TAGS:
            self.parts.append(" ")

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def page_text(page_html: str) -> str:
    # The search body is inside <main>: header, menu and footer need not be parsed.
    start, end = page_html.find("<main"), page_html.rfind("</main>")
    if start != -1 and end != -1:
        page_html = page_html[start:end]
    text = _plain_page_text(page_html)
    if text is not None:
        return text
    parser = _PageText()
    parser.feed(page_html)
    parser.close()
    return parser.text


# A start or end tag as the theme and the sanitiser write them (attribute values quoted
# or bare, `>` allowed inside quotes), and the attribute names inside a start tag. The
# quantifiers are possessive: a quote or `>` ends each run, so giving back characters
# never finds another match, and the scan costs two thirds of the backtracking one.
_TAG = re.compile(r"<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>")
_ATTRIBUTE_NAME = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?""")
_RAW_TEXT_TAGS = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "plaintext"}


def _plain_page_text(page_html: str) -> str | None:
    """What `_PageText` finds, for well-formed HTML, in a fraction of the time (HTMLParser
    is pure Python; item pages are parsed once each at render time). None when the HTML
    holds anything else than tags and text (a comment, a declaration, a stray `<`, an
    element whose content is not HTML): `_PageText` then reads it."""
    parts: list[str] = []
    depth = skip_depth = 0  # as in _PageText
    pieces = _TAG.split(page_html)  # text, then each tag's 3 groups and the text after it
    for index in range(0, len(pieces) - 1, 4):
        data = pieces[index]
        if data:
            if "<" in data:
                return None
            if depth and not skip_depth:
                parts.append(html.unescape(data) if "&" in data else data)
        closing, tag, attributes = pieces[index + 1], pieces[index + 2].lower(), pieces[index + 3]
        if tag in _RAW_TEXT_TAGS:
            return None
        if not closing:
            if tag in _VOID_TAGS:
                if depth and not skip_depth:
                    parts.append(" ")
                continue
            if depth:
                depth += 1
                if (
                    skip_depth
                    or tag in _SKIPPED_TAGS
                    or _has_attribute(attributes, IGNORE_ATTRIBUTE)
                ):
                    skip_depth += 1
                elif tag not in _INLINE_TAGS:
                    parts.append(" ")
            elif _has_attribute(attributes, BODY_ATTRIBUTE):
                depth = 1
            if not attributes.endswith("/"):
                continue
            # `<tag/>`: HTMLParser calls its end too, below
        if tag not in _VOID_TAGS and depth:
            depth -= 1
            if skip_depth:
                skip_depth -= 1
            if depth and not skip_depth and tag not in _INLINE_TAGS:
                parts.append(" ")
    rest = pieces[-1]
    if "<" in rest:
        return None
    if depth and not skip_depth and rest:
        parts.append(html.unescape(rest))
    return " ".join("".join(parts).split())


def _has_attribute(attributes: str, name: str) -> bool:
    """Whether a start tag's attribute text names `name` (not merely holds it in a value)."""
    if name not in attributes.lower():
        return False
    return name in {found.lower() for found in _ATTRIBUTE_NAME.findall(attributes)}


# Leads the folded words at the end of what Pagefind indexes: the search page cuts the
# fragment's content there (it is the last thing indexed, so a ⁂ in the text is harmless).
HIDDEN_MARK = "\u2042"
# The shape of `record_html`'s output, in each shard's digest: "2", the original text
# once (before: the text folded, the original as metadata, which search.js no longer reads).
RECORD_FORMAT = "2"


def d_words(*texts: str) -> str:
    """The words of `texts` that hold đ or Đ, folded, as often as they occur: Pagefind
    folds tones itself but not đ, so these let `da nang` find "Đà Nẵng" (and rank it as
    the folded text did: Pagefind counts a word's occurrences in the body, not in
    metadata). Words as spaces part them, punctuation kept ("27/qd-snv,"): Pagefind
    splits them further, as it did the folded text."""
    return fast_fold(" ".join(w for t in texts for w in t.split() if "đ" in w or "Đ" in w))


def record_html(record: Record) -> str:
    """What Pagefind indexes: the original title, number and text, once (Pagefind folds
    their tones; the search page cuts its excerpt from the fragment's content), then,
    after `HIDDEN_MARK`, the words holding đ folded (a number such as 27/QĐ-SNV whole),
    which the search page never shows."""
    number = record.meta.get("number")  # a legal document is looked up by its number first
    hidden = d_words(record.title, number or "", record.text)
    meta = {"title": record.title, **record.meta}
    shown = "".join(
        f'<p data-pagefind-meta="{name}">{html.escape(str(value))}</p>'
        for name, value in meta.items()
        if value
    )
    weighted = f'<p data-pagefind-weight="10">{html.escape(number)}</p>' if number else ""
    return (
        '<html lang="vi"><body><main data-pagefind-body>'
        f"<h1>{html.escape(record.title)}</h1>{weighted}"
        f"<p>{html.escape(record.text)}</p><p>{HIDDEN_MARK} {html.escape(hidden)}</p>"
        f"<div data-pagefind-ignore>{shown}</div>"
        "</main></body></html>"
    )


def file_of(url: str) -> str:
    """The file a URL is served from: `tin-tuc/x/` → `tin-tuc/x/index.html`."""
    return url + "index.html" if url.endswith("/") or not url else url


def start_index(records: list[Record], output: Path, state: dict, text_of=None) -> "PendingIndex":
    """Bring output/pagefind/ up to date with `records`: rebuild the shards whose records
    changed, drop the shards that are gone. `state` keeps each shard's digest between
    builds. A record may come without its text (`text` None, its digest known):
    `text_of(page)` gives it, asked only for the records of the shards rebuilt.

    In two steps, so that the caller can work while Pagefind does: this starts the
    shards' Pagefind runs and leaves them going when there are no more of them than cores
    (a one-item rebuild's one shard), or else runs them all at once; the `PendingIndex`
    returned waits for them and gives the page count and the index's files (relative to
    `output`)."""
    target = Path(output) / OUTPUT_FOLDER
    shards: dict[str, dict[str, Record]] = {}
    for record in records:
        shards.setdefault(record.shard, {})[file_of(record.url)] = record
    names = sorted(shards, reverse=True)
    digests = {name: _shard_digest(shards[name]) for name in names}
    known = state.setdefault("search", {})
    stale = [
        name
        for name in names
        if known.get(name) != digests[name] or not _shard_complete(target / name)
    ]
    if names and stale == [] and not (target / "pagefind.js").is_file():
        stale = names[:1]  # the shared script is missing: one shard run brings it back
    for name in set(known) - set(names):
        shutil.rmtree(target / name, ignore_errors=True)
    release_free_memory()  # rendering's garbage, resident beside Pagefind's runs otherwise
    cores = len(os.sched_getaffinity(0))
    if len(stale) > cores:
        _build_shards([(name, shards[name]) for name in stale], target, text_of)
        runs = []
    else:
        shards_read = [(_with_texts(shards[name], text_of), target, name) for name in stale]
        runs = _started_runs(shards_read)
    count = len(records)  # the records themselves go (their memory beside Pagefind's runs)

    def finish() -> tuple[int, set[str]]:
        try:
            for run in runs:
                run.finish()
        finally:
            stop()
        _write_if_changed(target / SHARDS_FILE, json.dumps({"shards": names}) + "\n")
        state["search"] = digests
        listed = state.setdefault("search_files", {})
        return count, _index_files(output, target, names, stale, listed)

    def stop() -> None:
        for run in runs:
            run.close()

    return PendingIndex(finish, stop)


@dataclass
class PendingIndex:
    """An index whose Pagefind runs may still go on: `finish()` waits for them and gives
    the page count and the index's files; `stop()` (when the build stops before) ends
    runs still going and removes their folders, and does nothing after `finish()`."""

    finish: Callable[[], tuple[int, set[str]]]
    stop: Callable[[], None]


def _build_shards(stale: list[tuple[str, dict]], target: Path, text_of) -> None:
    """A Pagefind run for each (name, records) of `stale`, as many at once as there are
    cores. Their texts are read in this thread, one shard ahead of the runs: only the
    texts of the shards being indexed are in memory, not the whole site's."""
    workers = min(len(stale), len(os.sched_getaffinity(0))) or 1
    with ThreadPoolExecutor(workers) as pool:
        running: deque = deque()
        for name, records in stale:
            while len(running) > workers:
                running.popleft().result()
            running.append(pool.submit(_build_shard, _with_texts(records, text_of), target, name))
        for run in running:
            run.result()


def _with_texts(records: dict[str, Record], text_of) -> dict[str, Record]:
    """The records, those without their text given it (`text_of(page)`)."""
    return {
        name: record if record.text is not None else replace(record, text=text_of(record.page))
        for name, record in records.items()
    }


def _shard_complete(folder: Path) -> bool:
    """A shard written by this version: its entry file and its copy of the worker."""
    return (folder / SHARD_FILES[-1]).is_file() and (folder / WORKER_FILE).is_file()


def _shard_digest(records: dict[str, Record]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(RECORD_FORMAT.encode() + b"\1")  # a shard in an older shape is rebuilt
    for name in sorted(records):
        record = records[name]
        text = record.text_digest or text_digest(record.text)  # the text itself may be unread
        fields = [name, record.url, record.title, text, json.dumps(record.meta)]
        hasher.update("\0".join(fields).encode("utf-8", "surrogatepass") + b"\1")
    return hasher.hexdigest()


def _build_shard(records: dict[str, Record], target: Path, name: str) -> None:
    """One Pagefind run over the shard's records, each written as a small HTML file at
    its URL (Pagefind reads a folder at thousands of pages a second). The binary is run
    directly: its Python service answers one call at a time and is twice as slow."""
    run = _start_shard(records, target, name)
    try:
        run.finish()
    finally:
        run.close()


def _start_shard(records: dict[str, Record], target: Path, name: str) -> "_ShardRun":
    return _ShardRun(records, target, name)


def _started_runs(shards: list[tuple]) -> list["_ShardRun"]:
    runs: list[_ShardRun] = []
    try:
        for records, target, name in shards:
            runs.append(_start_shard(records, target, name))
    except BaseException:
        for run in runs:
            run.close()
        raise
    return runs


class _ShardRun:
    """A shard's Pagefind run, started when made: `finish()` waits for it and moves the
    shard in; `close()` stops it if it still runs and removes its folder."""

    def __init__(self, records: dict[str, Record], target: Path, name: str):
        from pagefind.service import get_executable  # the binary is only needed to build

        self.target, self.name = target, name
        executable = get_executable()
        if executable is None:
            raise FileNotFoundError("pagefind_bin")
        self.scratch = tempfile.TemporaryDirectory(prefix="portal-search-", dir=_memory_folder())
        self.folder = tempfile.TemporaryDirectory(prefix="portal-search-")
        self.process: subprocess.Popen | None = None
        try:
            folder = Path(self.folder.name)
            site, self.bundle = Path(self.scratch.name) / "site", folder / "bundle"
            for relative in sorted(records):
                # Pagefind's input, in a temporary folder no one else reads and that goes
                # away with the run: a plain write is safe (and thousands are written).
                # Pagefind numbers pages in the order it lists the folder, on tmpfs the
                # order of creation: sorted, so the same records give the same index bytes.
                path = site / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(record_html(records[relative]), encoding="utf-8")
            self.command = [str(executable), "--site", str(site), "--output-path"]
            self.command += [str(self.bundle), "--force-language", "vi", "--silent"]
            # Its output goes to a file, not a pipe: nobody reads a pipe while it runs.
            self.log = open(folder / "pagefind.log", "w+b")  # noqa: SIM115 (closed in close)
            self.process = subprocess.Popen(self.command, stdout=self.log, stderr=self.log)
        except BaseException:
            self.close()
            raise

    def finish(self) -> None:
        if self.process.wait(timeout=600):
            self.log.seek(0)
            output = self.log.read()
            raise subprocess.CalledProcessError(self.process.returncode, self.command, output)
        target, name, bundle = self.target, self.name, self.bundle
        target.mkdir(parents=True, exist_ok=True)
        # The shard's own files move in as one folder (renamed over the old one); the
        # shared ones (pagefind.js, its styles) are each replaced atomically.
        for shared in bundle.iterdir():
            if not _belongs_to_shard(shared.name):
                _copy_if_changed(shared, target / shared.name)
                shared.unlink()
        old = target / f".{name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if (target / name).exists():
            os.replace(target / name, old)
        shutil.move(str(bundle), target / name)
        shutil.rmtree(old, ignore_errors=True)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if getattr(self, "log", None) is not None:
            self.log.close()
        self.scratch.cleanup()
        self.folder.cleanup()


# A folder in memory (tmpfs) for Pagefind's input: its thousands of small files, made and
# deleted in every cold build, cost a disk file system several times the CPU (and on a
# disk mounted with `discard`, seconds of waiting). Pagefind's output stays on the
# temporary folder's file system, to be renamed into the site's.
_MEMORY_FOLDER = Path("/dev/shm")


_MEMORY_FOLDER_FREE = 256 * 1024 * 1024  # a shard's input is a few MB; a small tmpfs is left alone


def _memory_folder() -> str | None:
    """/dev/shm when it can take the input, else None (the system's temporary folder)."""
    try:
        usable = os.access(_MEMORY_FOLDER, os.W_OK | os.X_OK) and _MEMORY_FOLDER.is_dir()
        space = os.statvfs(_MEMORY_FOLDER)
    except OSError:
        return None
    free = space.f_bavail * space.f_frsize
    return str(_MEMORY_FOLDER) if usable and free >= _MEMORY_FOLDER_FREE else None


def _belongs_to_shard(name: str) -> bool:
    return (
        name in SHARD_FILES
        or name == WORKER_FILE
        or name.endswith(".pf_meta")
        or name.startswith("wasm.")
    )


def _copy_if_changed(source: Path, target: Path) -> None:
    _write_if_changed(target, source.read_bytes())


def _write_if_changed(path: Path, data: bytes | str) -> None:
    """A file of the output, rewritten (atomically: a reader of the site never sees half
    of it) only when its bytes change."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    if not path.is_file() or path.read_bytes() != data:
        write_atomically(path, data, durable=False)


def _index_files(
    output: Path, target: Path, names: list[str], rebuilt: list[str], listed: dict
) -> set[str]:
    """The index's files, relative to `output`. A shard's folder is listed when it is
    rebuilt (or not listed yet); `listed` keeps each shard's files between builds, as
    an unchanged shard's folder is not touched."""
    files = {p for p in target.iterdir() if p.is_file() and not p.name.startswith(".")}
    found = {p.relative_to(output).as_posix() for p in files}
    for name in set(listed) - set(names):
        del listed[name]
    for name in names:
        if name in rebuilt or name not in listed:
            shard = (target / name).rglob("*")
            listed[name] = sorted(p.relative_to(output).as_posix() for p in shard if p.is_file())
        found.update(listed[name])
    return found
