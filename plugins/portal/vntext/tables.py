"""Conversion tables for the legacy Vietnamese encodings: TCVN3 (ABC), VNI-Windows, VIQR.

Every Vietnamese vowel letter is described as (base, modifier, tone); the tables of each
encoding are built from that description, so a wrong entry shows up as a failed round trip
in the tests instead of hiding in a hand-typed list. The TCVN3 byte table is checked byte
by byte against glibc's `iconv -f TCVN5712-1` in tests/vntext/test_tables.py.
"""

import unicodedata

# Combining marks of Unicode, by role.
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
GRAVE, ACUTE, HOOK, TILDE, DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
MODIFIERS = (CIRCUMFLEX, BREVE, HORN)
TONES = (GRAVE, ACUTE, HOOK, TILDE, DOT)

# The twelve vowel letters as (base, modifier); "" means no modifier.
VOWEL_FORMS = (
    ("a", ""), ("a", BREVE), ("a", CIRCUMFLEX), ("e", ""), ("e", CIRCUMFLEX), ("i", ""),
    ("o", ""), ("o", CIRCUMFLEX), ("o", HORN), ("u", ""), ("u", HORN), ("y", ""),
)  # fmt: skip


def compose(base: str, modifier: str = "", tone: str = "") -> str:
    """One precomposed letter from its parts (base keeps its case)."""
    return unicodedata.normalize("NFC", base + modifier + tone)


def decompose(letter: str) -> tuple[str, str, str] | None:
    """(base, modifier, tone) of a Vietnamese vowel letter, or None for any other character."""
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[:1], parts[1:]
    if base.lower() not in "aeiouy" or not base or len(marks) > 2:
        return None
    modifier = "".join(m for m in marks if m in MODIFIERS)
    tone = "".join(m for m in marks if m in TONES)
    if len(modifier) + len(tone) != len(marks) or len(modifier) > 1 or len(tone) > 1:
        return None
    if (base.lower(), modifier) not in VOWEL_FORMS:
        return None
    return base, modifier, tone


def all_vowel_letters() -> list[str]:
    """The 72 lower-case vowel letters (12 forms x 6 tones, toneless included)."""
    return [compose(b, m, t) for b, m in VOWEL_FORMS for t in ("", *TONES)]


# The 134 letters of Vietnamese outside ASCII: 66 vowels and đ, in both cases.
VIETNAMESE_LETTERS_LOWER = [ch for ch in all_vowel_letters() if not ch.isascii()] + ["đ"]
VIETNAMESE_LETTERS = VIETNAMESE_LETTERS_LOWER + [ch.upper() for ch in VIETNAMESE_LETTERS_LOWER]

# Vietnamese letters that Windows-1252 can also hold: seeing only these proves nothing.
VIETNAMESE_IN_CP1252 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
# Letters that only Vietnamese text holds (not in Windows-1252): proof of real Unicode text.
VIETNAMESE_ONLY = frozenset(set(VIETNAMESE_LETTERS) - VIETNAMESE_IN_CP1252)


# --- TCVN3 (TCVN 5712:1993 VN3, the ABC keyboard and .VnTime fonts) ---------------------------
# One byte per letter. ABC has no upper-case toned letters (headings used .VnTimeH fonts
# that draw the lower-case codes as capitals); ư is 0xAD, the soft hyphen.
_TCVN3_LOWER = {
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
_TCVN3_UPPER = {0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ"}
# Slots that ABC leaves unused and TCVN 5712 VN1 fills with some toned capitals; glibc
# decodes them so, and reading them the same way costs nothing for real ABC text.
_TCVN3_VN1_CAPITALS = {
    0xAF: "Ằ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
}  # fmt: skip
# 0xB0-0xB4 are combining tone marks in VN1; in ABC documents they are °±²³´ (cp1252).
TCVN3_NOT_LETTERS = frozenset(range(0xB0, 0xB5))

TCVN3_DECODE: dict[int, str] = {**_TCVN3_LOWER, **_TCVN3_UPPER, **_TCVN3_VN1_CAPITALS}
# Encoding follows ABC: toned capitals are written with the lower-case code.
TCVN3_ENCODE: dict[str, int] = {ch: b for b, ch in {**_TCVN3_LOWER, **_TCVN3_UPPER}.items()}

# Characters that stand for a TCVN3 byte in text that was already decoded wrongly:
# the Windows-1252 reading of each letter byte, plus what PDF text extraction leaves.
TCVN3_TEXT_DECODE: dict[str, str] = {
    bytes([b]).decode("cp1252"): ch for b, ch in TCVN3_DECODE.items()
}
TCVN3_TEXT_DECODE.update({"\u2212": "ư", "\u2219": "ã"})  # minus sign, bullet operator
TCVN3_REMNANTS = {"\u00ad": "ư", "\u2212": "ư", "\u2219": "ã"}


# --- VNI-Windows (VNI-Times fonts) -----------------------------------------------------------
# A base letter followed by one mark byte, read here as Windows-1252 characters. Capitals
# take the capital form of the mark. A few letters are one byte of their own.
_VNI_TONE_MARKS = {GRAVE: "ø", ACUTE: "ù", HOOK: "û", TILDE: "õ", DOT: "ï"}
_VNI_CIRCUMFLEX_MARKS = {"": "â", GRAVE: "à", ACUTE: "á", HOOK: "å", TILDE: "ã", DOT: "ä"}
_VNI_BREVE_MARKS = {"": "ê", GRAVE: "è", ACUTE: "é", HOOK: "ú", TILDE: "ü", DOT: "ë"}
_VNI_SINGLE_LOWER = {
    "ơ": "ô", "ư": "ö", "đ": "ñ", "ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î",
}  # fmt: skip


def _vni_lower(letter: str) -> str:
    if letter in _VNI_SINGLE_LOWER:
        return _VNI_SINGLE_LOWER[letter]
    base, modifier, tone = decompose(letter)
    if modifier == CIRCUMFLEX:
        return base + _VNI_CIRCUMFLEX_MARKS[tone]
    if modifier == BREVE:
        return base + _VNI_BREVE_MARKS[tone]
    head = _VNI_SINGLE_LOWER[compose(base, HORN)] if modifier == HORN else base
    return head + (_VNI_TONE_MARKS[tone] if tone else "")


def _build_vni() -> dict[str, str]:
    table = {}
    for lower in VIETNAMESE_LETTERS_LOWER:
        table[lower] = _vni_lower(lower)
        table[lower.upper()] = _vni_lower(lower).upper()
    return table


VNI_ENCODE: dict[str, str] = _build_vni()
# Longest sequences first when decoding; identical pairs (í → í) need no entry.
VNI_DECODE: dict[str, str] = {seq: ch for ch, seq in VNI_ENCODE.items() if seq != ch}
# Forms seen in the wild that the canonical table writes differently.
VNI_DECODE.update({"yï": "ỵ", "YÏ": "Ỵ", "Yï": "Ỵ"})
VNI_MARKS = frozenset(
    c for seq in VNI_ENCODE.values() if len(seq) == 2 for c in seq[1:]
)  # the second character of two-character sequences
VNI_SINGLES = frozenset(seq for seq in VNI_ENCODE.values() if len(seq) == 1)


# --- VIQR (RFC 1456) --------------------------------------------------------------------------
VIQR_MODIFIERS = {CIRCUMFLEX: "^", BREVE: "(", HORN: "+"}
VIQR_TONES = {ACUTE: "'", GRAVE: "`", HOOK: "?", TILDE: "~", DOT: "."}
VIQR_MODIFIER_OF = {v: k for k, v in VIQR_MODIFIERS.items()}
VIQR_TONE_OF = {v: k for k, v in VIQR_TONES.items()}
VIQR_MARK_CHARS = frozenset("^(+'`?~.")


def viqr_of(letter: str) -> str:
    """VIQR spelling of one Vietnamese letter (`ộ` → `o^.`, `đ` → `dd`)."""
    if letter in "đĐ":
        return "dd" if letter == "đ" else "DD"
    parts = decompose(letter)
    if parts is None:
        return letter
    base, modifier, tone = parts
    return base + VIQR_MODIFIERS.get(modifier, "") + VIQR_TONES.get(tone, "")
