"""Uploads (content/images/, content/files/): only the types the portal publishes.

Everything in these folders is copied to the public site and served from the portal's
own origin, which its Content-Security-Policy trusts ('self'). An `.html`, `.js` or an
SVG with script there would run as the portal. So a file is published only when its
extension is one of PUBLISHED and its first bytes are those of that type (the web server
picks the content type from the extension); an SVG only when it is plain drawing: no
script, no foreignObject, no event handler, no link or reference out of the file, no
DOCTYPE or entity.
"""

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

UPLOAD_DIRS = ("images", "files")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# extension → (what it is, in Vietnamese; magic number test)
IMAGE_TYPES = {
    ".jpg": ("ảnh JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("ảnh JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".png": ("ảnh PNG", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".gif": ("ảnh GIF", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ".webp": ("ảnh WebP", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ".svg": ("ảnh SVG", lambda head: True),  # checked by svg_problems
}
DOCUMENT_TYPES = {
    ".pdf": ("tệp PDF", lambda head: head.startswith(b"%PDF-")),
    ".doc": ("tệp Word", lambda head: head.startswith(_OLE)),
    ".xls": ("tệp Excel", lambda head: head.startswith(_OLE)),
    ".ppt": ("tệp PowerPoint", lambda head: head.startswith(_OLE)),
    ".docx": ("tệp Word", lambda head: head.startswith(_ZIP)),
    ".xlsx": ("tệp Excel", lambda head: head.startswith(_ZIP)),
    ".pptx": ("tệp PowerPoint", lambda head: head.startswith(_ZIP)),
    ".odt": ("tệp OpenDocument", lambda head: head.startswith(_ZIP)),
    ".ods": ("tệp OpenDocument", lambda head: head.startswith(_ZIP)),
    ".odp": ("tệp OpenDocument", lambda head: head.startswith(_ZIP)),
    ".zip": ("tệp nén ZIP", lambda head: head.startswith(_ZIP)),
}
PUBLISHED = {"images": IMAGE_TYPES, "files": {**DOCUMENT_TYPES, **IMAGE_TYPES}}
_OFFICE_ZIPS = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}
_HEAD = 64
MAX_SVG_BYTES = 2_000_000


def upload_problems(path: Path, folder: str) -> list[str]:
    """Why the file at `path` (in content/`folder`/) may not be published; [] if it may."""
    types = PUBLISHED[folder]
    extension = path.suffix.lower()
    if extension in types and path.suffix != extension:
        # Addresses are case-sensitive on the web server, and the review policy names
        # lower-case extensions only: one spelling, the same for the build and the gate.
        return [
            f"đuôi tệp '{path.suffix}' phải viết thường: đổi tên thành '{path.stem}{extension}'"
        ]
    if extension not in types:
        allowed = " ".join(sorted(types))
        return [
            f"loại tệp '{path.suffix or 'không có đuôi'}' không được đăng trong content/{folder}/; "
            f"chỉ nhận: {allowed} (không nhận HTML, JavaScript hay tệp chạy được)"
        ]
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD)
    except OSError as error:
        return [f"không đọc được tệp ({error.strerror}); kiểm tra quyền đọc của tệp"]
    name, looks_right = types[extension]
    if not looks_right(head):
        return [
            f"nội dung tệp không phải {name} như đuôi '{path.suffix}' cho biết; "
            "hãy lưu lại đúng định dạng (Cổng không đăng tệp mang đuôi giả)"
        ]
    if extension in _OFFICE_ZIPS and not _office_zip(path):
        return [f"tệp không phải {name} hợp lệ (thiếu phần mô tả của định dạng Office/ODF)"]
    if extension == ".svg":
        return svg_problems(path)
    return []


def _office_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


# --- SVG: a drawing, nothing that runs or loads ---------------------------------

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ACTIVE_ELEMENTS = {
    *("script", "foreignobject", "iframe", "embed", "object", "handler", "listener"),
    *("a", "image", "use", "feimage", "animate", "set", "animatemotion", "animatetransform"),
}
_OUTSIDE_REFERENCE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(", re.I)


def svg_problems(path: Path) -> list[str]:
    """Why the SVG at `path` is not a plain drawing; [] if it is."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return [f"không đọc được tệp ({error.strerror})"]
    if len(data) > MAX_SVG_BYTES:
        return [f"ảnh SVG quá lớn (trên {MAX_SVG_BYTES // 1_000_000} MB)"]
    if re.search(rb"<!DOCTYPE|<!ENTITY|<\?xml-stylesheet", data, re.I):
        return [
            "ảnh SVG có DOCTYPE, ENTITY hoặc xml-stylesheet: không được dùng; "
            "xuất lại ảnh SVG thường"
        ]
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return [f"ảnh SVG không phải XML hợp lệ (dòng {error.position[0]})"]
    if root.tag != f"{_SVG_NS}svg":
        return ["tệp .svg không phải ảnh SVG (thẻ gốc phải là <svg> với xmlns SVG)"]
    found = []
    for element in root.iter():
        found += _element_problems(element)
    return sorted(set(found))


def _element_problems(element) -> list[str]:
    name = _local(element.tag).lower()
    problems = []
    if name in _ACTIVE_ELEMENTS:
        problems.append(
            f"ảnh SVG có thẻ <{_local(element.tag)}> (chạy mã, liên kết hoặc tải nội dung "
            "khác): không được dùng"
        )
    for attribute, value in element.attrib.items():
        local = _local(attribute).lower()
        if local.startswith("on"):
            problems.append(f"ảnh SVG có thuộc tính sự kiện {local}: không được dùng")
        elif local == "href" or attribute == _XLINK_HREF:
            problems.append("ảnh SVG có liên kết (href): không được dùng")
        elif _OUTSIDE_REFERENCE.search(value):
            problems.append(f"ảnh SVG tải nội dung ngoài tệp (thuộc tính {local}): không được dùng")
    if name == "style" and _OUTSIDE_REFERENCE.search(element.text or ""):
        problems.append("ảnh SVG có <style> tải nội dung ngoài tệp (url(), @import)")
    return problems


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
