"""What Nghị định 42/2022/NĐ-CP asks of the portal and what a reader notices (issue 16),
checked on the sample portal built with the real Pelican: leadership, the information
groups as child sections, questions and answers, consultation on drafts, the site map,
the footer's editor-in-chief and licence, English chrome, the emblem placeholder, feeds,
search records, the home page and the schedule."""

import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from portal.content import sitedata
from tests.conftest import REPO, make_site
from tests.site.sitebuild import build, build_sample, read_page

ATOM = "{http://www.w3.org/2005/Atom}"
SECTIONS = yaml.safe_load((REPO / "content/data/sections.yml").read_text(encoding="utf-8"))
LEADERS = yaml.safe_load((REPO / "content/data/leaders.yml").read_text(encoding="utf-8"))
UNITS = yaml.safe_load((REPO / "content/data/units.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("reader"))


def main_part(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- footer, emblem, English chrome ----------------------------------------------------


def test_footer_names_the_editor_in_chief_and_the_decision_on_every_page(sample):
    settings = (REPO / "pelicanconf.py").read_text(encoding="utf-8")
    assert "PORTAL_EDITOR_IN_CHIEF" in settings and "PORTAL_LICENCE" in settings
    for page in ("", "van-ban", "hoi-dap", "so-do-cong", "gioi-thieu/lanh-dao-so"):
        footer = read_page(sample, page).split('<footer class="site-footer"', 1)[1]
        assert "Chịu trách nhiệm chính: Giám đốc Sở Nội vụ, Trưởng Ban Biên tập" in footer, page
        assert "theo Quyết định số 27/QĐ-SNV ngày 22/4/2021" in footer, page
    english = read_page(sample, "gioi-thieu/contacts").split('<footer class="site-footer"', 1)[1]
    assert "Responsible for content: Director of the Department" in english
    assert "Decision No. 27/QĐ-SNV" in english


def test_emblem_is_a_marked_placeholder_named_by_a_setting(sample):
    html = read_page(sample, "")
    assert (
        '<img class="emblem emblem-placeholder" src="./theme/images/emblem-placeholder.svg"' in html
    )
    assert 'rel="icon" href="./theme/images/emblem-placeholder.svg"' in html
    svg = (sample / "theme/images/emblem-placeholder.svg").read_text(encoding="utf-8")
    assert "PLACEHOLDER" in svg and "<title>Chỗ đặt biểu trưng (mẫu, cần thay)</title>" in svg
    assert not (sample / "theme/images/emblem.svg").exists()  # no fake emblem is shipped


def test_the_administrators_emblem_replaces_the_placeholder(tmp_path):
    make_site(tmp_path)
    conf = tmp_path / "pelicanconf.py"
    (tmp_path / "theme/static/images/so-noi-vu.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8"
    )
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + '\nPORTAL_EMBLEM = "theme/images/so-noi-vu.svg"\nPORTAL_EMBLEM_IS_PLACEHOLDER = False\n',
        encoding="utf-8",
    )
    result = build(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "output/index.html").read_text(encoding="utf-8")
    assert '<img class="emblem" src="./theme/images/so-noi-vu.svg"' in html
    assert "emblem-placeholder" not in html.split("<body>", 1)[1]


def test_english_pages_have_english_chrome_and_an_english_organisation_chart(sample):
    html = read_page(sample, "gioi-thieu/organisation")
    assert '<a class="skip-link" href="#noi-dung">Skip to main content</a>' in html
    assert '<span class="brand-top">People\'s Committee of Ha Tinh province</span>' in html
    chart = html.split('id="org-chart-en"', 1)[1].split("</section>", 1)[0]
    for leader in LEADERS["leaders"]:
        assert f"<strong>{leader['position_en']}</strong>" in chart
        for code in leader.get("units", []):
            unit = next(u for u in UNITS if u["code"] == code)
            assert unit["name_en"] in chart, code
    assert "so-do-to-chuc.svg" not in html  # the Vietnamese chart is not passed off as English
    assert "Ủy ban nhân dân tỉnh Hà Tĩnh" not in html  # Vietnamese chrome gone...
    assert '<html lang="en">' in html and 'lang="vi" hreflang="vi">Tiếng Việt</a>' in html


# --- leadership and directory ---------------------------------------------------------


def test_leaders_and_their_portfolios_on_the_introduction_and_the_directory(sample):
    for url in ("gioi-thieu/lanh-dao-so", "danh-ba"):
        html = main_part(read_page(sample, url))
        for leader in LEADERS["leaders"]:
            assert f"{leader['position']} {leader['name']}" in html, url
            for duty in leader["portfolio"]:
                assert duty in html, url
            assert f'href="mailto:{leader["email"]}"' in html
    assert 'href="../gioi-thieu/lanh-dao-so/"' in read_page(sample, "gioi-thieu")  # sub-menu


def test_the_directory_lists_every_unit(sample):
    html = main_part(read_page(sample, "danh-ba"))
    for unit in UNITS:
        if unit["type"] != "board":
            assert f"<h3>{unit['name']}</h3>" in html, unit["code"]


def test_a_leader_overseeing_an_unknown_unit_is_refused_at_its_line(tmp_path):
    content = make_site(tmp_path)
    path = content / "data/leaders.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("units: [van-phong,", "units: [phong-ma,", 1),
        encoding="utf-8",
    )
    problems = [str(p).split("content/data/", 1)[1] for p in sitedata.load(content).problems]
    line = next(
        n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if "phong-ma" in text
    )
    assert problems == [
        f"leaders.yml:{line}: units: đơn vị 'phong-ma' không có trong content/data/units.yml"
    ]


# --- the information groups: child sections -------------------------------------------

CHILDREN = [s for s in SECTIONS if "parent" in s]


def test_every_group_nd42_asks_for_has_its_section(sample):
    codes = {s["code"] for s in CHILDREN}
    assert {
        "hoi-dap",
        "lay-y-kien-du-thao",
        "chien-luoc-ke-hoach",
        "du-an-dau-thau",
        "cong-khai-ngan-sach",
        "thong-ke",
        "danh-muc-thong-tin-cong-khai",
    } <= codes
    for child in CHILDREN:
        page = read_page(sample, child["code"])
        assert child["title"] in page.split("<main", 1)[1]
        parent = next(s for s in SECTIONS if s["code"] == child["parent"])
        assert f'<a href="../{parent["code"]}/">{parent["title"]}</a>' in page  # breadcrumb
        # The menu marks the parent as the reader's place.
        menu = page.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
        assert f'href="../{parent["code"]}/" aria-current="true"' in menu, child["code"]


def test_document_groups_list_their_documents_with_the_legal_filter(sample):
    for child in (s for s in CHILDREN if s["kinds"] == ["legal"]):
        html = read_page(sample, child["code"])
        rows = re.findall(r"<tr data-item ", html)
        assert len(rows) >= 2, child["code"]
        assert f"Danh sách văn bản ({len(rows)} văn bản)" in html
        assert 'data-list-filter="danh-sach-van-ban"' in html


def test_a_section_parent_must_be_a_top_level_section(tmp_path):
    content = make_site(tmp_path)
    path = content / "data/sections.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("parent: thong-tin-khac", "parent: hoi-dap", 1), encoding="utf-8")
    problems = [str(p) for p in sitedata.load(content).problems]
    assert len(problems) == 1, problems
    assert ": parent: chuyên mục cha 'hoi-dap' không phải một chuyên mục cấp trên" in problems[0]
    line = int(problems[0].split(":")[1])
    assert path.read_text("utf-8").splitlines()[line - 1].strip() == "parent: hoi-dap"


def test_the_disclosure_list_links_every_group(sample):
    html = main_part(read_page(sample, "danh-muc-thong-tin-cong-khai"))
    for child in CHILDREN:
        if child["code"] != "danh-muc-thong-tin-cong-khai":
            assert re.search(rf'href="[./]*{child["code"]}/"', html), child["code"]


# --- questions and answers --------------------------------------------------------------


def test_questions_and_answers_are_listed_with_their_filter_data(sample):
    html = read_page(sample, "hoi-dap")
    items = re.findall(r'<article class="answer-summary" data-item ([^>]*)>', html)
    answers = list((REPO / "content/hoi-dap").glob("*.md"))
    assert len(items) == len(answers) >= 5
    assert all('data-field="' in i and 'data-year="20' in i and 'data-text="' in i for i in items)
    fields = set(re.findall(r'data-field="([^"]+)"', html))
    for field in fields:
        assert f'<option value="{field}">{field}</option>' in html
    assert f"Câu hỏi đã trả lời ({len(items)} câu hỏi)" in html


def test_asking_without_an_endpoint_is_a_prepared_mail_and_says_so(sample):
    html = read_page(sample, "hoi-dap")
    ask = html.split('id="gui-cau-hoi"', 1)[1]
    assert "<form" not in ask.split("</section>", 1)[0]  # nothing pretends to receive a form
    assert "Cổng thông tin điện tử không tự nhận câu hỏi" in ask
    link = re.search(r'href="(mailto:[^"]+)">Soạn thư gửi câu hỏi', ask).group(1)
    parts = urlsplit(link.replace("&amp;", "&"))
    assert parts.path == "sonoivu@hatinh.gov.vn"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Câu hỏi gửi Sở Nội vụ qua Cổng thông tin điện tử"]
    assert "Nội dung câu hỏi:" in query["body"][0]


def test_asking_with_an_endpoint_posts_there_and_the_policy_allows_only_it(tmp_path):
    make_site(tmp_path, with_sample_content=True)
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + '\nPORTAL_QUESTION_ENDPOINT = "https://hoidap.hatinh.gov.vn/gui?nguon=snv"\n',
        encoding="utf-8",
    )
    result = build(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    html = read_page(tmp_path / "output", "hoi-dap")
    assert (
        '<form class="ask-form" method="post" action="https://hoidap.hatinh.gov.vn/gui?nguon=snv">'
        in html
    )
    assert "Cổng không lưu câu hỏi" in html
    assert 'form-action &#39;self&#39; https://hoidap.hatinh.gov.vn"' in html


@pytest.mark.parametrize(
    "endpoint",
    ['"http://hoidap.hatinh.gov.vn/gui"', '"javascript:alert(1)"', '"https://"', "42"],
)
def test_a_question_endpoint_that_is_not_https_stops_the_build(tmp_path, endpoint):
    make_site(tmp_path)
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + f"\nPORTAL_QUESTION_ENDPOINT = {endpoint}\n",
        encoding="utf-8",
    )
    result = build(tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "pelicanconf.py: PORTAL_QUESTION_ENDPOINT: địa chỉ nhận câu hỏi phải là" in log
    assert "Traceback" not in log


# --- consultation on drafts -------------------------------------------------------------


def test_a_draft_shows_its_deadline_and_how_to_comment(sample):
    html = read_page(
        sample,
        "lay-y-kien-du-thao/du-thao-quyet-dinh-quy-dinh-chuc-nang-nhiem-vu-cua-so-noi-vu-tinh-ha-tinh",
    )
    assert (
        '<th scope="row">Hạn góp ý</th><td><span class="deadline">hết ngày '
        '<time datetime="2026-12-20">20/12/2026</time>' in html
    )
    assert 'href="mailto:sonoivu@hatinh.gov.vn?subject=' in html
    assert 'href="../../files/du-thao-chuc-nang-nhiem-vu-2026.pdf" download' in html
    # Open or closed depends on the reader's day: the built page does not claim either.
    assert '<span class="consultation-state" data-deadline="2026-12-20" hidden></span>' in html
    assert "Đang lấy ý kiến" not in html and "Đã hết hạn" not in html
    assert '<h2 id="tin-cung-chuyen-muc">Dự thảo khác</h2>' in html


def test_closed_drafts_are_kept_in_the_list(sample):
    html = read_page(sample, "lay-y-kien-du-thao")
    deadlines = re.findall(r'data-deadline="(\d{4}-\d\d-\d\d)"', html)
    assert len(deadlines) == 10 and min(deadlines) < "2026-11-01" < max(deadlines)  # page 1
    older = read_page(sample, "lay-y-kien-du-thao/page/2")
    assert re.findall(r'data-deadline="(\d{4}-\d\d-\d\d)"', older) == ["2025-08-10"]


def test_a_deadline_before_the_draft_is_posted_is_refused(tmp_path):
    content = make_site(tmp_path, with_sample_content=True)
    path = content / "lay-y-kien-du-thao/2026-11-20-du-thao-chuc-nang-nhiem-vu-2026.md"
    path.write_text(
        path.read_text("utf-8").replace("deadline: 2026-12-20", "deadline: 2026-11-01"), "utf-8"
    )
    result = build(tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert (
        "content/lay-y-kien-du-thao/2026-11-20-du-thao-chuc-nang-nhiem-vu-2026.md:10: deadline: "
        "hạn góp ý (deadline) trước ngày đăng dự thảo (date)"
    ) in log


# --- site map, legal documents, related ----------------------------------------------------


def test_the_site_map_page_reaches_every_section_and_page(sample):
    html = main_part(read_page(sample, "so-do-cong"))
    for section in SECTIONS:
        assert f'href="../{section["code"]}/">{section["title"]}</a>' in html, section["code"]
    pages = ("lanh-dao-so", "qua-trinh-hinh-thanh-va-phat-trien", "about-us", "organisation")
    for url in (f"gioi-thieu/{page}/" for page in pages):
        assert f'href="../{url}"' in html, url
    assert 'href="./so-do-cong/">Sơ đồ Cổng</a>' in read_page(sample, "")


def test_a_legal_documents_side_column_says_what_it_lists(sample):
    html = read_page(sample, "van-ban/quyet-dinh-27-qd-snv")
    assert '<h2 id="tin-cung-chuyen-muc">Văn bản khác</h2>' in html
    assert "Tin cùng chuyên mục" not in html
    assert "Tin cùng chuyên mục" in read_page(
        sample, "tin-tuc/so-noi-vu-to-chuc-giao-ban-cong-tac-thang-11-nam-2026"
    )


def test_document_numbers_do_not_wrap_and_the_archive_link_says_what_it_opens(sample):
    css = (sample / "theme/css/portal.css").read_text(encoding="utf-8")
    assert ".legal-number, .doc-number, .doc-number a { white-space: nowrap; }" in css
    assert '<td data-label="Số ký hiệu" class="doc-number">' in read_page(sample, "van-ban")
    html = read_page(sample, "van-ban/quyet-dinh-27-qd-snv")
    tools = html.split('<div class="tools"', 1)[1].split("</div>", 1)[0]
    assert ">Tin bài đã đăng theo tháng</a>" in tools and ">Lưu trữ<" not in tools


# --- feeds ------------------------------------------------------------------------------


def test_each_feed_has_its_own_id_a_section_title_and_public_entry_ids(sample):
    ids, titles = {}, {}
    by_code = {s["code"]: s["title"] for s in SECTIONS}
    for path in sorted((sample / "feeds").glob("*.atom.xml")):
        root = ET.parse(path).getroot()
        ids[path.name] = root.find(f"{ATOM}id").text
        titles[path.stem.removesuffix(".atom")] = root.find(f"{ATOM}title").text
        for entry in root.iter(f"{ATOM}entry"):
            entry_id = entry.find(f"{ATOM}id").text
            assert entry_id.startswith("tag:sonoivu.hatinh.gov.vn,"), (path.name, entry_id)
            assert (
                entry.find(f"{ATOM}link").get("href").startswith("https://sonoivu.hatinh.gov.vn/")
            )
            assert (entry.find(f"{ATOM}author/{ATOM}name").text or "").strip(), entry_id
    assert len(set(ids.values())) == len(ids) > 7
    assert ids["all.atom.xml"] == "https://sonoivu.hatinh.gov.vn/feeds/all.atom.xml"
    for code, title in titles.items():
        if code != "all":
            assert title == f"Cổng thông tin điện tử Sở Nội vụ Hà Tĩnh - {by_code[code]}"


def test_legal_entries_name_the_issuer_as_author(sample):
    root = ET.parse(sample / "feeds/van-ban.atom.xml").getroot()
    authors = {e.find(f"{ATOM}author/{ATOM}name").text for e in root.iter(f"{ATOM}entry")}
    assert "Sở Nội vụ Hà Tĩnh" in authors and "Chính phủ" in authors


# --- search records, home page, schedule ----------------------------------------------------


def test_pages_carry_no_placeholder_date_into_search(sample):
    dated, undated = 0, 0
    for meta in _search_metas(sample):
        if meta["url"].startswith(("gioi-thieu/", "dich-vu-cong/", "lich-cong-tac/", "danh-ba/")):
            assert meta["date"] == "", meta["url"]
            undated += 1
        elif meta["url"].startswith("tin-tuc/"):
            assert re.fullmatch(r"\d\d/\d\d/20\d\d", meta["date"]), meta
            dated += 1
    assert dated and undated


def _search_metas(sample: Path):
    """The metadata of every page Pagefind indexed, read from its fragment files (gzip'd
    JSON after a `pagefind_dcd` signature); each shard also serves the web worker."""
    from portal.site import search

    for shard in json.loads((sample / "pagefind/shards.json").read_text())["shards"]:
        assert (sample / "pagefind" / shard / search.WORKER_FILE).is_file(), shard
        for fragment in (sample / "pagefind" / shard / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
            record = json.loads(data)
            yield {"url": record["url"].lstrip("/"), "date": record["meta"].get("date", "")}


def test_the_home_page_shows_each_story_once(sample):
    html = main_part(read_page(sample, ""))
    links = re.findall(r'href="\./([a-z0-9-]+/[a-z0-9-]+/)"', html)
    links = [link for link in links if not link.startswith("page/")]  # pagination, twice
    assert links and len(links) == len(set(links)), [u for u in links if links.count(u) > 1]


def test_this_week_is_left_to_the_readers_browser(sample):
    html = read_page(sample, "lich-cong-tac")
    weeks = re.findall(
        r'data-week-start="(\d{4}-\d\d-\d\d)" data-week-end="(\d{4}-\d\d-\d\d)"', html
    )
    assert ("2026-11-30", "2026-12-06") in weeks and ("2026-11-23", "2026-11-29") in weeks
    assert html.count('<span class="badge" data-this-week hidden>Tuần này</span>') == len(weeks)
    assert "current-week" not in html
    schedule = REPO / "content/data/schedule"
    assert "huyện" not in " ".join(p.read_text("utf-8") for p in schedule.glob("*.yml"))


def test_pages_carry_no_placeholder_date_into_the_sitemap(sample):
    sitemap = (sample / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://sonoivu.hatinh.gov.vn/gioi-thieu/lanh-dao-so/</loc></url>" in sitemap
    assert "2021-01-01" not in sitemap
    assert (
        "<loc>https://sonoivu.hatinh.gov.vn/van-ban/quyet-dinh-27-qd-snv/</loc>"
        "<lastmod>2021-04-22</lastmod>"
    ) in sitemap


@pytest.mark.parametrize(
    "change,message",
    [
        ("parent: thong-ke", "chuyên mục cha 'thong-ke' không phải một chuyên mục cấp trên"),
        ("parent: khong-co", "chuyên mục cha 'khong-co' không phải một chuyên mục cấp trên"),
        ("parent: hoi-dap", "chuyên mục cha 'hoi-dap' không phải một chuyên mục cấp trên"),
    ],
    ids=["grandchild", "unknown", "itself"],
)
def test_bad_parents_are_refused(tmp_path, change, message):
    content = make_site(tmp_path)
    path = content / "data/sections.yml"
    text = path.read_text(encoding="utf-8")
    target = "- code: hoi-dap\n" if "hoi-dap" in change else "- code: thong-ke\n"
    if "thong-ke" in change:
        target = "- code: cong-khai-ngan-sach\n"
    head, tail = text.split(target, 1)
    tail = re.sub(r"parent: [a-z-]+", change, tail, count=1)
    path.write_text(head + target + tail, encoding="utf-8")
    problems = [str(p) for p in sitedata.load(content).problems]
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize(
    "field,value",
    [
        ("comment_email", "javascript:alert(1)//@x.vn"),
        ("comment_email", "gop-y@hatinh.gov.vn?bcc=ai@x.vn"),
        ("deadline", "20/12/2026"),
        ("file", "../../etc/passwd"),
    ],
)
def test_a_drafts_hostile_fields_are_refused(tmp_path, field, value):
    content = make_site(tmp_path, with_sample_content=True)
    path = content / "lay-y-kien-du-thao/2026-11-20-du-thao-chuc-nang-nhiem-vu-2026.md"
    text = path.read_text("utf-8")
    path.write_text(re.sub(rf"^{field}: .*$", f'{field}: "{value}"', text, flags=re.M), "utf-8")
    result = build(tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode == 1 and "2026-11-20-du-thao-chuc-nang-nhiem-vu-2026.md:" in log
    assert f": {field}: " in log and "Traceback" not in log
