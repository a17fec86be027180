"""The portal in a real browser: Debian's headless Chromium driven by Playwright, against
the sample portal built once for this module and served on 127.0.0.1 from a thread.

Every page a test opens is watched: a request to any host but 127.0.0.1, a console
error (a Content-Security-Policy violation is one) or a script error fails the test.
Screenshots at desktop and phone widths are kept in test-artifacts/ (not committed).
"""

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from portal.vntext import fold
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import REPO, make_site
from tests.site.sitebuild import build, serve

ARTIFACTS = REPO / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
ALL_SECTIONS = yaml.safe_load((REPO / "content/data/sections.yml").read_text(encoding="utf-8"))
SECTIONS = [s for s in ALL_SECTIONS if "parent" not in s]  # the menu's; children are below

LEGAL_27 = "/van-ban/quyet-dinh-27-qd-snv/"
ITEM = "/thong-tin-khac/bo-noi-vu-day-manh-chuyen-doi-so-trong-quan-ly-ho-so-cong-chuc/"
DA_NANG = "Đoàn công tác Sở Nội vụ học tập kinh nghiệm cải cách hành chính tại Đà Nẵng"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    make_site(root, with_sample_content=True)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(root / "output") as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One browser tab on the served site, with what it requested and complained about."""

    def __init__(self, browser, base_url: str, viewport: dict):
        self.base_url = base_url
        self.context = browser.new_context(viewport=viewport, locale="vi-VN")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.complaints: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.complaints.append(f"script: {error}"))
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.complaints.append(message.text),
        )

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def check_and_close(self) -> None:
        self.context.close()
        foreign = [url for url in self.requests if urlsplit(url).hostname != "127.0.0.1"]
        assert not foreign, f"requests leaving the portal: {foreign}"
        assert not self.complaints, f"browser errors: {self.complaints}"


@pytest.fixture
def visit(browser, site):
    tabs = []

    def open_tab(viewport=DESKTOP) -> Visit:
        tabs.append(Visit(browser, site, viewport))
        return tabs[-1]

    yield open_tab
    for tab in tabs:
        tab.check_and_close()


def search(tab: Visit, query: str) -> list[dict]:
    """Search from the header box as a reader does; returns the results shown."""
    tab.open("/")
    tab.page.get_by_role("searchbox", name="Tìm kiếm trên Cổng").fill(query)
    tab.page.get_by_role("button", name="Tìm kiếm").click()
    tab.page.wait_for_url("**/tim-kiem/?q=*")
    status = tab.page.locator("[data-search-status]")
    expect(status).to_contain_text("kết quả", timeout=10_000)
    return tab.page.locator(".search-result").evaluate_all(
        """items => items.map(item => ({
            title: item.querySelector("h2").innerText,
            href: item.querySelector("a").getAttribute("href"),
            excerpt: item.querySelector(".excerpt").innerText,
            marked: Array.from(item.querySelectorAll("mark")).map(m => m.innerText),
        }))"""
    )


# --- navigation -------------------------------------------------------------


def test_every_section_is_reached_from_the_menu(visit):
    tab = visit()
    tab.open("/")
    menu = tab.page.get_by_role("navigation", name="Chuyên mục")
    for section in SECTIONS:
        menu.get_by_role("link", name=section["title"], exact=True).click()
        tab.page.wait_for_url(f"**/{section['code']}/")
        assert tab.page.locator("h1").first.is_visible()
        current = menu.locator("a[aria-current]")
        expect(current).to_have_text(section["title"])


def test_menu_folds_behind_a_button_on_a_360_px_phone(visit):
    tab = visit({"width": 360, "height": 740})
    tab.open("/")
    toggle = tab.page.get_by_role("button", name="Danh mục chuyên mục")
    links = tab.page.get_by_role("navigation", name="Chuyên mục").get_by_role("link")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(links.first).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for index in range(links.count()):
        expect(links.nth(index)).to_be_visible()
    links.filter(has_text="Văn bản pháp luật").click()
    tab.page.wait_for_url("**/van-ban/")
    for path in ("/", "/van-ban/", LEGAL_27, "/lich-cong-tac/", "/danh-ba/"):
        tab.open(path)
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways at 360 px ({width} px)"


def test_keyboard_reaches_the_skip_link_first_and_sees_focus(visit):
    tab = visit()
    tab.open("/tin-tuc/")
    tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate(
        """() => { const el = document.activeElement, style = getComputedStyle(el);
                   return [el.textContent.trim(), style.outlineStyle, style.outlineWidth]; }"""
    )
    assert focused == ["Bỏ qua, đến nội dung chính", "solid", "3px"]
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.activeElement.id") == "noi-dung"


def test_missing_address_gets_the_styled_404_page(visit):
    tab = visit()
    response = tab.open("/khong-co/trang-nay/")
    assert response.status == 404
    expect(tab.page.locator("h1")).to_have_text("Không tìm thấy trang")
    band = tab.page.evaluate("getComputedStyle(document.querySelector('.band')).backgroundColor")
    assert band == "rgb(163, 25, 28)"  # the stylesheet loaded from the site root
    tab.complaints.clear()  # Chromium logs the 404 status of the page itself


# --- search -----------------------------------------------------------------


def test_search_without_tones_finds_items_with_tones(visit):
    tab = visit()
    results = search(tab, "noi vu")
    titles = [r["title"] for r in results]
    assert len(results) >= 10
    assert "Sở Nội vụ tổ chức giao ban công tác tháng 11 năm 2026" in titles
    assert any({"Nội", "vụ"} <= set(r["marked"]) for r in results)


def test_a_toneless_d_word_finds_the_d_stroke_item_without_showing_the_folded_copy(visit):
    tab = visit()
    results = search(tab, "da nang")
    assert results[0]["title"] == DA_NANG
    assert "Đà Nẵng" in results[0]["excerpt"]
    assert {"Đà", "Nẵng"} <= set(results[0]["marked"])
    for result in results:  # the folded text Pagefind searched is never shown
        assert "da nang" not in result["excerpt"].lower()
        assert result["excerpt"] != fold(result["excerpt"])
    results = search(tab, "dai hoi chi doan")
    assert results[0]["title"] == "Đại hội Chi đoàn Sở Nội vụ nhiệm kỳ 2026 - 2028"
    results = search(tab, "Đà Nẵng")  # typed with tones: the same page first
    assert results[0]["title"] == DA_NANG


def test_search_reports_when_nothing_is_found(visit):
    tab = visit()
    tab.open("/tim-kiem/?q=" + quote("xyzzyq plughw"))
    expect(tab.page.locator("[data-search-status]")).to_contain_text("Không tìm thấy kết quả")
    assert tab.page.locator(".search-result").count() == 0


def test_javascript_fold_is_the_python_fold(visit):
    tab = visit()
    tab.open("/tim-kiem/")
    samples = [
        "Đà Nẵng",
        "ĐẠI HỘI CHI ĐOÀN",
        "Sở Nội vụ Hà Tĩnh",
        "Quyết định 27/QĐ-SNV",
        "hoà hòa thuỷ thủy",
        "Nguyễn Thị Ngọc Ánh",
        "ưu tiên ơn",
        "Sở Nội vụ".encode().decode(),
    ]
    samples.append("So\u031b\u0309 No\u0323\u0302i vu\u0323")  # decomposed (NFD) input
    folded = tab.page.evaluate(
        """async (texts) => { const m = await import("/theme/js/search.js");
                              return texts.map((t) => m.fold(t)); }""",
        samples,
    )
    assert folded == [fold(text) for text in samples]


# --- legal documents --------------------------------------------------------


def test_legal_document_is_found_and_opened_by_its_number(visit):
    tab = visit()
    results = search(tab, "27/QĐ-SNV")
    assert results[0]["title"].startswith("Quyết định ban hành Quy chế quản lý, vận hành")
    tab.page.locator(".search-result a").first.click()
    tab.page.wait_for_url(f"**{LEGAL_27}")
    fields = tab.page.get_by_role("table", name="Thông tin văn bản")
    expect(fields.locator(".legal-number")).to_have_text("27/QĐ-SNV")
    for label, value in (
        ("Loại văn bản", "Quyết định"),
        ("Cơ quan ban hành", "Sở Nội vụ Hà Tĩnh"),
        ("Ngày ban hành", "22/04/2021"),
        ("Ngày có hiệu lực", "22/04/2021"),
        ("Trích yếu", "Ban hành Quy chế về quản lý, vận hành"),
    ):
        expect(fields.get_by_role("row", name=label)).to_contain_text(value)
    download = tab.page.get_by_role("link", name="Tải văn bản 27/QĐ-SNV (PDF)")
    response = tab.page.request.get(tab.base_url + LEGAL_27 + download.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")


def test_legal_list_filters_by_number_kind_issuer_and_year(visit):
    tab = visit()
    tab.open("/van-ban/")
    rows = tab.page.locator(".legal-list tbody tr")
    visible = tab.page.locator(".legal-list tbody tr:visible")
    count = tab.page.locator("[data-filter-count]")
    total = rows.count()
    assert total == 11
    tab.page.get_by_label("Số ký hiệu hoặc trích yếu").fill("27/qđ-snv")
    expect(visible).to_have_count(1)
    expect(count).to_have_text(f"Có 1/{total} văn bản phù hợp.")
    tab.page.get_by_label("Số ký hiệu hoặc trích yếu").fill("")
    tab.page.get_by_label("Cơ quan ban hành").select_option("Sở Nội vụ Hà Tĩnh")
    expect(visible).to_have_count(3)
    tab.page.get_by_label("Năm ban hành").select_option("2021")
    expect(visible).to_have_count(1)
    assert "co-quan=" in tab.page.url and "nam=2021" in tab.page.url  # shareable filter
    tab.page.reload()
    expect(visible).to_have_count(1)
    tab.page.get_by_label("Cơ quan ban hành").select_option("")
    tab.page.get_by_label("Năm ban hành").select_option("")
    tab.page.get_by_label("Loại văn bản").select_option("Nghị định")
    expect(visible).to_have_count(3)
    tab.page.get_by_label("Năm ban hành").select_option("2022")
    expect(visible).to_have_count(1)
    visible.get_by_role("link").click()
    tab.page.wait_for_url("**/van-ban/nghi-dinh-42-2022-nd-cp/")


def test_legal_list_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/van-ban/")
    assert page.locator(".legal-list tbody tr:visible").count() == 11
    assert not page.locator("[data-list-filter]").is_visible()  # no form that cannot work
    context.close()


# --- print ------------------------------------------------------------------


def test_print_view_keeps_the_item_and_drops_the_chrome(visit):
    tab = visit()
    tab.open(ITEM)
    print_button = tab.page.get_by_role("button", name="In trang này")
    expect(print_button).to_be_visible()
    tab.page.emulate_media(media="print")
    for hidden in (".main-nav", ".site-search", ".breadcrumbs", ".tools", ".related"):
        expect(tab.page.locator(hidden).first).to_be_hidden()
    for shown in ("h1", ".meta", ".byline", ".source", ".brand-name"):
        expect(tab.page.locator(shown).first).to_be_visible()
    colours = tab.page.evaluate(
        """[getComputedStyle(document.querySelector('.band')).backgroundColor,
            getComputedStyle(document.querySelector('h1')).color]"""
    )
    assert colours == ["rgba(0, 0, 0, 0)", "rgb(0, 0, 0)"]
    source_link = tab.page.locator(".source a")
    after = source_link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://moha.gov.vn" in after  # the address is printed after the link


# --- accessibility and screenshots ------------------------------------------

AXE_PAGES = {
    "home": "/",
    "list": "/tin-tuc/",
    "item": ITEM,
    "legal": LEGAL_27,
    "legal-list": "/van-ban/",
    "search": "/tim-kiem/?q=" + quote("da nang"),
    "english": "/gioi-thieu/contacts/",
    "schedule": "/lich-cong-tac/",
    "questions": "/hoi-dap/",
    "answer": "/hoi-dap/tra-loi-cong-dan-ve-thoi-gian-nang-bac-luong-thuong-xuyen/",
    "consultations": "/lay-y-kien-du-thao/",
    "draft": "/lay-y-kien-du-thao/"
    "du-thao-quyet-dinh-quy-dinh-chuc-nang-nhiem-vu-cua-so-noi-vu-tinh-ha-tinh/",
    "budget": "/cong-khai-ngan-sach/",
    "disclosure-list": "/danh-muc-thong-tin-cong-khai/",
    "leaders": "/gioi-thieu/lanh-dao-so/",
    "directory": "/danh-ba/",
    "site-map": "/so-do-cong/",
    "english-chart": "/gioi-thieu/organisation/",
    "other-information": "/thong-tin-khac/",
}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_axe_finds_no_violation(visit, name):
    tab = visit()
    tab.open(AXE_PAGES[name])
    if name == "search":
        expect(tab.page.locator(".search-result").first).to_be_visible()
    result = Axe().run(tab.page)
    summary = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]]
    assert result.violations_count == 0, summary


def test_axe_finds_no_violation_on_a_phone_with_the_menu_open(visit):
    tab = visit(PHONE)
    tab.open("/")
    tab.page.get_by_role("button", name="Danh mục chuyên mục").click()
    result = Axe().run(tab.page)
    assert result.violations_count == 0, [v["id"] for v in result.response["violations"]]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots_are_kept_as_artefacts(visit, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    tab = visit(viewport)
    for name, path in (("home", "/"), ("legal", LEGAL_27), ("search", AXE_PAGES["search"])):
        tab.open(path)
        if name == "search":
            expect(tab.page.locator(".search-result").first).to_be_visible()
        shot = ARTIFACTS / f"{name}-{viewport['width']}.png"
        tab.page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


SCREENSHOTS = REPO / "docs/screenshots"


@pytest.mark.parametrize(
    "name,path",
    [
        ("home", "/"),
        ("legal-document", LEGAL_27),
        ("questions", "/hoi-dap/"),
        ("consultation", "/lay-y-kien-du-thao/"),
    ],
)
def test_readme_screenshots_are_retaken(visit, name, path):
    """The README's pictures of the portal, taken from this build (docs/screenshots/)."""
    tab = visit({"width": 1280, "height": 800})
    tab.page.clock.set_fixed_time("2026-12-01T09:00:00+07:00")
    tab.open(path)
    shot = SCREENSHOTS / f"{name}.png"
    tab.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_sample_build_is_served_from_this_machine_only(site):
    assert urlsplit(site).hostname == "127.0.0.1"
    assert Path(CHROMIUM).is_file()


# --- what NĐ 42/2022 asks and what a reader notices (issue 16) -----------------------

DRAFT_OPEN = AXE_PAGES["draft"]


@pytest.mark.parametrize(
    "today,state",
    [
        ("2026-12-20T23:00:00+07:00", "Đang lấy ý kiến"),
        ("2026-12-21T00:30:00+07:00", "Đã hết hạn góp ý"),
    ],
)
def test_open_or_closed_for_comment_is_decided_on_the_readers_day(visit, today, state):
    tab = visit()
    tab.page.clock.set_fixed_time(today)
    tab.open(DRAFT_OPEN)
    badge = tab.page.locator(".consultation-fields .consultation-state")
    expect(badge).to_have_text(state)
    expect(badge).to_be_visible()


def test_this_week_follows_the_readers_day_and_the_page_is_true_without_it(visit, browser, site):
    tab = visit()
    tab.page.clock.set_fixed_time("2026-11-26T10:00:00+07:00")  # a Thursday of week 48
    tab.open("/lich-cong-tac/")
    badges = tab.page.locator("[data-this-week]:visible")
    expect(badges).to_have_count(1)
    expect(tab.page.locator(".current-week h3")).to_contain_text("Tuần 48 năm 2026")
    tab.page.clock.set_fixed_time("2027-02-01T10:00:00+07:00")  # no week of the schedule
    tab.page.reload()
    expect(tab.page.locator("[data-this-week]:visible")).to_have_count(0)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/lich-cong-tac/")
    assert page.locator("[data-this-week]:visible").count() == 0  # no stale "Tuần này"
    assert page.get_by_text("Tuần 49 năm 2026 (từ 30/11/2026 đến 06/12/2026)").is_visible()
    context.close()


def test_questions_filter_by_field_year_and_words_and_the_heading_counts_them(visit):
    tab = visit()
    tab.open("/hoi-dap/")
    items = tab.page.locator(".answer-summary:visible")
    total = items.count()
    assert total >= 5
    heading = tab.page.locator("[data-filter-caption]")
    expect(heading).to_have_text(f"Câu hỏi đã trả lời ({total} câu hỏi)")
    tab.page.get_by_label("Lĩnh vực").select_option("Tuyển dụng")
    expect(items).to_have_count(2)
    expect(heading).to_have_text(f"Câu hỏi đã trả lời (2/{total} câu hỏi phù hợp bộ lọc)")
    tab.page.get_by_label("Năm trả lời").select_option("2025")
    expect(items).to_have_count(1)
    tab.page.get_by_label("Lĩnh vực").select_option("")
    tab.page.get_by_label("Năm trả lời").select_option("")
    tab.page.get_by_label("Từ khóa trong câu hỏi, trả lời").fill("nang luong")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("nâng bậc lương")
    assert "q=nang+luong" in tab.page.url


def test_asking_a_question_opens_a_prepared_mail(visit):
    tab = visit()
    tab.open("/hoi-dap/")
    tab.page.get_by_role("link", name="Gửi câu hỏi cho Sở Nội vụ").click()
    link = tab.page.get_by_role("link", name="Soạn thư gửi câu hỏi")
    expect(link).to_be_in_viewport()
    assert link.get_attribute("href").startswith("mailto:sonoivu@hatinh.gov.vn?subject=")
    assert tab.page.locator("#gui-cau-hoi form").count() == 0


def test_legal_caption_follows_the_filter(visit):
    tab = visit()
    tab.open("/van-ban/")
    caption = tab.page.locator(".legal-list caption")
    total = tab.page.locator(".legal-list tbody tr").count()
    expect(caption).to_have_text(f"Danh sách văn bản ({total} văn bản)")
    tab.page.get_by_label("Loại văn bản").select_option("Nghị định")
    expect(caption).to_have_text(f"Danh sách văn bản (3/{total} văn bản phù hợp bộ lọc)")


def test_search_ranks_the_phrase_first_marks_whole_syllables_and_finds_its_worker(visit):
    tab = visit()
    failed = []
    tab.page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    results = search(tab, "da nang")
    assert results[0]["title"] == DA_NANG
    for result in results:
        for marked in result["marked"]:  # every mark is a whole syllable of the text
            assert fold(marked) in ("da", "nang"), (result["title"], marked)
    words = [fold(w) for r in results[1:] for w in r["marked"]]
    assert "dang" not in words
    tab.page.wait_for_timeout(300)
    assert not failed, failed  # pagefind-worker.js is served from the shard's folder
    for result in results:  # the worker answers with full URLs: links still lead to the page
        url = tab.page.evaluate("(href) => new URL(href, location.href).href", result["href"])
        assert tab.page.request.get(url).ok, (result["href"], url)


def test_layout_footer_note_wide_pages_and_the_phone_search_box(visit):
    tab = visit({"width": 1366, "height": 900})
    tab.open("/gioi-thieu/lanh-dao-so/")
    left = tab.page.evaluate(
        """() => [document.querySelector('.footer-note').getBoundingClientRect().left,
                  document.querySelector('.footer-grid').getBoundingClientRect().left]"""
    )
    assert abs(left[0] - left[1]) < 1, left  # the note lines up with the footer's columns
    width = tab.page.evaluate(
        "document.querySelector('article.item').getBoundingClientRect().width"
    )
    assert width > 0.6 * 1200 * 0.95, width  # no empty side column on a page without one
    tab.open(
        "/hoi-dap/dieu-kien-du-tuyen-cong-chuc-cap-xa-doi-voi-nguoi-co-bang-dai-hoc-nganh-luat/"
    )
    phone = visit({"width": 360, "height": 740})
    phone.open("/")
    fits = phone.page.evaluate(
        """() => { const input = document.querySelector('#tim-nhanh');
                   const style = getComputedStyle(input);
                   const ctx = document.createElement('canvas').getContext('2d');
                   ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                   const room = input.clientWidth - parseFloat(style.paddingLeft)
                                - parseFloat(style.paddingRight);
                   return [ctx.measureText(input.placeholder).width, room]; }"""
    )
    assert fits[0] <= fits[1], fits  # the whole placeholder is readable at 360 px


def test_home_page_columns_leave_no_empty_slot(visit):
    tab = visit()
    tab.open("/")
    boxes = tab.page.locator(".section-column").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.width]; })"
    )
    grid = tab.page.evaluate(
        "document.querySelector('.section-columns').getBoundingClientRect().width"
    )
    rows = {}
    for top, width in boxes:
        rows.setdefault(round(top), []).append(width)
    for widths in rows.values():  # every row is full: two halves, or one column across
        assert abs(sum(widths) - grid) < 40, (rows, grid)


def test_child_sections_are_reached_from_their_parent_and_the_site_map(visit):
    tab = visit()
    tab.open("/so-do-cong/")
    for section in ALL_SECTIONS:
        expect(
            tab.page.locator("main").get_by_role("link", name=section["title"], exact=True)
        ).to_have_count(1)
    tab.open("/thong-tin-khac/")
    tab.page.get_by_role("link", name="Công khai ngân sách", exact=True).click()
    tab.page.wait_for_url("**/cong-khai-ngan-sach/")
    expect(tab.page.locator(".legal-list tbody tr")).to_have_count(11)
    menu = tab.page.get_by_role("navigation", name="Chuyên mục")
    expect(menu.locator("a[aria-current]")).to_have_text("Thông tin khác")


def test_english_pages_speak_english_around_the_content(visit):
    tab = visit()
    tab.open("/gioi-thieu/organisation/")
    menu = tab.page.get_by_role("navigation", name="Main menu")
    expect(menu.locator("a[aria-current=page]")).to_have_text("Organisation chart")
    menu.get_by_role("link", name="Contacts").click()
    tab.page.wait_for_url("**/gioi-thieu/contacts/")
    expect(tab.page.locator(".site-footer")).to_contain_text("Responsible for content")
    tab.page.get_by_role("link", name="Tiếng Việt", exact=True).click()
    tab.page.wait_for_url(tab.base_url + "/")
