"""Word documents to Markdown: structure, legacy fonts, hostile text, what must not leak."""

import unicodedata

import markdown
import pytest

from portal.intake.markdown import html_to_markdown
from portal.intake.word import IMAGE_PLACEHOLDER, convert_docx
from portal.site.sanitize import clean, unsafe_markup
from tests.intake import documents as docs

EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.sane_lists"]


def convert(data: bytes):
    word = convert_docx(data, "bai.docx")
    return word, html_to_markdown(word.html)


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def test_structure_survives_and_the_sanitiser_has_nothing_to_remove():
    word, converted = convert(docs.news_docx())
    text = converted.markdown
    assert converted.title == "Sở Nội vụ tổ chức hội nghị giao ban tháng 11"
    assert converted.summary.startswith("Sáng 24/11, Sở Nội vụ tổ chức hội nghị giao ban")
    assert "**công tác tháng 11**" in text and "*phòng, ban*" in text
    assert "### Kết quả" in text  # h2 in Word becomes h3: the title is the page's h1
    assert "- Hoàn thành kế hoạch" in text and "1. Triển khai nhiệm vụ" in text
    html = render(text)
    assert "<th>Chỉ tiêu</th>" in html and "<td>120</td>" in html
    assert len(word.images) == 1 and word.images[0].extension == "png"
    # The draft replaces the image placeholder by the saved file's address (draft.py).
    placed = text.replace(f"({IMAGE_PLACEHOLDER}1)", "({static}/images/bai-1.png)")
    assert unsafe_markup(placed, 1, "x.md") == []
    assert "<table>" in clean(html) and "<strong>công tác tháng 11</strong>" in clean(html)


def test_vntime_document_comes_out_in_unicode_nfc():
    word, converted = convert(docs.vntime_docx())
    assert converted.title == docs.VNTIME_TITLE  # .VnTimeH: capitals; the letterhead skipped
    assert converted.summary == docs.TCVN3_UNICODE + " tổng kết công tác năm 2026."
    assert "**CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n\nĐộc lập - Tự do - Hạnh phúc" in (
        converted.markdown
    )
    assert docs.TCVN3_UNICODE + " tổng kết công tác năm 2026." in converted.markdown
    assert unicodedata.is_normalized("NFC", converted.markdown)
    assert word.fonts.fonts() == {".VnTime": 3, ".VnTimeH": 2}


@pytest.mark.parametrize(
    "paragraphs, title",
    [
        (
            ["UBND TỈNH HÀ TĨNH", "SỞ NỘI VỤ", "Số: 215/KH-SNV", "KẾ HOẠCH CẢI CÁCH"],
            "KẾ HOẠCH CẢI CÁCH",
        ),
        (["Sở Nội vụ tổ chức hội nghị giao ban"], "Sở Nội vụ tổ chức hội nghị giao ban"),
        (
            ["Hà Tĩnh, ngày 5 tháng 1 năm 2027", "Ban Tôn giáo gặp mặt chức sắc"],
            "Ban Tôn giáo gặp mặt chức sắc",
        ),
    ],
)
def test_the_title_is_found_below_the_letterhead(paragraphs, title):
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph().add_run(text).bold = True
    document.add_paragraph("Nội dung của văn bản gửi về Cổng.")
    assert convert(docs.save(document))[1].title == title


def test_mixed_document_converts_only_legacy_runs():
    word, converted = convert(docs.mixed_docx())
    text = converted.markdown
    assert "Đây là đoạn Unicode đúng chuẩn, không được đổi." in text
    assert docs.TCVN3_UNICODE + "." in text
    assert "\n" + docs.VNI_UNICODE + "\n" in text  # a VNI letter split across two runs
    assert "Hội nghị đã là Unicode" in text  # Unicode typed with .VnTime selected: kept
    assert [k.before for k in word.fonts.kept] == ["Hội nghị đã là Unicode"]
    assert not any(ch in text for ch in "ØµÜæøÞ")


def test_unicode_font_runs_are_never_converted():
    """Text that looks like TCVN3 but is set in Times New Roman stays as typed."""
    import docx

    document = docx.Document()
    run = document.add_paragraph().add_run("Prix: 5 µg, Ø 3 mm")
    run.font.name = "Times New Roman"
    word, converted = convert(docs.save(document))
    assert "Prix: 5 µg, Ø 3 mm" in converted.markdown
    assert word.fonts.converted == []


def test_hostile_text_links_tracked_changes_and_comments():
    word, converted = convert(docs.rich_docx())
    text = converted.markdown
    assert converted.title == "Thông tin về quy chế <script>alert(1)</script>"
    assert "[trang quy chế](https://hatinh.gov.vn/quy-che)" in text
    assert "javascript" not in text and "liên kết độc" in text
    assert "[^1]" in text and "[^1]: Theo Quyết định 27/QĐ-SNV." in text
    assert "CÂU ĐÃ XÓA" not in text and "NHẬN XÉT NỘI BỘ" not in text
    html = render(text)
    assert 'class="footnote"' in html
    assert "onclick" not in html.replace("{: onclick=alert(1)}", "")
    assert "{: onclick=alert(1)} | a *b* _c_ [x](y)" in html  # typed text stays text
    assert "<h1>" not in html and "# không phải tiêu đề" in html
    # Typed text that merely looks like a handler: escaped, so no attribute reaches the page.
    assert " onclick=" not in clean(html).replace("{: onclick=alert(1)}", "")


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "Word 97-2003"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "mật khẩu",
        ),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"PK\x03\x04 truncated zip", "bị hỏng"),
        (b"plain text, not Word", "không phải tệp Word"),
    ],
)
def test_unreadable_documents_say_what_to_do(data, expected):
    """OLE headers stand in for the binary .doc and the encrypted .docx container
    (both are OLE compound files; the stream name tells them apart)."""
    from portal.intake.limits import IntakeError

    with pytest.raises(IntakeError) as error:
        convert_docx(data, "bao-cao.doc")
    assert expected in str(error.value) and str(error.value).startswith("bao-cao.doc: ")


def test_a_docx_without_its_document_part_is_refused():
    import io
    import zipfile

    from portal.intake.limits import IntakeError

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(IntakeError, match="word/document.xml"):
        convert_docx(out.getvalue(), "x.docx")


def test_images_in_table_cells_stay_in_the_body():
    import io

    import docx
    from docx.shared import Inches

    document = docx.Document()
    document.add_heading("Bảng ảnh hoạt động của các đơn vị", 1)
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    cell.paragraphs[0].add_run().add_picture(io.BytesIO(docs.png()), width=Inches(1))
    word, converted = convert(docs.save(document))
    assert converted.images == [1] and "![](intake-image:1)" in converted.markdown


def test_odt_says_what_to_do():
    from portal.intake.limits import IntakeError

    with pytest.raises(IntakeError, match="LibreOffice"):
        convert_docx(b"PK\x03\x04...", "bai.odt")
