"""What the search index holds: the original text once, the words holding đ folded."""

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


def test_record_indexes_the_original_text_once_and_the_folded_d_words_hidden():
    record = Record(
        url="van-ban/quyet-dinh-27-qd-snv/",
        title="Quyết định 27/QĐ-SNV",
        text="Đà Nẵng <b> đã đến Đà Nẵng",
        meta={"number": "27/QĐ-SNV", "section": "Văn bản pháp luật", "date": ""},
    )
    html = record_html(record)
    searched, hidden = html.split("<div data-pagefind-ignore>")
    # The original, once: Pagefind folds its tones and the excerpt is cut from it.
    assert "<h1>Quyết định 27/QĐ-SNV</h1>" in searched
    assert '<p data-pagefind-weight="10">27/QĐ-SNV</p>' in searched
    assert "<p>Đà Nẵng &lt;b&gt; đã đến Đà Nẵng</p>" in searched
    assert "da nang" not in searched.lower() and 'data-pagefind-meta="text"' not in html
    # Pagefind does not fold đ: the words holding it are indexed folded, each once,
    # with the number whole, in a metadata field the search page never shows.
    assert '<p data-pagefind-meta="d">dinh qd da den 27/qd-snv</p>' in hidden
    assert '<p data-pagefind-meta="title">Quyết định 27/QĐ-SNV</p>' in hidden
    assert 'data-pagefind-meta="date"' not in hidden  # empty values are left out


def test_a_record_without_d_has_no_hidden_words():
    html = record_html(Record(url="a/", title="Sở Nội vụ", text="Giao ban tháng 11", meta={}))
    assert 'data-pagefind-meta="d"' not in html
    assert "<p>Giao ban tháng 11</p>" in html


def test_records_are_files_at_their_urls():
    assert file_of("tin-tuc/a/") == "tin-tuc/a/index.html"
    assert file_of("trang.html") == "trang.html"
