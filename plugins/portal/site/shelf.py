"""A build's cache of one value per source, kept in a folder of pickle files (shards),
so that a build that changes one item writes one shard again, not the whole cache.

Each shard holds a stamp (what its values were made with: the format and the reading
fingerprint) and its values; a shard with another stamp, or missing, truncated or
foreign, is ignored. A build keeps the values it used or put, so those of deleted
sources go: a shard is written again when a value in it was put or one was not used.
"""

import pickle
import zlib
from pathlib import Path

from portal.files import write_atomically
from portal.site.forking import in_child

SHARDS = 32


def shard_of(source: str) -> int:
    """The same in every process (`hash()` of a string is not)."""
    return zlib.crc32(source.encode("utf-8", "surrogatepass")) % SHARDS


class Shelf:
    """`lazy`: a shard is read when one of its sources is first asked for, and only the
    shards read can be written again (values of sources deleted meanwhile stay in the
    others until then: they are never asked for, being keyed by the source)."""

    def __init__(self, folder: Path, stamp, lazy: bool = False):
        self.folder = Path(folder)
        self.stamp = stamp
        self.entries: dict = {}
        self.used: dict = {}
        self._kept: set[str] = set()  # sources whose value stays, read or not
        self._loaded: list[int | None] = [None] * SHARDS  # values read (-1: stale, None: not read)
        self._put: set[int] = set()  # shards with a value put in this build
        if not lazy:
            for number in range(SHARDS):
                self._load(number)

    def _path(self, number: int) -> Path:
        return self.folder / f"{number:02d}.pickle"

    def _load(self, number: int) -> None:
        self._loaded[number] = 0
        try:
            with open(self._path(number), "rb") as handle:
                stamp, entries = pickle.load(handle)
        except FileNotFoundError:
            return
        except Exception:  # truncated or foreign: written again
            self._loaded[number] = -1
            return
        if stamp != self.stamp or not isinstance(entries, dict):
            self._loaded[number] = -1
            return
        self.entries.update(entries)
        self._loaded[number] = len(entries)

    def peek(self, source: str):
        """The value kept for `source`, or None (not marked as used)."""
        number = shard_of(source)
        if self._loaded[number] is None:
            self._load(number)
        return self.entries.get(source)

    def get(self, source: str):
        """The value kept for `source` (which is then kept for the next build), or None."""
        value = self.peek(source)
        if value is not None:
            self.used[source] = value
        return value

    def keep(self, source: str) -> None:
        """Keep the value of `source` for the next build without reading it."""
        self._kept.add(source)

    def put(self, source: str, value) -> None:
        self.peek(source)  # its shard's other values are written with it
        self.entries[source] = self.used[source] = value
        self._put.add(shard_of(source))

    def save(self) -> None:
        """Write the shards read whose values changed: one put, or one not used (deleted)."""
        shards: list[dict] = [{} for _ in range(SHARDS)]
        for source, value in self.used.items():
            shards[shard_of(source)][source] = value
        for source in self._kept - self.used.keys():
            if source in self.entries:
                shards[shard_of(source)][source] = self.entries[source]
        writes = []
        for number, values in enumerate(shards):
            loaded = self._loaded[number]
            if loaded is not None and (number in self._put or len(values) != loaded):
                writes.append((self._path(number), (self.stamp, values)))
                self._loaded[number] = len(values)
        if writes:  # pickled in a child: CPython keeps a pickled str's UTF-8 copy for good
            in_child(_write_shards, writes)
        self.entries = {source: v for shard in shards for source, v in shard.items()}
        self.used, self._kept, self._put = dict(self.entries), set(), set()


def _write_shards(writes: list) -> None:
    for path, value in writes:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(path, data, durable=False)
