"""The printed statement as the accountant gets it: the HTML statement printed to PDF
by Debian's headless Chromium (Playwright), read back with poppler's pdftotext and
pdfinfo; the workbook's print settings read back with openpyxl and from its XML.
"""

import os
import re
import subprocess
import zipfile
from datetime import datetime

import openpyxl
import pytest
from playwright.sync_api import sync_playwright

from portal.cli import main
from portal.dates import VIETNAM
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import REPO
from tests.royalties.conftest import DUC, LAN, PHUC, TUNG, PortalRepo, submit

ARTIFACTS = REPO / "test-artifacts"
AS_OF = datetime(2026, 12, 10, tzinfo=VIETNAM)
THIRD = {"work": "tin", "coefficient": 1.0}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """November: an item shared by three (33.33% each), a photo, a collected article."""
    root = tmp_path_factory.mktemp("print")
    repo = PortalRepo(
        root / "repo",
        submit(
            "tin-tuc/ba-nguoi.md",
            "Tin ba người viết",
            "2026-11-03 08:00",
            "2026-11-03 09:00",
            authors=[LAN, DUC, PHUC, {**TUNG, "role": "photo"}],
            images=[{"src": "images/hoi-nghi.svg", "alt": "Ảnh hội nghị"}],
            royalty=THIRD,
        ),
        submit(
            "thong-tin-khac/suu-tam.md",
            "Bài sưu tầm",
            "2026-11-05 08:00",
            "2026-11-05 09:00",
            kind="article",
            section="thong-tin-khac",
            origin="collected",
            source={"name": "Bộ Nội vụ", "url": "https://moha.gov.vn"},
            authors=[LAN],
            royalty={"work": "bai", "coefficient": 1.0},
        ),
    )
    out = root / "out"
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        code = main(
            ["royalties", "--month", "2026-11", "--as-of", "2026-12-10 00:00", "--out", str(out)]
        )
    finally:
        os.chdir(cwd)
    assert code == 0
    return out


@pytest.fixture(scope="module")
def pdf(written):
    html = written / "nhuan-but-2026-11.html"
    target = written / "nhuan-but-2026-11.pdf"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
        page.goto(html.as_uri())
        page.emulate_media(media="print")
        layout = page.evaluate(
            """() => [...document.querySelectorAll('.signature')].map(block => ({
                title: block.querySelector('strong').getBoundingClientRect().top,
                hint: block.querySelector('.hint').getBoundingClientRect().bottom,
                name: block.querySelector('.name').getBoundingClientRect().top,
                left: block.getBoundingClientRect().left,
                text: block.innerText}))"""
        )
        receipts = page.locator("td.sign-receipt").count()
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "royalty-statement.png"), full_page=True)
        browser.close()
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(
        ["pdfinfo", str(target)], capture_output=True, text=True, check=True
    ).stdout
    return {"text": text, "info": info, "layout": layout, "receipts": receipts}


def test_the_pdf_is_a4_landscape(pdf):
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", pdf["info"])
    width, height = float(size[1]), float(size[2])
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2  # A4 landscape


def test_signature_blocks_read_as_an_accountant_expects(pdf):
    text = pdf["text"]
    assert "Hà Tĩnh, ngày 30 tháng 11 năm 2026" in text
    assert text.count("(Ký, ghi rõ họ tên)") == 3
    for title in ("NGƯỜI LẬP BIỂU", "KẾ TOÁN", "TRƯỞNG BAN BIÊN TẬP"):
        assert title in text
    assert "Kế toán (Kế toán)" not in text and "(Thư ký)" not in text
    blocks = pdf["layout"]
    assert len(blocks) == 3
    assert len({round(b["title"]) for b in blocks}) == 1  # side by side
    assert blocks[0]["left"] < blocks[1]["left"] < blocks[2]["left"]
    for block in blocks:
        assert block["name"] - block["hint"] >= 60  # room to sign, then the name
    names = [b["text"].splitlines()[-1].strip() for b in blocks]
    assert names == ["Lê Thị Minh Thu", "Nguyễn Thị Hà", "Nguyễn Văn Hùng"]


def test_sign_for_receipt_once_per_person(written, pdf):
    """Four people (Lan has two works): four "Ký nhận" cells, Lan's spanning both lines."""
    assert pdf["receipts"] == 4
    html = (written / "nhuan-but-2026-11.html").read_text(encoding="utf-8")
    assert html.count('class="sign-receipt"') == 4
    assert 'rowspan="3"' in html  # Lan: two lines and her subtotal


def test_shares_are_rounded_for_display_and_apart_from_the_origin_rate(written, pdf):
    html = (written / "nhuan-but-2026-11.html").read_text(encoding="utf-8")
    assert "33,33%" in html and "33,3333" not in html
    assert "<th>Phần hưởng</th><th>Tỷ lệ theo nguồn gốc</th>" in html
    assert "20%" in html  # the collected article's rate, in its own column
    assert "33,33%" in pdf["text"]


def test_the_workbook_prints_a4_landscape_one_page_wide_with_the_header_repeated(written):
    path = written / "nhuan-but-2026-11.xlsx"
    sheet = openpyxl.load_workbook(path).active
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    header_row = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
    assert sheet.cell(header_row, 2).value == "Họ và tên"
    assert sheet.cell(header_row, 13).value == "Phần hưởng (%)"
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert '<pageSetUpPr fitToPage="1"' in xml
    assert 'fitToWidth="1"' in xml and 'fitToHeight="0"' in xml
    assert 'orientation="landscape"' in xml and 'paperSize="9"' in xml
    workbook = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    assert "_xlnm.Print_Titles" in workbook


def _print_pdf(html_path, target) -> str:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
        page.goto(html_path.as_uri())
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        browser.close()
    return subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_draft_says_so_on_every_printed_page(tmp_path, monkeypatch):
    repo = PortalRepo(
        tmp_path / "repo",
        *(
            submit(
                f"tin-tuc/tin-{number:02d}.md",
                f"Tin số {number} của tháng mười một",
                f"2026-11-{2 + number % 20:02d} 08:00",
                f"2026-11-{2 + number % 20:02d} 09:{number:02d}",
                authors=[LAN if number % 2 else DUC],
                royalty=THIRD,
            )
            for number in range(24)
        ),
        submit(
            "tin-tuc/loi.md",
            "Tin có hệ số âm",
            "2026-11-25 08:00",
            "2026-11-25 09:00",
            authors=[LAN],
            royalty={"work": "tin", "coefficient": -1},
        ),
    )
    monkeypatch.chdir(repo.root)
    out = tmp_path / "out"
    assert (
        main(["royalties", "--month", "2026-11", "--as-of", "2026-12-10 00:00", "--out", str(out)])
        == 1
    )
    text = _print_pdf(out / "nhuan-but-2026-11-ban-nhap.html", tmp_path / "draft.pdf")
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert "BẢN NHÁP — CÓ LỖI, KHÔNG TRÌNH KÝ" in page
