"""Pelican adapter: reads items through the content schema, exposes the data files
and Vietnamese filters to templates, and fails the build on any invalid item.

An invalid item is never published: the reader keeps it out of the output and,
once every file is read and before any page is written, the build prints every
problem (`path:line: field: message`, as `portal check` does) and exits 1.
Pelican's own error path would print a traceback, so it is not used. Set
`PORTAL_STRICT = False` (the devserver does) to skip invalid items and go on.

The HTML of every item passes the sanitiser (`sanitize.py`); once the site is written,
`finalized` adds the search index (`search.py`), sitemap.xml and robots.txt.

Builds are incremental (docs/performance.md): what the reader makes of an item is kept
by content hash (`readcache.py`), Pelican's object of an unchanged item is restored from
its snapshot (`snapshot.py`), pages are rendered only when something they read changed
(`incremental.py`), and files no longer produced are removed.

What one build learns on its way (the data files, the problems found, the reader's
cache, the published items, the writer) is kept by one `Build` object, which the
signal handlers find in Pelican's settings and which starts afresh with each build.
"""

import errno
import functools
import gc
import hashlib
import html
import logging
import os
import signal
import subprocess
import sys
import time
import weakref
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import FileSystemBytecodeCache
from markdown import Markdown
from pelican import signals
from pelican.cache import FileStampDataCacher
from pelican.contents import Page
from pelican.readers import MarkdownReader, find_empty_alt

from portal.checks import ITEM_RULES
from portal.content import sitedata, tree
from portal.content.check import duplicate_slugs
from portal.content.items import Item, load_item
from portal.dates import VIETNAM, parse_date, vietnamese_date, week_code, week_days
from portal.errors import PortalError, Problem, write_failure
from portal.project import CACHE
from portal.site import (
    feeds,
    fingerprint,
    incremental,
    markdown_engine,
    preflight,
    readcache,
    sanitize,
    search,
    site_files,
    snapshot,
    templatecache,
)
from portal.site.forking import release_free_memory
from portal.site.fragments import FragmentCache
from portal.site.tracking import Digester, TrackingContext
from portal.vntext import fold

logger = logging.getLogger(__name__)

KIND_TEMPLATES = {
    "legal": "legal",
    "consultation": "consultation",
    "event": "article",
    "answer": "article",
    "press": "article",
}
# Front-matter fields that Pelican itself interprets; all others pass through as they are.
_PELICAN_FIELDS = ("title", "slug", "status", "lang", "summary")

BUILD_SETTING = "PORTAL_BUILD"  # the key of the Build in Pelican's settings
_LOADED = time.perf_counter()  # when the plugin was imported: the first phase starts here


class Build:
    """One build's state, carried from signal handler to signal handler (as Pelican's
    generators keep theirs on themselves).

    One object per Pelican instance, kept in its settings (`PORTAL_BUILD`), which every
    handler is given: the reader, the generators, the writer and Pelican itself. It is
    reset when each build starts (`get_generators`, sent by every run), so the
    devserver, which rebuilds in one process, starts each build afresh. The forked
    renderers inherit it with the rest of the parent's memory.
    """

    def __init__(self):
        self.clock = _LOADED
        self.reset(None)

    def __repr__(self) -> str:
        # The settings' fingerprint (fingerprint.settings_digest) reads their repr: the
        # build, kept among them, must not change it from one build to the next.
        return "<portal build>"

    def reset(self, output) -> None:
        self.output = output  # the output folder, named when Pelican's own copying fails
        self.sites: dict[Path, sitedata.SiteData] = {}  # content folder → its data files
        self.problems: list[Problem] = []  # errors found while reading
        self.published: list = []  # articles and pages, for the site files
        self.source_keys: dict = {}  # source path → digest of its bytes and the reading
        self.read_cache: readcache.ReadCache | None = None
        self.source_digests: readcache.Digests | None = None
        self.snapshots: snapshot.Snapshots | None = None
        self.compiled_templates: FileSystemBytecodeCache | None = None
        self.snapshot_names: dict = {}  # id of a generators' context → its snapshot.Refs
        self.snapshot_checks: dict = {}  # a generator's context signal → snapshots apply
        self.url_wrappers: dict = {}  # (kind, name) → Pelican's Category, Tag or Author
        self.prefetched = False
        self.writer = None  # the writer of this build, once Pelican made it
        self.static_saves: list[str] = []  # files Pelican's static generator copies
        self.scanned: tree.Tree | None = None  # the content folder, walked once

    @classmethod
    def of(cls, settings) -> "Build":
        """The build of these settings (made on first use)."""
        build = settings.get(BUILD_SETTING)
        if not isinstance(build, cls):
            build = settings[BUILD_SETTING] = cls()
        return build

    def site_data(self, settings) -> sitedata.SiteData:
        """The data files of the content folder, read once per build."""
        root = Path(settings["PATH"]).resolve()
        if root not in self.sites:
            site = sitedata.load(root)
            self.report(site.problems)
            self.sites[root] = site
        return self.sites[root]

    def content_tree(self, settings) -> tree.Tree:
        """The content folder's items and refused files, walked once per build: by the
        checks before reading, then by the parallel reading."""
        if self.scanned is None:
            self.scanned = tree.scan(settings["PATH"])
        return self.scanned

    def report(self, problems) -> None:
        """Warnings go to Pelican's log; errors are kept for the end of reading."""
        for problem in problems:
            if problem.is_error:
                self.problems.append(problem)
            else:
                logger.warning("%s", problem)

    def cache(self, settings) -> readcache.ReadCache:
        """The reader's cache for this build (in CACHE_PATH), opened once."""
        if self.read_cache is None:
            path = Path(settings.get("CACHE_PATH", CACHE)) / readcache.CACHE_FILE
            self.read_cache = readcache.ReadCache(path, fingerprint.of_reading(settings))
        return self.read_cache

    def digests(self, settings) -> readcache.Digests:
        """The digests of the sources' bytes (in CACHE_PATH), opened once."""
        if self.source_digests is None:
            path = Path(settings.get("CACHE_PATH", CACHE)) / readcache.DIGESTS_FILE
            self.source_digests = readcache.Digests(path)
        return self.source_digests

    def template_cache(self, settings) -> FileSystemBytecodeCache:
        """The compiled templates (in CACHE_PATH), opened once."""
        if self.compiled_templates is None:
            path = Path(settings.get("CACHE_PATH", CACHE))
            self.compiled_templates = templatecache.opened(path, self.cache(settings).fingerprint)
        return self.compiled_templates

    def kept_items(self, settings) -> snapshot.Snapshots:
        """The snapshots of Pelican's items (in CACHE_PATH), opened once."""
        if self.snapshots is None:
            path = Path(settings.get("CACHE_PATH", CACHE)) / snapshot.SNAPSHOT_FILE
            self.snapshots = snapshot.Snapshots(path, self.cache(settings).fingerprint)
        return self.snapshots

    def snapshots_apply(self, readers, context_signal) -> bool:
        """Snapshots stand for the portal's items only, and only while no other plugin
        hears of an item being made (its receiver could change the object in ways a
        snapshot does not replay). Asked once per build and signal."""
        known = self.snapshot_checks.get(context_signal)
        if known is None:
            made = signals.content_object_init.receivers.values()
            known = self.snapshot_checks[context_signal] = (
                isinstance(readers.readers.get("md"), PortalReader)
                and not (context_signal is not None and context_signal.receivers)
                and all(_receiver(r) is incremental.remember_url_parts for r in made)
            )
        return known

    def snapshot_refs(self, readers, context) -> snapshot.Refs:
        """The build's objects that snapshots name, for the generators' shared context."""
        refs = self.snapshot_names.get(id(context))
        if refs is None or refs.context is not context:
            reader = readers.readers["md"]
            refs = snapshot.Refs(readers.settings, context, self.url_wrappers, reader._shared)
            self.snapshot_names[id(context)] = refs
        return refs

    def save_reading(self) -> None:
        """What reading learnt, kept for the next build (also when this one stops)."""
        for kept in (self.read_cache, self.source_digests, self.snapshots):
            if kept is not None:
                kept.save()

    def forget_reading(self) -> None:
        """Once reading is saved, drop what only reading needs from memory: the
        snapshots' pickled items (about 50 MB at 10,000 items, a second copy of their HTML
        as bytes) and the reader's entries (their plain metadata). Only the reading
        fingerprint is asked for afterwards (by the render fingerprint)."""
        if self.read_cache is not None:
            self.read_cache = readcache.ReadCache(self.read_cache.path, self.read_cache.fingerprint)
        self.snapshots = None

    def phase(self, name: str) -> None:
        """Time spent since the previous phase, in Pelican's debug log (`pelican -D`) or
        on stderr when PORTAL_TIMINGS is set (the benchmark's breakdown)."""
        now = time.perf_counter()
        elapsed, self.clock = now - self.clock, now
        if os.environ.get("PORTAL_TIMINGS"):
            print(f"  {name}: {elapsed:.2f} s", file=sys.stderr)
        logger.debug("%s: %.2f s", name, elapsed)


def stops_cleanly(handler):
    """A signal handler whose environment faults (a full disk, an unwritable folder) end
    the build with the Vietnamese message and exit 1, not a traceback. Every file is
    written atomically, so what was written before is whole."""

    @functools.wraps(handler)
    def run(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except PortalError as error:
            _stop(str(error))
        except OSError as error:
            _stop(write_failure(error.filename or "?", error))

    return run


def _stop(message: str) -> None:
    print(f"Lỗi: {message}\nKhông dựng xong Cổng.", file=sys.stderr)
    raise SystemExit(1)


class _PelicanFaults(logging.Filter):
    """Pelican's own copying (static files, theme) logs an OSError with its traceback
    before exiting 1: say it in Vietnamese, without the traceback."""

    def __init__(self, build: Build):
        super().__init__()
        self.build = build

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, (OSError, PortalError)):
            record.msg, record.args, record.exc_info = "%s", (self.text(error),), None
        return True

    def text(self, error) -> str:
        if isinstance(error, OSError):
            where = error.filename or self.build.output or "output"
            return write_failure(where, error) + "\nKhông dựng xong Cổng."
        return f"{error}\nKhông dựng xong Cổng."


class PortalReader(MarkdownReader):
    """Markdown with YAML front matter, validated by the portal's content schema."""

    file_extensions = ["md"]

    def read(self, source_path):
        build = Build.of(self.settings)
        raw = build.digests(self.settings).of(source_path)
        cache = build.cache(self.settings)
        entry = cache.get(source_path, raw)
        if entry is None:
            data = Path(source_path).read_bytes()
            raw = readcache.raw_digest(data)  # the bytes read now, had they changed since
            item = load_item(
                Path(source_path), build.site_data(self.settings), raw=data, rules=ITEM_RULES
            )
            if not item.ok:  # reported by finish_reading, also when read from the cache
                return "", self.unpublishable(item)
            entry = self.entry_for(item, raw)
            cache.put(source_path, entry)
        build.source_keys[source_path] = fingerprint.digest(raw, cache.fingerprint)
        build.report(entry.problems)
        return entry.content, self.pelican_metadata(entry.metadata)

    def entry_for(self, item: Item, raw: str) -> readcache.Entry:
        """The HTML and plain metadata of a valid item, with its warnings."""
        embeds = self.settings.get("PORTAL_EMBEDS", sanitize.DEFAULT_EMBEDS)
        problems = list(item.problems)
        problems += sanitize.unsafe_markup(item.body, item.body_line, item.shown, embeds)
        content = sanitize.clean(markdown_engine.to_html(item.body, self.markdown), embeds)
        return readcache.Entry(raw, content, self.metadata_for(item), problems)

    _converter: Markdown | None = None

    def markdown(self) -> Markdown:
        """The reader's Markdown converter, reset for each item. Making one, with its
        extensions, cost as much as converting an item (0.4 ms); `reset()` clears every
        extension's state (footnotes, abbreviations, the table of contents)."""
        if self._converter is None:
            self._converter = Markdown(**self.settings["MARKDOWN"])
        else:
            self._converter.reset()
        return self._converter

    def pelican_metadata(self, metadata: dict) -> dict:
        """Pelican's objects for the section, tags and authors, one object per name for
        the build (each works out its slug once, not once per item)."""
        metadata = dict(metadata)
        if "category" in metadata:
            metadata["category"] = self._shared("category", metadata["category"])
        for name in ("tags", "authors"):
            if name in metadata:
                metadata[name] = [self._shared(name, value) for value in metadata[name]]
        return metadata

    def _shared(self, kind: str, name: str):
        key, wrappers = (kind, name), Build.of(self.settings).url_wrappers
        if key not in wrappers:
            made = self.process_metadata(kind, name if kind == "category" else [name])
            wrappers[key] = made if kind == "category" else made[0]
        return wrappers[key]

    def unpublishable(self, item: Item) -> dict:
        """Metadata that keeps an invalid item out of every page and listing."""
        digest = hashlib.sha1(item.shown.encode("utf-8")).hexdigest()[:12]
        return {
            "title": item.shown,
            "slug": f"invalid-{digest}",
            "status": "draft",
            "date": datetime.now(VIETNAM),
            "source_file": item.shown,
            "invalid": True,
        }

    def metadata_for(self, item: Item) -> dict:
        meta = dict(item.meta)
        metadata = {key: meta[key] for key in meta if key not in _PELICAN_FIELDS}
        metadata.update(
            title=meta["title"],
            slug=item.slug,
            status=meta["status"],
            lang=meta.get("lang", self.settings["DEFAULT_LANG"]),
            date=item.dates["date"],
            category=meta["section"],
            section=meta["section"],
            source_file=item.shown,
        )
        if "modified" in item.dates:
            metadata["modified"] = item.dates["modified"]
        if "summary" in meta:
            # Pelican's summary is HTML (feeds carry it as such): the escaped text. Templates
            # print the plain text, which autoescaping escapes once.
            metadata["summary"] = html.escape(meta["summary"])
            metadata["summary_text"] = meta["summary"]
        if meta.get("tags"):
            metadata["tags"] = meta["tags"]
        if meta.get("authors"):
            metadata["authors"] = [author["name"] for author in meta["authors"]]
            metadata["author_records"] = meta["authors"]
        for name, value in item.dates.items():
            metadata[f"{name}_parsed"] = value
        if meta["kind"] in KIND_TEMPLATES:
            metadata["template"] = KIND_TEMPLATES[meta["kind"]]
        if meta["kind"] == "page" and item.slug == meta["section"]:
            # A section's own page is its landing page: /danh-ba/ rather than /danh-ba/danh-ba/.
            metadata["url"] = f"{item.slug}/"
            metadata["save_as"] = f"{item.slug}/index.html"
        return metadata


def add_reader(readers) -> None:
    """The portal's reader is the only item reader: any other would publish unchecked
    files (`.markdown`, `.html`, `.rst`). "static" is Pelican's copier of images and files."""
    for extension in list(readers.reader_classes):
        if extension != "static":
            del readers.reader_classes[extension]
    readers.reader_classes["md"] = PortalReader
    readers.read_file = functools.partial(read_file_kept, readers, readers.read_file)
    build = Build.of(readers.settings)
    if not build.prefetched:
        build.prefetched = True
        prefetch(readers.settings)
        # What reading and queueing make in this process lives to the end of the build and
        # holds no garbage cycles: the collector's passes over it (0.4 s of CPU at 10,000
        # items) would find nothing. On again once the pages are queued
        # (`write_site_files`); the forked readers above ran with it on.
        gc.disable()


def read_file_kept(readers, read_file, base_path, path, content_class=Page, fmt=None, **hooks):
    """Pelican's `Readers.read_file`, which gives an unchanged item's object from its
    snapshot (`snapshot.py`) and keeps a snapshot of each valid item it makes. `hooks`:
    read_file's context and its signals with their senders."""
    arguments = dict(base_path=base_path, path=path, content_class=content_class, fmt=fmt)
    arguments.update(hooks)
    context = hooks.get("context")
    preread_signal = hooks.get("preread_signal")
    source = os.path.abspath(os.path.join(base_path, path))
    build = Build.of(readers.settings)
    if (fmt or source.rpartition(".")[2]) != "md" or not build.snapshots_apply(
        readers, hooks.get("context_signal")
    ):
        return read_file(**arguments)
    refs = build.snapshot_refs(readers, context)
    content = _restored(build, readers.settings, source, content_class, refs)
    if content is None:
        content = read_file(**arguments)
        _keep(build, readers.settings, source, content_class, content, refs)
        return content
    # What `read_file` does besides making the object (no receiver changes it).
    if preread_signal is not None and preread_signal.receivers:
        preread_signal.send(hooks.get("preread_sender"))
    if "<img" in content._content:  # what find_empty_alt looks for
        find_empty_alt(content._content, source)
    if signals.content_object_init.receivers:  # only this one (Build.snapshots_apply)
        incremental.remember_url_parts(content)
    return content


def _restored(build: Build, settings, source: str, content_class, refs):
    """The item made from its snapshot, with what the reader does for a cached item:
    its key for the pages that read it, its warnings."""
    raw = build.digests(settings).of(source)
    restored = build.kept_items(settings).restore(source, raw, content_class, refs)
    if restored is None:
        return None
    content, kept = restored
    build.cache(settings).keep(source)  # the reader's entry, should the snapshot go
    build.source_keys[source] = kept.key
    build.report(kept.problems)
    return content


def _keep(build: Build, settings, source: str, content_class, content, refs) -> None:
    """A snapshot of a valid item of the expected class, made from the bytes the build
    knows (not changed in between)."""
    raw, cache = build.digests(settings).of(source), build.cache(settings)
    key = fingerprint.digest(raw, cache.fingerprint)
    if (
        content_class not in type(content).__mro__[:2]
        or getattr(content, "invalid", False)
        or build.source_keys.get(source) != key
    ):
        return
    entry = cache.get(source, raw)
    build.kept_items(settings).take(source, raw, key, content_class, content, refs, entry.problems)


def _receiver(reference):
    return reference() if isinstance(reference, weakref.ref) else reference


def prefetch(settings) -> None:
    """Read the items that are not in the cache in parallel processes, before Pelican
    reads them one by one (and then finds them in the cache)."""
    build = Build.of(settings)
    sources = [str(path) for path in build.content_tree(settings).items]
    reader = PortalReader(settings)
    site = build.site_data(settings)

    def make_entry(source: str, data: bytes):
        item = load_item(Path(source), site, raw=data, rules=ITEM_RULES)
        return reader.entry_for(item, readcache.raw_digest(data)) if item.ok else None

    readcache.read_missing(
        build.cache(settings),
        sources,
        make_entry,
        _processes(settings),
        build.digests(settings),
        build.kept_items(settings).has,
    )


def _processes(settings) -> int:
    wanted = settings.get("PORTAL_BUILD_PROCESSES") or len(os.sched_getaffinity(0))
    return max(1, min(int(wanted), 8))


def add_context(generator) -> None:
    """Data files and Vietnamese filters for every template."""
    site = Build.of(generator.settings).site_data(generator.settings)
    sections = sorted(site.sections.values(), key=lambda s: (s.get("order", 99), s["code"]))
    generator.context.update(
        SECTIONS=sections,
        SECTIONS_BY_CODE=site.sections,
        UNITS=site.units,
        LEADERS=site.leaders,
        DIRECTORY=site.directory,
        SERVICES=site.services,
        SCHEDULES=order_schedules(site.schedules, datetime.now(VIETNAM).date()),
        SOFTWARE=site.software,
        LINKS=site.links,
        CONTENT_SECURITY_POLICY=content_security_policy(generator.settings),
        PORTAL_PAGE_DATA=generator.settings.get("PORTAL_PAGE_DATA", {}),
        PORTAL_QUESTION_ENDPOINT=generator.settings.get("PORTAL_QUESTION_ENDPOINT"),
    )
    # Contributors' text is data: escaped wherever a template prints it, whatever the
    # settings say (only the sanitised body is marked safe, in the templates).
    generator.env.autoescape = True
    generator.env.filters.update(
        vn_date=vietnamese_date, vn_day=_short_date, fold=fold, http_url=sanitize.http_url
    )
    generator.env.context_class = TrackingContext  # records what each page reads
    # Templates do not change during a build (each build makes a new environment): no
    # stat of every template a page includes, about ten a page.
    generator.env.auto_reload = False
    generator.env.add_extension(FragmentCache)  # `{% fragment %}`: parts rendered once
    generator.env.bytecode_cache = Build.of(generator.settings).template_cache(generator.settings)
    if generator.__class__.__name__ == "PagesGenerator":
        build = Build.of(generator.settings)
        build.report(missing_data_templates(generator.settings, generator.env.list_templates()))
        build.report(question_endpoint_problems(generator.settings))


def skip_unused_file_stamps(generator) -> None:
    """With Pelican's content cache off (`CACHE_CONTENT = False`), its generators still
    stamp each source twice (`getmtime`, 20,000 `stat`s at 10,000 items) to compare with a
    cache that is empty and to store in one that keeps nothing: no stamp is taken then.
    (On the article and page generators' own init signals: `generator_init` comes before
    their cache is set up.)"""
    if (
        isinstance(generator, FileStampDataCacher)
        and not generator._cache_data_policy
        and not generator._cache
    ):
        generator._filestamp_func = _no_stamp


def _no_stamp(_filename) -> None:
    return None


def missing_data_templates(settings, templates) -> list[Problem]:
    """Each page named in PORTAL_PAGE_DATA needs its `partials/data-NAME.html` template."""
    return [
        Problem(
            "pelicanconf.py",
            0,
            "PORTAL_PAGE_DATA",
            f"trang '{slug}' cần mẫu theme/templates/partials/data-{name}.html nhưng không có; "
            f"các mẫu dữ liệu hiện có: {', '.join(sorted(_data_names(templates)))}",
        )
        for slug, name in settings.get("PORTAL_PAGE_DATA", {}).items()
        if f"partials/data-{name}.html" not in templates
    ]


def _data_names(templates) -> set[str]:
    return {
        t.removeprefix("partials/data-").removesuffix(".html")
        for t in templates
        if t.startswith("partials/data-")
    }


def content_security_policy(settings) -> str:
    """Everything from the portal itself; frames only from the embed allow-list.
    'wasm-unsafe-eval' lets the search page run Pagefind's WebAssembly."""
    embeds = settings.get("PORTAL_EMBEDS", sanitize.DEFAULT_EMBEDS)
    origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in embeds})
    frames = " ".join(origins) or "'none'"
    return (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
        "img-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self'; "
        f"frame-src {frames}; object-src 'none'; "
        f"base-uri 'self'; form-action 'self'{_question_origin(settings)}"
    )


def _question_origin(settings) -> str:
    """The origin of the administrator's question service, which the Q&A form posts to."""
    endpoint = settings.get("PORTAL_QUESTION_ENDPOINT")
    if not endpoint or question_endpoint_problems(settings):
        return ""
    return " {0.scheme}://{0.netloc}".format(urlsplit(endpoint))


def question_endpoint_problems(settings) -> list[Problem]:
    """PORTAL_QUESTION_ENDPOINT is unset or an https address: a reader's question must not
    travel in clear text, nor go anywhere the page cannot name."""
    endpoint = settings.get("PORTAL_QUESTION_ENDPOINT")
    if endpoint is None:
        return []
    if (
        isinstance(endpoint, str)
        and endpoint.startswith("https://")
        and (sanitize.http_url(endpoint) == endpoint)
    ):
        return []
    return [
        Problem(
            "pelicanconf.py",
            0,
            "PORTAL_QUESTION_ENDPOINT",
            f"địa chỉ nhận câu hỏi phải là một địa chỉ https:// đầy đủ (hoặc None để dùng thư "
            f"điện tử soạn sẵn), không phải {endpoint!r}",
        )
    ]


def order_schedules(schedules: list[dict], today: date) -> list[dict]:
    """The current week first, then the coming weeks, then past weeks newest first."""
    current = week_code(today)
    weeks = [
        {
            **week,
            "is_current": week["week"] == current,
            "days": week_days(week["week"]),
            "entries": [
                {**entry, "date_parsed": parse_date(entry["date"])} for entry in week["entries"]
            ],
        }
        for week in schedules
    ]
    upcoming = sorted((w for w in weeks if w["week"] >= current), key=lambda w: w["week"])
    past = sorted((w for w in weeks if w["week"] < current), key=lambda w: w["week"], reverse=True)
    return upcoming + past


def _short_date(value) -> str:
    return vietnamese_date(value, weekday=False)


@stops_cleanly
def finish_reading(generators) -> None:
    """After every file is read, before any page is written: stop on any error."""
    settings = generators[0].settings if generators else {}
    build = Build.of(settings)
    build.phase("đọc nội dung (reading)")
    items = []
    for generator in generators:
        for attribute in ("articles", "drafts", "pages", "hidden_pages", "draft_pages"):
            for content in getattr(generator, attribute, []):
                if getattr(content, "invalid", False):
                    site = build.site_data(generator.settings)
                    path = Path(content.source_path)
                    build.report(load_item(path, site, rules=ITEM_RULES).problems)
                    continue
                source = getattr(content, "source_file", content.source_path)
                items.append(Item(path=Path(content.source_path), shown=source, slug=content.slug))
    build.report(duplicate_slugs(items))
    build.save_reading()  # also when the build stops: valid items stay cached
    build.forget_reading()
    # What reading made lives to the end of the build: the collector's full passes need
    # not walk it again (a warm build spent most of its queueing phase in them).
    gc.freeze()
    if not build.problems:
        return
    problems = sorted(set(build.problems))
    print("\n".join(map(str, problems)), file=sys.stderr)
    if settings.get("PORTAL_STRICT", True):
        print(
            f"Không xuất bản: {len(problems)} lỗi trong nội dung (chạy 'make check' để xem lại).",
            file=sys.stderr,
        )
        raise SystemExit(1)
    logger.warning("Bỏ qua các tệp có lỗi ở trên; chúng không được đăng.")


LATEST_PER_SECTION = 6


def add_listings(generators) -> None:
    """Per-section latest items (home page columns, "related" lists) and the published
    content kept for the site files, computed once instead of once per page."""
    articles = [a for g in generators for a in getattr(g, "articles", [])]
    pages = [p for g in generators for p in getattr(g, "pages", [])]
    articles.sort(key=lambda a: a.date, reverse=True)
    latest: dict[str, list] = {}
    for article in articles:
        bucket = latest.setdefault(article.section, [])
        if len(bucket) < LATEST_PER_SECTION:
            bucket.append(article)
    for generator in generators:
        if hasattr(generator, "context"):
            generator.context.update(
                LATEST_BY_SECTION=latest,
                FEATURED=[a for a in articles if getattr(a, "featured", False)][:4],
            )
            break
    if generators:
        Build.of(generators[0].settings).published = articles + pages


def freeze_urls(generators) -> None:
    contents = {id(c): c for g in generators for c in g.context["generated_content"].values() if c}
    for generator in generators:
        for attribute in ("articles", "translations", "hidden_articles", "hidden_translations"):
            contents.update((id(c), c) for c in getattr(generator, attribute, []))
        for attribute in ("drafts", "drafts_translations", "pages", "hidden_pages"):
            contents.update((id(c), c) for c in getattr(generator, attribute, []))
        for attribute in ("draft_pages", "draft_translations"):
            contents.update((id(c), c) for c in getattr(generator, attribute, []))
    incremental.freeze_urls(contents.values())


@stops_cleanly
def write_site_files(pelican) -> None:
    """After every page is queued: render what changed, then sitemap.xml, robots.txt
    and the search index, then remove what the build no longer produces."""
    settings, output = pelican.settings, Path(pelican.output_path)
    build = Build.of(settings)
    state_path = Path(settings.get("CACHE_PATH", CACHE)) / incremental.STATE_FILE
    state = incremental.BuildState.load(state_path)
    # Queued pages and the state live until rendered: frozen like what reading made, then
    # the collector is on again for rendering, whose garbage it does collect.
    gc.freeze()
    gc.enable()
    render_fp = fingerprint.of_rendering(settings, build.cache(settings).fingerprint)
    if state.render != render_fp:
        state.render, state.pages, state.text_digests = render_fp, {}, {}
        state.files = state.files or incremental.existing_files(output)
    writer = build.writer
    produced = set()
    build.phase("xếp trang (queueing pages, feeds)")
    sections = build.site_data(settings).sections
    index = None
    if settings.get("PORTAL_SEARCH", True):
        text_of = writer.search_text if writer is not None else _text_in(output)
        index = SearchIndex(build.published, output, state, sections, text_of)
    try:
        if writer is not None:
            # The search index starts once the items' pages are rendered (a one-item
            # rebuild): its Pagefind runs go on while the listings render and the
            # sitemap is written.
            items = {name for content in build.published if (name := site_files.page_of(content))}
            between = index.start if index is not None else None
            digester = Digester(build.source_keys, settings)
            counts = writer.flush(state, digester, build.published, first=items, between=between)
            logger.info("Trang: %(rendered)d dựng lại / %(pages)d", counts)
            produced |= set(writer.jobs) | writer.feeds
        build.phase("dựng trang (rendering)")
        public_url = settings.get("PUBLIC_URL") or settings["FEED_DOMAIN"]
        site_files.write_sitemap(output, public_url, build.published, sections)
        site_files.write_robots(output, public_url)
        produced |= {site_files.SITEMAP, site_files.ROBOTS}
        if index is not None:
            release_free_memory()  # the sitemap's garbage, beside Pagefind's runs otherwise
            produced |= index.files()
    finally:
        if index is not None:
            index.stop()
        if writer is not None:
            writer.forget_texts()
    build.phase("tìm kiếm, sitemap (search index, sitemap)")
    produced |= static_outputs(build, settings)
    retention = set(settings.get("OUTPUT_RETENTION", ()))
    if _inside(Path(settings["PATH"]), output):
        incremental.remove_stale(output, state.files, produced, retention)
    state.files = produced
    state.save(state_path)
    # What the build made lives to the process's end: the interpreter's collections at
    # exit need not walk it (1.8 s of one core at 10,000 items). A devserver's next
    # build unfreezes it (`start_build`).
    gc.freeze()
    build.phase("dọn tệp cũ, lưu trạng thái (stale files, state)")


class SearchIndex:
    """The search index of the published items and pages, in two steps: `start()` makes
    the records and starts the Pagefind runs of the shards to index again, which go on in
    other processes; `files()` (which starts it first if need be) waits for them and
    returns the files the index consists of; `stop()` ends runs still going when the build
    stops before. `text_of(page)` is a page's search text, asked for the shards indexed
    again."""

    def __init__(self, published: list, output: Path, state, sections, text_of):
        self.published, self.output, self.state = published, output, state
        self.sections, self.text_of = sections, text_of
        self.pending: search.PendingIndex | None = None
        self.made: set[str] | None = None

    def start(self) -> None:
        if self.pending is None:
            digests = self.state.text_digests
            records = [site_files.search_record(c, digests, self.sections) for c in self.published]
            records = [record for record in records if record]
            self.pending = _indexing(
                self.output,
                lambda: search.start_index(records, self.output, self.state.extra, self.text_of),
            )

    def files(self) -> set[str]:
        self.start()
        if self.made is None:
            count, self.made = _indexing(self.output, self.pending.finish)
            logger.info("Chỉ mục tìm kiếm: %d trang", count)
        return self.made

    def stop(self) -> None:
        if self.pending is not None:
            self.pending.stop()


def _indexing(output: Path, step):
    """`step()` of the search index, its faults said as every write fault is."""
    try:
        return step()
    except PortalError:  # a file of the index not written: said as every write fault is
        raise
    except OSError as error:
        if error.errno is None:  # not a file system fault: the binary itself
            _pagefind_failed(error)
        _stop(write_failure(error.filename or output / "pagefind", error))
    except subprocess.CalledProcessError as error:
        if error.returncode == -signal.SIGXFSZ:  # killed for writing past the size limit
            _stop(write_failure(output / "pagefind", OSError(errno.EFBIG, "File too large")))
        _pagefind_failed(error)
    except Exception as error:  # the Pagefind binary is missing or failed: fail closed
        _pagefind_failed(error)


def _text_in(output: Path):
    """A page's search text from its file (when no writer queued pages in this build)."""
    return lambda page: incremental.search_text((output / page).read_bytes().decode("utf-8"))


def _pagefind_failed(error: Exception) -> None:
    _stop(
        f"không tạo được chỉ mục tìm kiếm (Pagefind): {type(error).__name__}: {error}\n"
        "Nếu đĩa đầy hoặc thư mục output/ không ghi được, giải phóng chỗ hoặc cấp quyền ghi; "
        "nếu không, cài lại gói: .venv/bin/pip install 'pagefind[bin]==1.5.2'"
    )


def static_outputs(build: Build, settings) -> set[str]:
    """Static files and the theme's files: they are copied by Pelican, not written by
    the writer, but are part of the output all the same."""
    files = set()
    for name in build.static_saves:
        files.add(name.replace(os.sep, "/"))
    theme_dir = settings.get("THEME_STATIC_DIR", "theme")
    for folder in settings.get("THEME_STATIC_PATHS", ["static"]):
        source = Path(settings["THEME"]) / folder
        for path in source.rglob("*") if source.is_dir() else ():
            if path.is_file():
                files.add(f"{theme_dir}/{path.relative_to(source).as_posix()}")
    return files


def _inside(content_root: Path, output: Path) -> bool:
    """Stale files are removed only from a folder that holds no source (as Pelican's
    DELETE_OUTPUT_DIRECTORY checks)."""
    content_root, output = content_root.resolve(), output.resolve()
    return output != content_root and output not in content_root.parents


def remember_static(generator) -> None:
    saves = Build.of(generator.settings).static_saves
    saves.extend(static.save_as for static in getattr(generator, "staticfiles", []))


def get_writer(_pelican):
    return _RecordedWriter


class _RecordedWriter(feeds.PublicFeeds, incremental.IncrementalWriter):
    """The build's writer, kept by the build once Pelican makes it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Build.of(self.settings).writer = self


def plugin_start(pelican) -> None:
    """Once per Pelican instance: Pelican's own faults said in Vietnamese."""
    build = Build.of(pelican.settings)
    build.phase("khởi tạo (plugin start)")
    pelican_log = logging.getLogger("pelican")
    for old in [f for f in pelican_log.filters if isinstance(f, _PelicanFaults)]:
        pelican_log.removeFilter(old)
    pelican_log.addFilter(_PelicanFaults(build))


def start_build(pelican) -> None:
    """The start of each build (each run, also each rebuild of the devserver): forget
    the previous build, then refuse unsafe inputs before anything is read."""
    Build.of(pelican.settings).reset(pelican.output_path)
    gc.unfreeze()  # the previous build's objects (the devserver's) may be collected again
    gc.enable()  # also after a previous build that stopped while reading or queueing
    refuse_unsafe_inputs(pelican)


@stops_cleanly
def refuse_unsafe_inputs(pelican) -> None:
    """Links, unowned file types, unsafe uploads, unwritable output: stop before reading.
    Always, also in the devserver: a link or an `.html` upload is never published.
    (Called by `start_build`, on `get_generators`, sent by every run.)"""
    build = Build.of(pelican.settings)
    problems = sorted(
        set(preflight.problems(pelican.settings, build.content_tree(pelican.settings)))
    )
    if problems:
        print("\n".join(map(str, problems)), file=sys.stderr)
        print(f"Không dựng Cổng: {len(problems)} lỗi ở trên.", file=sys.stderr)
        raise SystemExit(1)


def register() -> None:
    incremental.use_fast_translations()
    signals.initialized.connect(plugin_start)
    # Before each build's generators read anything (also each rebuild of the devserver).
    signals.get_generators.connect(start_build)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(add_context)
    signals.article_generator_init.connect(skip_unused_file_stamps)
    signals.page_generator_init.connect(skip_unused_file_stamps)
    signals.all_generators_finalized.connect(finish_reading)
    signals.all_generators_finalized.connect(add_listings)
    signals.all_generators_finalized.connect(freeze_urls)
    signals.content_object_init.connect(incremental.remember_url_parts)
    signals.article_generator_finalized.connect(incremental.fast_membership)
    signals.get_writer.connect(get_writer)
    signals.static_generator_finalized.connect(remember_static)
    signals.finalized.connect(write_site_files)
