"""Reading what was published, and when, from main's first-parent history."""

from datetime import datetime

import pytest

from portal.dates import VIETNAM
from portal.errors import PortalError
from portal.royalties import logcache
from portal.royalties.history import read_history
from portal.royalties.tally import payable_run
from tests.githistory import Branch, Commit, Merge, Switch, Tag
from tests.royalties.conftest import LAN, PortalRepo, build_newsroom, change, item, submit

LATER = datetime(2027, 1, 1, tzinfo=VIETNAM)
ROYALTY = {"work": "tin", "coefficient": 0.5}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


def only_life(repo):
    (life,) = read_history(repo.content).items.values()
    return life


def test_publication_is_the_merge_time_not_the_branch_commit_time(tmp_path):
    repo = PortalRepo(
        tmp_path,
        Branch("slow"),
        change(
            "Submitted on 1/10",
            "2026-10-01 09:00",
            {"tin-tuc/cho-duyet.md": item("Tin chờ duyệt lâu", "2026-10-01 08:00", authors=[LAN])},
        ),
        Switch("main"),
        Merge("slow", "2026-11-03 10:00", "Approved"),
    )
    (run,) = only_life(repo).runs(LATER)
    assert run.start == at("2026-11-03 10:00") and run.end is None


def test_unmerged_branches_are_not_published(tmp_path):
    repo = PortalRepo(
        tmp_path,
        Branch("pending"),
        change(
            "Not merged",
            "2026-10-01 09:00",
            {"tin-tuc/chua-duyet.md": item("Tin chưa duyệt", "2026-10-01 08:00", authors=[LAN])},
        ),
        Switch("main"),
    )
    assert read_history(repo.content).items == {}


def test_a_plain_commit_on_main_counts_too(tmp_path):
    repo = PortalRepo(
        tmp_path,
        change(
            "Direct commit",
            "2026-10-02 09:00",
            {"tin-tuc/truc-tiep.md": item("Tin đăng thẳng", "2026-10-02 08:00", authors=[LAN])},
        ),
    )
    assert only_life(repo).runs(LATER)[0].start == at("2026-10-02 09:00")


def test_a_rename_after_publication_keeps_the_item(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/ten-cu.md",
            "Tin đổi tên tệp",
            "2026-10-02 08:00",
            "2026-10-02 09:00",
            authors=[LAN],
            royalty=ROYALTY,
        ),
        Commit(
            "Rename",
            "2026-11-05 09:00",
            moves={"content/tin-tuc/ten-cu.md": "content/tin-tuc/ten-moi.md"},
        ),
    )
    life = only_life(repo)
    assert [v.path for v in life.versions] == [
        "content/tin-tuc/ten-cu.md",
        "content/tin-tuc/ten-moi.md",
    ]
    assert payable_run(life, LATER).start == at("2026-10-02 09:00")


def test_a_file_removed_and_added_back_elsewhere_with_its_slug_is_the_same_item(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/mot.md",
            "Tin chuyển chuyên mục",
            "2026-10-02 08:00",
            "2026-10-02 09:00",
            authors=[LAN],
            royalty=ROYALTY,
        ),
        change("Withdraw", "2026-10-03 09:00", {"tin-tuc/mot.md": None}),
        change(
            "Back in another section",
            "2026-10-20 09:00",
            {
                "thong-tin-khac/hai.md": item(
                    "Tin chuyển chuyên mục",
                    "2026-10-02 08:00",
                    section="thong-tin-khac",
                    authors=[LAN],
                    royalty=ROYALTY,
                    summary="Khác hẳn " * 20,
                )
            },
        ),
    )
    life = only_life(repo)
    assert [(r.start, r.end) for r in life.runs(LATER)] == [
        (at("2026-10-02 09:00"), at("2026-10-03 09:00")),
        (at("2026-10-20 09:00"), None),
    ]


def test_a_clock_running_backwards_cannot_reorder_main(tmp_path):
    a = "tin-tuc/a.md"
    repo = PortalRepo(
        tmp_path,
        submit(a, "Tin thứ nhất", "2026-10-01 08:00", "2026-10-10 09:00", authors=[LAN]),
        change(
            "Edited, with a clock five days slow",
            "2026-10-05 09:00",
            {a: item("Tin thứ nhất (sửa)", "2026-10-01 08:00", authors=[LAN])},
        ),
        change(
            "Unpublished",
            "2026-10-20 09:00",
            {a: item("Tin thứ nhất", "2026-10-01 08:00", status="draft", authors=[LAN])},
        ),
    )
    life = only_life(repo)
    assert [v.time for v in life.versions][1] == at("2026-10-10 09:00")  # not before its parent
    assert [(r.start, r.end) for r in life.runs(LATER)] == [
        (at("2026-10-10 09:00"), at("2026-10-20 09:00"))
    ]


def test_rescheduling_before_the_date_moves_the_publication(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/hen.md", "Tin hẹn giờ", "2026-10-20 08:00", "2026-10-01 09:00", authors=[LAN]
        ),
        change(
            "Postponed",
            "2026-10-15 09:00",
            {"tin-tuc/hen.md": item("Tin hẹn giờ", "2026-11-02 08:00", authors=[LAN])},
        ),
    )
    (run,) = only_life(repo).runs(LATER)
    assert run.start == at("2026-11-02 08:00")
    assert only_life(repo).runs(at("2026-11-01 00:00")) == []  # not yet visible then


def _drop_cache(repo) -> None:
    (repo.root / ".git" / logcache.CACHE_NAME).unlink(missing_ok=True)


def _same(one, other) -> None:
    assert one.items.keys() == other.items.keys()
    assert one.commits == other.commits
    for key, life in one.items.items():
        assert life.versions == other.items[key].versions, key
        assert life.runs(LATER) == other.items[key].runs(LATER)


def test_a_long_history_read_by_several_git_processes_is_the_same(tmp_path, monkeypatch):
    repo = build_newsroom(tmp_path)
    whole = read_history(repo.content)
    _drop_cache(repo)
    monkeypatch.setattr(logcache, "COMMITS_PER_WORKER", 3)
    monkeypatch.setattr(logcache.os, "cpu_count", lambda: 4)
    split = read_history(repo.content)
    _same(whole, split)


def test_the_log_kept_between_runs_gives_what_git_gives(tmp_path):
    """Extended by new commits, cut for an earlier month, thrown away when main is
    rewritten or the file is damaged: always the same history as a fresh read."""
    repo = build_newsroom(tmp_path)
    cache = repo.root / ".git" / logcache.CACHE_NAME
    middle = at("2026-11-15 00:00")
    early = read_history(repo.content, until=middle)  # the cache holds up to mid-November
    assert cache.exists() and early.commits[-1][0] <= middle
    full = read_history(repo.content)  # extends it
    _drop_cache(repo)
    _same(full, read_history(repo.content))
    _same(early, read_history(repo.content, until=middle))  # cut from the longer cache
    _drop_cache(repo)
    _same(early, read_history(repo.content, until=middle))
    repo.git("reset", "-q", "--hard", "HEAD~3")  # main rewritten: the cache is longer
    repo.run(
        change(
            "Another ending",
            "2026-11-27 09:00",
            {"tin-tuc/khac.md": item("Tin thay thế", "2026-11-27 08:00", authors=[LAN])},
        )
    )
    rewritten = read_history(repo.content)
    assert "content/tin-tuc/khac.md" in rewritten.items
    _drop_cache(repo)
    _same(rewritten, read_history(repo.content))
    cache.write_bytes(cache.read_bytes()[:200] + b"damaged")
    _same(rewritten, read_history(repo.content))
    cache.write_bytes(b"not a cache at all")
    _same(rewritten, read_history(repo.content))


def test_until_leaves_out_what_landed_later(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit("tin-tuc/a.md", "Tin a", "2026-10-01 08:00", "2026-10-01 09:00", authors=[LAN]),
        submit("tin-tuc/b.md", "Tin b", "2026-11-01 08:00", "2026-11-01 09:00", authors=[LAN]),
    )
    assert list(read_history(repo.content, until=at("2026-10-31 23:59")).items) == [
        "content/tin-tuc/a.md"
    ]


def test_a_tag_that_shadows_main_is_refused_not_guessed(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit("tin-tuc/a.md", "Tin a", "2026-10-01 08:00", "2026-10-01 09:00", authors=[LAN]),
        Tag("main", "main~1"),  # a tag named like the branch, at another commit
    )
    with pytest.raises(PortalError, match="refs/heads/main"):
        read_history(repo.content)
    assert list(read_history(repo.content, "refs/heads/main").items) == ["content/tin-tuc/a.md"]
    assert read_history(repo.content, "refs/tags/main").items == {}


def test_a_commit_id_or_an_unknown_name(tmp_path):
    repo = PortalRepo(tmp_path)
    head = repo.git("rev-parse", "HEAD")
    assert read_history(repo.content, head).head == head
    with pytest.raises(PortalError, match="không tìm thấy nhánh 'khong-co'"):
        read_history(repo.content, "khong-co")
