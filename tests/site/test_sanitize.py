"""The allow-list applied to the HTML made from an item's Markdown."""

import pytest

from portal.site.sanitize import DEFAULT_EMBEDS, allowed_embed, clean, http_url, unsafe_markup

YOUTUBE = "https://www.youtube-nocookie.com/embed/abc123"


@pytest.mark.parametrize(
    "markup, forbidden",
    [
        ("<p>a<script>alert(1)</script>b</p>", "alert(1)"),
        ('<img src="images/a.svg" alt="ảnh" onerror="steal()">', "onerror"),
        ('<a href="javascript:alert(1)">bấm</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">bấm</a>', "alert(1)"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">bấm</a>', "data:"),
        ('<img src="https://tracker.example/pixel.gif" alt="x">', "tracker.example"),
        ('<img src="//tracker.example/pixel.gif" alt="x">', "tracker.example"),
        ('<iframe src="https://evil.example/page" title="x"></iframe>', "iframe"),
        ("<style>body{display:none}</style><p>x</p>", "display:none"),
        ('<form action="https://evil.example"><input name="p"></form>', "form"),
        ('<p style="position:fixed">x</p>', "position"),
        ('<object data="x.swf"></object>', "object"),
    ],
)
def test_unsafe_markup_never_reaches_the_page(markup, forbidden):
    assert forbidden.lower() not in clean(markup).lower()


def test_ordinary_markdown_output_is_kept():
    html = (
        '<h2 id="muc-1">Mục 1</h2><p>Xem <a href="https://moha.gov.vn">Bộ Nội vụ</a>, '
        '<a href="mailto:sonoivu@hatinh.gov.vn">thư</a>, '
        '<a href="{filename}/pages/gioi-thieu.md">giới thiệu</a>.</p>'
        '<img src="{static}/images/so-do.svg" alt="Sơ đồ tổ chức">'
        '<table><thead><tr><th scope="col">Số</th></tr></thead><tbody><tr><td>1</td></tr>'
        "</tbody></table>"
    )
    cleaned = clean(html)
    for kept in (
        'id="muc-1"',
        'href="https://moha.gov.vn"',
        'href="mailto:sonoivu@hatinh.gov.vn"',
        'href="{filename}/pages/gioi-thieu.md"',
        'src="{static}/images/so-do.svg"',
        'alt="Sơ đồ tổ chức"',
        'scope="col"',
    ):
        assert kept in cleaned, kept


def test_iframes_only_from_the_allow_list():
    allowed = clean(f'<iframe src="{YOUTUBE}" title="Video hội nghị" allowfullscreen></iframe>')
    assert f'src="{YOUTUBE}"' in allowed and 'referrerpolicy="no-referrer"' in allowed
    assert clean('<iframe src="https://www.youtube.com/embed/abc123"></iframe>') == ""
    own = clean(
        '<iframe src="https://video.hatinh.gov.vn/v/1"></iframe>', ["https://video.hatinh.gov.vn/"]
    )
    assert "video.hatinh.gov.vn" in own


def test_each_allow_list_keeps_its_own_sanitiser():
    """The sanitiser is made once per allow-list: another list, or the same one again as a
    list, must not reuse the first one's verdicts."""
    own = '<iframe src="https://video.hatinh.gov.vn/v/1"></iframe>'
    youtube = f'<iframe src="{YOUTUBE}"></iframe>'
    for _ in range(2):
        assert "video.hatinh.gov.vn" in clean(own, ["https://video.hatinh.gov.vn/"])
        assert clean(own) == "" and clean(own, ("https://other.example/",)) == ""
        assert clean(youtube, ["https://video.hatinh.gov.vn/"]) == ""
        assert YOUTUBE in clean(youtube, list(DEFAULT_EMBEDS))


def test_author_is_told_what_was_removed_with_the_line():
    body = (
        "Đoạn mở đầu.\n"
        "\n"
        '<img src="https://tracker.example/p.gif" alt="x" onload="f()">\n'
        "<script>alert(1)</script>\n"
        '<a href="javascript:void(0)">x</a> <iframe src="https://evil.example/"></iframe>\n'
        "![ảnh ngoài](https://cdn.example/a.jpg)\n"
    )
    problems = unsafe_markup(body, first_line=10, shown="content/tin-tuc/a.md")
    lines = {(p.line, p.message.split(" ")[0]) for p in problems}
    assert all(p.severity == "warning" and p.field == "body" for p in problems)
    assert (12, "thuộc") in lines  # onload on line 12
    assert (12, "ảnh") in lines  # the remote image on line 12
    assert (13, "thẻ") in lines  # <script> on line 13
    assert (14, "địa") in lines and (14, "khung") in lines
    assert (15, "ảnh") in lines  # Markdown image from another site
    shown = [str(p) for p in problems]
    assert "content/tin-tuc/a.md:13: body: cảnh báo (warning): thẻ <script> bị loại bỏ" in shown


def test_clean_text_has_no_warnings():
    body = "Văn bản thường, có [liên kết](https://moha.gov.vn) và ![ảnh](images/a.svg).\n"
    assert unsafe_markup(body, 1, "a.md") == []


@pytest.mark.parametrize(
    "src",
    [
        "https://www.youtube-nocookie.com/embed/../../redirect?q=https://evil.example/",
        "https://www.youtube-nocookie.com/embed/%2e%2e/%2e%2e/redirect",
        "https://www.youtube-nocookie.com/embed/..%2f..%2fredirect",
        "https://www.youtube-nocookie.com/embed/./../x",
        "https://www.youtube-nocookie.com.evil.example/embed/abc",
        "https://www.youtube-nocookie.com@evil.example/embed/abc",
        "https://user@www.youtube-nocookie.com/embed/abc",
        "http://www.youtube-nocookie.com/embed/abc",
        "https://www.youtube-nocookie.com/embed/",
        "https://www.youtube-nocookie.com/embed\\..\\x",
        "https://www.youtube-nocookie.com/embedded/abc",
    ],
)
def test_embeds_are_compared_after_parsing_and_normalising(src):
    assert not allowed_embed(src, DEFAULT_EMBEDS)
    assert clean(f'<iframe src="{src}"></iframe>') == ""
    warnings = unsafe_markup(f'<iframe src="{src}"></iframe>', 1, "x.md")
    assert any("khung nhúng" in p.message for p in warnings)


def test_allowed_embed_still_loads():
    assert allowed_embed(YOUTUBE, DEFAULT_EMBEDS)
    assert allowed_embed(YOUTUBE + "?start=30", DEFAULT_EMBEDS)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://hatinh.gov.vn/a?b=1", "https://hatinh.gov.vn/a?b=1"),
        ("javascript:alert(1)", "#"),
        ('https://x.vn/"><script>', "#"),
        ("https://a@evil.example/", "#"),
        ("//evil.example/", "#"),
        ("https://x.vn:99999/", "#"),
        ("data:text/html,x", "#"),
        (None, "#"),
    ],
)
def test_http_url_filter_lets_only_plain_web_addresses_through(url, expected):
    assert http_url(url) == expected
