"""Which encoding is a block of text in? One paragraph or one front-matter value at a time.

The order of the questions matters:
1. Text that already holds letters only Vietnamese Unicode has (ạ, ơ, đ …) is never
   converted: at most it is normalised to NFC.
2. Otherwise each legacy reading (TCVN3, VNI, VIQR, UTF-8 read as Windows-1252) is applied
   and scored word by word: a changed word counts as evidence only when it becomes a valid
   Vietnamese syllable and was not one before; any changed word that becomes garbage, any
   foreign-looking letter left untouched, or too many ASCII words that are not Vietnamese
   (English, French …) rule the reading out.
3. A short block with too little evidence is left alone and reported as ambiguous.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from portal.vntext.inline import InlineRepair, repair_inline
from portal.vntext.legacy import (
    CP1258_CHANGED,
    decode_cp1258_text,
    decode_tcvn3_text,
    decode_viqr,
    decode_vni_text,
    repair_utf8_mojibake,
)
from portal.vntext.syllable import (
    LETTER_RUN,
    OUTER_PUNCTUATION,
    is_syllable,
    plausible_as_is,
    words_valid,
)
from portal.vntext.tables import (
    TCVN3_REMNANTS,
    VIETNAMESE_IN_CP1252,
    VIETNAMESE_LETTERS,
    VIETNAMESE_ONLY,
)

UNICODE_OK, NFD = "unicode-ok", "nfd"
TCVN3, VNI, VIQR, UTF8_AS_CP1252 = "tcvn3", "vni", "viqr", "utf8-as-cp1252"
CP1258 = "cp1258"
AMBIGUOUS = "ambiguous"
LEGACY_ENCODINGS = (TCVN3, VNI, VIQR, CP1258, UTF8_AS_CP1252)
ENCODINGS = (UNICODE_OK, NFD, *LEGACY_ENCODINGS, AMBIGUOUS)

ENCODING_NAMES = {
    TCVN3: "mã TCVN3 (ABC, phông .VnTime)",
    VNI: "mã VNI (phông VNI-Times)",
    VIQR: "kiểu VIQR (dấu bằng ký tự ASCII)",
    CP1258: "mã Windows-1258 (bảng mã tiếng Việt của Windows, dấu thanh rời)",
    UTF8_AS_CP1252: "UTF-8 bị đọc nhầm thành Windows-1252 (kiểu «Sá»Ÿ»)",
}

_DECODERS: dict[str, Callable[[str], str]] = {
    TCVN3: decode_tcvn3_text,
    VNI: decode_vni_text,
    VIQR: decode_viqr,
    CP1258: decode_cp1258_text,
    UTF8_AS_CP1252: repair_utf8_mojibake,
}

_ANCHORS = {
    TCVN3: ("céng hoµ", "céng hßa", "§éc lëp", "c¨n cø", "quyõt ®þnh", "viöt nam", "uû ban"),
    VNI: ("coäng hoøa", "coäng hoaø", "ñoäc laäp", "caên cöù", "quyeát ñònh", "vieät nam"),
    VIQR: ("co^.ng ho`a", "ddo^.c la^.p", "ca(n cu+'", "quye^'t ddi.nh", "vie^.t nam"),
}
_ANCHOR_WEIGHT = 2

# Spans never converted nor scored: HTML tags, link targets, URLs, e-mails, and inline code
# (except for VIQR, where a backtick is the grave tone mark).
_PROTECTED_ALWAYS = r"<[^>\n]*>|\]\([^)\s]*\)|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+"
_PROTECTED = re.compile(r"`[^`\n]*`|" + _PROTECTED_ALWAYS)
_PROTECTED_VIQR = re.compile(_PROTECTED_ALWAYS)
_CHUNK_SEPARATOR = re.compile(r"[ \t\r\n]+")
_VIQR_STRONG = re.compile(
    r"[aeiouyAEIOUY][\^(+]|[oOuU]\*(?=\w)|[.?'`~](?=[A-Za-z])|[`~]|^\W*[dD]{2}|^\W*[dD]-"
)
_VIQR_HINT = re.compile(
    r"[aeiouyAEIOUY][\^(+]?[`'?~.]|[aeoAEO]\^|[aA]\(|[ouOU][+*]|\b[dD]{2}[a-z]|\b[dD]-[aeiouy]"
)

_ASCII_LETTER = re.compile(r"[A-Za-z]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_REMNANT_IN_WORD = re.compile(r"(?<=[^\W\d_])[\u00ad\u2212\u2219](?=[^\W\d_])")


@dataclass(frozen=True)
class Finding:
    """Something wrong in a block, at `offset` characters from the block's start."""

    offset: int
    kind: str  # nfd, tcvn3, vni, viqr, utf8-as-cp1252, ambiguous, remnant, control, zero-width
    message: str
    preview: str = ""
    fixed: bool = True  # False: reported only, the text was left as it was


@dataclass
class Candidate:
    encoding: str
    converted: str
    evidence: float = 0.0
    # Distinct words (a repeated `I'm` is one) that carry legacy bytes and read validly:
    # all of them, and those that were not valid before and hold unmistakable marks.
    legacy_words: set[str] = field(default_factory=set)
    strong_words: set[str] = field(default_factory=set)
    invalid: int = 0
    residual: int = 0
    ascii_words: int = 0
    ascii_valid: int = 0
    first_change: int = -1

    @property
    def foreign_ratio_ok(self) -> bool:
        """Most untouched ASCII words of Vietnamese text are toneless syllables (`Nam`, `do`),
        unless the words carrying legacy bytes settle it on their own: a note in TCVN3 with
        English terms (`Recode gi¸ trÞ missing b»ng 99`) is judged by `gi¸ trÞ b»ng`."""
        if self.ascii_words < 3 or self.ascii_valid >= 0.6 * self.ascii_words:
            return True
        foreign = self.ascii_words - self.ascii_valid
        return self.legacy_words_decide and len(self.legacy_words) * 3 >= foreign

    @property
    def legacy_words_decide(self) -> bool:
        return (
            len(self.strong_words) >= 2
            and len(self.legacy_words) >= 3
            and self.invalid == 0
            and self.residual == 0
        )

    @property
    def clean(self) -> bool:
        # A loanword (`A(ngten`) or a typo among many valid syllables does not sink a block.
        invalid_slack, residual_slack = int(self.evidence) // 5, int(self.evidence) // 10
        return (
            self.invalid <= invalid_slack
            and self.residual <= residual_slack
            and self.foreign_ratio_ok
        )


@dataclass
class BlockResult:
    encoding: str
    confidence: float
    fixed: str
    findings: list[Finding] = field(default_factory=list)
    words: int = 0
    candidate: Candidate | None = None

    @property
    def changed(self) -> bool:
        return any(f.fixed for f in self.findings)


# --- helpers ----------------------------------------------------------------------------------


def has_vietnamese_letters(text: str) -> bool:
    """True when `text` holds a letter that only Unicode Vietnamese has (ạ ă đ ơ ư …)."""
    return any(ch in VIETNAMESE_ONLY for ch in text)


def count_words(text: str) -> int:
    return sum(1 for chunk in _CHUNK_SEPARATOR.split(text) if LETTER_RUN.search(chunk))


def preview(text: str, offset: int = 0, width: int = 60) -> str:
    start = max(0, min(offset, len(text) - width) - 10) if len(text) > width else 0
    snippet = text[start : start + width].replace("\n", " ")
    return ("…" if start else "") + snippet + ("…" if start + width < len(text) else "")


def _free_segments(text: str, encoding: str = "") -> list[tuple[bool, str]]:
    """The text cut into (protected?, piece) so that URLs and code stay untouched."""
    pieces, last = [], 0
    protected = _PROTECTED_VIQR if encoding == VIQR else _PROTECTED
    for match in protected.finditer(text):
        pieces.append((False, text[last : match.start()]))
        pieces.append((True, match.group()))
        last = match.end()
    pieces.append((False, text[last:]))
    return pieces


def convert(text: str, encoding: str) -> str:
    """Apply one legacy decoder to the free (unprotected) parts of `text`."""
    decoder = _DECODERS[encoding]
    pieces = _free_segments(text, encoding)
    return "".join(piece if protected else decoder(piece) for protected, piece in pieces)


# Letters an encoding writes as themselves: seeing them untouched is no sign of trouble.
_SELF_LETTERS = {
    TCVN3: frozenset("íý"),
    VNI: frozenset("íìÍÌ"),
    VIQR: frozenset(),
    CP1258: frozenset(VIETNAMESE_IN_CP1252 - CP1258_CHANGED),
    UTF8_AS_CP1252: frozenset(),
}
# Correct foreign words that one legacy reading turns into a Vietnamese syllable.
_WESTERN_LOOKALIKES = frozenset({"où"})


def _has_foreign_letter(chunk: str, encoding: str) -> bool:
    own = _SELF_LETTERS[encoding]
    return any(ch.isalpha() and not ch.isascii() and ch not in own for ch in chunk)


def _chunk_weight(encoding: str, original: str) -> float:
    if encoding == VIQR and not _VIQR_STRONG.search(original):
        return 0.5  # only a word-final mark: `So?` might be a question
    if "".join(LETTER_RUN.findall(original)).lower() in _WESTERN_LOOKALIKES:
        return 0.5  # French `où` reads as VNI `ó`
    return 1.0


# --- scoring ----------------------------------------------------------------------------------


def score(text: str, encoding: str) -> Candidate:
    """Convert `text` with `encoding` and weigh the evidence word by word."""
    candidate = Candidate(encoding, convert(text, encoding))
    offset = 0
    for protected, piece in _free_segments(text, encoding):
        if not protected:
            _score_piece(candidate, piece, _DECODERS[encoding](piece), offset)
        offset += len(piece)
    lowered = text.lower()
    candidate.evidence += _ANCHOR_WEIGHT * sum(a in lowered for a in _ANCHORS.get(encoding, ()))
    return candidate


def _score_piece(candidate: Candidate, original: str, converted: str, offset: int) -> None:
    before = _CHUNK_SEPARATOR.split(original)
    after = _CHUNK_SEPARATOR.split(converted)
    if len(before) != len(after):  # a decoder that moved word boundaries: not trusted
        candidate.invalid += 1
        return
    position = 0
    for old, new in zip(before, after, strict=True):
        position = original.find(old, position) if old else position
        if old == new:
            _score_unchanged(candidate, old)
            continue
        runs = LETTER_RUN.findall(new)
        if words_valid(runs):
            _count_valid_change(candidate, old)
        else:
            candidate.invalid += 1
        if candidate.first_change < 0:
            candidate.first_change = offset + max(position, 0)


def _count_valid_change(candidate: Candidate, old: str) -> None:
    """A chunk the reading turned into valid syllables: evidence unless it was valid already."""
    # A lone symbol (`·` reads as TCVN3 `ã`) is no word: it never decides alone.
    word = old.strip(OUTER_PUNCTUATION).lower() if _ASCII_LETTER.search(old) else ""
    if word:
        candidate.legacy_words.add(word)
    if plausible_as_is(old):
        return
    weight = _chunk_weight(candidate.encoding, old)
    candidate.evidence += weight
    if word and weight == 1.0:
        candidate.strong_words.add(word)


def _score_unchanged(candidate: Candidate, chunk: str) -> None:
    if _has_foreign_letter(chunk, candidate.encoding):
        candidate.residual += 1
        return
    runs = LETTER_RUN.findall(chunk)
    if len(runs) == 1 and chunk.strip(".,;:!?()\"'«»“”-").isalpha():
        candidate.ascii_words += 1
        candidate.ascii_valid += words_valid(runs)


def _looks_legacy(text: str) -> bool:
    """Cheap test: anything a legacy reading could change?"""
    return not text.isascii() or bool(_VIQR_HINT.search(text))


def _passes(candidate: Candidate, words: int, preferred: bool) -> bool:
    if not candidate.clean:
        return False
    if preferred:  # the rest of the file is in this encoding: one clean word is enough
        return candidate.evidence >= 1 and candidate.invalid == 0 and candidate.residual == 0
    if candidate.encoding == UTF8_AS_CP1252:
        return candidate.evidence >= 1
    if candidate.evidence < 2:
        return False
    return words >= 5 or candidate.evidence * 2 >= words


# --- the decision -----------------------------------------------------------------------------


def detect_block(text: str, prefer: str | None = None) -> BlockResult:
    """Decide the encoding of one block and compute its corrected text.

    `prefer` names the legacy encoding the rest of the file was found in; short blocks in
    that encoding then need less evidence.
    """
    findings = _character_findings(text)
    cleaned = ZERO_WIDTH.sub(_keep_joiner, text)
    normalised = unicodedata.normalize("NFC", cleaned)
    words = count_words(normalised)
    if normalised != cleaned:
        findings.append(_nfd_finding(text, normalised))

    if has_vietnamese_letters(normalised) or not _looks_legacy(normalised):
        fixed, inline_findings = _repair_inline_words(CONTROL.sub("", normalised))
        fixed, remnant_findings = _repair_remnants(fixed)
        remnant_findings = inline_findings + remnant_findings
        encoding = NFD if normalised != cleaned else UNICODE_OK
        if encoding == UNICODE_OK:  # words pasted in a legacy encoding name the block
            encoding = next((f.kind for f in inline_findings if f.fixed), encoding)
        return BlockResult(encoding, 1.0, fixed, findings + remnant_findings, words)

    candidates = [score(normalised, encoding) for encoding in LEGACY_ENCODINGS]
    passing = [c for c in candidates if _passes(c, words, c.encoding == prefer)]
    best = max(passing, key=lambda c: c.evidence, default=None)
    rivals = (
        [c for c in passing if c is not best and c.evidence * 2 > best.evidence] if best else []
    )
    if best and not rivals:
        fixed = CONTROL.sub("", best.converted)
        findings.append(_legacy_finding(best, fixed))
        return BlockResult(best.encoding, _confidence(best), fixed, findings, words, best)

    fixed = CONTROL.sub("", normalised)
    hinted = rivals + [best] if best else [c for c in candidates if _is_hint(c)]
    if hinted:
        findings.append(_ambiguous_finding(hinted))
        return BlockResult(AMBIGUOUS, 0.3, fixed, findings, words, hinted[0])
    encoding = NFD if normalised != cleaned else UNICODE_OK
    return BlockResult(encoding, 0.9, fixed, findings, words)


def _is_hint(candidate: Candidate) -> bool:
    """Some clean evidence but not enough to act on: worth a warning."""
    return (
        candidate.evidence >= 1
        and candidate.invalid == 0
        and candidate.residual == 0
        and candidate.foreign_ratio_ok
    )


def _confidence(candidate: Candidate) -> float:
    return round(min(0.99, 0.6 + 0.08 * candidate.evidence), 2)


def _keep_joiner(match: re.Match) -> str:
    """Drop a zero-width character unless it joins symbols (emoji sequences need U+200D)."""
    text, at = match.string, match.start()
    neighbours = text[at - 1 : at] + text[at + 1 : at + 2]
    return match.group() if any(ord(ch) >= 0x2000 for ch in neighbours) else ""


def _repair_inline_words(text: str) -> tuple[str, list[Finding]]:
    """Legacy words pasted into lines of Unicode text (`Quyết ®ịnh`, `số l­îng`)."""
    lines, findings, offset = [], [], 0
    for line in text.split("\n"):
        fixed, repairs, hints = repair_inline(line) if not line.isascii() else (line, [], [])
        findings += [_inline_finding(offset, repair) for repair in repairs]
        findings += [_hint_finding(offset, hint) for hint in hints]
        lines.append(fixed)
        offset += len(fixed) + 1
    return "\n".join(lines), findings


def _repair_remnants(text: str) -> tuple[str, list[Finding]]:
    """U+00AD/U+2212/U+2219 inside a word of Unicode text: a TCVN3 ư or ã lost on the way."""
    findings, out = [], text
    for match in reversed(list(_REMNANT_IN_WORD.finditer(text))):
        start = match.start()
        word_start = start - len(re.search(r"[^\W\d_]*$", text[:start]).group())
        word_end = match.end() + len(re.match(r"[^\W\d_]*", text[match.end() :]).group())
        candidate = (
            text[word_start:start] + TCVN3_REMNANTS[match.group()] + text[match.end() : word_end]
        )
        fixable = is_syllable(candidate)
        if fixable:
            out = out[:start] + TCVN3_REMNANTS[match.group()] + out[match.end() :]
        shown = candidate if fixable else text[word_start:word_end]
        findings.append(_remnant_finding(start, match.group(), shown, fixable))
    return out, findings[::-1]


# --- findings ---------------------------------------------------------------------------------


def _character_findings(text: str) -> list[Finding]:
    findings = []
    for match in CONTROL.finditer(text):
        code = f"U+{ord(match.group()):04X}"
        findings.append(
            Finding(match.start(), "control", f"có ký tự điều khiển {code} (control character)")
        )
    for match in ZERO_WIDTH.finditer(text):
        code = f"U+{ord(match.group()):04X}"
        message = f"có ký tự không độ rộng {code} (zero-width), dễ làm hỏng tiêu đề và slug"
        kept = bool(_keep_joiner(match))
        findings.append(Finding(match.start(), "zero-width", message, fixed=not kept))
    return findings


def _nfd_finding(text: str, normalised: str) -> Finding:
    offset = next((i for i, ch in enumerate(text) if unicodedata.combining(ch)), 0)
    message = (
        "văn bản chưa ở dạng Unicode dựng sẵn (NFC, TCVN 6909:2001): "
        "có dấu tổ hợp rời (NFD, Unicode tổ hợp)"
    )
    return Finding(max(offset - 1, 0), NFD, message, preview(normalised, offset))


def _legacy_finding(candidate: Candidate, fixed: str) -> Finding:
    message = (
        f"văn bản gõ bằng {ENCODING_NAMES[candidate.encoding]}, "
        "phải chuyển sang Unicode dựng sẵn (TCVN 6909:2001)"
    )
    offset = max(candidate.first_change, 0)
    return Finding(offset, candidate.encoding, message, preview(fixed, offset))


def _ambiguous_finding(candidates: list[Candidate]) -> Finding:
    names = " hoặc ".join(ENCODING_NAMES[c.encoding] for c in candidates)
    message = f"đoạn ngắn có thể là {names} nhưng không đủ chắc chắn để tự sửa; hãy kiểm tra lại"
    first = candidates[0]
    return Finding(
        max(first.first_change, 0), AMBIGUOUS, message, preview(first.converted), fixed=False
    )


def _inline_finding(line_offset: int, repair: InlineRepair) -> Finding:
    name = ENCODING_NAMES[repair.encoding]
    if " " in repair.original:
        what = f"«{repair.original}» là chữ gõ bằng {name} lẫn trong văn bản Unicode"
    else:
        stray = "".join(sorted({ch for ch in repair.original if ch not in VIETNAMESE_LETTERS
                                and not ch.isascii()}))  # fmt: skip
        what = f"từ «{repair.original}» còn ký tự «{stray}» của {name}"
    message = f"{what}; sửa thành"  # the fix follows as the preview: → «định»
    return Finding(line_offset + repair.start, repair.encoding, message, repair.fixed)


def _hint_finding(line_offset: int, hint: InlineRepair) -> Finding:
    message = (
        f"«{hint.original}» có thể là chữ gõ bằng {ENCODING_NAMES[hint.encoding]} "
        "nhưng không đủ chắc chắn để tự sửa; hãy kiểm tra lại, có thể là"
    )
    return Finding(line_offset + hint.start, AMBIGUOUS, message, hint.fixed, fixed=False)


def _remnant_finding(offset: int, char: str, word: str, fixed: bool) -> Finding:
    code = f"U+{ord(char):04X}"
    message = f"ký tự {code} nằm giữa từ: dấu vết của chữ «{TCVN3_REMNANTS[char]}» mã TCVN3"
    if not fixed:
        message += "; không tự sửa được, hãy gõ lại từ này"
    return Finding(offset, "remnant", message, word, fixed=fixed)
