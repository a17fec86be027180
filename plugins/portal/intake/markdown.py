"""HTML (from mammoth, or an HTML-only e-mail) to the Markdown the portal's sanitiser accepts.

markdownify does the conversion; this module decides what the contributor's HTML may
keep. Every piece of their text is escaped for Python-Markdown (an HTML tag typed in
Word stays text, `{: onclick=…}` is not an attribute list), links keep only
http/https/mailto/tel, images only those intake extracted itself, headings move one
level down (the page title is the only h1), and mammoth's footnotes become Markdown
footnotes (`[^1]`).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import MarkdownConverter

from portal.intake.word import IMAGE_PLACEHOLDER
from portal.vntext import fold

LINK_SCHEMES = {"http", "https", "mailto", "tel"}
SUMMARY_MAX = 300
TITLE_MAX = 300
# The top of an administrative document, never its title (folded: no tones, lower case).
_LETTERHEAD = re.compile(
    r"^(cong hoa xa hoi chu nghia viet nam|doc lap\W+tu do\W+hanh phuc|so\s*:|"
    r"[^,]{2,30}, ngay \d{1,2} thang \d{1,2} nam \d{4}\W*$|[-_=*. ]+$)"
)
# The issuing agency's name, in capitals above the title (`UBND TỈNH HÀ TĨNH`, `SỞ NỘI VỤ`).
_AGENCY = re.compile(r"^(ubnd|uy ban nhan dan|so |tinh uy|dang bo|dang uy|chi bo|phong |ban )")
_FOOTNOTE_ID = re.compile(r"^(footnote|endnote)-(\d+)$")
_FOOTNOTE_REF = "portal-footnote-ref"
_DROPPED = ("script", "style", "head", "title", "template", "noscript", "object", "embed")
# Characters Python-Markdown (with `extra`) would read as markup, escaped by backslash.
_BACKSLASHED = re.compile(r"([\\`*_\[\]{}|#])")
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])", re.M)
# C0 controls and invisible marks Word leaves in text (a joiner stays: emoji). C1 controls
# and U+00AD are not removed here: in a mail body they may be TCVN3 letters (0xAD is ư),
# which the project's detector reads; `word` removes C1 after the fonts are converted.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2060\ufeff]")
# Characters a Markdown link target cannot hold as they are.
_HREF_UNSAFE = {ord(c): f"%{ord(c):02X}" for c in " ()<>\"'`"}


@dataclass
class Converted:
    markdown: str
    title: str = ""
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    images: list[int] = field(default_factory=list)  # placeholder numbers used in the body


def escape_text(text: str) -> str:
    """Contributor text as Markdown that renders as exactly that text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BACKSLASHED.sub(r"\\\1", text)


def visible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def plain(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(visible(text).split()))


class _Converter(MarkdownConverter):
    def escape(self, text, parent_tags):
        return escape_text(text or "")

    def convert_hN(self, n, el, text, parent_tags):  # noqa: N802 (markdownify's name)
        return super().convert_hN(min(n + 1, 6), el, text, parent_tags)

    def convert_portal_footnote_ref(self, el, text, parent_tags):
        return f"[^{el.get('data-label')}]"

    def process_text(self, el, parent_tags=None):
        # Text that would start a line as a heading, list or setext rule stays text.
        return _LINE_START.sub(_guard, super().process_text(el, parent_tags))


def _guard(match: re.Match) -> str:
    space, mark = match.groups()
    if mark == "=":
        return space + "&#61;"
    if mark[0].isdigit():
        return space + mark[:-1] + "\\" + mark[-1]
    return space + "\\" + mark


def _markdown(soup_or_tag) -> str:
    converter = _Converter(
        heading_style="ATX",
        bullets="-",
        strong_em_symbol="*",
        table_infer_header=True,
        escape_misc=False,
        autolinks=False,
        keep_inline_images_in=["td", "th", "li", "p"],
    )
    return converter.convert_soup(soup_or_tag)


def _clean_links(soup, notes: list[str]) -> None:
    dropped = 0
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        scheme = urlsplit(href).scheme.lower() if href else ""
        if href and scheme in LINK_SCHEMES and (scheme not in ("http", "https") or "//" in href):
            link.attrs = {"href": visible(href).translate(_HREF_UNSAFE)}
            continue
        if href and not href.startswith("#"):
            dropped += 1
        link.unwrap()
    if dropped:
        notes.append(
            f"{dropped} liên kết có địa chỉ không an toàn hoặc không hợp lệ đã bỏ (giữ chữ)"
        )


def _clean_images(soup, notes: list[str]) -> list[int]:
    kept, dropped = [], 0
    for image in soup.find_all("img"):
        src = image.get("src") or ""
        if src.startswith(IMAGE_PLACEHOLDER) and src[len(IMAGE_PLACEHOLDER) :].isdigit():
            image.attrs = {"src": src, "alt": ""}
            kept.append(int(src[len(IMAGE_PLACEHOLDER) :]))
            continue
        if src:
            dropped += 1
        image.decompose()
    if dropped:
        notes.append(
            f"{dropped} ảnh nhúng từ trang ngoài hoặc không đọc được đã bỏ "
            "(Cổng chỉ đăng ảnh lưu trong content/images/)"
        )
    return kept


def _footnotes(soup) -> list[tuple[str, Tag]]:
    """Mammoth's footnote list items, removed from the body, with their labels."""
    notes = []
    for item in soup.find_all("li", id=_FOOTNOTE_ID):
        kind, number = _FOOTNOTE_ID.match(item["id"]).groups()
        label = number if kind == "footnote" else f"e{number}"
        for back in item.find_all("a", href=re.compile(r"^#(footnote|endnote)-ref-")):
            back.decompose()
        notes.append((label, item.extract()))
    for ref in soup.find_all("a", href=re.compile(r"^#(footnote|endnote)-\d+$")):
        kind, number = _FOOTNOTE_ID.match(ref["href"][1:]).groups()
        marker = soup.new_tag(_FOOTNOTE_REF)
        marker["data-label"] = number if kind == "footnote" else f"e{number}"
        (ref.parent if ref.parent.name == "sup" else ref).replace_with(marker)
    for empty in soup.find_all("ol"):
        if not empty.get_text(strip=True):
            empty.decompose()
    return notes


def _is_letterhead(text: str) -> bool:
    folded = fold(text)
    agency = text.isupper() and len(text) <= 60 and _AGENCY.match(folded)
    return bool(_LETTERHEAD.match(folded) or agency)


def _take_title(soup) -> str:
    """The first heading, or a leading paragraph that is all bold, after the letterhead
    (national motto, agency, number, place and date); removed from the body."""
    for element in soup.find_all(True, recursive=False):
        text = plain(element.get_text())
        if not text or _is_letterhead(text):
            continue
        bold = element.name == "p" and all(
            isinstance(child, NavigableString)
            and not child.strip()
            or child.name in ("strong", "b")
            for child in element.children
        )
        if re.fullmatch(r"h[1-6]", element.name) or bold:
            element.decompose()
            return text[:TITLE_MAX]
        return ""
    return ""


def _first_paragraph(soup) -> str:
    for paragraph in soup.find_all("p"):
        text = plain(paragraph.get_text())
        if len(text) >= 10 and not _is_letterhead(text):
            if len(text) <= SUMMARY_MAX:
                return text
            return text[:SUMMARY_MAX].rsplit(" ", 1)[0] + "…"
    return ""


def html_to_markdown(html: str, take_title: bool = True) -> Converted:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_FOOTNOTE_REF):  # the contributor may not forge our marker
        tag.unwrap()
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    notes: list[str] = []
    body = soup.body or soup
    footnotes = _footnotes(body)
    _clean_links(body, notes)
    images = _clean_images(body, notes)
    title = _take_title(body) if take_title else ""
    summary = _first_paragraph(body)
    text = _markdown(body).strip()
    for label, item in footnotes:
        note = " ".join(_markdown(BeautifulSoup(item.decode_contents(), "html.parser")).split())
        text += f"\n\n[^{label}]: {note}"
    text = re.sub(r"\n{3,}", "\n\n", unicodedata.normalize("NFC", visible(text))).strip() + "\n"
    return Converted(text, title, summary, notes, images)
