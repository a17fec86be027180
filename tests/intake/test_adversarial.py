"""Hostile and odd inputs: invisible characters, link targets, zip bombs, Word's own alt
text, legacy text in a mail body, spoofable senders, rejected branches deleted."""

import io
import zipfile

import docx
import pytest
from docx.shared import Inches

from portal.cli import main
from portal.content import sitedata
from portal.intake import word
from portal.intake.limits import IntakeError
from portal.intake.mail import from_message
from portal.intake.markdown import html_to_markdown
from tests.intake import documents as docs
from tests.intake.conftest import git


def test_invisible_characters_do_not_survive_a_word_document():
    document = docx.Document()
    document.add_heading("Tiêu\u200b đề tin\ufeff", 1)
    document.add_paragraph("Nội\ufeff dung của\u200e tin\x85 bài này.")
    converted = html_to_markdown(word.convert_docx(docs.save(document), "x.docx").html)
    assert converted.title == "Tiêu đề tin"
    assert converted.markdown == "Nội dung của tin bài này.\n"


def test_control_characters_of_an_html_mail_do_not_survive():
    html = "<p>Nội\x01 dung\x0b của\u200b tin bài này.</p>"
    assert html_to_markdown(html, take_title=False).markdown == "Nội dung của tin bài này.\n"


def test_link_targets_cannot_break_out_of_the_markdown_link():
    html = '<p><a href="https://hatinh.gov.vn/a) [x](javascript:alert(1)">xem</a></p>'
    text = html_to_markdown(html, take_title=False).markdown
    assert text == "[xem](https://hatinh.gov.vn/a%29%20[x]%28javascript:alert%281%29)\n"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "//evil.example/x",
        "http:evil",
    ],
)
def test_only_web_and_mail_links_are_kept(href):
    text = html_to_markdown(f'<p><a href="{href}">chữ</a></p>', take_title=False)
    assert text.markdown == "chữ\n" and text.notes


def test_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(word, "MAX_UNZIPPED", 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<x/>")
        archive.writestr("word/media/big.bin", b"\0" * (2 * 1024 * 1024))
    with pytest.raises(IntakeError, match="giải nén ra quá lớn"):
        word.convert_docx(out.getvalue(), "bom.docx")


def _with_alt(alt: str) -> bytes:
    document = docx.Document()
    document.add_heading("Ảnh hoạt động của đơn vị trong tháng", 1)
    document.add_picture(io.BytesIO(docs.png()), width=Inches(1))
    document.inline_shapes[0]._inline.docPr.set("descr", alt)
    return docs.save(document)


@pytest.mark.parametrize(
    "alt, kept",
    [
        ("Lãnh đạo Sở trao giấy khen cho các tập thể", True),
        ("A group of people standing - Description automatically generated", False),
        ("IMG_0012.JPG", False),
        ("", False),
    ],
)
def test_only_alt_text_a_person_wrote_is_kept(alt, kept):
    result = word.convert_docx(_with_alt(alt), "anh.docx")
    assert result.images[0].alt == (alt if kept else "")


def test_images_that_are_not_images_are_not_extracted():
    document = docx.Document()
    document.add_picture(io.BytesIO(docs.png()), width=Inches(1))
    data = docs.save(document)
    # Replace the picture's bytes with a script under the same name: Pillow says no.
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for entry in source.infolist():
            body = source.read(entry)
            if entry.filename.startswith("word/media/"):
                body = b"<svg onload='alert(1)'/>"
            copy.writestr(entry, body)
    result = word.convert_docx(out.getvalue(), "x.docx")
    assert result.images == [] and "không lấy ra được" in result.notes[0]


def test_legacy_text_in_a_mail_body_is_converted_by_the_project_detector(portal):
    mail = docs.message(
        subject="Tin tu don vi",
        body=docs.TCVN3_TEXT + " giao ban th¸ng 11 n¨m 2026 t¹i héi tr­êng Së.",
    )
    sub = from_message(bytes(mail), "x.eml", sitedata.load(portal / "content"), set())
    [draft] = sub.drafts
    assert docs.TCVN3_UNICODE + " giao ban tháng 11 năm 2026 tại hội trường Sở." in draft.text
    assert any("TCVN3" in c for c in sub.converted)


def test_the_sender_on_the_roster_is_a_claim_the_editor_confirms(portal):
    mail = docs.message()
    sub = from_message(bytes(mail), "x.eml", sitedata.load(portal / "content"), set())
    assert any("chưa được xác thực" in t for t in sub.drafts[0].todo)


def test_a_deleted_rejected_branch_is_still_remembered(portal, capsys):
    (portal / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", "tin.docx"]) == 0
    [branch] = git(
        portal, "for-each-ref", "--format=%(refname:short)", "refs/heads/intake/"
    ).split()
    git(portal, "branch", "-D", branch)
    git(portal, "gc", "--quiet", "--prune=now")
    assert main(["intake", "tin.docx"]) == 0
    assert git(portal, "for-each-ref", "refs/heads/intake/") == ""
    assert "đã nhận trước đây" in capsys.readouterr().out


def _with_document_xml(prolog: str, marker_text: str, replacement: str) -> bytes:
    """A real document whose document.xml gets a DOCTYPE and an entity reference."""
    data = docs.news_docx(image=False)
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml").decode("utf-8")
    xml = prolog + xml[xml.index("<w:document") :].replace(marker_text, replacement, 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for entry in source.infolist():
            body = source.read(entry)
            copy.writestr(entry, xml.encode() if entry.filename == "word/document.xml" else body)
    return out.getvalue()


def test_entity_expansion_bomb_is_refused_quickly():
    entities = "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    prolog = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">{entities}]>'
    with pytest.raises(IntakeError, match="bị hỏng"):
        word.convert_docx(_with_document_xml(prolog, "Kết quả", "&j;"), "bom.docx")


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("NOI-DUNG-BI-MAT")
    prolog = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
    try:
        result = word.convert_docx(_with_document_xml(prolog, "Kết quả", "&x;"), "xxe.docx")
    except IntakeError:
        return  # refused: nothing read either
    assert "NOI-DUNG-BI-MAT" not in result.html


def test_a_heading_ending_in_a_hash_keeps_it():
    html = "<h1>Tiêu đề</h1><h2>Kết quả quý #</h2><p>Mục #1 và C# ## x</p>"
    text = html_to_markdown(html).markdown
    rendered = __import__("markdown").markdown(text, extensions=["extra"])
    assert "<h3>Kết quả quý #</h3>" in rendered and "<p>Mục #1 và C# ## x</p>" in rendered


def test_a_very_long_subject_is_cut_to_the_schema_limit(portal):
    mail = docs.message(subject="Tin rất dài " * 60, body="Nội dung của một tin bài ngắn.")
    sub = from_message(bytes(mail), "x.eml", sitedata.load(portal / "content"), set())
    title = sub.drafts[0].title
    assert 3 <= len(title) <= 300 and title.startswith("Tin rất dài")


def test_legacy_fonts_in_character_styles_and_footnotes_are_converted():
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    style = document.styles.add_style("Chu cu", WD_STYLE_TYPE.CHARACTER)
    style.font.name = ".VnTime"
    document.add_paragraph("Đoạn Unicode, rồi ").add_run(docs.TCVN3_TEXT, style="Chu cu")
    result = word.convert_docx(docs.save(document), "x.docx")
    assert "Đoạn Unicode, rồi " + docs.TCVN3_UNICODE in result.html
    footnote = docs.FOOTNOTES_XML.replace(
        "<w:r><w:t>Theo Quyết định 27/QĐ-SNV.</w:t></w:r>",
        '<w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr>'
        f"<w:t>{docs.TCVN3_TEXT}</w:t></w:r>",
    )
    data = docs.rich_docx()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for entry in source.infolist():
            body = source.read(entry)
            copy.writestr(
                entry, footnote.encode() if entry.filename == "word/footnotes.xml" else body
            )
    converted = html_to_markdown(word.convert_docx(out.getvalue(), "x.docx").html)
    assert f"[^1]: {docs.TCVN3_UNICODE}" in converted.markdown
