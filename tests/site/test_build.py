"""Functional tests: build the sample portal with the real Pelican into a temporary
folder (as `make html` does) and check the pages a citizen would read."""

import html as html_module
import json
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from portal.site import PELICAN
from tests.conftest import make_site
from tests.site.sitebuild import build, build_sample, read_page


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample"))


def test_home_page_is_vietnamese_and_lists_latest_items(sample):
    html = read_page(sample, "/")
    assert '<html lang="vi">' in html
    assert "Cổng thông tin điện tử Sở Nội vụ Hà Tĩnh" in html
    assert "Sở Nội vụ tổ chức giao ban công tác tháng 11 năm 2026" in html
    # The newest story is featured (short date); the latest list spells out the weekday.
    assert "Thứ Hai, 23/11/2026" in html  # 23/11/2026 is a Monday


def test_every_clause_of_article_6_has_a_reachable_section(sample):
    sections = yaml.safe_load(
        (Path(__file__).parents[2] / "content/data/sections.yml").read_text(encoding="utf-8")
    )
    top_level = [s for s in sections if "parent" not in s]
    assert sorted(s["clause"] for s in top_level) == list(range(1, 12))
    home = read_page(sample, "/")
    menu = home[home.index('<nav class="main-nav"') : home.index("</nav>", home.index("main-nav"))]
    for section in top_level:
        assert f'href="./{section["code"]}/"' in home, section["code"]
        page = read_page(sample, section["code"])
        assert section["title"] in page
    for child in (s for s in sections if "parent" in s):  # reached from its parent's page
        assert f'href="../{child["code"]}/"' in read_page(sample, child["parent"]), child["code"]
        assert f'href="./{child["code"]}/"' not in menu  # in its parent's page instead
        assert child["title"] in read_page(sample, child["code"])


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
    html = read_page(sample, "van-ban/quyet-dinh-27-qd-snv")
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
    listing = read_page(sample, "van-ban")
    assert "42/2022/NĐ-CP" in listing and "27/QĐ-SNV" in listing


def test_item_shows_author_unit_and_source(sample):
    html = read_page(
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
    assert "0239 3855 513" in read_page(sample, "danh-ba")
    services = read_page(sample, "dich-vu-cong")
    assert "Thi tuyển công chức" in services and "Mức 4" in services
    assert "Giao ban Lãnh đạo Sở đầu tuần" in read_page(sample, "lich-cong-tac")
    assert "Cơ sở dữ liệu cán bộ, công chức, viên chức" in read_page(sample, "phan-mem")


def test_english_page_is_marked_english(sample):
    assert '<html lang="en">' in read_page(sample, "gioi-thieu/about-us")


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


def all_pages(output: Path) -> dict[str, str]:
    return {
        str(page.relative_to(output)): page.read_text(encoding="utf-8")
        for page in output.rglob("*.html")
        if "pagefind" not in page.parts
    }


def test_every_page_is_safe_and_accessible_in_its_markup(sample):
    for name, html in all_pages(sample).items():
        assert '<meta http-equiv="Content-Security-Policy"' in html, name
        policy = html_module.unescape(re.search(r'Security-Policy" content="([^"]*)"', html)[1])
        assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "object-src 'none'" in policy
        assert re.search(r'<html lang="(vi|en)">', html), name
        assert 'class="skip-link"' in html and 'id="noi-dung"' in html, name
        assert "<main" in html and "<header" in html and "<footer" in html, name
        assert 'rel="canonical" href="https://sonoivu.hatinh.gov.vn/' in html, name
        assert "<script>" not in html and " onclick=" not in html, f"inline script in {name}"
        for tag in re.findall(r"<img\b[^>]*>", html):
            assert re.search(r'\salt="', tag), f"{name}: {tag}"


def test_no_page_loads_anything_from_another_site(sample):
    for name, html in all_pages(sample).items():
        for tag, url in re.findall(
            r"<(script|img|iframe|link|source)\b[^>]*?\s(?:src|href)=\"([^\"]*)\"", html
        ):
            if tag == "link" and "stylesheet" not in html[html.find(url) - 120 : html.find(url)]:
                continue  # canonical and feed links are not loaded by the page
            assert "://" not in url and not url.startswith("//"), f"{name}: {tag} {url}"


def test_sitemap_robots_and_open_graph(sample):
    sitemap = (sample / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://sonoivu.hatinh.gov.vn/</loc>" in sitemap
    assert "<loc>https://sonoivu.hatinh.gov.vn/van-ban/quyet-dinh-27-qd-snv/</loc>" in sitemap
    assert "<loc>https://sonoivu.hatinh.gov.vn/danh-ba/</loc>" in sitemap
    assert sitemap.count("<loc>https://sonoivu.hatinh.gov.vn/danh-ba/</loc>") == 1
    assert "hen-gio-dang" not in sitemap and "du-thao-ke-hoach-tuyen-truyen" not in sitemap
    robots = (sample / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://sonoivu.hatinh.gov.vn/sitemap.xml" in robots
    item = read_page(
        sample, "hoi-nghi-tap-huan/hoi-nghi-tap-huan-nghiep-vu-cai-cach-hanh-chinh-nam-2026"
    )
    assert '<meta property="og:type" content="article">' in item
    assert '<meta property="og:title" content="Hội nghị tập huấn nghiệp vụ cải cách' in item
    assert (
        '<meta property="og:image" content="https://sonoivu.hatinh.gov.vn/images/hoi-nghi-cchc-2026.svg">'
        in item
    )


def test_not_found_page_links_from_the_site_root(sample):
    html = (sample / "404.html").read_text(encoding="utf-8")
    assert "Không tìm thấy trang" in html
    assert 'href="/theme/css/portal.css"' in html and 'href="/tim-kiem/"' in html


def test_search_index_and_page_are_built(sample):
    assert (sample / "pagefind" / "pagefind.js").is_file()
    shards = json.loads((sample / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert "2021-q2" in shards["shards"]  # Quyết định 27/QĐ-SNV, 22/04/2021
    for shard in shards["shards"]:
        assert list((sample / "pagefind" / shard / "fragment").iterdir())
        assert not (sample / "pagefind" / shard / "pagefind.js").exists()  # shared script
    search = read_page(sample, "tim-kiem")
    assert 'type="module" src="../theme/js/search.js"' in search
    assert 'data-siteurl=".."' in search and "<noscript>" in search


def test_english_pages_for_organisation_functions_and_contacts(sample):
    for url, text in (
        ("gioi-thieu/about-us", "Functions"),
        ("gioi-thieu/organisation", "Division of Administrative Reform"),
        ("gioi-thieu/contacts", "Chief of Office"),
    ):
        html = read_page(sample, url)
        assert '<html lang="en">' in html and text in html, url
        # English chrome: header, menu and footer in English, the way back to Vietnamese marked.
        assert '<span class="brand-name">Department of Home Affairs' in html, url
        assert 'aria-label="Main menu"' in html and "Responsible for content:" in html, url
        assert '<a href="../../" lang="vi" hreflang="vi">Tiếng Việt</a>' in html, url
        assert "Chuyên mục" not in html and "Bỏ qua, đến nội dung" not in html, url


def test_legal_list_carries_the_filter_data(sample):
    html = read_page(sample, "van-ban")
    row = re.search(
        r'<tr data-item data-type="Quyết định" data-issuer="Sở Nội vụ Hà Tĩnh"[^>]*>',
        html,
    )
    assert row and 'data-year="2021"' in row.group(0) and "27/qd-snv" in row.group(0)
    assert '<option value="UBND tỉnh Hà Tĩnh">' in html and '<option value="2015">' in html


def test_section_list_is_paginated_under_page_n(sample):
    first, second = read_page(sample, "tin-tuc"), read_page(sample, "tin-tuc/page/2")
    assert 'rel="next" href="../tin-tuc/page/2/"' in first
    assert (
        'aria-current="page" class="current"><span class="visually-hidden">Trang </span>2' in second
    )


def test_raw_html_is_sanitised_and_the_author_warned(tmp_path):
    content = make_site(tmp_path, with_sample_content=True)
    (content / "tin-tuc" / "co-ma-doc.md").write_text(
        "---\ntitle: Tin có mã lạ\nkind: news\ndate: 2026-11-21 08:00\nsection: tin-tuc\n"
        "unit: van-phong\nstatus: published\nsummary: Tin thử mã lạ.\n"
        "authors:\n  - name: Lê Văn Tùng\n    id: tung-lv\n"
        "---\n\nĐoạn đầu.\n\n<script>alert('xss')</script>\n"
        '<a href="javascript:alert(1)" onclick="steal()">bấm</a>\n',
        encoding="utf-8",
    )
    result = build(tmp_path, "-e", "PORTAL_SEARCH=false")
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    assert "content/tin-tuc/co-ma-doc.md:16: body: cảnh báo (warning): thẻ <script>" in log
    assert "content/tin-tuc/co-ma-doc.md:17: body: cảnh báo (warning): thuộc tính sự kiện" in log
    html = read_page(tmp_path / "output", "tin-tuc/tin-co-ma-la")
    assert "Đoạn đầu." in html
    assert "alert(" not in html and "steal()" not in html and "javascript:" not in html


def test_publish_settings_use_the_public_address(tmp_path):
    make_site(tmp_path, with_sample_content=True)
    result = subprocess.run(
        [
            str(PELICAN),
            "--fatal",
            "errors",
            "content",
            "-o",
            "output",
            "-s",
            "publishconf.py",
            "-e",
            "PORTAL_SEARCH=false",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PORTAL_SITEURL": "https://thu-nghiem.hatinh.gov.vn"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    home = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://thu-nghiem.hatinh.gov.vn/theme/css/portal.css"' in home
    assert '<link rel="canonical" href="https://thu-nghiem.hatinh.gov.vn/">' in home
    robots = (tmp_path / "output" / "robots.txt").read_text(encoding="utf-8")
    assert "https://thu-nghiem.hatinh.gov.vn/sitemap.xml" in robots


def test_a_page_data_setting_without_its_template_stops_the_build(tmp_path):
    make_site(tmp_path, with_sample_content=True)
    result = build(
        tmp_path, "-e", "PORTAL_SEARCH=false", "-e", 'PORTAL_PAGE_DATA={"contacts": "nhan-su"}'
    )
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert (
        "pelicanconf.py: PORTAL_PAGE_DATA: trang 'contacts' cần mẫu "
        "theme/templates/partials/data-nhan-su.html nhưng không có" in log
    )
    assert "directory-en" in log and "Traceback" not in log
