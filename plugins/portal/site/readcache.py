"""What the reader made of each item (HTML and checked metadata), kept between builds.

An entry is used only when the item's bytes are the same and the reading fingerprint
(portal code and schemas, settings, data files, roster, library versions) is the same
as when it was made, so a changed schema or sections.yml re-reads every item. Pelican's
own content cache is off: it does not notice a change of settings.

Only valid items are kept; an invalid one is read again on every build, so its problems
are always listed. The warnings of a kept item are kept with it and reported again.
"""

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from portal.files import write_atomically
from portal.site.forking import fork_map, in_child

CACHE_FILE = "portal-read.pickle"
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
        self.entries: dict[str, Entry] = {}
        self.used: dict[str, Entry] = {}
        self.changed = False
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                fingerprint, entries = pickle.load(handle)
        except Exception:  # missing, truncated or from another version: read afresh
            return
        if fingerprint == self.fingerprint and isinstance(entries, dict):
            self.entries = entries

    def get(self, source: str, raw: str) -> Entry | None:
        entry = self.entries.get(source)
        if entry is None or entry.raw != raw:
            return None
        self.used[source] = entry
        return entry

    def put(self, source: str, entry: Entry) -> None:
        self.entries[source] = self.used[source] = entry
        self.changed = True

    def save(self) -> None:
        if not self.changed and len(self.used) == len(self.entries):
            return
        in_child(_write_pickle, self.path, (self.fingerprint, self.used))
        self.entries, self.changed = dict(self.used), False


def _write_pickle(path: Path, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomically(path, data, durable=False)


def read_missing(cache: ReadCache, sources: list[str], make_entry, processes: int) -> None:
    """Fill the cache for `sources` not in it, in parallel: `make_entry(source, data)`
    returns an Entry, or None for an invalid item (which is then read by Pelican)."""
    missing = []
    for source in sources:
        data = Path(source).read_bytes()
        if cache.get(source, raw_digest(data)) is None:
            missing.append((source, data))
    if len(missing) < PARALLEL_FROM or processes <= 1:
        return
    sources = [source for source, _ in missing]
    entries = fork_map(
        lambda source: make_entry(source, Path(source).read_bytes()), sources, processes
    )
    for source, entry in zip(sources, entries, strict=True):
        if entry is not None:
            cache.put(source, entry)
