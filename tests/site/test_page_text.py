"""The search text of a page is taken by a regular-expression scan of well-formed HTML,
in a third of HTMLParser's time; it must equal what HTMLParser (`_PageText`) finds, and
give way to it for anything else."""

import pytest

from portal.site.search import _PageText, _plain_page_text, page_text

BODY = '<main><article data-search-body class="x">{}</article></main>'
CASES = [
    "<p>Đoàn công tác đến <strong>Đà Nẵng</strong>.</p><ul><li>Một</li><li>Hai</li></ul>",
    "Cuối&nbsp;bài &amp; hết &lt;b&gt; &#273;&#x111; &unknown; a&b",
    "<h1 data-search-ignore>Tiêu đề</h1><div data-search-ignore><p>bỏ <b>qua</b></p></div>sau",
    '<p title="a > b" data-x=\'c > d\'>giá trị có dấu &gt;</p><img src="a.svg" alt="ảnh">x',
    '<p title="data-search-ignore">một giá trị, không phải thuộc tính</p>',
    "<P DATA-SEARCH-IGNORE>HOA</P><Em>nghiêng</Em> <BR/>dòng<br>mới<hr/>",
    "<div/>tự đóng<span/>nội dòng<button>In</button><template><p>mẫu</p></template>",
    "<p>a<em>b</em>c</p><table><tr><td>1</td><td>2</td></tr></table>trailing",
    "</p>đóng thừa</div>trước<p>x",
]
FALLBACK = [
    "<p>a <!-- ghi chú --> b</p>",
    "<p>a < b và c > d</p>",
    '<script>var x = "<p>không</p>";</script><p>có</p>',
    "<style>p { color: red }</style>chữ",
    "<![CDATA[x]]>y",
]


def parsed(page: str) -> str:
    parser = _PageText()
    parser.feed(page)
    parser.close()
    return parser.text


@pytest.mark.parametrize("inner", CASES)
def test_the_scan_finds_what_htmlparser_finds(inner):
    page = BODY.format(inner)
    assert _plain_page_text(page) is not None
    assert _plain_page_text(page) == parsed(page)
    assert page_text(f"<html><body>{page}</body></html>") == parsed(page)


@pytest.mark.parametrize("inner", FALLBACK)
def test_anything_else_is_left_to_htmlparser(inner):
    page = BODY.format(inner)
    assert _plain_page_text(page) is None
    assert page_text(page) == parsed(page)


def test_outside_the_search_body_nothing_is_taken():
    assert _plain_page_text("<main><p>ngoài</p><div data-search-body>trong</div>sau</main>") == (
        "trong"
    )
