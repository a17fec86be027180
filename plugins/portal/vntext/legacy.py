"""Encoders and decoders for the legacy Vietnamese encodings, built on `tables`.

Decoders take either raw bytes or the mojibake that results when those bytes were read as
Windows-1252 and saved as UTF-8; they never decide *whether* to convert (that is `detect`).
Encoders exist to build the test corpus and to show users what a table does.
"""

import re
import unicodedata

from portal.vntext.tables import (
    TCVN3_DECODE,
    TCVN3_ENCODE,
    TCVN3_NOT_LETTERS,
    TCVN3_TEXT_DECODE,
    VIQR_MARK_CHARS,
    VIQR_MODIFIER_OF,
    VIQR_TONE_OF,
    VNI_DECODE,
    VNI_ENCODE,
    compose,
    decompose,
    viqr_of,
)

# --- Windows-1252, "sloppy": the five undefined bytes map to the C1 controls --------------


def _sloppy_cp1252_table() -> list[str]:
    table = []
    for byte in range(256):
        try:
            table.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            table.append(chr(byte))  # 0x81 0x8D 0x8F 0x90 0x9D: kept as U+0081 … (as Windows does)
    return table


CP1252_CHARS = _sloppy_cp1252_table()
CP1252_BYTE_OF = {ch: byte for byte, ch in enumerate(CP1252_CHARS)}


def cp1252_decode(data: bytes) -> str:
    """Bytes read as Windows-1252, never failing."""
    return "".join(CP1252_CHARS[b] for b in data)


def cp1252_encode(text: str) -> bytes | None:
    """The Windows-1252 bytes of `text`, or None when a character has none."""
    try:
        return bytes(CP1252_BYTE_OF[ch] for ch in text)
    except KeyError:
        return None


# --- TCVN3 ------------------------------------------------------------------------------------

_TCVN3_TEXT_TABLE = str.maketrans(TCVN3_TEXT_DECODE)
# Letters whose TCVN3 code has no capital: after decoding their case is unknown.
_CASELESS_CODES = frozenset(
    ch for ch, letter in TCVN3_TEXT_DECODE.items() if letter.islower() and letter not in "ăâêôơưđ"
)
_WORD = re.compile("(?:[^\\W\\d_]|[" + re.escape("".join(TCVN3_TEXT_DECODE)) + "])+")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|\n\s*[-*+>#]*\s*)$")


def decode_tcvn3_bytes(data: bytes) -> str:
    """Raw TCVN3 bytes to Unicode; 0x80-0x9F and 0xB0-0xB4 are Windows-1252 punctuation."""
    text = "".join(
        TCVN3_DECODE[b] if b in TCVN3_DECODE and b not in TCVN3_NOT_LETTERS else CP1252_CHARS[b]
        for b in data
    )
    return _restore_tcvn3_case(cp1252_decode(data), text)


def decode_tcvn3_text(mojibake: str) -> str:
    """TCVN3 read as Windows-1252 (`Së Néi vô`) back to Unicode (`Sở Nội vụ`)."""
    return _restore_tcvn3_case(mojibake, mojibake.translate(_TCVN3_TEXT_TABLE))


def _restore_tcvn3_case(mojibake: str, decoded: str) -> str:
    """Capitals ABC could not write: all-capital words and sentence starts.

    Decoding is one character for one, so `mojibake` and `decoded` line up. A word whose
    other letters are all capitals is a capital word; a short word with one capital (`X·`)
    is one when a neighbour is (`CéNG HßA X· HéI`).
    """
    chars = list(decoded)
    words = []  # (start, end, caseless positions, verdict: "upper", "maybe", "title"/None)
    for word in _WORD.finditer(mojibake):
        start, end = word.span()
        caseless = [i for i in range(start, end) if mojibake[i] in _CASELESS_CODES]
        known = [decoded[i] for i in range(start, end) if i not in caseless]
        if known and any(ch.islower() for ch in known):
            verdict = None
        elif len(known) >= 2:
            verdict = "upper"
        else:
            verdict = "maybe"
        words.append((start, end, caseless, verdict))
    for n, (start, end, caseless, verdict) in enumerate(words):
        if not caseless:
            continue
        neighbours = [
            words[k]
            for k in (n - 1, n + 1)
            if 0 <= k < len(words)
            and "\n" not in mojibake[min(start, words[k][0]) : max(end, words[k][1])]
        ]
        capital_near = any(w[3] == "upper" and w[2] for w in neighbours)
        lower_near = any(w[3] is None for w in neighbours)
        if verdict == "upper" or (verdict == "maybe" and capital_near and not lower_near):
            chars[start:end] = decoded[start:end].upper()
        elif start in caseless and _SENTENCE_START.search(decoded[:start]):
            chars[start] = decoded[start].upper()
    return "".join(chars)


def encode_tcvn3(text: str) -> bytes:
    """Unicode to TCVN3 bytes as the ABC keyboard wrote them (toned capitals in lower case)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        elif ch.lower() in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch.lower()])
        else:
            out += cp1252_encode(ch) or b"?"
    return bytes(out)


def tcvn3_mojibake(text: str) -> str:
    """What a TCVN3 file looks like once read as Windows-1252 (`Së Néi vô Hµ TÜnh`)."""
    return cp1252_decode(encode_tcvn3(text))


# --- VNI-Windows ------------------------------------------------------------------------------


def _vni_decode_table() -> dict[str, str]:
    table = dict(VNI_DECODE)
    for seq, letter in VNI_DECODE.items():  # `Aù` as well as `AÙ`: both are seen
        if len(seq) == 2:
            table.setdefault(seq[0] + seq[1].swapcase(), letter)
    return table


_VNI_TABLE = _vni_decode_table()


def decode_vni_text(mojibake: str) -> str:
    """VNI read as Windows-1252 (`Sôû Noäi vuï`) back to Unicode; longest match first."""
    out, i = [], 0
    while i < len(mojibake):
        pair = mojibake[i : i + 2]
        if len(pair) == 2 and pair in _VNI_TABLE:
            out.append(_VNI_TABLE[pair])
            i += 2
        else:
            out.append(_VNI_TABLE.get(mojibake[i], mojibake[i]))
            i += 1
    return "".join(out)


def decode_vni_bytes(data: bytes) -> str:
    return decode_vni_text(cp1252_decode(data))


def encode_vni(text: str) -> str:
    """Unicode to VNI as Windows-1252 text; `.encode("cp1252")` gives the file bytes."""
    return "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# --- VIQR (RFC 1456) --------------------------------------------------------------------------

_VOWELS = frozenset("aeiouyAEIOUY")


def _is_vowel_letter(ch: str) -> bool:
    return decompose(ch) is not None


def _syllable_has_tone(out: list[str]) -> bool:
    for ch in reversed(out):
        if not ch.isalpha():
            return False
        parts = decompose(ch)
        if parts and parts[2]:
            return True
    return False


def _ends_word_literally(text: str, i: int, marks_at_end: bool) -> bool:
    """Is a `.` or `?` after a toneless vowel at a word end punctuation, not a tone mark?

    Before another word it is a mark (`vu. Ha`` = vụ Hà); at a line end it is a mark only
    when the writer escapes literal punctuation (`\\.`, as RFC 1456 asks) or the text is a
    single title-like line.
    """
    rest = text[i + 1 :]
    if not rest or rest[0] in "\n\r":
        return not marks_at_end
    if rest[0] in " \t":
        following = rest.lstrip(" \t")
        return bool(following) and not following[:1].isalnum()
    return False  # a letter (inside a word) or punctuation (`vu.,`) follows: a mark


_SENTENCE_END = re.compile(r"[^\W\d_aeiouyAEIOUY][.!?]\s")  # after a consonant: no tone mark


_CLAUSE_PUNCTUATION = re.compile(r"[,;:!]\s")  # not VIQR marks: the text is a sentence


def _marks_at_line_end(text: str) -> bool:
    escaped = any(f"\\{mark}" in text for mark in ".?")
    title_like = (
        "\n" not in text.strip()
        and not _SENTENCE_END.search(text)
        and not _CLAUSE_PUNCTUATION.search(text)
    )
    return escaped or title_like


def _apply_viqr_mark(out: list[str], text: str, i: int, marks_at_end: bool) -> bool:
    mark = text[i]
    if not out or not _is_vowel_letter(out[-1]):
        return False
    base, modifier, tone = decompose(out[-1])
    if mark in VIQR_MODIFIER_OF:
        new_modifier = VIQR_MODIFIER_OF[mark]
        if modifier or decompose(compose(base, new_modifier)) is None:
            return False
        if mark == "(" and text[i + 1 : i + 2] in ("", " ", "\n") and base.lower() != "a":
            return False
        out[-1] = compose(base, new_modifier, tone)
        return True
    if _syllable_has_tone(out):
        return False
    if mark in ".?" and _ends_word_literally(text, i, marks_at_end):
        return False
    out[-1] = compose(base, modifier, VIQR_TONE_OF[mark])
    return True


def _is_viqr_dd(text: str, i: int, out: list[str]) -> bool:
    """`dd` starts a word (`ddi.nh`); `DD` may also sit inside capitals (`NDD-CP`, `HDDND`)."""
    after = text[i + 2 : i + 3]
    if not out or not out[-1].isalpha():
        return after.isalpha() or (text[i : i + 2] == "DD" and not after.islower())
    return (
        text[i : i + 2] == "DD" and out[-1].isupper() and out[-1].isascii() and not after.islower()
    )


def _is_viqr_d_dash(text: str, i: int, out: list[str]) -> bool:
    """`d-` for đ (newsgroup VIQR: `d-a~`, `D-o^.c`): at a word start, before a vowel."""
    at_start = not out or not out[-1].isalpha()
    return at_start and text[i + 2 : i + 3] in _VOWELS


def _is_viqr_star_horn(text: str, i: int, out: list[str]) -> bool:
    """`*` for the horn (`ngu*o*`i`, as UniKey's VIQR input accepts) after a bare o or u and
    inside a word: a word-final `*` is Markdown emphasis (`*do*`)."""
    if not out or out[-1] not in "oOuU":
        return False
    after = text[i + 1 : i + 2]
    return bool(after) and (after.isalpha() or after in "`'?~.") and after.isascii()


def decode_viqr(text: str) -> str:
    """VIQR (`Vie^.t Nam`, `ddi`nh`) to Unicode; `\\` escapes a literal mark character."""
    out: list[str] = []
    marks_at_end = _marks_at_line_end(text)
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1 : i + 2]
        if ch == "\\" and nxt and (nxt in VIQR_MARK_CHARS or nxt in "\\dD"):
            out.append(nxt)
            i += 2
            continue
        if ch in "dD" and nxt == "-" and _is_viqr_d_dash(text, i, out):
            out.append("đ" if ch == "d" else "Đ")
            i += 2
            continue
        if ch in "dD" and nxt in ("d", "D") and _is_viqr_dd(text, i, out):
            out.append("đ" if ch == "d" else "Đ")
            i += 2
            continue
        if ch == "*" and _is_viqr_star_horn(text, i, out):
            base, _, tone = decompose(out[-1])
            out[-1] = compose(base, VIQR_MODIFIER_OF["+"], tone)
            i += 1
            continue
        if ch in VIQR_MARK_CHARS and _apply_viqr_mark(out, text, i, marks_at_end):
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def encode_viqr(text: str) -> str:
    """Unicode to VIQR; a literal mark character after a vowel is escaped with `\\`."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if (ch in VIQR_MARK_CHARS or ch == "\\") and out and out[-1][-1:] in _VOWELS:
            out.append("\\" + ch)
        else:
            out.append(viqr_of(ch))
    return "".join(out)


# --- Windows-1258 (Windows' own Vietnamese code page) -----------------------------------------
# Mostly Windows-1252, but 14 bytes differ: Ă Đ Ơ Ư ă đ ơ ư ₫ and the five tone marks, which
# Windows writes as *combining* characters after the letter (`Lâ` + U+0300 = `Lần`). Read as
# Windows-1252 those show up as `Ì ì Ò ò Þ Ð ð Õ õ Ý ý Ã ã þ`.


def _cp1258_text_table() -> dict[int, str]:
    table = {}
    for byte in range(0x80, 0x100):
        try:
            meant = bytes([byte]).decode("cp1258")
        except UnicodeDecodeError:
            continue
        if meant != CP1252_CHARS[byte]:
            table[ord(CP1252_CHARS[byte])] = meant
    return table


_CP1258_TEXT_TABLE = _cp1258_text_table()
CP1258_CHANGED = frozenset(chr(code) for code in _CP1258_TEXT_TABLE)


def decode_cp1258_text(mojibake: str) -> str:
    """Windows-1258 read as Windows-1252 (`LâÌn cuôìi`) back to Unicode NFC (`Lần cuối`)."""
    return unicodedata.normalize("NFC", mojibake.translate(_CP1258_TEXT_TABLE))


def decode_cp1258_bytes(data: bytes) -> str:
    return decode_cp1258_text(cp1252_decode(data))


# --- UTF-8 read as Windows-1252 (`Sá»Ÿ`) ---------------------------------------------------

_HIGH_CP1252_RUN = re.compile("[" + re.escape("".join(CP1252_CHARS[0x80:])) + "]{2,}")
_SEQUENCE_LENGTH = {**dict.fromkeys(range(0xC2, 0xE0), 2), **dict.fromkeys(range(0xE0, 0xF0), 3)}
_SEQUENCE_LENGTH.update(dict.fromkeys(range(0xF0, 0xF5), 4))


def _repair_run(run: str) -> str:
    data = cp1252_encode(run)
    out, i = [], 0
    while i < len(data):
        length = _SEQUENCE_LENGTH.get(data[i], 0)
        try:
            out.append(data[i : i + length].decode("utf-8") if length else None)
        except UnicodeDecodeError:
            out[-1:] = [None]
        if out[-1] is None:
            out[-1] = run[i]
            i += 1
        else:
            i += length
    return "".join(out)


def repair_utf8_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 (`Sá»Ÿ Ná»™i vá»¥` → `Sở Nội vụ`), sequence by sequence."""
    return _HIGH_CP1252_RUN.sub(lambda m: _repair_run(m.group()), text)


def utf8_mojibake(text: str) -> str:
    """UTF-8 bytes of `text` read as Windows-1252."""
    return cp1252_decode(text.encode("utf-8"))


# Every character some legacy reading turns into something else.
LEGACY_SYMBOLS = frozenset(
    set(TCVN3_TEXT_DECODE) | set("".join(VNI_DECODE)) | CP1258_CHANGED | set(VIQR_MARK_CHARS)
)
