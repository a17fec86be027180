"""The compiled Markdown engine takes only bodies it renders exactly as Python-Markdown
does with the portal's settings (the oracle): the sample content, a compatibility corpus
of what the portal's Markdown accepts, and random bodies near the subset's edges."""

import random
import runpy
import time

import pytest
from markdown import Markdown

from portal.site import markdown_engine
from portal.site.plugin import PortalReader
from portal.yamlfile import split
from tests.conftest import REPO

SETTINGS = runpy.run_path(str(REPO / "pelicanconf.py"))
READER = PortalReader(SETTINGS)  # Pelican adds `meta` to the extensions, as in a build

PLAIN = [
    "",
    "Một đoạn văn.",
    "Sở Nội vụ Hà Tĩnh, ngày 12/3/2025: họp (lần 2) lúc 8:30; ai? có! 50% + 1 = 51.",
    "Dòng một\ndòng hai\n\n\nĐoạn hai “trích” ‘dẫn’ — gạch – nối … hết.\n",
    "\n\nNói \"thế\" và 'thế' @ $ 1.000 đồng/tháng.\n\n",
    "Điều 5 Kinh phí\n\nĐ đ Ư ư Ơ ơ ẫ ỵ.",
    "Email cb@sonoivu.gov.vn hay http://sonoivu.gov.vn/a-b.",
    "Ghi chú: không phải siêu dữ liệu\n\nHạn: cũng không.",
]
# What the portal's Markdown accepts (Python-Markdown, `extra`, `toc`, `sane_lists`,
# Pelican's `meta`), each construct once: none of these may take the fast path.
COMPATIBILITY = [
    "# Tiêu đề\n\nĐoạn.",
    "## Điều 5. Kinh phí\n\n### Điều 5. Kinh phí",
    "Tiêu đề\n=======\n\nPhụ\n---",
    "Ghi: dòng đầu là siêu dữ liệu\n\nĐoạn.",
    "Author: ai\nDate: hôm nay\n\nĐoạn.",
    "- một\n- hai\n    - lồng\n\n1. một\n2. hai",
    "Đoạn:\n- không phải danh sách với Python-Markdown",
    "Đoạn\n2. không phải danh sách",
    "3. bắt đầu từ ba\n4. bốn",
    "* sao\n+ cộng",
    "*nghiêng* **đậm** ***cả hai*** _gạch_ __đôi__ a*b*c a_b_c",
    "**đậm *lồng* đậm** *chưa đóng **lẫn lộn*",
    "[liên kết](http://a.vn \"tiêu đề\") [tham chiếu][r] ![ảnh](/a.png)\n\n[r]: http://b.vn 'T'",
    "<http://a.vn> <cb@a.vn> http://a.vn",
    "<div>khối HTML</div>\n\n<p>đoạn</p>\n\n<span>trong dòng</span> đoạn",
    '<div markdown="1">*x*</div>',
    "&amp; &copy; &#123; & < > AT&T 1 < 2",
    "`mã` ``hai `dấu` `` \\*thoát\\* \\\\",
    "```\nkhối mã\n```\n\n~~~\nkhác\n~~~\n\n    thụt lề",
    "> trích\n> dẫn\n\n> > lồng",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Một[^1]\n\n[^1]: chú thích",
    "*[HĐND]: Hội đồng nhân dân\n\nHĐND họp.",
    "Thuật ngữ\n:   định nghĩa",
    "# Tiêu đề {: #rieng .lop }\n\nĐoạn {: .lop }",
    "[TOC]\n\n# Một\n\n## Hai",
    "Ngắt dòng  \nhai dấu cách",
    "Dấu cách cuối \nmột",
    "\tthụt tab\n\nĐoạn\tcó tab",
    "  thụt hai\n   thụt ba",
    "Đoạn\n   \nsau dòng chỉ có dấu cách",
    "***\n\n---\n\n___",
    "a\r\nb\rc",
    "Ký tự\x02lạ\x03 và \u00a0 không ngắt, \u2028 tách dòng",
    "Chữ tổ hợp: Vie\u0302\u0323t",
    "snake_case và _nghiêng_",
    "Ngoặc {nhọn} ~ngã~ ^mũ^ |ống| #thăng",
    "Số 1) không phải danh sách\n1) với CommonMark thì là",
]
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyĐẤỬỹAKZ"
SAFE = [*" .,;:?!()'\"/%+=@$…–—“”‘’-", "0", "12", ": ", ". ", ") "]
RISKY = [*"*_[]<>&\\`#|~{}^\t", "- ", "1. ", "2) ", "# ", "> ", "    ", "  ", "Key: ", "**"]
RISKY += ["[a](b)", "\u00a0"]


def random_body(rng: random.Random) -> str:
    """Paragraph-like lines of the subset, with now and then a character or a line start
    from beside it, so that both sides of the guard are drawn."""
    lines = []
    for _ in range(rng.randint(0, 6)):
        if rng.random() < 0.25:
            lines.append("" if rng.random() < 0.8 else "  ")
            continue
        words = [rng.choice(LETTERS if rng.random() < 0.9 else SAFE + RISKY)]
        for _ in range(rng.randint(0, 8)):
            words.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 5))))
            words.append(rng.choice(RISKY) if rng.random() < 0.03 else rng.choice(SAFE))
        lines.append("".join(words))
    return "\n".join(lines)


def oracle(body: str) -> str:
    return Markdown(**READER.settings["MARKDOWN"]).convert(body)


def converted(body: str) -> str:
    return markdown_engine.to_html(body, READER.markdown)


@pytest.mark.parametrize("body", PLAIN)
def test_plain_bodies_take_the_engine_and_match(body):
    assert markdown_engine.is_plain(body)
    assert converted(body) == oracle(body)


@pytest.mark.parametrize("body", COMPATIBILITY)
def test_other_markdown_goes_to_python_markdown(body):
    assert not markdown_engine.is_plain(body)
    assert converted(body) == oracle(body)


def test_the_sample_content_renders_as_before():
    bodies = [split(p.read_text(encoding="utf-8"))[2] for p in (REPO / "content").rglob("*.md")]
    assert any(markdown_engine.is_plain(body) for body in bodies)
    assert [converted(body) for body in bodies] == [oracle(body) for body in bodies]


def test_random_bodies_never_differ():
    """Bodies drawn from the subset's characters and the constructs beside it: whatever the
    guard lets through must be byte-identical (and enough of them must pass)."""
    rng = random.Random(15)
    plain = 0
    for _ in range(4000):
        body = random_body(rng)
        if markdown_engine.is_plain(body):
            plain += 1
            assert converted(body) == oracle(body), repr(body)
    assert 400 < plain < 3600


def test_the_guard_refuses_a_long_body_in_linear_time():
    """A body refused only at its very end must not make the guard backtrack line by line
    (0.02 s for these on the development machine)."""
    for body in (
        "Một dòng chữ.\n" * 20_000 + "x ",
        "Đoạn.\n\n" * 50_000 + "*",
        "A" + " " * 200_000,
    ):
        start = time.process_time()
        assert not markdown_engine.is_plain(body)
        assert time.process_time() - start < 2
