"""Work in forked processes: results in order, a child's failure raised in the parent."""

import errno
import os
import pickle
import sys

import pytest

from portal.site import forking
from portal.site.forking import fork_map


def test_results_come_back_in_order_from_several_processes():
    items = list(range(40))
    results = fork_map(lambda n: (n * n, os.getpid()), items, 3)
    assert [square for square, _ in results] == [n * n for n in items]
    workers = {pid for _, pid in results}
    assert len(workers) == 3  # the main process and two forked children
    assert os.getpid() in workers  # the main process works on a share instead of waiting
    assert {pid for n, (_, pid) in zip(items, results, strict=True) if n % 3 == 0} == {os.getpid()}


def test_many_results_come_back_in_batches_and_in_order():
    items = list(range(5 * forking.BATCH + 7))
    results = fork_map(lambda n: "x" * 1000 + str(n), items, 2)  # more than a pipe's buffer
    assert results == ["x" * 1000 + str(n) for n in items]


def test_a_child_sends_no_more_than_a_batch_at_once():
    class Sender:
        def __init__(self):
            self.sent = []

        def send(self, batch):
            self.sent.append(batch)

        def close(self):
            pass

    sender = Sender()
    share = range(1, 2 * forking.BATCH + 31, 2)
    forking._run_share(lambda n: -n, list(range(300)), share, sender)
    assert max(len(batch) for batch in sender.sent) == forking.BATCH
    assert [result for batch in sender.sent for result in batch] == [(None, -n) for n in share]


def test_a_failure_in_a_child_is_raised_with_its_traceback():
    def work(n):
        if n == 7:
            raise ValueError("hỏng ở mục 7")
        return n

    with pytest.raises(RuntimeError, match="hỏng ở mục 7"):
        fork_map(work, list(range(20)), 2)


def test_a_failure_in_the_main_process_share_is_raised_the_same_way():
    def work(n):
        if n == 4:  # item 4 is in the main process's share (0, 2, 4, ...)
            raise ValueError("hỏng ở mục 4")
        return os.getpid()

    with pytest.raises(RuntimeError, match="hỏng ở mục 4"):
        fork_map(work, list(range(20)), 2)


def test_a_child_that_dies_is_reported():
    parent = os.getpid()

    def work(n):
        if os.getpid() != parent:
            os._exit(3)
        return n

    with pytest.raises(RuntimeError, match="exit code 3"):
        fork_map(work, list(range(10)), 2)


def test_work_in_a_child_leaves_the_parent_strings_as_they_were():
    text = "Tiếng Việt có dấu " * 500
    size = sys.getsizeof(text)
    forking.in_child(pickle.dumps, text)
    assert sys.getsizeof(text) == size
    pickle.dumps(text)  # in this process, CPython keeps the UTF-8 form inside the str
    assert sys.getsizeof(text) > size


def test_work_in_a_child_writes_what_the_parent_then_reads(tmp_path):
    target = tmp_path / "x.txt"
    forking.in_child(target.write_text, "đã ghi")
    assert target.read_text() == "đã ghi"


def test_a_failure_in_a_child_is_raised_as_it_was():
    def fail():
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/x")

    with pytest.raises(OSError) as raised:
        forking.in_child(fail)
    assert raised.value.errno == errno.ENOSPC and raised.value.filename == "/tmp/x"


def test_a_child_that_ends_early_is_reported():
    with pytest.raises(RuntimeError, match="exit code 5"):
        forking.in_child(os._exit, 5)


def _resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(forking._malloc_trim() is None, reason="no malloc_trim in this C library")
def test_memory_freed_in_the_middle_of_the_heap_goes_back_to_the_system():
    blocks = [bytes(4000) + bytes([n % 256]) for n in range(20_000)]  # 80 MB from malloc
    pin = bytes(4000) + b"x"  # above them: the heap's top is not free, so not trimmed
    del blocks
    before = _resident_mb()
    forking.release_free_memory()
    assert before - _resident_mb() > 40
    assert pin
