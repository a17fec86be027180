"""Work spread over forked processes that share the parent's memory (read, render).

The work and its inputs reach each child through fork, as the arguments of its process,
never pickled: only each result travels back. Items are dealt round-robin, so slow ones
(long pages, big listings) spread evenly.
"""

import gc
import multiprocessing
import traceback
from collections.abc import Callable, Sequence


def fork_map(work: Callable, items: Sequence, processes: int) -> list:
    """[work(item) for item in items], in `processes` forked processes when that helps.

    An exception in a child is raised here as a RuntimeError with the child's traceback.
    """
    if processes <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    context = multiprocessing.get_context("fork")
    shares = [range(start, len(items), processes) for start in range(min(processes, len(items)))]
    children = []
    gc.freeze()  # the collector would otherwise touch, and so copy, every inherited object
    try:
        for share in shares:
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_run_share, args=(work, items, share, sender))
            child.start()
            sender.close()  # the child's end: a child that dies leaves the pipe at its end
            children.append((child, receiver))
        parts = [_receive(child, receiver) for child, receiver in children]
    finally:
        for child, receiver in children:
            receiver.close()
            if child.is_alive():
                child.terminate()
            child.join()
        gc.unfreeze()
    results: list = [None] * len(items)
    for share, part in zip(shares, parts, strict=True):
        for index, (failure, result) in zip(share, part, strict=True):
            if failure:
                raise RuntimeError(failure)
            results[index] = result
    return results


def _receive(child, receiver) -> list:
    try:
        return receiver.recv()
    except EOFError:
        child.join()
        raise RuntimeError(
            f"a forked process ended without its results (exit code {child.exitcode})"
        ) from None


def _run_share(work: Callable, items: Sequence, share: range, sender) -> None:
    """In a child: work on the items of `share`, send back (failure, result) for each."""
    results = []
    for index in share:
        try:
            results.append((None, work(items[index])))
        except Exception:
            results.append((f"{items[index]!r:.200}:\n{traceback.format_exc()}", None))
    sender.send(results)
    sender.close()
