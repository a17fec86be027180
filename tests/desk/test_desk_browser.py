"""The desk in Debian's real Chromium against decap-server (Decap's local git backend,
editorial workflow) on a scratch copy of the project's repository.

What a contributor does: log in, create a news item with an image through the form,
save; the submission branch and a file that passes `portal check` appear. A required
field left empty is refused by the form; the preview uses the portal's stylesheet;
nothing is requested from another host; axe-core finds nothing on the admin page we
write (Decap's own screens are reported, not judged: docs/desk.md lists what it finds).
Screenshots go to test-artifacts/, or to docs/screenshots/ (README) with
`make desk-screenshots`.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from portal.vntext import slugify
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import REPO
from tests.desk.scratch import build_site, decap_server, free_port, git, make_repository
from tests.site.sitebuild import serve

ARTIFACTS = REPO / "test-artifacts"
# README's screenshots are refreshed on request (`make desk-screenshots`), so that an
# ordinary test run leaves the working tree clean.
SCREENSHOTS = REPO / os.environ.get("DESK_SCREENSHOTS", "test-artifacts")
TITLE = "Đoàn công tác Sở Nội vụ dự Hội nghị: đổi mới năm 2026"
SUMMARY = "Sở Nội vụ Hà Tĩnh cử đoàn công tác dự hội nghị về đổi mới công tác nội vụ."
BODY = "Sáng nay, đoàn công tác của Sở Nội vụ Hà Tĩnh dự hội nghị."
ALT = "Đoàn công tác tại hội nghị"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """(admin URL, repository, decap-server API URL)."""
    root = tmp_path_factory.mktemp("desk")
    port = free_port()
    (root / "repo").mkdir()
    repo = make_repository(root / "repo", port)
    subprocess.run(
        [sys.executable, "-m", "portal.cli", "desk", "install-guard", str(repo)], check=True
    )
    output = build_site(repo)
    with decap_server(repo, port) as api, serve(output) as base_url:
        yield base_url + "/admin/", repo, api


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A browser tab on the desk that records every request and complaint."""

    def __init__(self, browser):
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(f"script: {error}"))
        self.failed: list[str] = []
        self.page.on(
            "response",
            lambda response: (
                response.status >= 400
                and self.failed.append(
                    f"{response.status} {response.request.method} {response.url}"
                )
            ),
        )
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.errors.append(message.text),
        )

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob")
            and urlsplit(url).hostname != "127.0.0.1"
        ]

    def unexpected_failures(self, api: str) -> list[str]:
        """Errors and failed requests, except decap-server's 404 answer to "is there an
        unpublished entry for this slug?" when a new entry is opened (its protocol)."""
        failed = [f for f in self.failed if f != f"404 POST {api}"]
        quiet = "Failed to load resource: the server responded with a status of 404"
        errors = [e for e in self.errors if not (e.startswith(quiet) and not failed)]
        return failed + errors

    def field(self, name: str):
        return self.page.locator(f'[id^="{name}-field-"]')

    def log_in(self, admin_url: str) -> None:
        self.page.goto(admin_url)
        self.page.get_by_role("button", name="Đăng nhập").click()
        expect(self.page.get_by_text("Tin tức - Sự kiện: Tin").first).to_be_visible()

    def new_entry(self, admin_url: str, collection: str) -> None:
        self.page.goto(f"{admin_url}#/collections/{collection}/new")
        expect(self.field("title").first).to_be_visible()

    def choose(self, name: str, text: str, index: int = 0) -> None:
        self.field(name).nth(index).fill(text)
        self.page.keyboard.press("Enter")

    def close(self) -> None:
        self.context.close()


def wait_for_branches(repo, prefix: str) -> list[str]:
    """The branches under `prefix` once the save has reached git: decap-server creates
    the branch, then commits the entry on it."""
    for _ in range(150):
        found = [b for b in branches(repo) if b.startswith(prefix)]
        if found and all(changed_files(repo, b) for b in found):
            return found
        time.sleep(0.2)
    return []


def changed_files(repo, branch: str) -> list[str]:
    return git(repo, "diff", "--name-only", "refs/heads/main", f"refs/heads/{branch}").split()


def export_tree(repo, branch: str, target) -> None:
    """The branch's files in `target` (decap-server keeps the repository's own checkout)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", f"refs/heads/{branch}"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    target.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def branches(repo) -> list[str]:
    return git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads").split()


def test_admin_page_alone_passes_axe_and_loads_nothing_from_elsewhere(desk, browser):
    admin_url, _, _ = desk
    tab = Tab(browser)
    # The page we write, without Decap: its scripts are not delivered.
    tab.page.route("**/decap-cms/**", lambda route: route.abort())
    tab.page.route("**/desk.js", lambda route: route.abort())
    tab.page.goto(admin_url)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text("Bàn biên tập")
    result = Axe().run(tab.page)
    assert result.violations_count == 0, result.generate_report()
    assert tab.foreign_requests() == []
    csp = tab.page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'self'" in csp and "https://unpkg.com" not in csp
    tab.close()


def test_contributor_creates_a_news_item_with_an_image(desk, browser, tmp_path):
    admin_url, repo, api = desk
    SCREENSHOTS.mkdir(exist_ok=True)
    image = tmp_path / "anh-hoi-nghi.png"
    image.write_bytes((REPO / "tests" / "desk" / "pixel.png").read_bytes())
    tab = Tab(browser)
    tab.log_in(admin_url)
    tab.page.screenshot(path=SCREENSHOTS / "desk-collections.png")
    tab.new_entry(admin_url, "tin-tuc--news")
    tab.field("title").first.fill(TITLE)
    tab.field("summary").first.fill(SUMMARY)
    tab.choose("unit", "Cải cách")
    tab.page.get_by_role("button", name="Add tác giả").click()
    tab.page.get_by_label("Họ tên tác giả").fill("Nguyễn Đình Phúc")
    tab.choose("id", "phuc-nd")
    tab.page.get_by_role("button", name="Add ảnh").click()
    tab.page.get_by_role("button", name="Chọn một hình").click()
    tab.page.locator('input[type="file"]').set_input_files(image)
    tab.page.get_by_role("button", name="Lấy những cái đã chọn").click()
    tab.page.get_by_label("Mô tả ảnh cho người khiếm thị").fill(ALT)
    editor = tab.page.locator("[data-slate-editor]").first
    editor.click()
    tab.page.keyboard.type(BODY)
    preview = tab.page.frame_locator("iframe").first
    expect(preview.locator("h1")).to_have_text(TITLE)
    # The portal's stylesheet is in the preview, and it is what styles the title.
    expect(preview.locator('link[href$="theme/css/portal.css"]')).to_have_count(1)
    expect(preview.locator("p.lead")).to_have_css("font-weight", "600")
    tab.page.screenshot(path=SCREENSHOTS / "desk-editor.png")
    report_decap_axe(tab.page, "editor")
    tab.page.get_by_role("button", name="Lưu").click()
    created = wait_for_branches(repo, "cms/tin-tuc--news/")
    tab.page.screenshot(path=SCREENSHOTS / "desk-saved.png")
    assert len(created) == 1, branches(repo)
    slug = created[0].removeprefix("cms/tin-tuc--news/")
    assert slug[11:] == slugify(TITLE), slug  # đ folded to d, tones dropped: the project's slug
    path = f"content/tin-tuc/{slug}.md"
    # The submission holds the item and its image, nothing else (no build output).
    assert sorted(changed_files(repo, created[0])) == ["content/images/anh-hoi-nghi.png", path]
    text = git(repo, "show", f"{created[0]}:{path}")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["kind"] == "news" and meta["section"] == "tin-tuc"
    assert meta["unit"] == "cai-cach-hanh-chinh"
    assert meta["images"] == [{"src": "images/anh-hoi-nghi.png", "alt": ALT}]
    assert BODY in text
    git(repo, "cat-file", "-e", f"{created[0]}:content/images/anh-hoi-nghi.png")
    # What the desk wrote passes the project's own check, as written.
    assert_passes_check(repo, created[0], tmp_path / "submission")
    assert tab.foreign_requests() == []
    # The submission waits on Decap's workflow board (the reviewers' queue in the desk).
    tab.page.wait_for_url("**/entries/**")  # Decap moves to the saved entry first
    tab.page.goto(f"{admin_url}#/workflow")
    expect(tab.page.get_by_text(TITLE).first).to_be_visible()
    tab.page.screenshot(path=SCREENSHOTS / "desk-workflow.png")
    assert tab.foreign_requests() == []
    assert tab.unexpected_failures(api) == [], tab.failed
    tab.close()


def test_the_secretary_edits_a_data_file_as_a_form(desk, browser):
    admin_url, _, api = desk
    tab = Tab(browser)
    tab.log_in(admin_url)
    tab.page.goto(f"{admin_url}#/collections/data/entries/services")
    expect(tab.page.get_by_text("1.005384").first).to_be_visible()  # a service, by its code
    expect(tab.page.get_by_text("Các dịch vụ công").first).to_be_visible()
    tab.page.screenshot(path=SCREENSHOTS / "desk-data.png")
    report_decap_axe(tab.page, "data")
    assert tab.foreign_requests() == []
    tab.close()


def test_a_legal_document_with_its_file(desk, browser, tmp_path):
    """Number, issuer, dates and the file (into content/files/) through the form."""
    admin_url, repo, api = desk
    document = tmp_path / "99-QD-SNV-2026.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    tab = Tab(browser)
    tab.log_in(admin_url)
    tab.new_entry(admin_url, "van-ban--legal")
    tab.field("title").first.fill("Quyết định về việc kiện toàn Ban Biên tập Cổng TTĐT")
    tab.choose("doc_type", "Quyết định")
    tab.field("number").first.fill("99/QĐ-SNV")
    tab.field("issuer").first.fill("Sở Nội vụ Hà Tĩnh")
    tab.field("issued").first.fill("2026-11-20")
    tab.field("abstract").first.fill("Kiện toàn Ban Biên tập Cổng thông tin điện tử Sở Nội vụ.")
    tab.page.get_by_role("button", name="Chọn một tập tin").click()
    tab.page.locator('input[type="file"]').set_input_files(document)
    tab.page.get_by_role("button", name="Lấy những cái đã chọn").click()
    tab.page.get_by_role("button", name="Lưu").click()
    created = wait_for_branches(repo, "cms/van-ban--legal/")
    tab.page.screenshot(path=ARTIFACTS_PATH("desk-legal.png"), full_page=True)
    assert created == ["cms/van-ban--legal/quyet-dinh-99-qd-snv"], branches(repo)
    path = "content/van-ban/quyet-dinh-99-qd-snv.md"
    # Decap names uploads by its slug rules: lower case, ASCII.
    assert sorted(changed_files(repo, created[0])) == ["content/files/99-qd-snv-2026.pdf", path]
    meta = yaml.safe_load(git(repo, "show", f"{created[0]}:{path}").split("---")[1])
    assert meta["file"] == "files/99-qd-snv-2026.pdf" and meta["number"] == "99/QĐ-SNV"
    assert str(meta["issued"]) == "2026-11-20" and meta["doc_type"] == "Quyết định"
    assert_passes_check(repo, created[0], tmp_path / "submission")
    assert tab.foreign_requests() == []
    assert tab.unexpected_failures(api) == [], tab.failed
    tab.close()


def test_a_required_field_left_empty_is_refused(desk, browser):
    admin_url, repo, _ = desk
    before = branches(repo)
    tab = Tab(browser)
    tab.log_in(admin_url)
    tab.new_entry(admin_url, "tin-tuc--news")
    tab.field("title").first.fill("Tin chưa có tóm tắt và đơn vị")
    tab.page.get_by_role("button", name="Lưu").click()
    expect(tab.page.get_by_text("Tóm tắt bắt buộc nhập.")).to_be_visible()
    expect(tab.page.get_by_text("Mã đơn vị gửi tin bắt buộc nhập.")).to_be_visible()
    tab.page.screenshot(path=ARTIFACTS_PATH("desk-required.png"))
    assert branches(repo) == before
    tab.close()


def test_publish_of_a_refused_submission_does_not_reach_main(desk):
    """Decap's "Publish" sends decap-server `publishUnpublishedEntry`; the guard runs the
    review gate on the merge and git aborts it: main stays where it was."""
    _, repo, api = desk
    submissions = [b for b in branches(repo) if b.startswith("cms/tin-tuc--news/")]
    assert submissions, "chạy cùng test_contributor_creates_a_news_item_with_an_image"
    main_before = git(repo, "rev-parse", "refs/heads/main").strip()
    slug = submissions[0].removeprefix("cms/tin-tuc--news/")
    request = urllib.request.Request(
        api,
        data=json.dumps(
            {
                "action": "publishUnpublishedEntry",
                "params": {"branch": "main", "collection": "tin-tuc--news", "slug": slug},
            }
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=120)
    assert git(repo, "rev-parse", "refs/heads/main").strip() == main_before
    assert submissions[0] in branches(repo)
    # The checkout is clean again: the next save cannot carry the refused files along.
    assert git(repo, "status", "--porcelain") == ""


def report_decap_axe(page, name: str) -> None:
    """axe-core on Decap's own screen: written to test-artifacts/, not asserted."""
    ARTIFACTS.mkdir(exist_ok=True)
    result = Axe().run(page)
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
        for v in result.response["violations"]
    ]
    (ARTIFACTS / f"desk-axe-{name}.json").write_text(json.dumps(summary, indent=2) + "\n")


def ARTIFACTS_PATH(name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def assert_passes_check(repo, commit: str, worktree) -> None:
    """What the desk committed passes the project's own `portal check`, as written."""
    export_tree(repo, commit, worktree)
    check = subprocess.run(
        [sys.executable, "-m", "portal.cli", "check", "content"],
        cwd=worktree,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
