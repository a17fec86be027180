"""What the search index holds: the folded text is searched, the original is shown."""

from portal.site.search import Record, file_of, page_text, record_html

PAGE = """<html><body><nav>Trang chủ</nav>
<article data-search-body><h1 data-search-ignore>Tiêu đề</h1>
<p class="meta" data-search-ignore>Thứ Tư, 18/11/2026</p>
<div class="tools" data-search-ignore><button>In</button></div>
<p>Đoàn công tác đến <strong>Đà Nẵng</strong>.</p><ul><li>Một</li><li>Hai</li></ul>
<script>var x = "không";</script><img src="a.svg" alt="ảnh">Cuối&nbsp;bài &amp; hết
</article><footer>Chân trang</footer></body></html>"""


def test_page_text_is_what_the_reader_sees_in_the_item():
    assert page_text(PAGE) == "Đoàn công tác đến Đà Nẵng. Một Hai Cuối bài & hết"


def test_record_indexes_the_folded_text_and_keeps_the_original_as_metadata():
    record = Record(
        url="van-ban/quyet-dinh-27-qd-snv/",
        title="Quyết định 27/QĐ-SNV",
        text="Đà Nẵng <b>",
        meta={"number": "27/QĐ-SNV", "section": "Văn bản pháp luật", "date": ""},
    )
    html = record_html(record)
    searched = html.split("<div data-pagefind-ignore>")[0]
    assert "<h1>quyet dinh 27/qd-snv</h1>" in searched
    assert '<p data-pagefind-weight="10">27/qd-snv</p>' in searched
    assert "<p>da nang &lt;b&gt;</p>" in searched
    assert "Đà" not in searched and "Nẵng" not in searched
    shown = html.split("<div data-pagefind-ignore>")[1]
    assert '<p data-pagefind-meta="text">Đà Nẵng &lt;b&gt;</p>' in shown
    assert '<p data-pagefind-meta="title">Quyết định 27/QĐ-SNV</p>' in shown
    assert 'data-pagefind-meta="date"' not in shown  # empty values are left out


def test_records_are_files_at_their_urls():
    assert file_of("tin-tuc/a/") == "tin-tuc/a/index.html"
    assert file_of("trang.html") == "trang.html"
