"""A Word document (.docx) to clean HTML with mammoth, legacy fonts converted first.

The file is checked before anything reads it: the old binary .doc, a password-protected
.docx (both OLE compound files), RTF, a broken zip, a zip bomb each get their own
message. Images are read out of the document, checked with Pillow (the real format
decides the extension, not the name Word gave it) and returned; the HTML refers to them
as `intake-image:N` until the item's slug is known.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

import mammoth
from lxml import etree
from PIL import Image, UnidentifiedImageError

from portal.intake.fonts import TEXT_PARTS, FontReport, Styles, convert_part
from portal.intake.limits import (
    MAX_ATTACHMENT,
    MAX_IMAGES,
    MAX_UNZIPPED,
    MAX_ZIP_ENTRIES,
    IntakeError,
    size,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
CONVERTED_FORMATS = {"BMP", "TIFF"}  # saved as PNG
IMAGE_PLACEHOLDER = "intake-image:"
_C1_CONTROLS = re.compile("[\x80-\x9f]")  # left after legacy runs are decoded: never text
# Word writes these when nobody typed a description: not alt text.
_GENERATED_ALT = ("description automatically generated", "mô tả được tạo tự động")


@dataclass
class ExtractedImage:
    number: int
    data: bytes
    extension: str
    alt: str  # what the author typed in Word, or ""


@dataclass
class WordResult:
    html: str
    images: list[ExtractedImage] = field(default_factory=list)
    fonts: FontReport = field(default_factory=FontReport)
    notes: list[str] = field(default_factory=list)  # Vietnamese, for the editor


def check_container(data: bytes, name: str) -> None:
    """Refuse, with what to do, anything that is not a readable .docx."""
    if len(data) > MAX_ATTACHMENT:
        raise IntakeError(name, f"tệp lớn {size(len(data))}, vượt giới hạn {size(MAX_ATTACHMENT)}")
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise IntakeError(
                name,
                "tệp Word có đặt mật khẩu: nhờ đơn vị gửi lại bản không đặt mật khẩu "
                "(Word: Tệp › Thông tin › Bảo vệ tài liệu › Mã hóa bằng mật khẩu, xóa mật khẩu)",
            )
        raise IntakeError(
            name,
            "tệp .doc (Word 97-2003) không đọc được trực tiếp: mở bằng Word hoặc LibreOffice, "
            "chọn Lưu thành › Tài liệu Word (.docx), rồi chạy lại portal intake với tệp .docx",
        )
    if data.lstrip().startswith(b"{\\rtf"):
        raise IntakeError(name, "tệp RTF: mở bằng Word hoặc LibreOffice và lưu thành .docx")
    if name.lower().endswith(".odt"):
        raise IntakeError(name, "tệp OpenDocument (.odt): mở bằng LibreOffice và lưu thành .docx")
    if not data.startswith(ZIP_MAGIC):
        raise IntakeError(name, "không phải tệp Word .docx (tệp hỏng hoặc sai định dạng)")


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise IntakeError(name, f"tệp .docx bị hỏng, không mở được ({error})") from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED:
        raise IntakeError(name, "tệp .docx giải nén ra quá lớn (nghi là tệp độc hại), bị từ chối")
    if any(e.flag_bits & 0x1 for e in entries):
        raise IntakeError(name, "tệp .docx có phần bị mã hóa (mật khẩu), không đọc được")
    if "word/document.xml" not in archive.namelist():
        raise IntakeError(name, "tệp không có word/document.xml: không phải tài liệu Word .docx")
    return archive


def _with_legacy_fonts_converted(archive: zipfile.ZipFile, name: str, report: FontReport):
    """A copy of the package whose legacy-font runs are Unicode."""
    try:
        names = archive.namelist()
        styles = Styles(archive.read("word/styles.xml") if "word/styles.xml" in names else None)
        replaced = {}
        for part in TEXT_PARTS:
            if part in names:
                new = convert_part(archive.read(part), part, styles, report)
                if new is not None:
                    replaced[part] = new
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for entry in archive.infolist():
                copy.writestr(entry, replaced.get(entry.filename) or archive.read(entry))
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, KeyError) as error:
        raise IntakeError(name, f"tệp .docx bị hỏng, không đọc được nội dung ({error})") from None
    return out.getvalue()


def _author_alt(alt: str | None) -> str:
    alt = " ".join((alt or "").split())
    if len(alt) < 3 or any(mark in alt.lower() for mark in _GENERATED_ALT):
        return ""
    if "." in alt and " " not in alt:  # a file name (`IMG_0012.JPG`), not a description
        return ""
    return alt


def image_file(data: bytes) -> tuple[bytes, str] | None:
    """The image as the portal publishes it (bytes, extension), or None when unusable."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind in IMAGE_FORMATS:
                image.verify()
                return data, IMAGE_FORMATS[kind]
            if kind in CONVERTED_FORMATS:
                out = io.BytesIO()
                image.convert("RGB").save(out, "PNG")
                return out.getvalue(), "png"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return None


class _ImageCollector:
    def __init__(self, result: WordResult):
        self.result = result
        self.skipped = 0

    def __call__(self, image) -> dict:
        with image.open() as stream:
            data = stream.read(MAX_ATTACHMENT + 1)
        too_many = len(self.result.images) >= MAX_IMAGES
        usable = image_file(data) if len(data) <= MAX_ATTACHMENT and not too_many else None
        if usable is None:
            self.skipped += 1
            return {"src": "", "alt": ""}
        number = len(self.result.images) + 1
        self.result.images.append(
            ExtractedImage(number, usable[0], usable[1], _author_alt(image.alt_text))
        )
        return {"src": f"{IMAGE_PLACEHOLDER}{number}", "alt": ""}


def convert_docx(data: bytes, name: str) -> WordResult:
    """The document's HTML, its images and what was converted; IntakeError if unreadable."""
    check_container(data, name)
    result = WordResult(html="")
    package = _with_legacy_fonts_converted(_open_zip(data, name), name, result.fonts)
    collector = _ImageCollector(result)
    try:
        converted = mammoth.convert_to_html(
            io.BytesIO(package), convert_image=mammoth.images.img_element(collector)
        )
    except Exception as error:  # mammoth on a damaged package: any parser error means the same
        raise IntakeError(name, f"tệp .docx bị hỏng, không chuyển được ({error})") from None
    result.html = _C1_CONTROLS.sub("", converted.value)
    if collector.skipped:
        result.notes.append(
            f"{collector.skipped} ảnh trong tệp Word không lấy ra được (định dạng không dùng "
            f"trên web như EMF, WMF, hoặc quá {MAX_IMAGES} ảnh): xin đơn vị gửi ảnh gốc (JPG, PNG)"
        )
    return result
