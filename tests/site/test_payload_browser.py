"""The payload corpus (tests/site/payloads.py: a script or redirect in every string field
of every kind of item and data file, raw HTML in a body) in Debian's headless Chromium:
on every page that shows a payload, no dialog opens, no script error is thrown and no
request leaves 127.0.0.1 (requests elsewhere are recorded and refused, not sent)."""

from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import make_site
from tests.site.payloads import MARKER, plant
from tests.site.sitebuild import build, serve


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("payload-browser")
    plant(make_site(root, with_sample_content=True))
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    output = root / "output"
    paths = sorted(
        "/" + str(page.relative_to(output)).removesuffix("index.html")
        for page in output.rglob("*.html")
        if "pagefind" not in page.parts and MARKER.search(page.read_text(encoding="utf-8"))
    )
    with serve(output) as base_url:
        yield base_url, paths


def test_no_dialog_and_no_outside_request_with_the_payload_corpus(payload_site):
    base_url, paths = payload_site
    assert len(paths) > 20, paths  # the payloads reach the home page, lists, items, data pages
    dialogs, outside, errors = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="vi-VN")

        def guard(route):
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        for path in paths:
            page.goto(base_url + path, wait_until="load")
            page.wait_for_timeout(50)  # a meta refresh of 0 s would navigate by now
            assert urlsplit(page.url).hostname == "127.0.0.1", (path, page.url)
        # Search results are drawn by script from the index: titles and text with payloads.
        page.goto(base_url + "/tim-kiem/?q=" + quote("nội dung"), wait_until="load")
        expect(page.locator("[data-search-status]")).to_contain_text("kết quả", timeout=10_000)
        shown = page.locator(".search-result").all_inner_texts()
        assert any("PL" in text and "<script" in text for text in shown), shown[:3]
        browser.close()
    assert dialogs == [], dialogs
    assert outside == [], outside
    assert errors == [], errors
