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

SHARDS = 32


def shard_of(source: str) -> int:
    """The same in every process (`hash()` of a string is not)."""
    return zlib.crc32(source.encode("utf-8", "surrogatepass")) % SHARDS


class Shelf:
    def __init__(self, folder: Path, stamp):
        self.folder = Path(folder)
        self.stamp = stamp
        self.entries: dict = {}
        self.used: dict = {}
        self._loaded = [0] * SHARDS  # values read from each shard, -1 for a stale file
        self._put: set[int] = set()  # shards with a value put in this build
        for number in range(SHARDS):
            self._load(number)

    def _path(self, number: int) -> Path:
        return self.folder / f"{number:02d}.pickle"

    def _load(self, number: int) -> None:
        path = self._path(number)
        try:
            with open(path, "rb") as handle:
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

    def get(self, source: str):
        """The value kept for `source` (which is then kept for the next build), or None."""
        value = self.entries.get(source)
        if value is not None:
            self.used[source] = value
        return value

    def put(self, source: str, value) -> None:
        self.entries[source] = self.used[source] = value
        self._put.add(shard_of(source))

    def save(self) -> None:
        """Write the shards whose values changed: one put, or one not used (deleted)."""
        shards: list[dict] = [{} for _ in range(SHARDS)]
        for source, value in self.used.items():
            shards[shard_of(source)][source] = value
        for number, values in enumerate(shards):
            if number in self._put or len(values) != self._loaded[number]:
                data = pickle.dumps((self.stamp, values), protocol=pickle.HIGHEST_PROTOCOL)
                write_atomically(self._path(number), data, durable=False)
                self._loaded[number] = len(values)
        self.entries, self._put = dict(self.used), set()
