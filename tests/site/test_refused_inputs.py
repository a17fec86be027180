"""The build refuses what it must not read or publish, and ends on an environment fault with
a Vietnamese message naming the path, exit 1 and no traceback, with nothing half-written.
The real Pelican build (`make html`'s command) in a site in tmp."""

import resource
import subprocess

import pytest

from portal.site import build_command
from tests.conftest import make_site
from tests.content.test_untrusted import open_site, unprivileged  # noqa: F401
from tests.site.sitebuild import build

ITEM = "content/tin-tuc/2026-11-24-hop-giao-ban-thang-11.md"


@pytest.fixture
def site(tmp_path):
    make_site(tmp_path, with_sample_content=True)
    return tmp_path


def refused(root, *expected: str) -> str:
    result = build(root)
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert "Traceback" not in log, log
    for line in expected:
        assert line in log, log
    return log


def test_symlinks_in_content_are_refused_before_anything_is_read(site):
    content = site / "content"
    (content / "images" / "leak.svg").symlink_to("/etc/passwd")
    (content / "files" / "keys").symlink_to(site / "reviews", target_is_directory=True)
    (content / "tin-tuc" / "hostname.md").symlink_to("/etc/hostname")
    (content / "tin-tuc" / "gone.md").symlink_to(site / "nowhere.md")
    refused(
        site,
        "content/images/leak.svg: là liên kết tượng trưng (symlink) tới '/etc/passwd'",
        "content/files/keys: là liên kết tượng trưng (symlink)",
        "content/tin-tuc/hostname.md: là liên kết tượng trưng (symlink)",
        "content/tin-tuc/gone.md: là liên kết tượng trưng (symlink)",
    )
    assert not (site / "output").exists(), "nothing is written"


def test_symlink_in_the_theme_is_refused(site):
    (site / "theme" / "static" / "css" / "leak.css").symlink_to("/etc/passwd")
    refused(site, "theme/static/css/leak.css: là liên kết tượng trưng (symlink)")
    assert not (site / "output").exists()


@pytest.mark.parametrize("name", ["x.markdown", "x.mdown", "x.html", "x.htm", "x.rst"])
def test_files_no_rule_checks_are_refused(site, name):
    (site / "content" / "tin-tuc" / name).write_text(
        "Title: <script>alert(1)</script>\nStatus: published\n\n<script>alert(2)</script>\n"
    )
    refused(site, f"content/tin-tuc/{name}: loại tệp")
    assert not (site / "output").exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("files/x.js", b"alert(document.domain)"),
        ("files/trang.html", b"<script>alert(1)</script>"),
        ("images/x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("images/x.png", b"<script>alert(1)</script>"),
    ],
)
def test_unpublished_upload_types_stop_the_build(site, name, data):
    (site / "content" / name).write_bytes(data)
    refused(site, f"content/{name}: ")
    assert not (site / "output").exists()


def test_hostile_yaml_stops_the_build_with_file_line_and_field(site):
    path = site / ITEM
    text = path.read_text(encoding="utf-8")
    laughs = "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'a, b, c, d, e, f, g, h, i'}]\n"
        for i in range(9)
    )
    path.write_text(
        text.replace("status: published\n", "status: draft\n" + laughs + "status: published\n"),
        encoding="utf-8",
    )
    other = site / "content" / "tin-tuc" / "2026-11-20-tuyen-dung-cong-chuc.md"
    other.write_text(
        other.read_text(encoding="utf-8").replace("kind: news", "kind: news\nnote: !!binary aGk="),
        encoding="utf-8",
    )
    log = refused(site, "YAML mở rộng quá lớn", "thẻ YAML '!!binary' không được dùng")
    assert f"{ITEM}:" in log and "content/tin-tuc/2026-11-20-tuyen-dung-cong-chuc.md:" in log


def test_output_that_is_a_file_is_named(site):
    (site / "output").write_text("not a folder")
    refused(site, "output: thư mục kết quả (output) là một tệp, không phải thư mục")
    assert (site / "output").read_text() == "not a folder"


def test_unwritable_output_is_named(site):
    result = subprocess.run(
        [*build_command()[:-4], "-o", "/proc/portal-output", "-s", "pelicanconf.py"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "/proc/portal-output: không ghi được vào thư mục kết quả (output)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("limit", [8_000, 64_000, 100_000])
def test_full_disk_is_named_and_leaves_no_half_written_page(site, limit):
    """RLIMIT_FSIZE stands in for a full disk: a write past it fails with EFBIG (Python
    ignores SIGXFSZ; a child such as Pagefind is killed by it)."""
    assert build(site).returncode == 0  # a complete site first: the next build updates it
    for page in (site / "content" / "tin-tuc").glob("*.md"):
        page.write_text(page.read_text(encoding="utf-8") + "\nĐoạn thêm.\n", encoding="utf-8")

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        build_command(),
        cwd=site,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=small_disk,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert "Traceback" not in log
    assert "đĩa đầy hoặc tệp vượt giới hạn kích thước" in log, log
    assert "cài lại gói" not in log.split("đĩa đầy")[0]
    output = site / "output"
    assert not list(output.rglob("*.tmp")), "no temporary file left behind"
    for page in output.rglob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page


def test_unwritable_cache_is_named(site):
    command = [*build_command(), "-e", 'CACHE_PATH="/proc/portal-cache"']
    result = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "/proc/portal-cache: không ghi được vào bộ nhớ đệm (cache)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()


def test_data_file_symlink_is_never_read(site):
    links = site / "content" / "data" / "links.yml"
    links.unlink()
    secret = site / "secret.yml"
    secret.write_text("links:\n  - name: BÍ MẬT NỘI BỘ\n    url: javascript:alert(1)\n")
    links.symlink_to(secret)
    log = refused(site, "content/data/links.yml: là liên kết tượng trưng (symlink)")
    assert "BÍ MẬT" not in log and "javascript" not in log


def test_static_paths_beyond_the_checked_uploads_are_refused(site):
    command = [*build_command(), "-e", 'STATIC_PATHS=["images", "files", "tin-tuc"]']
    result = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "pelicanconf.py: STATIC_PATHS: thư mục 'tin-tuc'" in result.stderr


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("item", f"{ITEM}: không đọc được tệp (Permission denied)"),
        ("output", "output: không ghi được vào thư mục kết quả (output) (Permission denied)"),
        ("cache", "cache: không ghi được vào bộ nhớ đệm (cache) (Permission denied)"),
    ],
)
def test_unreadable_item_and_read_only_folders_are_named(open_site, setup, expected):  # noqa: F811
    if setup == "item":
        (open_site / ITEM).chmod(0)
    else:
        (open_site / setup).mkdir()
        (open_site / setup).chmod(0o555)
    result = subprocess.run(
        unprivileged(build_command()), cwd=open_site, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("folder", ["content", "theme"])
def test_content_or_theme_folder_that_is_a_link_is_refused(site, folder):
    real = site.parent / f"{site.name}-{folder}"
    (site / folder).rename(real)
    (site / folder).symlink_to(real, target_is_directory=True)
    refused(site, f"{folder}: là liên kết tượng trưng (symlink)")
    assert not (site / "output").exists()
