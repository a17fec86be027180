"""Hostile input to `portal check`: YAML that crashes or lies, values that must not reach a
page, links, uploads and file types the portal does not publish. Each is a
`path:line: field: message` (or `path: message` for a file) in Vietnamese and exit 1,
never a traceback. The installed `portal` command runs in a real site in tmp."""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from portal import schema
from tests.conftest import make_site

PORTAL = Path(sys.executable).parent / "portal"
ITEM = "tin-tuc/2026-11-24-hop-giao-ban-thang-11.md"
HEADER_END = "status: published\n"


def check(root: Path, *paths: str, memory: int | None = None):
    """`portal check` in `root`, optionally under an address-space limit (a YAML bomb must
    be refused, not survive by luck)."""

    def limit():
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    result = subprocess.run(
        [str(PORTAL), "check", *paths],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result


@pytest.fixture
def site(tmp_path):
    make_site(tmp_path, with_sample_content=True)
    return tmp_path


def with_header(site: Path, extra: str, replace: tuple[str, str] | None = None) -> Path:
    """The sample item with `extra` YAML lines added to its header."""
    path = site / "content" / ITEM
    text = path.read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    path.write_text(text.replace(HEADER_END, HEADER_END + extra, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# --- YAML that crashes or lies ---------------------------------------------------------

LAUGHS = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else ', '.join(['lol'] * 9)}]\n"
    for i in range(9)
)


@pytest.mark.parametrize(
    ("extra", "needle", "field", "message"),
    [
        (LAUGHS, "l4:", "l4", "YAML mở rộng quá lớn"),  # 9**5 values at l4
        ("loop: &a [1, *a]\n", "loop:", "loop", "vòng lặp"),
        ("deep: " + "[" * 3000 + "]" * 3000 + "\n", "deep:", "deep", "lồng quá sâu"),
        ("deep: " + "{a: " * 200 + "1" + "}" * 200 + "\n", "deep:", "deep", "lồng quá sâu"),
        ("note: !!binary aGVsbG8=\n", "note:", "note", "thẻ YAML '!!binary'"),
        ("note: !!set {a, b}\n", "note:", "note", "thẻ YAML '!!set'"),
        ("note: !!python/object/apply:os.system [id]\n", "note:", "note", "!!python/"),
        ("note: !custom x\n", "note:", "note", "thẻ YAML '!custom'"),
        ("1: một\n", "1: một", "", "tên trường '1' được đọc thành số nguyên"),
        ("null: rỗng\n", "null: rỗng", "", "rỗng (null)"),
        ("? [a, b]\n: x\n", "? [a, b]", "", "danh sách hay nhóm"),
        ("<<: {featured: true}\n", "<<:", "", "phép gộp"),
        ("share: .nan\n", "share:", "share", "không phải số hữu hạn"),
        ("share: -.inf\n", "share:", "share", "không phải số hữu hạn"),
        ("share: " + "9" * 5000 + "\n", "share:", "share", "số quá lớn"),
    ],
)
def test_hostile_yaml_is_a_vietnamese_error_with_its_line(site, extra, needle, field, message):
    path = with_header(site, extra)
    result = check(site, f"content/{ITEM}", memory=1_500_000_000)
    assert result.returncode == 1
    where = f"content/{ITEM}:{line_of(path, needle)}: "
    expected = [line for line in result.stdout.splitlines() if line.startswith(where)]
    assert any(message in line for line in expected), result.stdout
    if field:
        assert any(line.startswith(f"{where}{field}: ") for line in expected), result.stdout


def test_duplicate_key_names_both_lines_and_is_never_published(site):
    path = with_header(site, "", replace=(HEADER_END, "status: draft\n" + HEADER_END))
    first, second = line_of(path, "status: draft"), line_of(path, "status: published")
    result = check(site, f"content/{ITEM}")
    assert result.returncode == 1
    assert (
        f"content/{ITEM}:{second}: status: trường 'status' xuất hiện hai lần "
        f"(dòng {first} và dòng {second})" in result.stdout
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", '"Tin \u202etxt.exe thường"'),
        ("title", '"Tin có\u200bký tự ẩn"'),
        ("summary", '"Tóm tắt có \u2066ký tự đổi hướng\u2069 ở giữa câu"'),
        ("title", '"Tin có mã \\e[31m màu"'),
    ],
)
def test_invisible_and_bidi_characters_are_refused(site, field, value):
    path = site / "content" / ITEM
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    lines[index] = f"{field}: {value}\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = check(site, f"content/{ITEM}")
    assert result.returncode == 1
    assert f"content/{ITEM}:{index + 1}: {field}: có ký tự điều khiển" in result.stdout


def test_slug_with_a_final_newline_is_refused(site):
    path = with_header(site, 'slug: "tin-thu\\n"\n')
    result = check(site, f"content/{ITEM}")
    assert result.returncode == 1
    assert f"content/{ITEM}:{line_of(path, 'slug:')}: slug: giá trị 'tin-thu\\n'" in result.stdout


def test_every_schema_pattern_is_anchored_and_full_match():
    """`pattern` in JSON Schema is a search: each must say ^...$, and `$` must not match
    before a final newline in either validator."""
    for name in schema._schemas():
        if name in ("data-royalty-rates", "data-policy"):
            continue
        for pattern in _patterns(schema.schema(name)):
            assert pattern.startswith("^") and pattern.endswith("$"), (name, pattern)
    assert schema.validate("common", {"slug": "a\n"}, "x", lambda _: 1)
    slug_errors = schema.validate("news", {"slug": "tin-thu\n"}, "x", lambda _: 1)
    assert any(p.field == "slug" for p in slug_errors)


def _patterns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_nul_byte_is_reported_with_its_line(site):
    path = site / "content" / ITEM
    text = path.read_text(encoding="utf-8") + "dòng cuối\nchữ\x00ẩn\n"
    path.write_text(text, encoding="utf-8")
    result = check(site, f"content/{ITEM}")
    assert result.returncode == 1
    assert f"content/{ITEM}:{text.count(chr(10)) - 0}: có byte NUL" in result.stdout


# --- addresses ---------------------------------------------------------------------------

BAD_URLS = (
    "javascript:alert(1)",
    'https://x.vn/"><script>alert(1)</script>',
    "https://x.vn/a b",
    "https://user@evil.example/",
    "https://x.vn/\n",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/",
)


@pytest.mark.parametrize("url", BAD_URLS)
def test_source_url_is_refused_unless_plain_http(site, url):
    quoted = url.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    path = with_header(site, f'origin: collected\nsource:\n  name: Báo Hà Tĩnh\n  url: "{quoted}"\n')
    result = check(site, f"content/{ITEM}")
    assert result.returncode == 1
    assert f"content/{ITEM}:{line_of(path, '  url:')}: source.url: " in result.stdout


@pytest.mark.parametrize(
    ("data_file", "old", "field"),
    [
        ("links.yml", "url: https://", "links[0].url"),
        ("software.yml", "url: https://", "software[0].url"),
        ("services.yml", "url: https://", "url"),
        ("directory.yml", "email: ", "email"),
    ],
)
@pytest.mark.parametrize("url", BAD_URLS[:3])
def test_data_file_addresses_are_refused(site, data_file, old, field, url):
    path = site / "content" / "data" / data_file
    text = path.read_text(encoding="utf-8")
    start = text.index(old)
    end = text.index("\n", start)
    quoted = url.replace('"', '\\"').replace("\n", "\\n")
    key = old.split(":")[0]
    path.write_text(f'{text[:start]}{key}: "{quoted}"{text[end:]}', encoding="utf-8")
    result = check(site)
    assert result.returncode == 1
    assert f"content/data/{data_file}:" in result.stdout
    assert f"{field}: giá trị" in result.stdout or f".{key}: giá trị" in result.stdout


@pytest.mark.parametrize(
    "target", ["../../../etc/passwd", "/etc/passwd", "images/../../pelicanconf.py", "x.png"]
)
def test_body_image_out_of_content_is_refused(site, target):
    path = site / "content" / ITEM
    path.write_text(
        path.read_text(encoding="utf-8") + f"\n![ảnh hội nghị]({target})\n", encoding="utf-8"
    )
    result = check(site, f"content/{ITEM}")
    assert result.returncode == 1
    assert f"content/{ITEM}:{line_of(path, target)}: body: ảnh: " in result.stdout


# --- symlinks, file types, uploads ---------------------------------------------------------


def test_symlinks_are_refused_and_never_read(site):
    content = site / "content"
    (content / "images" / "leak.svg").symlink_to("/etc/passwd")
    outside = site.parent / f"{site.name}-secret"
    outside.mkdir()
    (outside / "id_ed25519.pdf").write_bytes(b"%PDF-1.4 private key")
    (content / "files" / "keys").symlink_to(outside, target_is_directory=True)
    (content / "tin-tuc" / "hostname.md").symlink_to("/etc/hostname")
    (content / "tin-tuc" / "dangling.md").symlink_to(content / "tin-tuc" / "none.md")
    result = check(site)
    assert result.returncode == 1
    for name in (
        "images/leak.svg",
        "files/keys",
        "tin-tuc/hostname.md",
        "tin-tuc/dangling.md",
    ):
        assert f"content/{name}: là liên kết tượng trưng (symlink)" in result.stdout, name
    assert "private key" not in result.stdout


@pytest.mark.parametrize("name", ["x.markdown", "x.html", "x.htm", "x.rst", "x.mkd", "README"])
def test_files_the_rules_do_not_own_are_refused(site, name):
    (site / "content" / "tin-tuc" / name).write_text("<script>alert(1)</script>\n")
    result = check(site)
    assert result.returncode == 1
    assert f"content/tin-tuc/{name}: loại tệp" in result.stdout


def test_a_folder_named_like_an_item_is_refused(site):
    (site / "content" / "tin-tuc" / "thu-muc.md").mkdir()
    result = check(site)
    assert result.returncode == 1
    assert "content/tin-tuc/thu-muc.md: là thư mục" in result.stdout


def test_hidden_files_are_neither_read_nor_refused(site):
    (site / "content" / "tin-tuc" / ".2026-11-24-x.md.abc123.tmp").write_text("---\n")
    (site / "content" / "images" / ".gitkeep").write_text("")
    assert check(site).returncode == 0


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("files/trang.html", b"<html><script>alert(1)</script></html>", "loại tệp '.html'"),
        ("files/x.js", b"alert(1)", "loại tệp '.js'"),
        ("images/x.xml", b"<x/>", "loại tệp '.xml'"),
        ("files/x.svgz", b"\x1f\x8b", "loại tệp '.svgz'"),
        ("images/anh.png", b"<html><script>alert(1)</script>", "không phải ảnh PNG"),
        ("files/van-ban.pdf", b"<script>alert(1)</script>", "không phải tệp PDF"),
        ("files/van-ban.docx", b"PK\x03\x04 not a zip", "không phải tệp Word hợp lệ"),
        ("images/s.svg", SVG.format("<script>alert(1)</script>").encode(), "<script>"),
        ("images/s.svg", SVG.format('<rect onload="alert(1)"/>').encode(), "onload"),
        ("images/s.svg", SVG.format("<foreignObject><p/></foreignObject>").encode(), "foreign"),
        ("images/s.svg", SVG.format('<a href="javascript:alert(1)"><text/></a>').encode(), "<a>"),
        ("images/s.svg", SVG.format('<image xlink:href="https://e.x/a.png"/>').encode(), "href"),
        ("images/s.svg", SVG.format("<style>@import url(https://e.x/a.css)</style>").encode(), "style"),
        ("images/s.svg", SVG.format('<set attributeName="href" to="javascript:x"/>').encode(), "set"),
        ("images/s.svg", b'<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "DOCTYPE"),
        ("images/s.svg", b"<html><script>alert(1)</script></html>", "không phải ảnh SVG"),
        ("images/s.svg", b"not xml <", "không phải XML"),
        ("images/ANH.PNG", b"\x89PNG\r\n\x1a\n", "phải viết thường: đổi tên thành 'ANH.png'"),
    ],
)
def test_uploads_are_limited_to_published_types(site, name, data, message):
    path = site / "content" / name
    path.write_bytes(data)
    result = check(site)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(f"content/{name}: ")]
    assert any(message in line for line in lines), result.stdout


def test_real_uploads_of_every_published_kind_pass(site):
    images, files = site / "content" / "images", site / "content" / "files"
    Image.new("RGB", (4, 4), "red").save(images / "anh.png")
    Image.new("RGB", (4, 4), "red").save(images / "anh.jpg")
    Image.new("RGB", (4, 4), "red").save(images / "anh.gif")
    Image.new("RGB", (4, 4), "red").save(images / "anh.webp")
    (images / "ve.svg").write_text(SVG.format('<rect width="4" height="4" fill="url(#g)"/>'))
    with zipfile.ZipFile(files / "bang.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with zipfile.ZipFile(files / "van-ban.odt", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    (files / "cu.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
    result = check(site)
    assert result.returncode == 0, result.stdout


def unprivileged(command: list[str]) -> list[str]:
    """Root reads any file: run `command` as nobody (util-linux setpriv) so that
    permissions hold."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]


@pytest.fixture
def open_site(tmp_path_factory):
    """A site any user may enter and write (an unprivileged process must reach it)."""
    root = Path(tempfile.mkdtemp(prefix="portal-perm-", dir="/tmp"))
    make_site(root, with_sample_content=True)
    subprocess.run(["chmod", "-R", "a+rwX", str(root)], check=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_unreadable_item_is_named(open_site):
    (open_site / "content" / ITEM).chmod(0)
    result = subprocess.run(
        unprivileged([str(PORTAL), "check"]),
        cwd=open_site,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"content/{ITEM}: không đọc được tệp (Permission denied)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("data_file", "extra", "message"),
    [
        ("links.yml", "links: []\n", "trường 'links' xuất hiện hai lần"),
        ("software.yml", "x: !!python/name:os.system\n", "thẻ YAML '!!python/name:os.system'"),
        ("services.yml", LAUGHS, "YAML mở rộng quá lớn"),
        ("directory.yml", "'\u202eemail': a\n", "U+202E"),
    ],
)
def test_hostile_yaml_in_data_files_is_named(site, data_file, extra, message):
    path = site / "content" / "data" / data_file
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = check(site, memory=1_500_000_000)
    assert result.returncode == 1
    assert any(
        line.startswith(f"content/data/{data_file}:") and message in line
        for line in result.stdout.splitlines()
    ), result.stdout


@pytest.mark.parametrize("tag", ["<>", "!!!", "..", "——", "« »"])
def test_a_tag_without_letters_is_refused(site, tag):
    path = with_header(site, "", replace=("tags: [giao ban,", f'tags: ["{tag}",'))
    result = check(site, f"content/{ITEM}")
    assert result.returncode == 1
    assert f"content/{ITEM}:{line_of(path, 'tags:')}: tags[0]: từ khóa" in result.stdout


def test_an_oversized_item_is_refused_unread(site):
    path = site / "content" / "tin-tuc" / "lon.md"
    path.write_bytes(b"---\ntitle: x\n---\n" + b"a" * 5_000_001)
    result = check(site)
    assert result.returncode == 1
    assert "content/tin-tuc/lon.md: tệp quá lớn (trên 5 MB)" in result.stdout
