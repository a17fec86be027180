"""One submission (a Word file or an e-mail) turned into drafts, with its evidence.

An e-mail is read with Python's `email` package (policy.default): RFC 2047 headers in
any charset Python knows plus VISCII (registered here), bodies in windows-1258 come out
decomposed and are put in NFC. Each .docx attachment becomes an item; photos attached
beside it join that item's `images:`; a PDF becomes a file and a `legal` stub; an
HTML-only or plain message without a Word file becomes an item from its body. Whatever
cannot be used is said in the summary and stays in the evidence (the original message).
"""

import email
import email.generator
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import nh3

from portal.content.sitedata import SiteData
from portal.intake import viscii
from portal.intake.draft import Context, Draft, Sender, item_draft, legal_stub
from portal.intake.fonts import FontReport
from portal.intake.limits import MAX_ATTACHMENT, MAX_IMAGES, IntakeError, size
from portal.intake.markdown import Converted, html_to_markdown, plain
from portal.intake.word import (
    IMAGE_PLACEHOLDER,
    ExtractedImage,
    check_container,
    convert_docx,
    image_file,
)
from portal.vntext import slugify
from portal.vntext.fix import fix_text

viscii.register()

WORD_TYPES = {".docx"}
OLD_WORD_TYPES = {".doc", ".rtf", ".docm", ".dot", ".dotx", ".odt"}
IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass
class Submission:
    """What one input became: the drafts, the evidence kept, and what the editor must do."""

    source: str  # as shown to the user
    original: bytes
    original_suffix: str  # ".eml" or ".docx"
    key: str  # sha256 of the original: the same input is never taken twice
    sender: Sender = field(default_factory=Sender)
    subject: str = ""
    drafts: list[Draft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # Vietnamese, each names its part
    converted: list[str] = field(default_factory=list)  # what was converted, for the summary

    @property
    def name(self) -> str:
        first = self.drafts[0].title if self.drafts else self.subject
        return slugify(first)[:50].strip("-") or "thu-khong-tieu-de"


def safe_name(name: str | None, fallback: str) -> str:
    """An attachment's name for messages: NFC, no path, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = _BAD_NAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return name[:120] or fallback


def _font_lines(source: str, report: FontReport) -> list[str]:
    lines = [
        f"{source}: {count} đoạn chữ phông {font} đã chuyển sang Unicode"
        for font, count in sorted(report.fonts().items())
    ]
    for kept in report.kept[:5]:
        lines.append(
            f"{source}: đoạn {kept.paragraph} đặt phông {kept.font} nhưng đã là Unicode: giữ nguyên"
        )
    return lines


def _docx_draft(data, name, fallback, extra_images, sub: Submission, context: Context) -> None:
    word = convert_docx(data, name)
    converted = html_to_markdown(word.html)
    images = word.images + _renumbered(extra_images, len(word.images))
    draft = item_draft(converted, images, fallback, context)
    sub.drafts.append(draft)
    sub.converted += _font_lines(name, word.fonts)
    sub.converted += [f"{name}: {note}" for note in word.notes + converted.notes]


def _renumbered(images: list[ExtractedImage], start: int) -> list[ExtractedImage]:
    return [
        ExtractedImage(start + i + 1, image.data, image.extension, "")
        for i, image in enumerate(images)
    ]


def from_docx_file(data: bytes, name: str, site: SiteData, taken: set[str]) -> Submission:
    sub = Submission(name, data, ".docx", hashlib.sha256(data).hexdigest())
    try:
        _docx_draft(data, name, Path(name).stem, [], sub, Context(site, taken))
    except IntakeError as error:
        sub.problems.append(str(error))
    return sub


# --- e-mail -------------------------------------------------------------------------------


def parse_message(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name, "")
        return unicodedata.normalize("NFC", str(value or ""))
    except (ValueError, LookupError, TypeError):  # a header no decoder can read
        raw = message.get_all(name, failobj=[""])[0]
        return unicodedata.normalize("NFC", str(raw))


def _sender(message: EmailMessage) -> Sender:
    addresses = getaddresses([_header(message, "from")])
    name, address = addresses[0] if addresses else ("", "")
    return Sender(plain(name), address.strip().lower())


def _date(message: EmailMessage) -> datetime | None:
    try:
        moment = parsedate_to_datetime(_header(message, "date"))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment and moment.tzinfo else None


def _text_of(part) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, KeyError):  # unknown or lying charset
        payload = part.get_payload(decode=True) or b""
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            text = payload.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text if isinstance(text, str) else "")


def _plain_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    escape = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
    return "".join(f"<p>{' '.join(p.split()).translate(escape)}</p>" for p in paragraphs)


@dataclass
class _Parts:
    html: str = ""
    plain: str = ""
    word: list = field(default_factory=list)  # (name, bytes)
    pdf: list = field(default_factory=list)
    images: list = field(default_factory=list)  # (name, bytes, content-id)


def _filename(part) -> str | None:
    try:
        return part.get_filename()
    except (ValueError, LookupError, TypeError):  # a name in a charset nobody knows
        return None


def _walk(message: EmailMessage, sub: Submission) -> _Parts:
    parts = _Parts()
    for number, part in enumerate(message.walk(), start=1):
        if part.is_multipart():
            continue
        name = safe_name(_filename(part), f"phan-{number}")
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        if disposition != "attachment" and content_type in ("text/html", "text/plain"):
            if content_type == "text/html" and not parts.html:
                parts.html = _text_of(part)
            elif content_type == "text/plain" and not parts.plain:
                parts.plain = _text_of(part)
            continue
        payload = part.get_payload(decode=True) or b""
        if len(payload) > MAX_ATTACHMENT:
            sub.problems.append(
                f"{name}: tệp đính kèm lớn {size(len(payload))}, vượt giới hạn "
                f"{size(MAX_ATTACHMENT)}: không nhận; nhờ đơn vị gửi bản nhỏ hơn hoặc qua "
                "đường khác (thư gốc vẫn còn trong hộp thư)"
            )
            continue
        _sort_attachment(parts, sub, name, payload, content_type, part.get("content-id", ""))
    return parts


def _sort_attachment(parts, sub, name, payload, content_type, content_id) -> None:
    suffix = Path(name).suffix.lower()
    if suffix in WORD_TYPES or content_type.endswith("wordprocessingml.document"):
        parts.word.append((name, payload))
    elif suffix == ".pdf" or content_type == "application/pdf":
        if payload.startswith(b"%PDF-"):
            parts.pdf.append((name, payload))
        else:
            sub.problems.append(f"{name}: không phải tệp PDF thật (tệp hỏng hoặc đổi tên)")
    elif suffix in IMAGE_TYPES or content_type.startswith("image/"):
        parts.images.append((name, payload, content_id.strip("<> ")))
    elif suffix in OLD_WORD_TYPES or content_type == "application/msword":
        try:
            check_container(payload, name)  # says what to do for .doc, RTF, …
        except IntakeError as error:
            sub.problems.append(str(error))
        else:
            parts.word.append((name, payload))
    else:
        sub.problems.append(
            f"{name}: loại tệp {suffix or content_type} không đăng được trên Cổng: "
            "giữ trong thư gốc để Thư ký xem"
        )


def _photos(parts: _Parts, sub: Submission) -> tuple[list[ExtractedImage], dict[str, int]]:
    images, by_cid = [], {}
    for name, payload, content_id in parts.images:
        if len(images) >= MAX_IMAGES:
            sub.problems.append(f"{name}: quá {MAX_IMAGES} ảnh trong một thư: ảnh này không lấy ra")
            continue
        usable = image_file(payload)
        if usable is None:
            sub.problems.append(f"{name}: ảnh không đọc được hoặc định dạng không dùng trên web")
            continue
        images.append(ExtractedImage(len(images) + 1, usable[0], usable[1], ""))
        if content_id:
            by_cid[content_id] = len(images)
    return images, by_cid


def _body_draft(parts, images, by_cid, sub: Submission, context: Context) -> None:
    html = parts.html or _plain_to_html(parts.plain)
    if not plain(re.sub(r"<[^>]+>", " ", html)) and not images:
        sub.problems.append("thư không có tệp Word và không có nội dung: không có gì để đăng")
        return
    # A mail's own HTML: scripts, styles and handlers go first; inline images are `cid:`.
    html = nh3.clean(html, url_schemes={"http", "https", "mailto", "tel", "cid"})
    for cid, number in by_cid.items():
        html = html.replace(f"cid:{cid}", f"{IMAGE_PLACEHOLDER}{number}")
    converted: Converted = html_to_markdown(html, take_title=False)
    converted.markdown, legacy = _unicode_body(converted.markdown)
    draft = item_draft(converted, images, sub.subject, context)
    sub.drafts.append(draft)
    sub.converted.append("nội dung thư (không có tệp Word) đã chuyển thành bài")
    sub.converted += legacy + converted.notes


def _unicode_body(markdown: str) -> tuple[str, list[str]]:
    """A mail body has no fonts to tell its encoding: the project's detector decides."""
    fixed, changes, ambiguous = fix_text(markdown)
    notes = [f"nội dung thư dòng {c.line}: {c.describe()}" for c in changes]
    notes += [f"nội dung thư dòng {a.line}: cần xem lại: {a.describe()}" for a in ambiguous]
    return fixed, notes


def from_message(data: bytes, source: str, site: SiteData, taken: set[str]) -> Submission:
    sub = Submission(source, data, ".eml", hashlib.sha256(data).hexdigest())
    message = parse_message(data)
    sub.sender = _sender(message)
    sub.subject = plain(fix_text(_header(message, "subject"))[0])
    context = Context(site, taken, sub.sender, _date(message))
    parts = _walk(message, sub)
    images, by_cid = _photos(parts, sub)
    for index, (name, payload) in enumerate(parts.word):
        try:
            extra = images if index == 0 else []
            _docx_draft(payload, name, sub.subject, extra, sub, context)
        except IntakeError as error:
            sub.problems.append(str(error))
    if not parts.word:
        _body_draft(parts, images, by_cid, sub, context)
    for name, payload in parts.pdf:
        sub.drafts.append(legal_stub(name, payload, context))
        sub.converted.append(f"{name}: lưu vào content/files/ kèm mục văn bản (legal) để điền")
    return sub


def without_large_parts(data: bytes) -> bytes:
    """The message as evidence: attachments over the limit replaced by a note."""
    message = parse_message(data)
    changed = False
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        if len(payload) > MAX_ATTACHMENT:
            part.set_content(
                f"[Tệp {safe_name(part.get_filename(), '')} ({size(len(payload))}) vượt giới hạn,"
                " không lưu; thư gốc còn trong hộp thư]"
            )
            changed = True
    if not changed:
        return data
    out = io.BytesIO()
    email.generator.BytesGenerator(out, policy=policy.default).flatten(message)
    return out.getvalue()
