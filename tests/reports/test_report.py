"""The secretary's report from a real git history: counts, weekly quota, shortfalls, files."""

from datetime import date, datetime

import openpyxl
import pytest

from portal.cli import main
from portal.content import sitedata
from portal.dates import VIETNAM
from portal.reports.charts import weekly_chart
from portal.reports.period import parse_period
from portal.reports.report import Shortfall, build_report
from portal.reports.writers import shortfall_text
from portal.royalties.history import read_history
from tests.royalties.conftest import DUC, LAN, THU, PortalRepo, change, item, submit

LATER = datetime(2027, 1, 10, tzinfo=VIETNAM)


@pytest.fixture(scope="module")
def units_at_work(tmp_path_factory):
    """From W45 (2–8 Nov 2026): Phòng Cải cách hành chính meets its quota every week;
    Phòng Công chức, viên chức only in W45; Văn phòng Sở sends news but no article."""
    steps = []
    for week, monday in enumerate(("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23")):
        day = f"{monday[:-2]}{int(monday[-2:]) + 1:02d}"
        for kind in ("news", "article"):
            steps += submit(
                f"tin-tuc/cchc-{week}-{kind}.md",
                f"Cải cách tuần {week} {kind}",
                f"{day} 08:00",
                f"{day} 09:{10 if kind == 'news' else 20}",
                kind=kind,
                authors=[DUC],
            )
        if week == 0:  # Phòng Công chức, viên chức: only in the first week
            steps += submit(
                "tin-tuc/ccvc-tin.md",
                "Công chức tin",
                "2026-11-04 08:00",
                "2026-11-04 09:00",
                authors=[LAN],
            )
            steps += submit(
                "tin-tuc/ccvc-bai.md",
                "Công chức bài",
                "2026-11-04 08:00",
                "2026-11-04 11:00",
                kind="article",
                authors=[LAN],
            )
        steps += submit(
            f"tin-tuc/vp-{week}.md",
            f"Văn phòng tuần {week}",
            f"{day} 10:00",
            f"{day} 10:30",
            authors=[THU],
        )
    withdrawn = item(
        "Công chức bài", "2026-11-04 08:00", status="draft", kind="article", authors=[LAN]
    )
    steps.append(change("Withdrawn", "2026-11-27 09:00", {"tin-tuc/ccvc-bai.md": withdrawn}))
    return PortalRepo(tmp_path_factory.mktemp("units"), *steps, start="2026-11-02 07:00")


def report_for(repo, period: str, as_of: datetime = LATER):
    site = sitedata.load(repo.content)
    return build_report(read_history(repo.content), site, parse_period(period), as_of)


def test_counts_by_unit_section_kind_and_author(units_at_work):
    report = report_for(units_at_work, "2026-11")
    assert len(report.publications) == 14
    assert report.by_unit == {
        "Phòng Cải cách hành chính": 8,
        "Văn phòng Sở": 4,
        "Phòng Công chức, viên chức": 2,
    }
    assert report.by_kind == {"Tin": 9, "Bài viết": 5}
    assert report.by_section == {"Tin tức - Sự kiện": 14}
    assert report.by_author["Hoàng Văn Đức"] == 8 and report.by_author["Phạm Thị Lan"] == 2
    assert [item.title for item in report.withdrawn] == ["Công chức bài"]


def test_a_week_report_counts_that_week_only(units_at_work):
    report = report_for(units_at_work, "2026-W46")
    assert report.by_unit == {"Phòng Cải cách hành chính": 2, "Văn phòng Sở": 1}


def test_weekly_quota_and_since_when(units_at_work):
    report = report_for(units_at_work, "2026-11")
    rows = {(row.unit, row.monday): (row.news, row.articles, row.short) for row in report.quota}
    assert rows[("Phòng Cải cách hành chính", date(2026, 11, 16))] == (1, 1, False)
    assert rows[("Văn phòng Sở", date(2026, 11, 16))] == (1, 0, True)
    assert rows[("Phòng Công chức, viên chức", date(2026, 11, 2))] == (1, 1, False)
    shortfalls = {s.unit: s for s in report.shortfalls}
    assert "Phòng Cải cách hành chính" not in shortfalls
    office = shortfalls["Văn phòng Sở"]
    assert (office.since, office.run_weeks) == (date(2026, 11, 2), 4)
    civil = shortfalls["Phòng Công chức, viên chức"]
    assert (civil.since, civil.run_weeks) == (date(2026, 11, 9), 3)
    assert civil.weeks_short == (date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))
    # units that never sent anything are short since history began
    assert shortfalls["Thanh tra Sở"].since == date(2026, 11, 2)


def test_the_running_week_is_not_judged_yet(units_at_work):
    report = report_for(units_at_work, "2026-W48", datetime(2026, 11, 25, 12, tzinfo=VIETNAM))
    assert report.provisional
    assert all(not row.finished for row in report.quota)
    assert report.shortfalls == []


def test_files_are_written_and_reproducible(units_at_work, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(units_at_work.root)
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert (
            main(
                ["report", "--period", "2026-11", "--as-of", "2027-01-10 00:00", "--out", str(out)]
            )
            == 0
        )
    names = sorted(p.name for p in first.iterdir())
    assert names == [
        "bao-cao-2026-11-don-vi.svg",
        "bao-cao-2026-11-tuan.svg",
        "bao-cao-2026-11.md",
        "bao-cao-2026-11.xlsx",
    ]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    markdown = (first / "bao-cao-2026-11.md").read_text(encoding="utf-8")
    assert "# BÁO CÁO TIN BÀI ĐĂNG TRÊN CỔNG TTĐT SỞ NỘI VỤ — THÁNG 11/2026" in markdown
    assert "| Phòng Cải cách hành chính | 8 |" in markdown
    assert (
        "Văn phòng Sở: thiếu chỉ tiêu các tuần 2026-W45, 2026-W46, 2026-W47, 2026-W48" in markdown
    )
    assert (
        "thiếu liên tục từ tuần 2026-W45 (02/11–08/11/2026) đến tuần 2026-W48 "
        "(23/11–29/11/2026) (4 tuần liền)" in markdown
    )
    assert "đến nay" not in markdown
    svg = (first / "bao-cao-2026-11-tuan.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "Phòng Cải cách hành chính" in svg
    workbook = openpyxl.load_workbook(first / "bao-cao-2026-11.xlsx")
    assert workbook.sheetnames == ["Tổng hợp", "Chỉ tiêu tuần", "Danh sách"]
    assert workbook["Danh sách"].max_row == 15  # header + 14 items
    assert "Văn phòng Sở: thiếu chỉ tiêu" in capsys.readouterr().out


def test_default_folder_is_build_reports(units_at_work, monkeypatch):
    monkeypatch.chdir(units_at_work.root)
    assert main(["report", "--period", "2026-W46", "--as-of", "2027-01-10 00:00"]) == 0
    assert (units_at_work.root / "build/reports/2026-W46/bao-cao-2026-W46.md").is_file()


@pytest.mark.parametrize("period", ["2026-W54", "2026-13", "26", "tuần 47"])
def test_bad_period_is_a_clear_error(units_at_work, monkeypatch, capsys, period):
    monkeypatch.chdir(units_at_work.root)
    assert main(["report", "--period", period]) == 2
    assert f"kỳ báo cáo '{period}' không hợp lệ" in capsys.readouterr().err


@pytest.fixture(scope="module")
def quick_withdrawal(tmp_path_factory):
    """W46 (9–15 Nov 2026): Văn phòng Sở publishes 3 news items and no article;
    Phòng Cải cách hành chính a news item and an article, the article taken down two
    days later; W47: Cải cách again, an article kept for ten days, then taken down."""
    return PortalRepo(
        tmp_path_factory.mktemp("quick"),
        submit(
            "tin-tuc/cchc-tin.md",
            "Cải cách tin",
            "2026-11-09 08:00",
            "2026-11-09 09:00",
            authors=[DUC],
        ),
        submit(
            "tin-tuc/cchc-bai.md",
            "Cải cách bài gỡ sớm",
            "2026-11-09 08:00",
            "2026-11-09 09:30",
            kind="article",
            authors=[DUC],
        ),
        change("Taken down after two days", "2026-11-11 09:00", {"tin-tuc/cchc-bai.md": None}),
        *(
            submit(
                f"tin-tuc/vp-{number}.md",
                f"Văn phòng tin {number}",
                f"2026-11-1{number + 2} 08:00",
                f"2026-11-1{number + 2} 09:00",
                authors=[THU],
            )
            for number in range(3)
        ),
        submit(
            "tin-tuc/cchc-tin-2.md",
            "Cải cách tin 2",
            "2026-11-17 08:00",
            "2026-11-17 09:00",
            authors=[DUC],
        ),
        submit(
            "tin-tuc/cchc-bai-2.md",
            "Cải cách bài giữ lâu",
            "2026-11-17 08:00",
            "2026-11-17 09:30",
            kind="article",
            authors=[DUC],
        ),
        change("Taken down after ten days", "2026-11-27 09:00", {"tin-tuc/cchc-bai-2.md": None}),
        start="2026-11-02 07:00",
    )


def test_an_item_taken_down_within_days_does_not_count_toward_the_quota(quick_withdrawal):
    report = report_for(quick_withdrawal, "2026-11")
    rows = {(row.unit, row.monday): (row.news, row.articles, row.short) for row in report.quota}
    assert rows[("Phòng Cải cách hành chính", date(2026, 11, 9))] == (1, 0, True)
    assert rows[("Phòng Cải cách hành chính", date(2026, 11, 16))] == (1, 1, False)
    titles = {item.title for item in report.publications}
    assert "Cải cách bài gỡ sớm" in titles  # still reported as published, and withdrawn
    assert {item.title for item in report.withdrawn} == {
        "Cải cách bài gỡ sớm",
        "Cải cách bài giữ lâu",
    }


def test_the_weekly_chart_shows_news_and_articles_apart(quick_withdrawal):
    report = report_for(quick_withdrawal, "2026-W46")
    assert report.weekly["Văn phòng Sở"][date(2026, 11, 9)] == (3, 0)
    svg = weekly_chart(report).decode("utf-8")
    assert "3 tin" in svg and "0 bài" in svg
    assert "số in đậm: loại còn thiếu" in svg


def test_a_run_of_one_short_week_is_said_plainly(units_at_work):
    monday = date(2026, 11, 23)
    text = shortfall_text(Shortfall("Thanh tra Sở", (monday,), monday, 1, monday))
    assert "từ tuần" not in text and "1 tuần liền" not in text
    assert "thiếu liên tục 1 tuần: tuần 2026-W48 (23/11–29/11/2026)" in text
