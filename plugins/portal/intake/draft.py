"""A draft item made from what a unit sent: front matter filled in honestly, files named.

What the text and the sender tell is filled in (title, summary, suggested kind and
section, unit and authors from the roster, the message's date, `status: draft`);
what nobody can know from a mail (alt text of images, the royalty work code, a legal
document's number) is left out or empty, so `portal check` flags it at its line, and
listed in the editor's to-do.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from portal.content.items import derived_slug
from portal.content.sitedata import SiteData
from portal.dates import VIETNAM
from portal.intake.markdown import TITLE_MAX, Converted, plain
from portal.intake.word import IMAGE_PLACEHOLDER
from portal.project import CONTENT, FILES, IMAGES
from portal.vntext import fold, slugify

ARTICLE_WORDS = 700  # longer than this, a piece is an article (bài) rather than news (tin)
_EVENT = re.compile(r"^(hoi nghi|hoi thao|tap huan|toa dam|boi duong)\b")
_PRESS = re.compile(r"^(thong cao|phat ngon|tra loi phong van)\b")
_PARTY = re.compile(r"\b(chi bo|dang bo|dang uy|chi doan|doan thanh nien|cong doan)\b")
UNTITLED = "Chưa có tiêu đề"

LEGAL_SECTION = "van-ban"  # the section of legal documents in sections.yml (Điều 6.2)


@dataclass
class Sender:
    name: str = ""
    email: str = ""


@dataclass
class Context:
    """What the drafts of one submission share."""

    site: SiteData
    taken: set[str]  # paths already given to a draft in this run
    sender: Sender = field(default_factory=Sender)
    moment: datetime | None = None  # the message's date; now for a document

    @property
    def root(self) -> Path:
        return Path(self.site.root).parent

    def free_path(self, folder: str, stem: str, suffix: str) -> str:
        return free_path(folder, stem, suffix, self.taken, self.root)


@dataclass
class Draft:
    path: str  # the item, relative to the repository
    text: str = ""
    files: dict[str, bytes] = field(default_factory=dict)  # images and documents beside it
    todo: list[str] = field(default_factory=list)  # Vietnamese, for the editor
    title: str = ""


def vietnam_minute(moment: datetime | None) -> str:
    moment = (moment or datetime.now(VIETNAM)).astimezone(VIETNAM)
    return moment.strftime("%Y-%m-%d %H:%M")


def suggest_kind(title: str, markdown: str) -> str:
    folded = fold(title)
    if _EVENT.match(folded):
        return "event"
    if _PRESS.match(folded):
        return "press"
    return "article" if len(markdown.split()) > ARTICLE_WORDS else "news"


def suggest_section(kind: str, title: str, markdown: str, site: SiteData) -> str:
    """The first section (in menu order) that takes the kind; a party or union text
    goes to the section for them when it exists."""
    ordered = sorted(site.sections.values(), key=lambda s: s.get("order", 99))
    taking = [s["code"] for s in ordered if kind in s.get("kinds", [])]
    party = kind in ("news", "article") and _PARTY.search(fold(f"{title} {markdown[:2000]}"))
    if party and "dang-doan-the" in taking:
        return "dang-doan-the"
    return taking[0] if taking else ""


def section_folder(section: str, site: SiteData) -> str:
    """Where items of a section live: the folder other items of it are in, else its code."""
    root = Path(site.root)
    if (root / section).is_dir():
        return section
    for path in sorted(root.glob("*/*.md")):
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        if re.search(rf"^section:\s*['\"]?{re.escape(section)}['\"]?\s*$", head, re.M):
            return path.parent.name
    return section


def author_fields(sender: Sender, site: SiteData) -> tuple[dict, list[str]]:
    """unit and authors from the sender's address on the roster; to-do otherwise."""
    person = site.roster.by_email(sender.email) if site.roster and sender.email else None
    if person is None and not sender.email:
        return {}, ["không biết người gửi: ghi unit (đơn vị) và authors (tác giả)"]
    if person is None:
        return {}, [
            f"người gửi {sender.name} <{sender.email}> không có trong reviews/roster.yml: ghi "
            "unit (đơn vị) và authors (tác giả) hoặc nhờ Thư ký bổ sung người này vào danh sách"
        ]
    author = {"name": person.name, "id": person.id}
    if person.unit:
        author["unit"] = person.unit
    fields = {"authors": [author]}
    if person.unit and person.unit in site.units:
        fields = {"unit": person.unit, **fields}
    return fields, [
        f"tác giả {person.name} và đơn vị được điền theo dòng From của thư, chưa được xác "
        "thực: xác nhận với đơn vị trước khi duyệt"
    ]


def free_path(folder: str, stem: str, suffix: str, taken: set[str], root: Path) -> str:
    """`folder/stem.suffix`, or `stem-2`… when the repository or this batch already has it."""
    number = 1
    while True:
        name = f"{folder}/{stem}{'' if number == 1 else f'-{number}'}{suffix}"
        if name not in taken and not (root / name).exists():
            taken.add(name)
            return name
        number += 1


def dump_front_matter(meta: dict) -> str:
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"


def _image_meta(images, paths: dict[int, str]) -> list[dict]:
    return [{"src": paths[image.number], "alt": image.alt} for image in images]


def item_draft(converted: Converted, images, fallback_title: str, context: Context) -> Draft:
    """The news/article draft of one document or one message body."""
    site = context.site
    title = converted.title or plain(fallback_title)[:TITLE_MAX].strip() or UNTITLED
    todo = []
    if title == UNTITLED or not converted.title:
        todo.append("kiểm tra tiêu đề (title): không tìm thấy dòng tiêu đề trong văn bản")
    kind = suggest_kind(title, converted.markdown)
    section = suggest_section(kind, title, converted.markdown, site)
    date = vietnam_minute(context.moment)
    slug = derived_slug({"title": title}) or "tin-bai"
    item = context.free_path(
        f"{CONTENT}/{section_folder(section, site)}", f"{date[:10]}-{slug}", ".md"
    )
    slug = Path(item).stem[11:]
    files, paths = {}, {}
    for image in images:
        name = context.free_path(
            f"{CONTENT}/{IMAGES}", f"{slug}-{image.number}", f".{image.extension}"
        )
        files[name] = image.data
        paths[image.number] = name.removeprefix(f"{CONTENT}/")
    meta = {"title": title, "kind": kind, "date": date, "section": section, "status": "draft"}
    people, people_todo = author_fields(context.sender, site)
    meta.update({k: v for k, v in people.items() if k == "unit"})
    if converted.summary:
        meta["summary"] = converted.summary
    else:
        todo.append("viết tóm tắt (summary): văn bản không có đoạn mở đầu đủ dài")
    meta.update({k: v for k, v in people.items() if k == "authors"})
    if images:
        meta["images"] = _image_meta(images, paths)
    body = _place_images(converted.markdown, paths)
    todo += people_todo
    todo.append(f"kiểm tra loại (kind: {kind}) và chuyên mục (section: {section}) được gợi ý")
    todo += _image_todo(images, set(converted.images))
    todo.append("ghi khối nhuận bút royalty (work: mã loại tác phẩm, coefficient) nếu có trả")
    text = dump_front_matter(meta) + "\n" + body
    return Draft(item, unicodedata.normalize("NFC", text), files, todo, title)


def _place_images(markdown: str, paths: dict[int, str]) -> str:
    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        return f"({{static}}/{paths[number]})" if number in paths else "()"

    text = re.sub(rf"\({re.escape(IMAGE_PLACEHOLDER)}(\d+)\)", replace, markdown)
    return text.replace("![]()", "")


def _image_todo(images, in_body: set[int]) -> list[str]:
    missing = [i.number for i in images if not i.alt]
    if not missing:
        return []
    shown = ", ".join(f"images[{n - 1}].alt" for n in missing)
    where = " và ![mô tả](…) trong bài" if in_body & set(missing) else ""
    return [f"viết mô tả ảnh cho người khiếm thị ({shown}{where}): không ai đoán thay được"]


def legal_stub(name: str, data: bytes, context: Context) -> Draft:
    """A PDF sent as a legal document: the file in content/files/ and a `legal` item stub."""
    site = context.site
    stem = slugify(Path(name).stem)[:80].strip("-") or "van-ban"
    file_path = context.free_path(f"{CONTENT}/{FILES}", stem, ".pdf")
    item = context.free_path(
        f"{CONTENT}/{section_folder(LEGAL_SECTION, site)}", Path(file_path).stem, ".md"
    )
    title = plain(Path(name).stem.replace("_", " "))
    meta = {
        "title": title if len(title) >= 3 else UNTITLED,
        "kind": "legal",
        "date": vietnam_minute(context.moment),
        "section": LEGAL_SECTION if LEGAL_SECTION in site.sections else "",
        "status": "draft",
    }
    people, people_todo = author_fields(context.sender, site)
    if "unit" in people:
        meta["unit"] = people["unit"]
    meta["file"] = file_path.removeprefix(f"{CONTENT}/")
    todo = [
        "điền thông tin văn bản: doc_type (loại), number (số ký hiệu), issuer (cơ quan ban "
        "hành), issued (ngày ban hành), abstract (trích yếu), signer (người ký), effective",
        "sửa tiêu đề (title) theo trích yếu của văn bản",
        *people_todo,
    ]
    text = dump_front_matter(meta) + "\n"
    return Draft(item, text, {file_path: data}, todo, meta["title"])
