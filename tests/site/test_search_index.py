"""What the search index holds: the original text once, then the words holding đ folded."""

from portal.site import search
from portal.site.search import HIDDEN_MARK, Record, file_of, page_text, record_html

PAGE = """<html><body><nav>Trang chủ</nav>
<article data-search-body><h1 data-search-ignore>Tiêu đề</h1>
<p class="meta" data-search-ignore>Thứ Tư, 18/11/2026</p>
<div class="tools" data-search-ignore><button>In</button></div>
<p>Đoàn công tác đến <strong>Đà Nẵng</strong>.</p><ul><li>Một</li><li>Hai</li></ul>
<script>var x = "không";</script><img src="a.svg" alt="ảnh">Cuối&nbsp;bài &amp; hết
</article><footer>Chân trang</footer></body></html>"""


def test_page_text_is_what_the_reader_sees_in_the_item():
    assert page_text(PAGE) == "Đoàn công tác đến Đà Nẵng. Một Hai Cuối bài & hết"


def test_record_indexes_the_original_text_once_and_the_d_words_folded_after_it():
    record = Record(
        url="van-ban/quyet-dinh-27-qd-snv/",
        title="Quyết định 27/QĐ-SNV",
        text="Đà Nẵng <b> đã đến Đà Nẵng",
        meta={"number": "27/QĐ-SNV", "section": "Văn bản pháp luật", "date": ""},
    )
    html = record_html(record)
    searched, shown = html.split("<div data-pagefind-ignore>")
    text, hidden = searched.split(HIDDEN_MARK)
    # The original, once: Pagefind folds its tones and the excerpt is cut from it.
    assert "<h1>Quyết định 27/QĐ-SNV</h1>" in text
    assert '<p data-pagefind-weight="10">27/QĐ-SNV</p>' in text
    assert "<p>Đà Nẵng &lt;b&gt; đã đến Đà Nẵng</p>" in text
    assert "da nang" not in text.lower() and 'data-pagefind-meta="text"' not in html
    # Pagefind does not fold đ: the words holding it follow, folded, as often as they
    # occur, as spaces part them (the number whole); the search page cuts the text at
    # the mark.
    assert hidden == " dinh 27/qd-snv 27/qd-snv da da den da</p>"  # title, number, text
    assert '<p data-pagefind-meta="title">Quyết định 27/QĐ-SNV</p>' in shown
    assert 'data-pagefind-meta="date"' not in shown  # empty values are left out


def test_a_record_without_d_ends_with_the_mark_alone():
    html = record_html(Record(url="a/", title="Sở Nội vụ", text="Giao ban tháng 11", meta={}))
    assert f"<p>Giao ban tháng 11</p><p>{HIDDEN_MARK} </p>" in html


def test_records_are_files_at_their_urls():
    assert file_of("tin-tuc/a/") == "tin-tuc/a/index.html"
    assert file_of("trang.html") == "trang.html"


def test_a_shard_indexed_in_an_older_shape_is_rebuilt(monkeypatch):
    records = {"a/index.html": Record(url="a/", title="Đà Nẵng", text="Đà Nẵng", meta={})}
    now = search._shard_digest(records)
    assert search._shard_digest(records) == now  # the same records: the shard is kept
    monkeypatch.setattr(search, "RECORD_FORMAT", "1")
    assert search._shard_digest(records) != now


def _shard_bytes(records: dict, target) -> dict:
    search._build_shard(records, target, "s")
    return {
        p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()
    }


def test_the_same_records_give_the_same_index_whatever_their_order(tmp_path):
    # Pagefind numbers pages in the order it lists its input folder (on tmpfs, the
    # order the files were made): the input is written sorted.
    records = {
        file_of(f"tin-tuc/tin-{n}/"): Record(
            url=f"tin-tuc/tin-{n}/", title=f"Tin {n} Đà Nẵng", text=f"Nội dung {n} đoàn", meta={}
        )
        for n in range(12)
    }
    forward = _shard_bytes(records, tmp_path / "a")
    backward = _shard_bytes(dict(reversed(records.items())), tmp_path / "b")
    assert forward == backward and any(name.startswith("s/index/") for name in forward)


def test_pagefind_input_goes_to_disk_when_memory_folder_is_small_or_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "_MEMORY_FOLDER", tmp_path)
    assert search._memory_folder() == str(tmp_path)  # writable, with room
    monkeypatch.setattr(search, "_MEMORY_FOLDER_FREE", 2**62)
    assert search._memory_folder() is None  # a small tmpfs (64 MB in a container)
    monkeypatch.setattr(search, "_MEMORY_FOLDER", tmp_path / "absent")
    monkeypatch.setattr(search, "_MEMORY_FOLDER_FREE", 0)
    assert search._memory_folder() is None
