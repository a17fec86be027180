"""Legacy words inside a line of Unicode Vietnamese, judged word by word.

Two things end up there: a phrase pasted from an old document (`Quyết định số 15 về
l­îng hµng hãa`) and a stray byte in an otherwise Unicode word (`®ịnh` for `định`, from
old PDFs). Only *suspect* words are candidates: words with a non-ASCII character that are
not already valid as they stand. Each legacy reading decodes them one by one; a reading is
trusted for the line when it turns enough suspect words into valid syllables and almost
none into garbage, and no other reading does nearly as well. Words that are valid both
ways (`cã` is `có` in TCVN3 but also spells a syllable) are converted only inside a pasted
stretch: the words between two converted words written only in legacy characters, with no
word only Unicode can write. At the edge of a stretch they are only reported: `Cãn cø`
and `Các c¸n bé` look alike, and only the first `C…` is legacy.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from portal.vntext.legacy import decode_cp1258_text, decode_tcvn3_text, decode_vni_text
from portal.vntext.syllable import LETTER_RUN, OUTER_PUNCTUATION, plausible_as_is, words_valid
from portal.vntext.tables import VIETNAMESE_ONLY

# Keys are the encoding names of `detect` (which imports this module, not the reverse).
READINGS: dict[str, Callable[[str], str]] = {
    "tcvn3": decode_tcvn3_text,
    "vni": decode_vni_text,
    "cp1258": decode_cp1258_text,
}
_CHUNK = re.compile(r"\S+")
_LETTERLIKE = re.compile(r"[^\W\d_]|[^\w\s" + re.escape(OUTER_PUNCTUATION) + r"]")
_WORD_PUNCTUATION = set(".,;:!?()[]\"'“”‘’…-/")


@dataclass(frozen=True)
class InlineRepair:
    """A run of words read with `encoding`: `start`/`end` in the line, `fixed` its new text."""

    start: int
    end: int
    encoding: str
    original: str
    fixed: str


@dataclass
class _Word:
    start: int
    end: int
    text: str
    suspect: bool
    decoded: str = ""
    converted: bool = False


def _is_suspect(chunk: str) -> bool:
    """Non-ASCII, not valid as it stands, and more than one character: a lone `·` or `ç`
    in a list of symbols is no evidence of anything."""
    if chunk.isascii() or plausible_as_is(chunk):
        return False
    return len("".join(_LETTERLIKE.findall(chunk))) >= 2  # `Ñ-12` is a code, not a word


def _decodes_cleanly(chunk: str, decoded: str) -> bool:
    runs = LETTER_RUN.findall(decoded)
    return decoded != chunk and bool(runs) and words_valid(runs)


def _strong(chunk: str) -> bool:
    """A symbol inside a word (`®ịnh`, `b¸o`, `l­îng`): no European language writes that."""
    core = chunk.strip("".join(_WORD_PUNCTUATION) + "«»")
    inner = [ch for ch in core if not ch.isalnum() and ch not in _WORD_PUNCTUATION]
    return bool(inner) and any(ch.isalpha() for ch in core)


def _trial(words: list[_Word], decode: Callable[[str], str]) -> tuple[int, int, bool]:
    """(distinct suspect words made valid, suspect words made garbage, any of them strong).

    Distinct: a unit repeated (`5 µm đến 10 µm`) is one piece of evidence, not two."""
    valid_words: set[str] = set()
    garbage = 0
    strong = False
    for word in words:
        if not word.suspect:
            continue
        decoded = decode(word.text)
        if decoded == word.text:
            continue
        if _decodes_cleanly(word.text, decoded):
            valid_words.add(word.text.strip(OUTER_PUNCTUATION).lower())
            strong = strong or _strong(word.text)
        else:
            garbage += 1
    return len(valid_words), garbage, strong


def _choose_reading(words: list[_Word]) -> str | None:
    scores = {}
    for name, decode in READINGS.items():
        valid, garbage, strong = _trial(words, decode)
        if (valid >= 2 or (valid == 1 and strong)) and garbage <= valid // 5:
            scores[name] = valid
    if not scores:
        return None
    best = max(scores, key=scores.get)
    rivals = [n for n, v in scores.items() if n != best and v * 2 > scores[best]]
    return None if rivals else best


def _mark_converted(words: list[_Word], line: str, encoding: str) -> None:
    decoded_line = decode_tcvn3_text(line) if encoding == "tcvn3" else ""
    if len(decoded_line) == len(line):  # TCVN3 is one character for one: decode the whole
        for word in words:  # line, so that capitals come back at sentence starts
            word.decoded = decoded_line[word.start : word.end]
    else:
        for word in words:
            word.decoded = READINGS[encoding](word.text)
    for word in words:
        word.converted = word.suspect and _decodes_cleanly(word.text, word.decoded)
    for region in _pasted_regions(words):
        for word in region:
            word.converted = word.converted or _decodes_cleanly(word.text, word.decoded)


def _unicode_only(word: _Word) -> bool:
    return any(ch in VIETNAMESE_ONLY for ch in word.text)


def _pasted_regions(words: list[_Word]) -> list[list[_Word]]:
    """Stretches between two converted words made only of legacy characters, with no word
    that only Unicode can write (`ơ`, `ạ` …) in between: a pasted legacy phrase. Inside
    one, words that read validly both ways (`cã` for `có`) are legacy too. A stray byte in
    a Unicode word (`®ịnh`) opens no region: its neighbours are Unicode."""
    regions, current = [], []
    for word in words:
        if _unicode_only(word):
            regions.append(current)
            current = []
        elif word.converted:
            current.append(word)
            regions.append(current)
            current = [word]
        else:
            current.append(word)
    closed = []
    for region in regions:
        pure = [w for w in region if w.converted and not _unicode_only(w)]
        if len(pure) >= 2 and region[0].converted and region[-1].converted:
            closed.append(region)
    return closed


def repair_inline(line: str) -> tuple[str, list[InlineRepair], list[InlineRepair]]:
    """Convert the legacy words of one line of Unicode text.

    Returns the new line, the repairs made, and hints: words that may be legacy too but
    are not converted (reported with their possible reading, never changed).
    """
    words = [
        _Word(m.start(), m.end(), m.group(), _is_suspect(m.group())) for m in _CHUNK.finditer(line)
    ]
    if not any(w.suspect for w in words):
        return line, [], []
    encoding = _choose_reading(words)
    if encoding is None:
        return line, [], _lone_hints(words)
    _mark_converted(words, line, encoding)
    repairs = _runs(line, words, encoding)
    out = line
    for repair in reversed(repairs):
        out = out[: repair.start] + repair.fixed + out[repair.end :]
    return out, repairs, _edge_hints(words, encoding)


def _hint(word: _Word, encoding: str, decoded: str) -> InlineRepair:
    return InlineRepair(word.start, word.end, encoding, word.text, decoded)


def _edge_hints(words: list[_Word], encoding: str) -> list[InlineRepair]:
    """Words next to a converted run that read validly both ways (`sè l­îng`: `sè` may be
    `số`): the text cannot tell, so the editor is asked."""
    non_ascii = [w for w in words if not w.text.isascii()]
    hints = []
    for n, word in enumerate(non_ascii):
        neighbours = non_ascii[max(n - 1, 0) : n] + non_ascii[n + 1 : n + 2]
        if word.converted or not any(w.converted for w in neighbours):
            continue
        unicode_only = any(ch in VIETNAMESE_ONLY for ch in word.text)
        if not unicode_only and _decodes_cleanly(word.text, word.decoded):
            hints.append(_hint(word, encoding, word.decoded))
    return hints


def _lone_hints(words: list[_Word]) -> list[InlineRepair]:
    """No reading is sure for the line, but a word with a symbol inside (`®iều`) reads
    validly in exactly one: worth showing, not worth changing."""
    hints = []
    for word in words:
        if not (word.suspect and _strong(word.text)):
            continue
        readings = {
            name: decode(word.text)
            for name, decode in READINGS.items()
            if _decodes_cleanly(word.text, decode(word.text))
        }
        if len(readings) == 1:
            ((name, decoded),) = readings.items()
            hints.append(_hint(word, name, decoded))
    return hints


def _runs(line: str, words: list[_Word], encoding: str) -> list[InlineRepair]:
    """Neighbouring converted words (ASCII words between them allowed) make one repair."""
    runs: list[list[_Word]] = []
    for word in words:
        if word.converted:
            gap = _between(words, runs[-1][-1], word) if runs else None
            if runs and all(w.converted or w.text.isascii() for w in gap):
                runs[-1].append(word)
            else:
                runs.append([word])
    repairs = []
    for run in runs:
        start, end = run[0].start, run[-1].end
        fixed = _rebuild(line, words, run)
        repairs.append(InlineRepair(start, end, encoding, line[start:end], fixed))
    return repairs


def _between(words: list[_Word], first: _Word, last: _Word) -> list[_Word]:
    return [w for w in words if first.end <= w.start and w.end <= last.start]


def _rebuild(line: str, words: list[_Word], run: list[_Word]) -> str:
    start, end = run[0].start, run[-1].end
    pieces, cursor = [], start
    for word in words:
        if word.start < start or word.end > end:
            continue
        pieces.append(line[cursor : word.start])
        pieces.append(word.decoded if word.converted else word.text)
        cursor = word.end
    return "".join(pieces)
