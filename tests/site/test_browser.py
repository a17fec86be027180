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
from tests.conftest import REPO, make_site
from tests.site.sitebuild import build, serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
SECTIONS = yaml.safe_load((REPO / "content/data/sections.yml").read_text(encoding="utf-8"))

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
    assert total == 4
    tab.page.get_by_label("Số ký hiệu hoặc trích yếu").fill("27/qđ-snv")
    expect(visible).to_have_count(1)
    expect(count).to_have_text(f"Có 1/{total} văn bản phù hợp.")
    tab.page.get_by_label("Số ký hiệu hoặc trích yếu").fill("")
    tab.page.get_by_label("Cơ quan ban hành").select_option("Sở Nội vụ Hà Tĩnh")
    expect(visible).to_have_count(2)
    tab.page.get_by_label("Năm ban hành").select_option("2021")
    expect(visible).to_have_count(1)
    assert "co-quan=" in tab.page.url and "nam=2021" in tab.page.url  # shareable filter
    tab.page.reload()
    expect(visible).to_have_count(1)
    tab.page.get_by_label("Cơ quan ban hành").select_option("")
    tab.page.get_by_label("Năm ban hành").select_option("")
    tab.page.get_by_label("Loại văn bản").select_option("Nghị định")
    expect(visible).to_have_count(1)
    visible.get_by_role("link").click()
    tab.page.wait_for_url("**/van-ban/nghi-dinh-42-2022-nd-cp/")


def test_legal_list_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/van-ban/")
    assert page.locator(".legal-list tbody tr:visible").count() == 4
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


def test_sample_build_is_served_from_this_machine_only(site):
    assert urlsplit(site).hostname == "127.0.0.1"
    assert Path(CHROMIUM).is_file()
