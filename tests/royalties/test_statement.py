"""The month's statement from a real git history of merges (tests/royalties/conftest.py).

Unit value from 2026-07-01: 253,000 đồng (sample rates in reviews/royalty-rates.yml).
"""

import csv
import io
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pytest

from portal.cli import main
from portal.content import sitedata
from portal.dates import VIETNAM
from portal.royalties.history import read_history
from portal.royalties.rates import load_rates
from portal.royalties.statement import html_bytes
from portal.royalties.tally import tally_month
from tests.royalties.conftest import LAN, PortalRepo, build_newsroom, submit

AFTER_NOVEMBER = datetime(2026, 12, 10, 12, 0, tzinfo=VIETNAM)


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    return build_newsroom(tmp_path_factory.mktemp("newsroom"))


def statement_for(repo, month: str, as_of: datetime = AFTER_NOVEMBER, **options):
    site = sitedata.load(repo.content)
    return tally_month(
        read_history(repo.content), site, load_rates(repo.root), month, as_of, **options
    )


def amounts(statement) -> dict[tuple[str, str], int]:
    return {
        (person.person_id, line.title): line.amount
        for person in statement.people
        for line in person.lines
    }


def test_november_pays_each_rule_as_documented(newsroom):
    november = statement_for(newsroom, "2026-11")
    assert amounts(november) == {
        ("phuc-nd", "Cải cách hành chính"): 303_600,  # 2.0 × 253,000 × 60%
        ("duc-hv", "Cải cách hành chính"): 202_400,  # 40%
        ("lan-pt", "Tin đăng lại"): 126_500,  # merged, reverted, merged again: once
        ("dinh-tc", "Tin sưu tầm"): 50_600,  # collected: 20% of 1.0 × 253,000
        ("anh-vtn", "Tin có ảnh"): 151_800,  # 0.6 × 253,000
        ("tung-lv", "Tin có ảnh"): 253_000,  # photographer: 2 images × 0.5 × 253,000
        ("thu-ltm", "Video hội nghị"): 1_265_000,
        ("thu-ltm", "Bài của Thư ký"): 759_000,
    }
    assert november.royalty_total == 3_111_900
    assert not november.provisional and not november.problems


def test_the_printable_statement_escapes_contributors_text(newsroom):
    """Titles and names are contributors' text: printed as text, never as markup."""
    november = statement_for(newsroom, "2026-11")
    person = november.people[0]
    person.name = '<img src=x onerror="alert(1)">'
    person.lines[0] = replace(person.lines[0], title="<script>alert('tiêu đề')</script>")
    page = html_bytes(november).decode("utf-8")
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;tiêu đề&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")


def test_edited_after_publication_is_paid_in_its_own_month_only(newsroom):
    october = statement_for(newsroom, "2026-10")
    # the October version's coefficient (0.5), not the one edited in November (0.9)
    assert amounts(october) == {("lan-pt", "Giao ban tháng mười"): 126_500}
    assert ("lan-pt", "Giao ban tháng mười (sửa)") not in amounts(
        statement_for(newsroom, "2026-11")
    )


def test_future_dated_item_is_paid_when_its_date_comes(newsroom):
    november = statement_for(newsroom, "2026-11")
    assert all(
        line.title != "Tin hẹn giờ tháng mười hai" for p in november.people for line in p.lines
    )
    december = statement_for(newsroom, "2026-12", datetime(2027, 1, 5, tzinfo=VIETNAM))
    (line,) = [line for p in december.people for line in p.lines]
    assert (line.title, line.amount) == ("Tin hẹn giờ tháng mười hai", 101_200)
    assert line.published == datetime(2026, 12, 2, 8, 0, tzinfo=VIETNAM)


def test_draft_is_never_paid_nor_listed(newsroom):
    for month in ("2026-11", "2026-12"):
        statement = statement_for(newsroom, month, datetime(2027, 1, 5, tzinfo=VIETNAM))
        titles = {line.title for p in statement.people for line in p.lines}
        titles |= {u.title for u in statement.unpaid}
        assert "Bản nháp" not in titles


def test_item_unpublished_within_the_month_is_listed_but_not_paid(newsroom):
    november = statement_for(newsroom, "2026-11")
    (withdrawn,) = [u for u in november.unpaid if u.title == "Tin bị gỡ"]
    assert "gỡ xuống lúc 08:00 15/11/2026" in withdrawn.reason
    assert "duc-hv" in {p.person_id for p in november.people}  # for B only
    assert all(line.title != "Tin bị gỡ" for p in november.people for line in p.lines)


def test_tax_is_withheld_from_a_person_paid_the_threshold_or_more(newsroom):
    november = statement_for(newsroom, "2026-11")
    people = {p.person_id: p for p in november.people}
    assert (people["thu-ltm"].amount, people["thu-ltm"].tax) == (2_024_000, 202_400)
    assert people["thu-ltm"].net == 1_821_600
    assert all(p.tax == 0 for p in november.people if p.person_id != "thu-ltm")
    assert (november.tax_total, november.net_total) == (202_400, 2_909_500)


def test_allowances_follow_the_terms_in_force_that_month(newsroom):
    november = statement_for(newsroom, "2026-11")
    allowances = {(a.person_id, a.role): (a.days, a.amount) for a in november.allowances}
    assert allowances == {
        ("hung-nv", "Trưởng Ban Biên tập"): (30, 759_000),  # 0.3 × 2,530,000
        ("huong-tt", "Phó Trưởng Ban Biên tập"): (30, 632_500),
        ("thu-ltm", "Thư ký Ban Biên tập"): (30, 506_000),
        ("bao-dq", "Ủy viên Ban Biên tập"): (30, 379_500),
        ("phuc-nd", "Ủy viên Ban Biên tập"): (30, 379_500),
        ("mai-nt", "Ủy viên Ban Biên tập"): (15, 189_750),  # joined on 16/11
        ("tung-lv", "Quản trị Cổng"): (30, 506_000),
    }
    assert november.allowance_total == 3_352_250
    assert november.payment_total == 2_909_500 + 3_352_250
    assert november.signers == {
        "secretary": "Lê Thị Minh Thu",
        "accountant": "Nguyễn Thị Hà",
        "head": "Nguyễn Văn Hùng",
    }


def test_a_month_not_over_is_provisional(newsroom):
    statement = statement_for(newsroom, "2026-11", datetime(2026, 11, 18, tzinfo=VIETNAM))
    assert statement.provisional
    assert ("lan-pt", "Tin đăng lại") not in amounts(statement)  # reverted at that moment


def test_unit_value_at_publication_or_at_payment(tmp_path):
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/thang-sau.md",
            "Tin tháng sáu",
            "2026-06-20 08:00",
            "2026-06-20 09:00",
            authors=[LAN],
            royalty={"work": "tin", "coefficient": 1.0},
        ),
        start="2026-06-01 08:00",
    )
    as_of = datetime(2026, 7, 10, tzinfo=VIETNAM)
    assert statement_for(repo, "2026-06", as_of).royalty_total == 234_000
    rates = repo.root / "reviews" / "royalty-rates.yml"
    rates.write_text(
        rates.read_text(encoding="utf-8").replace(
            "unit_value_at: publication", "unit_value_at: payment"
        ),
        encoding="utf-8",
    )
    paid_in_july = statement_for(repo, "2026-06", as_of, payment_day=date(2026, 7, 5))
    assert paid_in_july.royalty_total == 253_000
    assert statement_for(repo, "2026-06", as_of).royalty_total == 234_000  # paid 30/06


def run_cli(repo, monkeypatch, *args) -> int:
    monkeypatch.chdir(repo.root)
    return main(["royalties", "--month", "2026-11", "--as-of", "2026-12-10 12:00", *args])


def test_files_are_written_outside_the_site_with_totals_and_words(newsroom, monkeypatch, capsys):
    assert run_cli(newsroom, monkeypatch) == 0
    folder = newsroom.root / "build" / "royalties" / "2026-11"
    assert sorted(p.name for p in folder.iterdir()) == [
        "nhuan-but-2026-11.csv",
        "nhuan-but-2026-11.html",
        "nhuan-but-2026-11.xlsx",
    ]
    out = capsys.readouterr()
    assert "nhuận bút 3.111.900 đồng" in out.out
    assert "BẢNG MẪU" in out.err
    rows = list(csv.reader(io.StringIO((folder / "nhuan-but-2026-11.csv").read_text("utf-8-sig"))))
    total = next(row for row in rows if row and row[1:2] == ["TỔNG CỘNG NHUẬN BÚT"])
    assert total[15:18] == ["3111900", "202400", "2909500"]
    assert ["Bằng chữ: Ba triệu một trăm mười một nghìn chín trăm đồng"] in rows
    html = (folder / "nhuan-but-2026-11.html").read_text(encoding="utf-8")
    for text in (
        "BẢNG KÊ CHI TRẢ NHUẬN BÚT VÀ PHỤ CẤP THÁNG 11/2026",
        "Ba triệu một trăm mười một nghìn chín trăm đồng",
        "3.111.900",
        "BẢNG MẪU",
        "NGƯỜI LẬP BIỂU",
        "Lê Thị Minh Thu",
        "Nguyễn Thị Hà",
        "Nguyễn Văn Hùng",
        "Ngô Thị Mai",
        "https://sonoivu.hatinh.gov.vn/tin-tuc/cai-cach-hanh-chinh/",
    ):
        assert text in html, text
    sheet = openpyxl.load_workbook(folder / "nhuan-but-2026-11.xlsx").active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[1] == "TỔNG CỘNG NHUẬN BÚT" and row[15] == 3_111_900 for row in values)
    assert any(row[1] == "Cộng: Lê Thị Minh Thu" and row[16] == 202_400 for row in values)


def test_same_history_gives_identical_files(newsroom, monkeypatch, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli(newsroom, monkeypatch, "--out", str(first)) == 0
    # later commits and a later run do not change a closed month
    assert (
        main(
            ["royalties", "--month", "2026-11", "--as-of", "2027-03-01 00:00", "--out", str(second)]
        )
        == 0
    )
    for name in ("nhuan-but-2026-11.csv", "nhuan-but-2026-11.xlsx", "nhuan-but-2026-11.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_never_writes_into_the_public_site(newsroom, monkeypatch, capsys):
    assert run_cli(newsroom, monkeypatch, "--out", "output/nhuan-but") == 2
    assert "output/ là Cổng công khai" in capsys.readouterr().err
    assert not (newsroom.root / "output").exists()


def test_dry_run_shows_the_files_and_writes_nothing(newsroom, monkeypatch, capsys, tmp_path):
    assert run_cli(newsroom, monkeypatch, "--out", str(tmp_path / "x"), "--dry-run") == 0
    assert "nhuan-but-2026-11.xlsx (mới)" in capsys.readouterr().out
    assert not (tmp_path / "x").exists()


def test_an_item_with_a_bad_coefficient_is_listed_and_not_paid(tmp_path, monkeypatch, capsys):
    repo = PortalRepo(
        tmp_path,
        submit(
            "tin-tuc/qua-khung.md",
            "Tin ngoài khung",
            "2026-11-02 08:00",
            "2026-11-02 09:00",
            authors=[LAN],
            royalty={"work": "tin", "coefficient": 4.0},
        ),
    )
    assert run_cli(repo, monkeypatch, "--out", str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "content/tin-tuc/qua-khung.md:" in err and "royalty.coefficient" in err
    assert "hệ số 4.0 ngoài khung" in err
    statement = statement_for(repo, "2026-11")
    assert statement.royalty_total == 0
    assert "có lỗi, chưa trả" in statement.unpaid[0].reason


def test_bad_month_is_a_clear_error(newsroom, monkeypatch, capsys):
    monkeypatch.chdir(newsroom.root)
    assert main(["royalties", "--month", "11/2026"]) == 2
    assert "tháng '11/2026' không hợp lệ: cần dạng YYYY-MM" in capsys.readouterr().err


def test_outside_a_git_repository_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from tests.conftest import make_site

    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["royalties", "--month", "2026-11"]) == 2
    assert "không nằm trong một kho git" in capsys.readouterr().err
