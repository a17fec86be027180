"""Runs of a Word document set in a legacy Vietnamese font, converted to Unicode.

Word stores text typed in a .VnTime (TCVN3/ABC) or VNI-Times font as the Windows-1252
characters of the legacy bytes (`Së Néi vô`). The run's font is strong evidence of the
encoding, so such a run is decoded with the project's tables (`portal.vntext.legacy`);
a run in any other font is never touched, and neither is a run whose text holds a
character Windows-1252 has no byte for (Unicode typed with a legacy font selected).

The font of a run is the first one found in: the run's own properties, its character
style, its paragraph's style (each style following `basedOn`), the default paragraph
style, the document defaults. A theme font (`w:asciiTheme`) is a Unicode font.
"""

import re
from dataclasses import dataclass, field

from lxml import etree

from portal.vntext.legacy import cp1252_encode, decode_tcvn3_text, decode_vni_text
from portal.vntext.tables import VNI_MARKS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
TCVN3, VNI = "TCVN3", "VNI"
# ABC fonts are named `.VnTime`, `.VnArial`…; the capitals-only variants end in `H`
# (`.VnTimeH`) and draw the lower-case codes as capitals.
_TCVN3_FONT = re.compile(r"^\.Vn", re.I)
_TCVN3_CAPITALS_FONT = re.compile(r"^\.Vn\w*H$")
_VNI_FONT = re.compile(r"^VNI[- ]", re.I)
TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
# Parsing contributor XML: no entities, no network, no huge trees.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name stands for, or None for a Unicode font."""
    if not font:
        return None
    if _TCVN3_FONT.match(font):
        return TCVN3
    if _VNI_FONT.match(font):
        return VNI
    return None


@dataclass(frozen=True)
class Conversion:
    part: str  # word/document.xml …
    paragraph: int  # 1-based, in that part
    font: str
    encoding: str
    before: str
    after: str


@dataclass
class FontReport:
    converted: list[Conversion] = field(default_factory=list)
    kept: list[Conversion] = field(default_factory=list)  # legacy font, Unicode text

    def fonts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.converted:
            counts[item.font] = counts.get(item.font, 0) + 1
        return counts


def _fonts_of(rpr) -> str | None:
    """The font named by one rPr (hAnsi draws the letters above 0x7F), '' for a theme font."""
    if rpr is None:
        return None
    fonts = rpr.find(f"{_W}rFonts")
    if fonts is None:
        return None
    if fonts.get(f"{_W}hAnsiTheme") or fonts.get(f"{_W}asciiTheme"):
        return ""
    return fonts.get(f"{_W}hAnsi") or fonts.get(f"{_W}ascii")


class Styles:
    """Fonts of the document's styles and defaults (word/styles.xml)."""

    def __init__(self, xml: bytes | None):
        self.fonts: dict[str, str | None] = {}
        self.based_on: dict[str, str] = {}
        self.default_font: str | None = None
        self.default_paragraph: str | None = None
        if xml:
            self._read(etree.fromstring(xml, PARSER))

    def _read(self, root) -> None:
        default = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default_font = _fonts_of(default)
        for style in root.iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            if not style_id:
                continue
            self.fonts[style_id] = _fonts_of(style.find(f"{_W}rPr"))
            based = style.find(f"{_W}basedOn")
            if based is not None and based.get(f"{_W}val"):
                self.based_on[style_id] = based.get(f"{_W}val")
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true"):
                self.default_paragraph = style_id

    def font_of_style(self, style_id: str | None) -> str | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if self.fonts.get(style_id) is not None:
                return self.fonts[style_id]
            style_id = self.based_on.get(style_id)
        return None


def run_font(run, paragraph_style: str | None, styles: Styles) -> str | None:
    rpr = run.find(f"{_W}rPr")
    own = _fonts_of(rpr)
    if own is not None:
        return own
    if rpr is not None and rpr.find(f"{_W}rStyle") is not None:
        found = styles.font_of_style(rpr.find(f"{_W}rStyle").get(f"{_W}val"))
        if found is not None:
            return found
    for style in (paragraph_style, styles.default_paragraph):
        found = styles.font_of_style(style)
        if found is not None:
            return found
    return styles.default_font


def _paragraph_style(paragraph) -> str | None:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return style.get(f"{_W}val") if style is not None else None


def _own_runs(paragraph) -> list:
    """The paragraph's runs, not those of a paragraph nested in a text box."""
    return [r for r in paragraph.iter(f"{_W}r") if _nearest_paragraph(r) is paragraph]


def _nearest_paragraph(element):
    parent = element.getparent()
    while parent is not None and parent.tag != f"{_W}p":
        parent = parent.getparent()
    return parent


def _texts(run) -> list:
    return [t for t in run.iter(f"{_W}t") if t.text]


def _decode(text: str, encoding: str, font: str) -> str:
    if encoding == TCVN3:
        decoded = decode_tcvn3_text(text)
        return decoded.upper() if _TCVN3_CAPITALS_FONT.match(font) else decoded
    return decode_vni_text(text)


def _move_split_vni_marks(runs: list) -> None:
    """Word may split a VNI letter (`e` + `ä`) across two runs: give the mark back."""
    for previous, current in zip(runs, runs[1:], strict=False):
        if previous[1] != VNI or current[1] != VNI:
            continue
        texts = _texts(current[0])
        if not texts or not _texts(previous[0]):
            continue
        first = texts[0]
        marks = len(first.text) - len(first.text.lstrip("".join(VNI_MARKS)))
        if marks:
            _texts(previous[0])[-1].text += first.text[:marks]
            first.text = first.text[marks:]


def convert_part(xml: bytes, part: str, styles: Styles, report: FontReport) -> bytes | None:
    """The part with its legacy-font runs converted, or None when nothing changed."""
    root = etree.fromstring(xml, PARSER)
    changed = False
    for number, paragraph in enumerate(root.iter(f"{_W}p"), start=1):
        style = _paragraph_style(paragraph)
        runs = []
        for run in _own_runs(paragraph):
            font = run_font(run, style, styles)
            runs.append((run, font_encoding(font), font))
        _move_split_vni_marks(runs)
        for run, encoding, font in runs:
            if encoding is None:
                continue
            changed |= _convert_run(run, encoding, font, part, number, report)
    return (
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if (changed)
        else None
    )


def _convert_run(run, encoding: str, font: str, part: str, number: int, report) -> bool:
    texts = _texts(run)
    before = "".join(t.text for t in texts)
    if not before.strip():
        return False
    if cp1252_encode(before) is None:  # Unicode typed with a legacy font selected
        report.kept.append(Conversion(part, number, font, encoding, before, before))
        return False
    for t in texts:
        t.text = _decode(t.text, encoding, font)
    after = "".join(t.text for t in texts)
    if after == before:
        return False
    report.converted.append(Conversion(part, number, font, encoding, before, after))
    return True
