"""What the reader made of each item (HTML and checked metadata), kept between builds.

An entry is used only when the item's bytes are the same and the reading fingerprint
(portal code and schemas, settings, data files, roster, library versions) is the same
as when it was made, so a changed schema or sections.yml re-reads every item. Pelican's
own content cache is off: it does not notice a change of settings.

Only valid items are kept; an invalid one is read again on every build, so its problems
are always listed. The warnings of a kept item are kept with it and reported again.
"""

import hashlib
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from portal.files import write_atomically
from portal.site.forking import fork_map
from portal.site.shelf import Shelf

CACHE_FILE = "portal-read"  # a folder of shards (shelf.py)
FORMAT = 1  # bumped when an entry's shape changes
DIGESTS_FILE = "portal-digests.pickle"
PARALLEL_FROM = 32  # fewer items than this are read in the main process


@dataclass
class Entry:
    raw: str  # digest of the file's bytes
    content: str
    metadata: dict  # before Pelican's processing (plain data)
    problems: list  # warnings and sanitiser findings, reported again on each read


def raw_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class ReadCache:
    def __init__(self, path: Path, fingerprint: str):
        self.path = Path(path)
        self.fingerprint = fingerprint
        # Read shard by shard as asked: a warm build takes its items from their snapshots.
        self.shelf = Shelf(self.path, ("read", FORMAT, fingerprint), lazy=True)

    def get(self, source: str, raw: str) -> Entry | None:
        entry = self.shelf.peek(source)
        if entry is None or entry.raw != raw:
            return None
        return self.shelf.get(source)

    def keep(self, source: str) -> None:
        """The entry of `source` (whose object came from elsewhere) stays for next time."""
        self.shelf.keep(source)

    def put(self, source: str, entry: Entry) -> None:
        self.shelf.put(source, entry)

    def save(self) -> None:
        self.shelf.save()
        self.path.with_suffix(".pickle").unlink(missing_ok=True)  # the one-file cache before


class Digests:
    """The digest of each source's bytes, read and hashed again only when its size, times
    or inode changed since the last build. The change time (ctime) cannot be set back by
    any tool, so an edit, a copy or a checkout always shows; a file changed within the
    last seconds is not trusted (its time may not have ticked yet) and is hashed again."""

    RECENT_NS = 3 * 10**9

    def __init__(self, path: Path):
        self.path = Path(path)
        self.known: dict[str, tuple] = {}  # source → (stat key or None, digest)
        self.seen: dict[str, tuple] = {}  # this build's sources
        self.changed = False
        try:
            with open(self.path, "rb") as handle:
                known = pickle.load(handle)
        except Exception:  # missing or damaged: every source is hashed
            return
        if isinstance(known, dict):
            self.known = known

    def of(self, source: str) -> str:
        """The digest of `source`'s bytes, worked out once per build."""
        seen = self.seen.get(source)
        if seen is not None:
            return seen[1]
        stat = os.stat(source)
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        known = self.known.get(source)
        if known is not None and known[0] == key:
            self.seen[source] = known
            return known[1]
        raw = raw_digest(Path(source).read_bytes())
        recent = time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < self.RECENT_NS
        self.seen[source] = (None if recent else key, raw)
        self.changed = True
        return raw

    def save(self) -> None:
        if not self.changed and len(self.seen) == len(self.known):
            return
        data = pickle.dumps(self.seen, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(self.path, data, durable=False)
        self.known, self.changed = dict(self.seen), False


def _known(cache: ReadCache, source: str, digests: Digests, kept) -> bool:
    raw = digests.of(source)
    if kept(source, raw):
        cache.keep(source)
        return True
    return cache.get(source, raw) is not None


def read_missing(
    cache: ReadCache, sources: list[str], make_entry, processes: int, digests: Digests, kept
) -> None:
    """Fill the cache for `sources` not in it, in parallel: `make_entry(source, data)`
    returns an Entry, or None for an invalid item (which is then read by Pelican).
    `kept(source, raw)` says whether the item will come from elsewhere (its snapshot)."""
    missing = [source for source in sources if not _known(cache, source, digests, kept)]
    if len(missing) < PARALLEL_FROM or processes <= 1:
        return
    sources = missing
    entries = fork_map(
        lambda source: make_entry(source, Path(source).read_bytes()), sources, processes
    )
    for source, entry in zip(sources, entries, strict=True):
        if entry is not None:
            cache.put(source, entry)
