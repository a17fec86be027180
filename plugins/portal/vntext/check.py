"""The encoding check that `portal check` and the Pelican build run on every content file.

Clean UTF-8 NFC text is the normal case and must cost next to nothing: a few C-speed scans
decide whether anything suspicious is present before the detector runs at all.
"""

import re
import unicodedata
from pathlib import Path

from portal.errors import PortalError, Problem, display_path
from portal.vntext.detect import AMBIGUOUS
from portal.vntext.fix import BODY, Issue, fix_bytes
from portal.vntext.legacy import CP1252_CHARS

# The pre-scan: each test is one C-speed pass (a character class or a substring search);
# together they cost a few microseconds per kilobyte of clean text.
# Windows-1252 characters that Vietnamese text never holds (symbols, foreign letters), the
# controls, zero-width characters, combining marks and the TCVN3 remnants.
_VIETNAMESE_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_TYPOGRAPHY = set("“”‘’–—…•€™\u00a0")
_ODD_CP1252 = "".join(
    ch for ch in CP1252_CHARS[0x80:] if ch not in _VIETNAMESE_LATIN1 and ch not in _TYPOGRAPHY
)
_ODD_CHARACTER = re.compile(
    "["
    + re.escape(_ODD_CP1252)
    + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0300-\u036f\u200b-\u200d\u2060\ufeff\u2212\u2219]"
)
# Pairs that VNI writes with letters Vietnamese also has (`Thoâng baùo`), and `Ã` + NBSP
# (UTF-8 `à` read as Windows-1252).
_TELLTALE_PAIRS = ("oâ", "aù", "eâ", "OÂ", "Ã\u00a0")
# Windows-1258 read as Windows-1252: a tone mark (`Ì ì Ò ò`) right after a vowel (`LâÌn`).
_CP1258_TONE = re.compile(r"[aeiouyAEIOUYâêôÂÊÔõÕýÝãÃ][ÌìÒò]")
# VIQR marks that prose rarely holds; confirmed by the finer pattern below. Looked for
# with `in` (a memchr each): a character-class regex scans the text at a tenth the speed.
_VIQR_CHARACTERS = "^`~+*"
_VIQR_SIGN = re.compile(
    r"[aeiouyAEIOUY][\^(+`~]|[aeiouyAEIOUY][`'?~.][a-z]|[dD][dD][a-z]|[oOuU]\*[a-z`'?~.]"
)
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _viqr_possible(text: str) -> bool:
    return any(mark in text for mark in _VIQR_CHARACTERS) and bool(_VIQR_SIGN.search(text))


def looks_clean(raw: bytes) -> bool:
    """True when `raw` is UTF-8 NFC text with nothing a legacy encoding could explain."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if text.isascii():
        return not _ASCII_CONTROL.search(text) and not _viqr_possible(text)
    return (
        unicodedata.is_normalized("NFC", text)
        and not _ODD_CHARACTER.search(text)
        and not any(pair in text for pair in _TELLTALE_PAIRS)
        and not _viqr_possible(text)
        and not _CP1258_TONE.search(text)
    )


_ERROR_KINDS = {
    "nfd", "tcvn3", "vni", "viqr", "cp1258", "utf8-as-cp1252", "control", "not-utf8", "remnant",
}  # fmt: skip
_ALWAYS_ERRORS = {"unsure"}  # a file that is not UTF-8 and cannot be repaired safely
_STRICT_FIELDS = {"title", "slug"}


def _severity(issue: Issue) -> str:
    if issue.kind in _ALWAYS_ERRORS:
        return "error"
    if issue.kind == AMBIGUOUS or not issue.fixed and issue.kind != "remnant":
        return "warning"
    if issue.kind == "zero-width":
        return "error" if issue.field in _STRICT_FIELDS else "warning"
    return "error" if issue.kind in _ERROR_KINDS else "warning"


def _problem(path: str, issue: Issue) -> Problem:
    shown = f" → «{issue.preview}»" if issue.preview else ""
    message = f"cột {issue.column}: {issue.message}{shown}"
    if issue.fixed and issue.kind != "bom":
        message += " (sửa bằng: portal fix-encoding --write)"
    return Problem(path, issue.line, issue.field, message, _severity(issue))


def check_text_file(path: Path, raw: bytes) -> list[Problem]:
    """Encoding problems of one content file: legacy encodings, NFD, mojibake, control and
    zero-width characters. Front-matter problems carry their key as `field`, body ones "body"."""
    if looks_clean(raw):
        return []
    shown = display_path(path)
    try:
        fixed = fix_bytes(Path(path), raw)
    except PortalError as error:
        return [Problem(shown, 0, BODY, str(error))]
    return [_problem(shown, i) for i in fixed.refusals + fixed.changes + fixed.ambiguous]
