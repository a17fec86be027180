"""Functional tests: build the sample portal with the real Pelican into a temporary
folder (as `make html` does) and check the pages a citizen would read."""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.conftest import make_site

PELICAN = Path(sys.executable).parent / "pelican"


def build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(PELICAN),
            "--fatal",
            "errors",
            "--log-handler",
            "plain",
            "content",
            "-o",
            "output",
            "-s",
            "pelicanconf.py",
            *extra,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    make_site(root, with_sample_content=True)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output"


def read(output: Path, url: str) -> str:
    return (output / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_home_page_is_vietnamese_and_lists_latest_items(sample):
    html = read(sample, "/")
    assert '<html lang="vi">' in html
    assert "Cổng thông tin điện tử Sở Nội vụ Hà Tĩnh" in html
    assert "Sở Nội vụ tổ chức giao ban công tác tháng 11 năm 2026" in html
    assert "Thứ Ba, 24/11/2026" in html  # 24/11/2026 is a Tuesday


def test_every_clause_of_article_6_has_a_reachable_section(sample):
    sections = yaml.safe_load(
        (Path(__file__).parents[2] / "content/data/sections.yml").read_text(encoding="utf-8")
    )
    assert sorted(s["clause"] for s in sections) == list(range(1, 12))
    home = read(sample, "/")
    for section in sections:
        assert f'href="./{section["code"]}/"' in home, section["code"]
        page = read(sample, section["code"])
        assert section["title"] in page


def test_every_internal_link_resolves(sample):
    for page in sample.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for target in re.findall(r'(?:href|src)="([^"#:]+)"', html):
            if target.startswith("mailto") or target.startswith("tel"):
                continue
            # Root-relative links (the 404 page, served at any depth) start at the site root.
            base = sample if target.startswith("/") else page.parent
            resolved = (base / target.lstrip("/")).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.exists(), f"{page.relative_to(sample)} → {target}"


def test_legal_document_page_shows_required_fields(sample):
    html = read(sample, "van-ban/quyet-dinh-27-qd-snv")
    for text in (
        "27/QĐ-SNV",
        "Quyết định",
        "Sở Nội vụ Hà Tĩnh",
        "22/04/2021",
        "Ban hành Quy chế về quản lý, vận hành",
        'href="../../files/27-QD-SNV-2021.pdf"',
    ):
        assert text in html, text
    assert (sample / "files/27-QD-SNV-2021.pdf").read_bytes().startswith(b"%PDF")
    listing = read(sample, "van-ban")
    assert "42/2022/NĐ-CP" in listing and "27/QĐ-SNV" in listing


def test_item_shows_author_unit_and_source(sample):
    html = read(
        sample, "thong-tin-khac/bo-noi-vu-day-manh-chuyen-doi-so-trong-quan-ly-ho-so-cong-chuc"
    )
    assert "Trương Công Định" in html
    assert "Chi cục Văn thư - Lưu trữ" in html
    assert "Nguồn:" in html and "https://moha.gov.vn" in html


def test_drafts_and_future_items_are_not_published(sample):
    everything = "".join(p.read_text(encoding="utf-8") for p in sample.rglob("*.html"))
    everything += "".join(p.read_text(encoding="utf-8") for p in sample.rglob("*.xml"))
    assert "Dự thảo kế hoạch tuyên truyền" not in everything
    assert "Chúc mừng năm mới 2030" not in everything
    assert not (sample / "drafts").exists()


def test_data_sections_show_directory_services_schedule_software(sample):
    assert "0239 3855 513" in read(sample, "danh-ba")
    services = read(sample, "dich-vu-cong")
    assert "Thi tuyển công chức" in services and "Mức 4" in services
    assert "Giao ban Lãnh đạo Sở đầu tuần" in read(sample, "lich-cong-tac")
    assert "Cơ sở dữ liệu cán bộ, công chức, viên chức" in read(sample, "phan-mem")


def test_english_page_is_marked_english(sample):
    assert '<html lang="en">' in read(sample, "gioi-thieu/about-us")


def test_feeds_for_all_and_per_section(sample):
    assert "Sở Nội vụ tổ chức giao ban" in (sample / "feeds/all.atom.xml").read_text("utf-8")
    assert (sample / "feeds/van-ban.atom.xml").exists()


def test_invalid_item_fails_the_build_with_its_reason(tmp_path):
    content = make_site(tmp_path, with_sample_content=True)
    bad = content / "tin-tuc" / "hong.md"
    bad.write_text(
        "---\ntitle: Tin hỏng\nkind: news\ndate: 2026-13-01\n"
        "section: tin-tuc\nstatus: published\n---\n",
        encoding="utf-8",
    )
    for attempt in ("cold", "from Pelican's content cache"):
        result = build(tmp_path)
        log = result.stdout + result.stderr
        assert result.returncode == 1, attempt
        assert "content/tin-tuc/hong.md:4: date: ngày giờ '2026-13-01' không tồn tại" in log
        assert "content/tin-tuc/hong.md:1: authors: thiếu trường bắt buộc 'authors'" in log
        assert "Traceback" not in log
        assert not (tmp_path / "output").exists(), "nothing is written when content is invalid"


def test_schedule_shows_current_week_first():
    from portal.site.plugin import order_schedules

    weeks = [{"week": w, "entries": []} for w in ("2026-W47", "2026-W48", "2026-W49", "2026-W50")]
    ordered = order_schedules(weeks, date(2026, 11, 30))  # Monday of week 49
    assert [w["week"] for w in ordered] == ["2026-W49", "2026-W50", "2026-W48", "2026-W47"]
    assert ordered[0]["is_current"] and not ordered[1]["is_current"]
