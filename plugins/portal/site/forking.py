"""Work spread over forked processes that share the parent's memory (read, render).

The work and its inputs reach each child through fork, as the arguments of its process,
never pickled: only each result travels back. Items are dealt round-robin, so slow ones
(long pages, big listings) spread evenly.
"""

import ctypes
import functools
import gc
import multiprocessing
import traceback
from collections.abc import Callable, Sequence

# Results a child sends at once: a few pages' search texts, not its whole share's.
BATCH = 64


def _same(result):
    return result


def fork_map(work: Callable, items: Sequence, processes: int, keep: Callable = _same) -> list:
    """[keep(work(item)) for item in items], in `processes` processes when that helps: the main
    process works on one share itself while `processes - 1` forked children work on the
    others (a child that renders rewrites the reference counts of every object it
    touches, so each child ends up with its own copy of much of the main process's
    memory: one child fewer is one copy fewer).

    An exception in a child, or in the main process's share, is raised here as a
    RuntimeError with its traceback, after every share is done.

    `keep` runs in the main process on each result as it arrives (a child's too): what
    the results hold until the end is what it returns (shared rather than fresh objects).
    """
    if processes <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [keep(work(item)) for item in items]
    context = multiprocessing.get_context("fork")
    shares = [range(start, len(items), processes) for start in range(min(processes, len(items)))]
    children = []
    release_free_memory()  # what the children would otherwise inherit, resident
    gc.freeze()  # the collector would otherwise touch, and so copy, every inherited object
    try:
        for share in shares[1:]:
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_run_share, args=(work, items, share, sender))
            child.start()
            sender.close()  # the child's end: a child that dies leaves the pipe at its end
            children.append(_Child(child, receiver, len(share), keep))
        own = []  # the children were forked before: they see none of the main's work
        for index in shares[0]:
            own.append(_kept(_attempt(work, items[index]), keep))
            for child in children:  # take what is ready, so that no child waits to send
                child.receive(wait=False)
        for child in children:
            child.receive(wait=True)
        parts = [own] + [child.results for child in children]
    finally:
        for child in children:
            child.close()
        gc.unfreeze()
    results: list = [None] * len(items)
    for share, part in zip(shares, parts, strict=True):
        for index, (failure, result) in zip(share, part, strict=True):
            if failure:
                raise RuntimeError(failure)
            results[index] = result
    return results


class _Child:
    """A forked child and the results it has sent so far, in order."""

    def __init__(self, process, receiver, expected: int, keep: Callable):
        self.process, self.receiver, self.expected = process, receiver, expected
        self.keep = keep
        self.results: list = []

    def receive(self, wait: bool) -> None:
        """Take the batches the child has sent; with `wait`, until it has sent them all."""
        while len(self.results) < self.expected and (wait or self.receiver.poll()):
            try:
                self.results.extend(_kept(pair, self.keep) for pair in self.receiver.recv())
            except EOFError:
                self.process.join()
                raise RuntimeError(
                    "a forked process ended without its results "
                    f"(exit code {self.process.exitcode})"
                ) from None

    def close(self) -> None:
        self.receiver.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _kept(pair: tuple, keep: Callable) -> tuple:
    """(failure, result) with `keep(result)` when the work did not fail."""
    failure, result = pair
    return pair if failure else (None, keep(result))


def _attempt(work: Callable, item) -> tuple:
    """(None, work(item)), or (the item and the traceback, None) when it fails."""
    try:
        return None, work(item)
    except Exception:
        return f"{item!r:.200}:\n{traceback.format_exc()}", None


def _run_share(work: Callable, items: Sequence, share: range, sender) -> None:
    """In a child: work on the items of `share`, send back (failure, result) for each, a
    batch at a time (the child keeps no more than a batch, the pipe holds no more)."""
    batch = []
    for index in share:
        batch.append(_attempt(work, items[index]))
        if len(batch) == BATCH:
            sender.send(batch)
            batch = []
    sender.send(batch)
    sender.close()


def in_child(work: Callable, *args) -> None:
    """work(*args) in a forked child, for work whose memory should not outlive it: the
    child's exception, if any, is raised here.

    Pickling a str makes CPython keep its UTF-8 form inside it for good, so pickling the
    read cache in the main process would add a UTF-8 copy of every item's HTML to the
    rest of the build; in a child the copies go away with it.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        work(*args)
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_in_child, args=(work, args, sender))
    release_free_memory()
    gc.freeze()
    try:
        child.start()
        sender.close()
        try:
            failure = receiver.recv()
        except EOFError:
            child.join()
            failure = RuntimeError(f"a forked process ended early (exit code {child.exitcode})")
    finally:
        receiver.close()
        child.join()
        gc.unfreeze()
    if failure is not None:
        raise failure


def _run_in_child(work: Callable, args: tuple, sender) -> None:
    try:
        work(*args)
        failure = None
    except Exception as error:  # raised again in the parent, as it was (an OSError...)
        failure = error
    try:
        sender.send(failure)
    except Exception:  # an exception that does not pickle: its text and traceback
        sender.send(RuntimeError(f"{failure!r}:\n{traceback.format_exc()}"))
    sender.close()


def release_free_memory() -> None:
    """Give the system back the memory the C allocator holds free (glibc's
    `malloc_trim`): what reading and rendering freed stays resident otherwise, counted in
    the main process's memory and in that of every child forked from it (a few ms; 23 MB
    before rendering 10,000 items). Nothing where the C library has no such call."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
