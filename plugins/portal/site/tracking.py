"""What a page read while it was rendered, and a digest of those values.

While a template renders, every name it resolves from its context is recorded, and the
big collections (all articles, a section's latest items, the paginator's list) record
which part of them was read: `articles[:8]`, `LATEST_BY_SECTION["tin-tuc"]`, the length
of a list. A page's dependencies are these access paths; the next build evaluates the
same paths on its own context and renders the page again only if a digest differs.

A path is a tuple: the context name, then steps: `("object_list",)` (a paginator's
items), `("item", key)`, `("slice", start, stop, step)`, `("len",)`, `("all",)`.
"""

import os
from collections import ChainMap
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from hashlib import blake2b
from pathlib import PurePath

from jinja2.runtime import Context
from markupsafe import Markup
from pelican.contents import Content, Static
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper

TRACKER = "portal tracker"  # a page's Tracker in its render context (no template can name it)
MISSING = "<missing>"
SETTING = "<setting>"  # covered by the render fingerprint, not recorded per page
_PRIMITIVES = (str, int, float, bool, type(None), date, datetime, time, timedelta, Decimal)
_KEY_TYPES = (str, int, float, bool, type(None))


def digest(*parts: str) -> str:
    """A short digest of `parts`: one hash of their repr, which tells any two tuples of
    strings apart (half the time of hashing each part with its length: a warm build
    digests 20,000 values, a cold one 60,000)."""
    return blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Unfingerprintable(Exception):
    """A page read a value this module cannot digest: it is rendered on every build."""


class Recorder:
    """The access paths of the page being rendered."""

    def __init__(self):
        self.paths: set[tuple] = set()
        self.complete = True  # False when a path could not be kept (an odd key)

    def add(self, path: tuple) -> None:
        try:
            if path in self.paths:  # most reads repeat (a name per use, a list per loop)
                return
        except TypeError:  # an unhashable step: not kept, below
            pass
        if all(isinstance(step, _KEY_TYPES) or _is_step(step) for step in path):
            self.paths.add(path)
        else:
            self.complete = False


def _is_step(step) -> bool:
    return isinstance(step, tuple) and all(isinstance(part, _KEY_TYPES) for part in step)


class Tracker:
    """The recording of one writer's pages: the recorder of the page being rendered (one
    page at a time in each process), and the recording lists and dicts made for its
    pages, each list copied once for the build."""

    def __init__(self):
        self.current: Recorder | None = None
        self._wrappers: dict = {}
        self._shared: dict = {}  # id of a shared context → (it, its size, its containers)

    def forget(self) -> None:
        """Drop the recording copies of the contexts' lists and dicts (made again if a
        page renders afterwards)."""
        self._wrappers.clear()
        self._shared.clear()

    def record(self, path: tuple) -> None:
        if self.current is not None:
            self.current.add(path)

    def render(self, template, context: dict, settings) -> tuple[str, Recorder]:
        """The page, and what it read."""
        recorder = self.current = Recorder()
        try:
            return template.render(self.tracked(context, settings)), recorder
        finally:
            self.current = None

    def tracked(self, context: dict, settings) -> dict:
        """`context` with its lists and dicts (settings aside) replaced by recording ones.

        A queued page's context is its own few values over its generator's shared context
        (a ChainMap of two): which shared names hold a list or a dict is worked out once
        per shared context, not for each of its thousands of pages. (While pages render,
        only `localsiteurl`, a string, changes in a shared context.)"""
        if isinstance(context, ChainMap) and len(context.maps) == 2:
            local, shared = context.maps
            result = {**shared, **local}
            keys = [key for key in self._containers(shared) if key not in local]
            keys += list(local)
        else:
            result = dict(context)
            keys = list(result)
        for key in keys:
            value = result[key]
            if not isinstance(value, (list, dict)) or isinstance(value, (TrackedList, TrackedDict)):
                continue
            if key in settings and settings[key] is value:
                continue
            cache_key = (key, id(value))
            wrapper = self._wrappers.get(cache_key)
            if wrapper is None:
                cls = TrackedList if isinstance(value, list) else TrackedDict
                wrapper = cls((key,), value, self)
                self._wrappers[cache_key] = (wrapper, value)  # keeps `value`: its id stays its
            else:
                wrapper = wrapper[0]
            result[key] = wrapper
        result[TRACKER] = self
        return result

    def _containers(self, shared: dict) -> list:
        """The names of `shared` whose values are lists or dicts (worked out again if
        names were added or removed)."""
        known = self._shared.get(id(shared))
        if known is None or known[1] != len(shared):
            names = [key for key, value in shared.items() if isinstance(value, (list, dict))]
            known = self._shared[id(shared)] = (shared, len(shared), names)
        return known[2]


class TrackingContext(Context):
    """Jinja's context, recording each name a template resolves."""

    def resolve_or_missing(self, key):
        value = super().resolve_or_missing(key)
        if not isinstance(value, (TrackedList, TrackedDict)):
            tracker = self.parent.get(TRACKER)
            if tracker is not None:
                tracker.record((key,))
        return value


def _slice_step(index) -> tuple:
    if isinstance(index, slice):
        return ("slice", index.start, index.stop, index.step)
    return ("item", index)


class TrackedList(list):
    """A list that records which items a template reads."""

    def __init__(self, path: tuple, items, tracker: Tracker):
        super().__init__(items)
        self._path = path
        self._tracker = tracker

    def __getitem__(self, index):
        self._tracker.record(self._path + (_slice_step(index),))
        return super().__getitem__(index)

    def __len__(self):
        self._tracker.record(self._path + (("len",),))
        return super().__len__()

    def __bool__(self):
        self._tracker.record(self._path + (("len",),))
        return super().__len__() > 0

    def _whole(self):
        self._tracker.record(self._path + (("all",),))


def _recording_whole(base: type, name: str):
    """`base.name` that first records that the template read the whole container."""
    method = getattr(base, name)

    def whole(self, *args, **kwargs):
        self._whole()
        return method(self, *args, **kwargs)

    whole.__name__ = name
    return whole


for _name in (
    "__iter__ __reversed__ __contains__ __add__ __radd__ __mul__ __rmul__ __eq__ __ne__ "
    "__lt__ __le__ __gt__ __ge__ __repr__ __str__ __format__ __reduce_ex__ index count copy"
).split():
    if hasattr(list, _name):
        setattr(TrackedList, _name, _recording_whole(list, _name))
TrackedList.__hash__ = None


class TrackedDict(dict):
    """A mapping that records which keys a template reads."""

    def __init__(self, path: tuple, items, tracker: Tracker):
        super().__init__(items)
        self._path = path
        self._tracker = tracker

    def __getitem__(self, key):
        self._tracker.record(self._path + (("item", key),))
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._tracker.record(self._path + (("item", key),))
        return super().get(key, default)

    def __contains__(self, key):
        self._tracker.record(self._path + (("item", key),))
        return super().__contains__(key)

    def _whole(self):
        self._tracker.record(self._path + (("all",),))


for _name in (
    "__iter__ __len__ __reversed__ __eq__ __ne__ __or__ __ror__ __repr__ __str__ __format__ "
    "__reduce_ex__ keys values items copy"
).split():
    if hasattr(dict, _name):
        setattr(TrackedDict, _name, _recording_whole(dict, _name))
TrackedDict.__hash__ = None


class NavigationPaginator(Paginator):
    """Pelican's paginator whose pages slice its list only when their items are read:
    a link to page 7 depends on the page count, not on what page 7 shows."""

    def __init__(self, key: str, name, url, object_list, settings, per_page, tracker: Tracker):
        super().__init__(name, url, object_list, settings, per_page)
        self.plain_list = list(object_list)
        path = (f"{key}_paginator", "object_list")
        self.object_list = TrackedList(path, object_list, tracker)
        self._count = len(self.plain_list)
        self._pages: dict[int, LazyPage] = {}

    def page(self, number):
        """Page `number`, one object for the build: each of a listing's pages asks for
        its own, its previous and its next page (three Pelican pages made per page)."""
        known = self._pages.get(number)
        if known is None:
            bottom = (number - 1) * self.per_page
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            known = LazyPage(self.name, self.url, (bottom, top), number, self, self.settings)
            self._pages[number] = known
        return known

    def structure(self) -> tuple:
        return ("paginator", self.name, self.url, self.per_page, self.orphans, self.count)


class LazyPage(Page):
    @property
    def object_list(self):
        return self.paginator.object_list[self._bounds[0] : self._bounds[1]]

    @object_list.setter
    def object_list(self, bounds):
        self._bounds = bounds


class Digester:
    """Digests of context values, memoised for the build (objects do not change while
    pages are written). `source_keys` maps a content file to the digest of its bytes and
    of everything the reader depends on."""

    def __init__(self, source_keys: dict, settings):
        self.source_keys = source_keys
        self.settings = settings
        self._memo: dict[int, tuple] = {}
        self._strings: dict[str, str] = {}
        self._by_shared: dict[int, tuple] = {}  # id of a shared context → what it gave

    def digest_in(self, context: dict, path: tuple) -> str:
        """`evaluate(context, path)`, worked out once per shared context for a path that
        a queued page reads from its generator's shared context (a name the page's own
        values do not hold): thousands of pages read `SECTIONS` or `LATEST_BY_SECTION`
        from the same shared context. (The shared contexts do not change while pages are
        checked; `forget_shared` once pages have rendered in this process.)"""
        if not (isinstance(context, ChainMap) and len(context.maps) == 2):
            return self.evaluate(context, path)
        local, shared = context.maps
        if path[0] in local:
            return self._digest_from(path, local[path[0]])
        return self._in_shared(shared, path)

    def unchanged(self, context: dict, shared_deps: tuple, own_deps: tuple) -> bool:
        """Whether every (path, digest) of a page's deps has the same digest in `context`
        now: what `digest_in` gives for each. `shared_deps` were read from the shared
        context: pages holding the same tuple of them share its verdict, worked out once
        per shared context (15,000 pages hold 280,000 pairs, in a few hundred tuples)."""
        if not (isinstance(context, ChainMap) and len(context.maps) == 2):
            deps = shared_deps + own_deps
            return all(self.evaluate(context, path) == old for path, old in deps)
        local, shared = context.maps
        for path, old in own_deps:  # `digest_in`, inlined (60,000 of them)
            if path[0] in local:
                if self._digest_from(path, local[path[0]]) != old:
                    return False
            elif self._in_shared(shared, path) != old:
                return False
        if not shared_deps:
            return True
        verdicts = self._shared(shared)[2]
        known = verdicts.get(shared_deps)
        if known is None:
            names = frozenset(path[0] for path, _ in shared_deps)
            same = all(self._in_shared(shared, path) == old for path, old in shared_deps)
            known = verdicts[shared_deps] = (names, same)
        if known[0].isdisjoint(local):
            return known[1]
        # The page holds one of these names itself in this build: path by path.
        return all(self.digest_in(context, path) == old for path, old in shared_deps)

    def _in_shared(self, shared: dict, path: tuple) -> str:
        digests = self._shared(shared)[1]
        result = digests.get(path)
        if result is None:
            result = digests[path] = self.evaluate(shared, path)
        return result

    def _shared(self, shared: dict) -> tuple:
        """(shared, path → digest, shared deps → (their names, unchanged)) of a shared
        context, which it keeps, so that its id stays its own."""
        known = self._by_shared.get(id(shared))
        if known is None:
            known = self._by_shared[id(shared)] = (shared, {}, {})
        return known

    def forget_shared(self) -> None:
        self._by_shared.clear()

    def evaluate(self, context: dict, path: tuple) -> str:
        """The digest of what `path` reads in `context` (a page's context)."""
        if path[0] not in context:
            return MISSING
        return self._digest_from(path, context[path[0]])

    def _digest_from(self, path: tuple, value) -> str:
        """The digest of what `path` reads, its name holding `value`."""
        key, steps = path[0], path[1:]
        if not steps and key in self.settings and value is self.settings[key]:
            return SETTING
        for step in steps:
            value = self._step(value, step)
            if value is _MISSING:
                return MISSING
        if isinstance(steps[-1] if steps else None, tuple) and steps[-1][0] == "len":
            return str(value)
        return self.of(value)

    @staticmethod
    def _step(value, step):
        if step == "object_list":
            return value.plain_list if isinstance(value, NavigationPaginator) else _MISSING
        kind = step[0]
        plain = list(value) if isinstance(value, TrackedList) else value
        plain = dict(value) if isinstance(value, TrackedDict) else plain
        if kind == "all":
            return plain
        if kind == "len":
            return len(plain)
        try:
            if kind == "slice":
                return plain[slice(*step[1:])]
            return plain[step[1]]
        except (LookupError, TypeError):
            return _MISSING

    def of(self, value) -> str:
        if type(value) is str:  # page names, relative SITEURLs: the same few, thousands of times
            known = self._strings.get(value)
            if known is None:
                known = self._strings[value] = digest("str", value)
            return known
        if isinstance(value, _PRIMITIVES):
            return digest(type(value).__name__, str(value))
        if isinstance(value, PurePath):
            return digest("path", str(value))
        known = self._memo.get(id(value))
        if known is not None:
            return known[1]
        result = self._compute(value)
        self._memo[id(value)] = (value, result)  # keeps the object, so its id stays unique
        return result

    def _compute(self, value) -> str:
        if isinstance(value, Markup):
            return digest("markup", str(value))
        if isinstance(value, (list, tuple)):
            return digest(type(value).__name__, *(self.of(item) for item in value))
        if isinstance(value, (set, frozenset)):
            return digest("set", *sorted(self.of(item) for item in value))
        if isinstance(value, dict):
            return digest("dict", *(self.of(k) + self.of(v) for k, v in value.items()))
        if isinstance(value, Content):
            return self._content(value)
        if isinstance(value, URLWrapper):
            return digest(type(value).__name__, value.name, value.slug)
        if isinstance(value, NavigationPaginator):
            return digest(*map(str, value.structure()))
        if isinstance(value, LazyPage):
            return digest("page", str(value.number), *map(str, value.paginator.structure()))
        raise Unfingerprintable(type(value).__qualname__)

    def _content(self, content: Content) -> str:
        source = content.source_path or ""
        if isinstance(content, Static):
            return digest("static", source, content.url, _stat(source))
        if source not in self.source_keys:
            raise Unfingerprintable(f"{type(content).__name__} {source}")
        parts = [self.source_keys[source], content.status, content.url, content.save_as]
        parts += [content.template, content.lang, str(content.in_default_lang)]
        for other in getattr(content, "translations", []):
            parts += [self.source_keys.get(other.source_path, MISSING), other.url, other.lang]
        if has_intrasite_links(content):
            parts.append(content.get_content(""))  # links resolve to other items' URLs
        return digest(type(content).__name__, *parts)


_MISSING = object()
# Whether an item's HTML holds intrasite links (`{filename}…`), in its __dict__ when its
# HTML was moved out of memory (incremental.spill_contents): not read back to find out.
HAS_LINKS = "_portal_has_links"


def has_intrasite_links(content: Content) -> bool:
    known = content.__dict__.get(HAS_LINKS)
    if known is not None:
        return known
    html = content._content
    return bool(html) and content._get_intrasite_link_regex().search(html) is not None


def _stat(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return MISSING
    return f"{info.st_size}:{info.st_mtime_ns}"
