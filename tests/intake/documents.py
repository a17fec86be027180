"""Real .docx and e-mail fixtures, written in the test by python-docx and `email`.

python-docx writes Word's own package format; a run's font is set as Word sets it
(`w:rFonts`), and text typed in a .VnTime or VNI font is stored, as Word stores it,
as the Windows-1252 characters of the legacy bytes.
"""

import io
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from PIL import Image

# "Sở Nội vụ tỉnh Hà Tĩnh tổ chức hội nghị" typed in .VnTime (TCVN3 bytes read as cp1252)
TCVN3_TEXT = "Së Néi vô tØnh Hµ TÜnh tæ chøc héi nghÞ"
TCVN3_UNICODE = "Sở Nội vụ tỉnh Hà Tĩnh tổ chức hội nghị"
# "Sở Nội vụ" typed in VNI-Times
VNI_TEXT = "Sôû Noäi vuï"
VNI_UNICODE = "Sở Nội vụ"


def png(color="red", size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg(color="blue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), color).save(out, "JPEG")
    return out.getvalue()


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def legacy_run(paragraph, text: str, font: str):
    run = paragraph.add_run(text)
    run.font.name = font
    return run


def news_docx(title="Sở Nội vụ tổ chức hội nghị giao ban tháng 11", image=True) -> bytes:
    document = docx.Document()
    document.add_heading(title, 1)
    first = document.add_paragraph("Sáng 24/11, Sở Nội vụ tổ chức hội nghị giao ban ")
    first.add_run("công tác tháng 11").bold = True
    first.add_run(" với các ")
    first.add_run("phòng, ban").italic = True
    first.add_run(" trực thuộc.")
    document.add_heading("Kết quả", 2)
    document.add_paragraph("Hoàn thành kế hoạch", style="List Bullet")
    document.add_paragraph("Triển khai nhiệm vụ", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Chỉ tiêu", "Kết quả"
    table.cell(1, 0).text, table.cell(1, 1).text = "Hồ sơ", "120"
    if image:
        document.add_picture(io.BytesIO(png()), width=Inches(1))
    return save(document)


VNTIME_TITLE = "BÁO CÁO TỔNG KẾT CÔNG TÁC NĂM 2026"


def vntime_docx() -> bytes:
    """A document typed years ago in .VnTime: the Normal style's font is .VnTime; the
    letterhead (national motto) and the title are in the capitals font .VnTimeH."""
    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"
    motto = document.add_paragraph()
    legacy_run(motto, "Céng hoµ x· héi chñ nghÜa ViÖt Nam", ".VnTimeH").bold = True
    document.add_paragraph("§éc lËp - Tù do - H¹nh phóc")
    document.add_paragraph("Hµ TÜnh, ngµy 20 th¸ng 11 n¨m 2026")
    title = document.add_paragraph()
    legacy_run(title, "b¸o c¸o tæng kÕt c«ng t¸c n¨m 2026", ".VnTimeH").bold = True
    document.add_paragraph(TCVN3_TEXT + " tæng kÕt c«ng t¸c n¨m 2026.")
    return save(document)


def mixed_docx() -> bytes:
    """A Unicode body with one pasted .VnTime paragraph and a VNI run split by Word."""
    document = docx.Document()
    document.add_heading("Hội nghị tổng kết công tác cải cách hành chính", 1)
    document.add_paragraph("Đây là đoạn Unicode đúng chuẩn, không được đổi.")
    legacy_run(document.add_paragraph(), TCVN3_TEXT + ".", ".VnTime")
    split = document.add_paragraph()
    legacy_run(split, "Sôû No", "VNI-Times")
    legacy_run(split, "äi vuï", "VNI-Times")  # the mark of ộ's base went to the next run
    legacy_run(document.add_paragraph(), "Hội nghị đã là Unicode", ".VnTime")
    return save(document)


def _hyperlink(paragraph, url: str, text: str) -> None:
    rel = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:t>Theo Quyết định 27/QĐ-SNV.</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def rich_docx() -> bytes:
    """Links (one hostile), a footnote, a tracked deletion, a comment, HTML typed as text."""
    document = docx.Document()
    document.add_heading("Thông tin về quy chế <script>alert(1)</script>", 1)
    paragraph = document.add_paragraph("Xem ")
    _hyperlink(paragraph, "https://hatinh.gov.vn/quy-che", "trang quy chế")
    paragraph.add_run(" và ")
    _hyperlink(paragraph, "javascript:alert(1)", "liên kết độc")
    run = paragraph.add_run(" có chú thích")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run._r.append(reference)
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        FOOTNOTES_XML.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    tracked = document.add_paragraph("Giữ câu này. ")
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "7")
    deletion.set(qn("w:author"), "Biên tập")
    deleted_run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "CÂU ĐÃ XÓA KHÔNG ĐƯỢC HIỆN"
    deleted_run.append(deleted_text)
    deletion.append(deleted_run)
    tracked._p.append(deletion)
    commented = document.add_paragraph("Đoạn có nhận xét {: onclick=alert(1)} | a *b* _c_ [x](y)")
    document.add_comment(commented.runs, text="NHẬN XÉT NỘI BỘ KHÔNG ĐƯỢC HIỆN", author="Thư ký")
    document.add_paragraph("# không phải tiêu đề")
    return save(document)


def message(
    subject="Tin hội nghị giao ban",
    sender="Lê Thị Minh Thu <thultm.snv@hatinh.gov.vn>",
    body="Kính gửi Ban Biên tập, đơn vị gửi tin bài kèm theo.",
    html=None,
    attachments=(),
    date=datetime(2026, 11, 24, 2, 30, tzinfo=UTC),
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "sonoivu@hatinh.gov.vn"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(date)
    mail["Message-ID"] = f"<{abs(hash((subject, body)))}@hatinh.gov.vn>"
    if body is not None:
        mail.set_content(body)
    if html is not None:
        if body is None:
            mail.set_content(html, subtype="html")
        else:
            mail.add_alternative(html, subtype="html")
    for name, data, maintype, subtype in attachments:
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return mail


DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows-1258 writes it: letters with their marks, tones as combining bytes."""
    import unicodedata

    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            tone = next(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", marks.replace(tone, ""))
            out += (base + tone).encode("cp1258")
    return out


def viscii_bytes(text: str) -> bytes:
    """VISCII bytes from glibc iconv: an oracle independent of the portal's own table."""
    import subprocess

    return subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "VISCII"],
        input=text.encode(),
        capture_output=True,
        check=True,
    ).stdout


def encoded_word(data: bytes, charset: str) -> str:
    """An RFC 2047 Q-encoded word for header bytes in a legacy charset."""
    body = "".join(
        chr(b) if chr(b).isalnum() and b < 128 else ("_" if b == 32 else f"={b:02X}") for b in data
    )
    return f"=?{charset}?Q?{body}?="


def legacy_message(subject: str, sender_name: str, body: str) -> bytes:
    """A message as an old mail program writes it: windows-1258 body and subject,
    the sender's name in VISCII."""
    head = (
        f"From: {encoded_word(viscii_bytes(sender_name), 'VISCII')} <pcc@hatinh.gov.vn>\r\n"
        f"To: sonoivu@hatinh.gov.vn\r\n"
        f"Subject: {encoded_word(cp1258_bytes(subject), 'windows-1258')}\r\n"
        "Date: Tue, 24 Nov 2026 09:30:00 +0700\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=windows-1258\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + cp1258_bytes(body) + b"\r\n"
