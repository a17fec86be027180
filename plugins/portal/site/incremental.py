"""Incremental builds: render and write only the pages whose inputs changed.

Pelican renders and rewrites every page on every build. `IncrementalWriter` (installed
through Pelican's `get_writer` signal) queues the pages instead, and when the
generators are done (`flush`, on the `finalized` signal) it:

1. drops every page record if the render fingerprint changed (portal code, settings,
   data files, roster, theme templates, library versions: `fingerprint.py`);
2. keeps a page as it is when its file is still the one this writer wrote (same size
   and modification time) and every value it read last time (`tracking.py`) has the
   same digest now;
3. renders the other pages, in parallel processes when there are many, and records what
   each one read;
4. removes the files an earlier build wrote that this build no longer produces.

The output is the same, byte for byte, as a build from scratch: tests/site/
test_incremental.py builds both ways after edits and compares every file.
"""

import errno
import functools
import logging
import os
import pickle
import shutil
import tempfile
import weakref
from collections import ChainMap
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from pelican import generators as pelican_generators
from pelican.contents import Static
from pelican.plugins import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.utils import process_translations as _pelican_process_translations
from pelican.writers import FileOverwriteFailedError, Writer

from portal.files import write_atomically
from portal.site import fragments, tracking
from portal.site.forking import fork_map, release_free_memory
from portal.site.search import BODY_ATTRIBUTE, page_text, text_digest

logger = logging.getLogger(__name__)

STATE_FILE = "portal-build.pickle"
STATE_VERSION = 3  # 3: page records as plain tuples, shared deps apart; text digests
PARALLEL_FROM = 64  # fewer pages than this render in the main process


@dataclass
class BuildState:
    """What the previous build wrote, kept in the cache folder."""

    render: str = ""
    # Output name → (shared deps, own deps, size, mtime_ns): what the page read, as
    # ((path, digest), ...), those it read from its generator's shared context apart (many
    # pages hold the same ones: one tuple for them all, checked once), and the file
    # written. Plain tuples: the records of 15,000 pages load in a tenth of the time a
    # dataclass per page took (0.02 s against 0.27 s).
    pages: dict = field(default_factory=dict)
    # Output name → digest of the page's search text: the texts themselves (30 MB at
    # 10,000 items) are not kept, a shard indexed again reads its pages' files.
    text_digests: dict = field(default_factory=dict)
    files: set = field(default_factory=set)  # every output file, relative to the output
    extra: dict = field(default_factory=dict)  # other modules' state (the search shards)

    @classmethod
    def load(cls, path: Path) -> "BuildState":
        try:
            with open(path, "rb") as handle:
                version, state = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            return cls()
        except Exception:  # a class of an older portal version: start afresh
            return cls()
        return state if version == STATE_VERSION and isinstance(state, cls) else cls()

    def save(self, path: Path) -> None:
        data = pickle.dumps((STATE_VERSION, self), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(path, data, durable=False)


@dataclass
class Job:
    name: str  # relative to the output folder
    path: str
    template: object
    context: ChainMap  # the page's own context (Pelican's localcontext)
    shared: dict  # the generator's context, whose localsiteurl links in content follow


class IncrementalWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.tracker = tracking.Tracker()  # what each page reads as it renders
        self.jobs: dict[str, Job] = {}
        self.feeds: set[str] = set()
        self._output_root: str | None = None  # the output folder, absolute
        self.spool = TextSpool()  # the pages' search texts, until the index is built
        self.spilled = TextSpool()  # the items' HTML while pages render, and to the end
        self.texts: dict[str, tuple] = {}  # spool place of each page rendered in this build

    # --- queueing, with Pelican's rules for writing a file twice ---------------------

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if not name:
            return
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            local = self._local_context(context, name, kwargs, relative_urls)
            self._queue(template, local, context, name, override_output)
            return
        per_page = (
            self.settings["PAGINATED_TEMPLATES"][template_name]
            or self.settings["DEFAULT_PAGINATION"]
        )
        paginators = {
            key: tracking.NavigationPaginator(
                key, name, url, val, self.settings, per_page, self.tracker
            )
            for key, val in paginated.items()
        }
        for number in range(1, next(iter(paginators.values())).num_pages + 1):
            page_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(number)
                page_kwargs.update(
                    {
                        f"{key}_paginator": paginator,
                        f"{key}_page": page,
                        f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                        f"{key}_next_page": (
                            paginator.page(number + 1) if number < paginator.num_pages else None
                        ),
                    }
                )
            local = self._local_context(context, page.save_as, page_kwargs, relative_urls)
            self._queue(template, local, context, page.save_as, override_output)

    @staticmethod
    def _local_context(context, name, kwargs, relative_urls) -> ChainMap:
        """Pelican's per-page context, as this page's few values over the shared context:
        a full copy per queued page would hold the whole context 15,000 times."""
        local = {"localsiteurl": context.get("localsiteurl", None)}
        if relative_urls:
            relative_url = relative_root(name)
            local["SITEURL"] = relative_url
            local["localsiteurl"] = relative_url
        local["output_file"] = name
        local.update(kwargs)
        return ChainMap(local, context)

    def _queue(self, template, local, shared, name, override) -> None:
        path, relative = self._output_file(name)
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', path)
            return
        if path in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it '
                "previously (set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        self.jobs[relative] = Job(relative, path, template, local, shared)

    def _output_file(self, name: str) -> tuple[str, str]:
        """The file `name` is written to, and its name relative to the output folder:
        `sanitised_join` and `os.path.relpath`, without their path work (15,000 pages)
        for a name of plain parts, which neither changes."""
        if not _is_plain(name):
            path = sanitised_join(self.output_path, name)
            return path, os.path.relpath(path, self.output_path).replace(os.sep, "/")
        if self._output_root is None:
            self._output_root = sanitised_join(self.output_path).rstrip("/")
        return f"{self._output_root}/{name}", name

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if path:
            full = sanitised_join(self.output_path, path)
            self.feeds.add(os.path.relpath(full, self.output_path).replace(os.sep, "/"))
        return super().write_feed(elements, context, path, *args, **kwargs)

    # --- rendering what changed ---------------------------------------------------------

    def flush(
        self,
        state: BuildState,
        digester: tracking.Digester,
        contents=(),
        first=frozenset(),
        between=None,
    ) -> dict:
        """Render the pages that changed; returns counts for the log. When the changed
        pages not named in `first` are few enough to render in this process, the others
        render first, then `between()` starts work that goes on in other processes (the
        search index's Pagefind runs) while these render. Otherwise (forked renderers,
        whose memory would add to Pagefind's) all render in one share-out and `between`
        is not called. Pages rendered in forked processes have the HTML of `contents`
        wait in a spool file."""
        stale = [job for job in self.jobs.values() if not self._fresh(job, state, digester)]
        late = [job for job in stale if job.name not in first]
        self.spool.ready()  # its folder made before forking, so every renderer shares it
        shared_paths: dict = {}  # one object per access path, for all the pages
        keep = functools.partial(_kept, shared_paths)
        if between is not None and self._processes(len(late)) == 1:
            early = [job for job in stale if job.name in first]
            results = self._render_and_keep_texts(early, state, contents, keep)
            between()
            results += self._render_and_keep_texts(late, state, contents, keep)
            release_free_memory()  # their garbage, resident beside Pagefind's runs otherwise
            stale = early + late
        else:
            results = self._render_and_keep_texts(stale, state, contents, keep)
        digester.forget_shared()  # rendered here, a page set its shared `localsiteurl`
        self._forget_rendering(stale)
        known: dict = {}  # one object per pair and per tuple of shared pairs
        for job, (paths, complete, size, mtime_ns, *_text) in zip(stale, results, strict=True):
            if not complete:
                continue
            try:
                shared, own = _deps(job.context, paths, digester, known)
            except tracking.Unfingerprintable as error:
                logger.debug("%s is rendered on every build: %s", job.name, error)
                continue
            state.pages[job.name] = (shared, own, size, mtime_ns)
        for name in set(state.pages) - set(self.jobs):
            state.pages.pop(name, None)
        for name in set(state.text_digests) - set(self.jobs):
            state.text_digests.pop(name, None)
        return {"pages": len(self.jobs), "rendered": len(stale)}

    def _render_and_keep_texts(self, jobs: list, state: BuildState, contents, keep) -> list:
        """Render `jobs` (in forked processes when there are many, the HTML of `contents`
        spilled first); their records are dropped until `flush` makes them again, their
        search texts are kept (in the spool)."""
        processes = self._processes(len(jobs))
        if processes > 1:
            spill_contents(contents, self.spilled)
        # The forked renderers inherit the work with its arguments (the tracker too).
        render = functools.partial(
            _render, settings=self.settings, tracker=self.tracker, spool=self.spool
        )
        results = fork_map(render, jobs, processes, keep)
        for job, (*_result, digest, place) in zip(jobs, results, strict=True):
            state.pages.pop(job.name, None)
            state.text_digests[job.name] = digest
            self.texts[job.name] = place
        return results

    def _forget_rendering(self, rendered: list[Job]) -> None:
        """What only rendering needed (the recording lists, the fragments' HTML) goes once
        the pages are written, before the search index is built."""
        self.tracker.forget()
        for environment in {
            id(job.template.environment): job.template.environment for job in rendered
        }.values():
            fragments.forget(environment)

    def forget_texts(self) -> None:
        """Once the search index is built: the texts' files go."""
        self.spool.close()
        self.texts.clear()

    def search_text(self, name: str) -> str:
        """The search text of page `name` (an output name): kept if the page rendered in
        this build; otherwise taken from its file, which `flush` found as it was written
        (same size and mtime), so the text is the one taken when it rendered."""
        place = self.texts.get(name)
        if place is not None:
            return self.spool.get(place)
        job = self.jobs[name]
        try:
            return search_text(Path(job.path).read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError):  # gone or changed since: rendered again
            place = self.texts[name] = _render(job, self.settings, self.tracker, self.spool)[-1]
            return self.spool.get(place)

    def _fresh(self, job: Job, state: BuildState, digester: tracking.Digester) -> bool:
        record = state.pages.get(job.name)
        if record is None:
            return False
        shared, own, size, mtime_ns = record
        try:
            info = os.stat(job.path)
        except OSError:
            return False
        if info.st_size != size or not same_time(info.st_mtime_ns, mtime_ns):
            return False
        try:
            return digester.unchanged(job.context, shared, own)
        except tracking.Unfingerprintable:
            return False

    def _processes(self, count: int) -> int:
        wanted = self.settings.get("PORTAL_BUILD_PROCESSES") or len(os.sched_getaffinity(0))
        return 1 if count < PARALLEL_FROM else max(1, min(int(wanted), 8))


def _deps(context, paths, digester: tracking.Digester, known: dict) -> tuple[tuple, tuple]:
    """What a page read (`paths`, in the order kept: `_render` sorts them), as ((path,
    digest), ...) without the settings: those read from its generator's shared context,
    and its own. Equal pairs and equal tuples of shared
    pairs are one object (`known`), so pages share them in the saved state too."""
    two_maps = isinstance(context, ChainMap) and len(context.maps) == 2
    local = context.maps[0] if two_maps else None  # None: every value is the page's own
    shared, own = [], []
    for path in paths:
        digest = digester.digest_in(context, path)
        if digest != tracking.SETTING:
            pair = known.setdefault((path, digest), (path, digest))
            (own if local is None or path[0] in local else shared).append(pair)
    shared = tuple(shared)
    return known.setdefault(shared, shared), tuple(own)


def _kept(shared_paths: dict, result: tuple) -> tuple:
    """A page's result as the main process keeps it until every page is rendered: its
    access paths one object each for all the pages (a forked renderer's arrive as fresh
    copies, a page's own are made as it renders: 15,000 pages read 280,000 paths)."""
    paths, *rest = result
    return (tuple(shared_paths.setdefault(path, path) for path in paths), *rest)


def _is_plain(name: str) -> bool:
    """A relative name of named parts ("tin-tuc/a/index.html"): no empty, `.` or `..`
    part, no leading `/`, nothing `os.path` would rewrite."""
    framed = f"/{name}/"  # an empty part shows as "//", a leading or trailing "/" too
    return os.sep == "/" and "//" not in framed and "/./" not in framed and "/../" not in framed


def relative_root(name: str) -> str:
    """Pelican's `path_to_url(get_relative_path(name))` (a page's way back to the site's
    root: "../.."), counted from its plain parts."""
    if not _is_plain(name):
        return path_to_url(get_relative_path(name))
    depth = name.count("/")
    return "/".join([os.pardir] * depth) if depth else os.curdir


def _render(job: Job, settings, tracker: tracking.Tracker, spool: "TextSpool") -> tuple:
    """Render one page, write it if its bytes changed; (paths read, complete, size,
    mtime_ns, digest of its search text, the text's place in `spool`); the paths sorted."""
    if job.context["localsiteurl"]:
        job.shared["localsiteurl"] = job.context["localsiteurl"]
    output, recorder = tracker.render(job.template, job.context, settings)
    data = output.encode("utf-8")
    if not _same_bytes(job.path, data):
        write_atomically(job.path, data, durable=False)
        logger.info('Writing "%s"', job.path)
    signals.content_written.send(job.path, context=job.context)
    info = os.stat(job.path)
    text = search_text(output)
    digest, place = text_digest(text), spool.put(text)
    paths = tuple(sorted(recorder.paths, key=repr))  # the order the page's deps are kept in
    return paths, recorder.complete, info.st_size, info.st_mtime_ns, digest, place


class TextSpool:
    """The search texts of the pages rendered in a build, as UTF-8 in temporary files
    rather than in memory (56 MB of str at 10,000 items, held until the index is built).
    Each process appends to its own file (a forked renderer too); a text is read back by
    its place, (file, offset, length), from any process, once the writer is done."""

    def __init__(self):
        self.folder: str | None = None
        self._owner = os.getpid()
        self._appending: dict[int, list] = {}  # process id → [its file's descriptor, size]
        self._reading: dict[str, int] = {}  # file → descriptor
        self._release: weakref.finalize | None = None  # closes them, removes the folder

    def put(self, text: str) -> tuple:
        data = text.encode("utf-8")
        if not data:
            return ("", 0, 0)
        pid = os.getpid()
        file = self._appending.get(pid)
        if file is None:
            file = self._appending[pid] = [self._open(pid), 0]
        offset, written = file[1], 0
        while written < len(data):
            written += os.write(file[0], data[written:])
        file[1] += len(data)
        return (self._file_of(pid), offset, len(data))

    def get(self, place: tuple) -> str:
        path, offset, length = place
        if not length:
            return ""
        descriptor = self._reading.get(path)
        if descriptor is None:
            descriptor = self._reading[path] = os.open(path, os.O_RDONLY)
        data = os.pread(descriptor, length, offset)
        if len(data) != length:  # the file was cut short by someone else
            message = f"{length} bytes expected at {offset}, {len(data)} read"
            raise OSError(errno.EIO, message, path)
        return data.decode("utf-8")

    def close(self) -> None:
        """Forget every text: its files go (also when the spool is collected, or at the
        end of the process that made it; never in a forked renderer's copy)."""
        if self._release is not None and os.getpid() == self._owner:
            self._release()
            self.folder, self._release = None, None

    def ready(self) -> None:
        """Make the spool's folder (in the process that will remove it)."""
        if self.folder is None:
            self.folder = tempfile.mkdtemp(prefix="portal-texts-")
            self._release = weakref.finalize(
                self, _release, self.folder, self._owner, self._appending, self._reading
            )

    def _open(self, pid: int) -> int:
        self.ready()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
        return os.open(self._file_of(pid), flags, 0o600)

    def _file_of(self, pid: int) -> str:
        return os.path.join(self.folder, f"{pid}.txt")


def _release(folder: str, owner: int, appending: dict, reading: dict) -> None:
    if os.getpid() != owner:
        return
    for descriptor in [file[0] for file in appending.values()] + list(reading.values()):
        os.close(descriptor)
    appending.clear()
    reading.clear()
    shutil.rmtree(folder, ignore_errors=True)


def search_text(page_html: str) -> str:
    return page_text(page_html) if BODY_ATTRIBUTE in page_html else ""


def same_time(now: int, recorded: int) -> bool:
    """The mtime recorded, or that mtime cut to whole seconds by an archive that keeps no
    more (a plain `tar -cf` of cache/ and output/ between CI runs): a file edited by hand
    gets a new time, not a cut one."""
    second = 1_000_000_000
    return now == recorded or (now % second == 0 and now // second == recorded // second)


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def remove_stale(output: Path, previous: set, current: set, retention=()) -> list[str]:
    """Delete the files an earlier build wrote that this one did not; then empty folders."""
    removed = []
    for name in sorted(previous - current):
        if name.split("/")[0] in retention:
            continue
        path = output / name
        if path.is_file() or path.is_symlink():
            path.unlink()
            removed.append(name)
    for folder in sorted({(output / name).parent for name in removed}, reverse=True):
        while folder != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed


def existing_files(output: Path) -> set[str]:
    if not output.is_dir():
        return set()
    return {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}


class MembershipList(list):
    """A list whose `in` is a set lookup. Pelican filters each tag's and category's
    items by `article in articles` over the whole site (quadratic: seconds at 10,000
    items); the items are not changed afterwards."""

    def __init__(self, items):
        super().__init__(items)
        self._ids = {id(item) for item in items}

    def __contains__(self, item):
        return id(item) in self._ids


def membership_list(items) -> MembershipList:
    """A `MembershipList` whose `in` runs in C: its class (one per list) takes the
    `__contains__` of a frozenset of the items, which Python calls with the item alone
    (a built-in method is not bound again). Pelican asks each tag's list about every
    item of the site: 500,000 Python calls at 10,000 items and 50 tags. Items that
    cannot be hashed keep the Python `in`."""
    items = list(items)
    try:
        members = frozenset(items)
    except TypeError:
        return MembershipList(items)
    namespace = {"__contains__": members.__contains__, "__module__": __name__}
    return type("MembershipList", (MembershipList,), namespace)(items)


def fast_membership(generator) -> None:
    for mapping in (getattr(generator, "tags", None), getattr(generator, "authors", None)):
        if isinstance(mapping, dict):
            for key, items in mapping.items():
                mapping[key] = membership_list(items)
    for name in ("categories", "authors"):
        pairs = getattr(generator, name, None)
        if isinstance(pairs, list):
            setattr(generator, name, [(key, membership_list(items)) for key, items in pairs])


def process_translations(content_list, translation_id=None):
    """Pelican's `process_translations`, group by group. Pelican's own ends with
    `[x for x in content_list if x not in index]` over lists of the whole site
    (quadratic: 0.6 s at 10,000 items, on every build). Groups of items with the same
    translation id are contiguous once the list is sorted by it, so handing Pelican's
    function one group at a time gives the same originals, translations, order and
    warnings."""
    if not translation_id:
        return _pelican_process_translations(content_list, translation_id)
    key = attrgetter(translation_id) if isinstance(translation_id, str) else None
    try:
        key = key or attrgetter(*translation_id)
        content_list.sort(key=key)
    except (TypeError, AttributeError):  # Pelican's function says what is wrong
        return _pelican_process_translations(content_list, translation_id)
    index, translations = [], []
    for _, group in groupby(content_list, key):
        originals, others = _pelican_process_translations(list(group), translation_id)
        index += originals
        translations += others
    return index, translations


def use_fast_translations() -> None:
    """Pelican's generators call `process_translations` by the name they imported."""
    pelican_generators.process_translations = process_translations


def remember_url_parts(content) -> None:
    """Pelican works out an item's URL parts (relative paths, slugs) on every access to
    its URL; they depend only on the item, so each item keeps them once worked out."""
    if not isinstance(content, Static) and not _is_frozen(content):
        content.__class__ = _frozen_class(type(content))


def freeze_urls(contents) -> None:
    """Once every item is read and translations are sorted out, nothing changes URLs any
    more: each item keeps the URL and file name it has then."""
    for content in contents:
        if _is_frozen(content):
            content._frozen_urls = (content.url, content.save_as)


SPILLED = "_portal_spilled"  # a spilled item's (spool, place of its HTML) in its __dict__


def spill_contents(contents, spool: TextSpool) -> None:
    """Move the items' HTML (`_content`) to `spool`, read back on each use, before the
    pages render in forked processes: 90 MB of str at 10,000 items that the main process
    would hold to its end, and whose pages a renderer would copy as it reads them."""
    for content in contents:
        html = content.__dict__.get("_content")
        if _is_frozen(content) and type(html) is str and html:
            content.__dict__[tracking.HAS_LINKS] = tracking.has_intrasite_links(content)
            content.__dict__[SPILLED] = (spool, spool.put(html))
            del content.__dict__["_content"]


def _content_of(self) -> str:
    try:
        return self.__dict__["_content"]
    except KeyError:
        if SPILLED not in self.__dict__:
            raise AttributeError("_content") from None
    spool, place = self.__dict__[SPILLED]
    return spool.get(place)


def _set_content(self, value) -> None:
    self.__dict__.pop(SPILLED, None)
    self.__dict__.pop(tracking.HAS_LINKS, None)
    self.__dict__["_content"] = value


def _get_content(self, siteurl: str) -> str:
    """Pelican's `get_content`, without its memo for a spilled item (the memo would keep
    the HTML read back: a page reads an item's content once or twice)."""
    if SPILLED in self.__dict__:
        return self._update_content(self._content, siteurl)
    return super(type(self), self).get_content(siteurl)


def _is_frozen(content) -> bool:
    return type(content).__dict__.get("_portal_frozen", False)


@functools.cache  # one subclass per Pelican class, the same in every build
def _frozen_class(cls: type) -> type:
    return type(
        cls.__name__,
        (cls,),
        {
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "_portal_frozen": True,
            "url_format": property(_url_format),
            "get_relative_source_path": _relative_source_path,
            "get_static_links": _static_links,
            "_content": property(_content_of, _set_content),
            "get_content": _get_content,
            "url": property(lambda self: _frozen(self, 0, "url")),
            "save_as": property(lambda self: _frozen(self, 1, "save_as")),
        },
    )


def _url_format(self) -> dict:
    cached = self.__dict__.get("_url_format")
    if cached is None:
        cached = self.__dict__["_url_format"] = type(self).__mro__[1].url_format.fget(self)
    return cached


def _relative_source_path(self, source_path=None):
    """Pelican's, kept for the item's own source (relpath and two abspaths on each call;
    the snapshot keeps it too): the content folder is a setting, the source fixed."""
    pelican_method = type(self).__mro__[1].get_relative_source_path
    if source_path:
        return pelican_method(self, source_path)
    cached = self.__dict__.get("_relative_source_path")
    if cached is None:
        cached = pelican_method(self)
        if cached is not None:
            self.__dict__["_relative_source_path"] = cached
    return cached


def _static_links(self) -> set[str]:
    """Pelican's, kept (a scan of the item's HTML on each call; the snapshot keeps it
    too): the HTML, the item's folder and the link pattern (a setting) do not change."""
    cached = self.__dict__.get("_static_links")
    if cached is None:
        cached = self.__dict__["_static_links"] = tuple(
            sorted(type(self).__mro__[1].get_static_links(self))
        )
    return set(cached)


def _frozen(self, index: int, name: str):
    frozen = self.__dict__.get("_frozen_urls")
    if frozen is not None:
        return frozen[index]
    return getattr(type(self).__mro__[1], name).fget(self)
