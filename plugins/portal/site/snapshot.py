"""Pelican's items kept between builds, so a rebuild re-makes only the items that changed.

Pelican makes a `Content` object of every source on every build: path metadata, defaults,
dates, the `Content.__init__` bookkeeping. For an unchanged source that work gives the
same object each time. A snapshot is that object's state (its `__dict__`) pickled right
after Pelican made it, kept under the source's path with the digest of its bytes; the
next build makes a fresh object from it instead.

A snapshot is used only when everything the object was made from is the same: the
source's bytes, the reading fingerprint (portal code, settings, data files, library
versions: the whole file is dropped when it changes) and the content class. The build's
own objects are not pickled but named, and the restoring build puts its own in their
place: the settings, the generators' shared context and the section, tag and author
objects (one per name for the build, as when read).

Objects are fresh per build (later stages change them: translations, frozen URLs).
An item that Pelican would make differently on another day (a future date turned into a
draft) is never kept. A missing, truncated or foreign file is ignored and made again.
"""

import datetime
import io
import pickle
from dataclasses import dataclass
from pathlib import Path

from portal.site.shelf import Shelf

SNAPSHOT_FILE = "portal-items"  # a folder of shards (shelf.py)
FORMAT = 3  # bumped when a snapshot's shape changes


@dataclass
class Snapshot:
    raw: str  # digest of the source's bytes
    key: str  # the source's key for the pages that read it (its bytes and the reading)
    problems: list  # the reader's warnings, reported again on each build
    kind: str  # the content class's name (Article, Page)
    state: bytes  # the object's __dict__, pickled with the build's objects named


class Refs:
    """The build's own objects that a snapshot names instead of holding: found by identity
    when a snapshot is taken, given back by name when one is restored."""

    def __init__(self, settings, context, wrappers: dict, make_wrapper):
        self.settings, self.context = settings, context
        self.wrappers = wrappers  # (kind, name) → Pelican's Category, Tag or Author
        self.make_wrapper = make_wrapper  # (kind, name) → the build's object, made once
        self._names: dict[int, tuple] = {}
        self._counted = -1
        self.loaded = _Named(self)  # name → object, for the unpickler

    def name_of(self, obj) -> tuple | None:
        if obj is self.settings:
            return ("settings",)
        if obj is self.context:
            return ("context",)
        if self._counted != len(self.wrappers):  # new sections, tags or authors since
            self._names = {id(w): ("wrapper", *key) for key, w in self.wrappers.items()}
            self._counted = len(self.wrappers)
        return self._names.get(id(obj))

    def named(self, name: tuple):
        if name == ("settings",):
            return self.settings
        if name == ("context",):
            return self.context
        if name[0] == "wrapper":
            return self.make_wrapper(name[1], name[2])
        raise pickle.UnpicklingError(f"unknown reference {name!r}")


class _Named(dict):
    """The build's object of each name a snapshot holds, found by the unpickler in C
    (about 9 names an item: settings, context, section, tags, authors); a name met for
    the first time in the build is resolved by `Refs.named`."""

    def __init__(self, refs: Refs):
        super().__init__()
        self.refs = refs

    def __missing__(self, name: tuple):
        value = self[name] = self.refs.named(name)
        return value


class _Pickler(pickle.Pickler):
    def __init__(self, file, refs: Refs):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.refs = refs

    def persistent_id(self, obj):
        return self.refs.name_of(obj)


def _unpickled_state(data: bytes, refs: Refs) -> dict:
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = refs.loaded.__getitem__  # no Python call per name
    return unpickler.load()


def pickled_state(content, refs: Refs) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, refs).dump(content.__dict__)
    return buffer.getvalue()


def changes_with_time(content, settings, now: tuple | None = None) -> bool:
    """Pelican makes an article dated in the future a draft (unless WITH_FUTURE_DATES):
    such an item is made again on each build, as the date may have come since. `now`:
    (aware, naive) times no later than now, `_now()` when not given."""
    date = content.__dict__.get("date")
    if settings.get("WITH_FUTURE_DATES", True) or not isinstance(date, datetime.datetime):
        return False
    aware, naive = now or _now()
    return date > (aware if date.tzinfo else naive)


def _now() -> tuple:
    return datetime.datetime.now(datetime.UTC), datetime.datetime.now()


class Snapshots:
    def __init__(self, path: Path, fingerprint: str):
        self.shelf = Shelf(path, ("items", FORMAT, fingerprint))
        # The build's start: an item dated after it is made again, as a future one (so
        # the clock is read once, not 10,000 times).
        self.started = _now()

    def has(self, source: str, raw: str) -> bool:
        """Whether a snapshot of these bytes is kept."""
        snapshot = self.shelf.peek(source)
        return snapshot is not None and snapshot.raw == raw

    def restore(self, source: str, raw: str, content_class: type, refs: Refs):
        """A fresh object of `content_class` for `source` and its snapshot, or None when
        no snapshot of these bytes is kept (or it cannot be read back)."""
        snapshot = self.shelf.peek(source)
        if snapshot is None or snapshot.raw != raw or snapshot.kind != content_class.__name__:
            return None
        try:
            state = _unpickled_state(snapshot.state, refs)
        except Exception:  # a damaged snapshot: the item is made again
            return None
        content = content_class.__new__(content_class)
        content.__dict__.update(state)
        if changes_with_time(content, refs.settings, self.started):
            return None
        self.shelf.get(source)  # kept for the next build
        return content, snapshot

    def take(
        self,
        source: str,
        raw: str,
        key: str,
        content_class: type,
        content,
        refs: Refs,
        problems: list,
    ) -> None:
        """Keep the state of `content`, just made by Pelican from these bytes (with the
        reader's warnings, `problems`)."""
        if changes_with_time(content, refs.settings, self.started):
            return
        # Worked out now (and kept in the snapshot) where the class keeps them.
        getattr(content, "url_format", None)
        if hasattr(content, "get_relative_source_path"):  # a Pelican item
            content.get_relative_source_path()
            content.get_static_links()
        state = pickled_state(content, refs)
        self.shelf.put(source, Snapshot(raw, key, problems, content_class.__name__, state))

    def save(self) -> None:
        """Keep the snapshots used or taken in this build (those of deleted or changed
        sources go)."""
        self.shelf.save()
