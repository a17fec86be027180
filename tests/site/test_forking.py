"""Work in forked processes: results in order, a child's failure raised in the parent."""

import os

import pytest

from portal.site.forking import fork_map


def test_results_come_back_in_order_from_several_processes():
    items = list(range(40))
    results = fork_map(lambda n: (n * n, os.getpid()), items, 2)
    assert [square for square, _ in results] == [n * n for n in items]
    workers = {pid for _, pid in results}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2  # done in the children


def test_a_failure_in_a_child_is_raised_with_its_traceback():
    def work(n):
        if n == 7:
            raise ValueError("hỏng ở mục 7")
        return n

    with pytest.raises(RuntimeError, match="hỏng ở mục 7"):
        fork_map(work, list(range(20)), 2)
