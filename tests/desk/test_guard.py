"""The guard on the repository decap-server writes to: main moves only through the gate."""

import subprocess
import sys

import pytest

from portal.desk import guard
from tests.desk.scratch import git, make_repository

ITEM = """---
title: Tin gửi từ bàn biên tập chưa được duyệt
kind: news
date: 2026-11-30 08:00
section: tin-tuc
unit: cai-cach-hanh-chinh
status: published
summary: Một tin bài chưa qua bước duyệt nào của chuỗi duyệt.
authors:
  - name: Nguyễn Đình Phúc
    id: phuc-nd
---

Nội dung tin.
"""


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    make_repository(root, 8081)
    subprocess.run(
        [sys.executable, "-m", "portal.cli", "desk", "install-guard", str(root)],
        check=True,
        capture_output=True,
    )
    return root


def submit(repo) -> str:
    git(repo, "switch", "-q", "-c", "cms/tin-tuc--news/chua-duyet")
    (repo / "content/tin-tuc/2026-11-30-chua-duyet.md").write_text(ITEM, encoding="utf-8")
    git(repo, "add", "content")
    git(repo, "commit", "-qm", "Gửi tin bài mới")
    git(repo, "switch", "-q", "main")
    return "cms/tin-tuc--news/chua-duyet"


def head(repo, ref="refs/heads/main") -> str:
    return git(repo, "rev-parse", ref).strip()


def test_merging_a_refused_submission_into_main_is_aborted(repo):
    branch = submit(repo)
    before = head(repo)
    result = subprocess.run(
        ["git", "merge", "--no-ff", "-m", "Publish", branch],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "chưa qua cổng duyệt" in result.stderr
    assert head(repo) == before
    # The checkout is back at main: nothing of the refused submission is left staged.
    assert git(repo, "status", "--porcelain") == ""
    assert not (repo / "content/tin-tuc/2026-11-30-chua-duyet.md").exists()
    result = subprocess.run(
        ["git", "update-ref", "refs/heads/main", head(repo, f"refs/heads/{branch}")],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and head(repo) == before


def test_a_refused_fast_forward_leaves_the_checkout_and_local_edits_alone(repo):
    branch = submit(repo)
    before = head(repo)
    notes = repo / "ghi-chu.txt"
    notes.write_text("việc đang làm dở\n", encoding="utf-8")  # untracked, not in the merge
    result = subprocess.run(
        ["git", "merge", "--ff-only", branch], cwd=repo, capture_output=True, text=True
    )
    assert result.returncode != 0 and head(repo) == before
    assert git(repo, "status", "--porcelain") == "?? ghi-chu.txt\n"
    assert notes.read_text(encoding="utf-8") == "việc đang làm dở\n"


def test_main_cannot_be_deleted_and_other_branches_move_freely(repo):
    before = head(repo)
    result = subprocess.run(
        ["git", "update-ref", "-d", "refs/heads/main"], cwd=repo, capture_output=True, text=True
    )
    assert result.returncode != 0 and "không được xóa" in result.stderr
    assert head(repo) == before
    submit(repo)  # branch creation and commits on the submission branch are not guarded
    git(repo, "branch", "-q", "ban-nhap")
    git(repo, "branch", "-q", "-D", "ban-nhap")


def test_the_hook_input_is_read_for_the_protected_branch_only():
    zero = "0" * 40
    stdin = f"{zero} {'a' * 40} refs/heads/mainline\n{'b' * 40} {'c' * 40} refs/heads/main\n"
    assert guard.protected_updates(stdin, "main") == [("b" * 40, "c" * 40)]
    assert guard.run("committed", stdin, "main") == 0  # only "prepared" can abort
    assert guard.run("prepared", f"{'b' * 40} {zero} refs/heads/main\n", "main") == 1
