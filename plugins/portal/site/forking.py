"""Work spread over forked processes that share the parent's memory (read, render).

The work and its inputs are inherited through fork, not pickled: only each result
travels back. Items are dealt round-robin in small chunks so slow ones spread evenly.
"""

import gc
import multiprocessing
import traceback
from collections.abc import Callable, Sequence

_inherited: list = []  # [work, items] while a pool runs; the forked children read it


def fork_map(work: Callable, items: Sequence, processes: int) -> list:
    """[work(item) for item in items], in `processes` forked processes when that helps.

    An exception in a child is raised here as a RuntimeError with the child's traceback.
    """
    if processes <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    _inherited[:] = [work, items]
    gc.freeze()  # the collector would otherwise touch, and so copy, every inherited object
    chunks = [range(start, len(items), processes * 4) for start in range(processes * 4)]
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.map(_run_chunk, chunks, chunksize=1)
    finally:
        _inherited.clear()
        gc.unfreeze()
    results: list = [None] * len(items)
    for chunk, part in zip(chunks, parts, strict=True):
        for index, (failure, result) in zip(chunk, part, strict=True):
            if failure:
                raise RuntimeError(failure)
            results[index] = result
    return results


def _run_chunk(indices: range) -> list:
    work, items = _inherited
    results = []
    for index in indices:
        try:
            results.append((None, work(items[index])))
        except Exception:
            results.append((f"{items[index]!r:.200}:\n{traceback.format_exc()}", None))
    return results
