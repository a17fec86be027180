"""main's first-parent log, kept between runs: git diffs every commit's tree, which is
the slow part of reading a long history, and a commit's diff never changes.

The cache (`portal-royalties-log` in the repository's git folder) holds the raw log
of a prefix of main's first-parent chain and the ids of its commits. It is used only
as far as its commits are the chain's own (a commit id fixes its whole first-parent
ancestry, so one matching id proves the prefix); a rewritten main simply reads anew.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from portal.errors import PortalError
from portal.files import write_atomically
from portal.git import Git

CACHE_NAME = "portal-royalties-log"
MAGIC = b"portal-royalties-log 1\n"
HEADER = "\x01"  # starts each commit's line in the log: never in a raw diff entry
COMMITS_PER_WORKER = 2000


def raw_log(repo: Git, commits: list[str]) -> bytes:
    """The raw log (`git log --raw`, one header per commit) of `commits`, a prefix of
    main's first-parent chain, from the cache as far as it goes, the rest from git."""
    if not commits:
        return b""
    path = repo.common_dir / CACHE_NAME
    cached_commits, cached_log = _read_cache(path)
    known = _common_prefix(cached_commits, commits)
    prefix = _cut(cached_log, cached_commits, known)
    fresh = _logs(repo, commits[known:], commits[known - 1] if known else None)
    log = prefix + b"".join(fresh)
    if len(commits) > known:  # read further than the cache, or main was rewritten
        _write_cache(path, commits, log)
    return log


def _common_prefix(cached: list[str], commits: list[str]) -> int:
    length = min(len(cached), len(commits))
    return length if length and cached[length - 1] == commits[length - 1] else 0


def _cut(log: bytes, commits: list[str], count: int) -> bytes:
    """The part of the cached log for its first `count` commits."""
    if count == 0:
        return b""
    if count == len(commits):
        return log
    end = log.find(f"{HEADER}{commits[count]} ".encode())
    return log[:end] if end >= 0 else b""


def _read_cache(path: Path) -> tuple[list[str], bytes]:
    try:
        data = path.read_bytes()
    except OSError:
        return [], b""
    if not data.startswith(MAGIC):
        return [], b""
    try:
        count_end = data.index(b"\n", len(MAGIC))
        count = int(data[len(MAGIC) : count_end])
        ids_end = count_end + 1 + count * 41
        commits = data[count_end + 1 : ids_end].decode("ascii").split("\n")[:count]
    except (ValueError, UnicodeDecodeError):
        return [], b""
    if len(commits) != count or any(len(c) != 40 for c in commits):
        return [], b""
    return commits, data[ids_end:]


def _write_cache(path: Path, commits: list[str], log: bytes) -> None:
    ids = "".join(f"{c}\n" for c in commits).encode("ascii")
    with suppress(PortalError):  # a cache that cannot be written only makes the next run slower
        write_atomically(path, MAGIC + b"%d\n" % len(commits) + ids + log, durable=False)


def _logs(repo: Git, commits: list[str], base: str | None) -> list[bytes]:
    """The log of `commits` (after `base`), read by one git process per core."""
    if not commits:
        return []
    workers = max(1, min(os.cpu_count() or 1, 4, len(commits) // COMMITS_PER_WORKER))
    bounds = [commits[len(commits) * n // workers - 1] for n in range(1, workers)]
    ranges = [
        f"{start}..{end}" if start else end
        for start, end in zip([base, *bounds], [*bounds, commits[-1]], strict=True)
    ]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda spec: _log(repo, spec), ranges))


def _log(repo: Git, spec: str) -> bytes:
    # the final newline off, as the cache has always been written
    return repo.raw_log(spec, f"{HEADER}%H %ct").removesuffix(b"\n") + b"\0"
