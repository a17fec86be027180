"""Is a word a possible Vietnamese syllable? The score behind every conversion decision.

Vietnamese words are single syllables: an onset, a rhyme from a short closed list, at most
one tone, and stop-final rhymes (-c, -ch, -p, -t) take only the acute or dot-below tone.
Mojibake rarely passes: `Néi`, `inforđmac`, `hOa` all fail.
"""

import re
import unicodedata
from functools import lru_cache

from portal.vntext.tables import ACUTE, DOT, TONES

_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip

_RHYMES = frozenset(
    """
    a ai ao au ay ac ach am an ang anh ap at
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e eo ec em en eng ep et
    ê êu êch êm ên ênh êp êt
    i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
    o oi oc om on ong op ot oong ooc
    oa oai oao oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt oe oeo oen oet
    ô ôi ôc ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua ui uc um un ung up ut uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uynh uyt uyu
    uôc uôi uôm uôn uông uôt uơ
    ư ưa ưi ưu ưc ưm ưn ưng ưt ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêt yêu
    """.split()
)
_STOP_FINALS = ("c", "ch", "p", "t")
_FRONT_VOWELS = ("i", "e", "ê", "y")
_ACRONYM = re.compile(r"[A-ZĐ]{2,}[0-9]*")


def _spelling_allowed(onset: str, rhyme: str) -> bool:
    """Onset spelling rules: k/gh/ngh before front vowels, c/g/ng elsewhere."""
    front = rhyme.startswith(_FRONT_VOWELS)
    if onset in ("k", "gh", "ngh"):
        return front
    if onset == "c" or onset == "ng":
        return not front
    if onset == "qu":
        return not rhyme.startswith(("u", "o"))
    return True


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when `word` (any case pattern but mixed) spells one Vietnamese syllable."""
    if not word or len(word) > 8 or not (word.islower() or word.isupper() or word.istitle()):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [m for m in decomposed if m in TONES]
    if len(tones) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in TONES))
    for onset in _ONSETS:
        if not toneless.startswith(onset):
            continue
        rhyme = toneless[len(onset) :]
        if rhyme in _RHYMES and _spelling_allowed(onset, rhyme):
            stop_final = rhyme.endswith(_STOP_FINALS)
            return not (stop_final and tones and tones[0] not in (ACUTE, DOT))
    return False


def is_acronym(word: str) -> bool:
    """`UBND`, `QĐ`, `HĐND`: capitals that stand for words; neutral evidence."""
    return bool(_ACRONYM.fullmatch(word))


LETTER_RUN = re.compile(r"[^\W\d_]+")
OUTER_PUNCTUATION = ".,;:!?()[]\"'«»“”‘’…-"
_PLAIN_WORDS = re.compile(r"[^\W\d_]+(?:[-/][^\W\d_]+)*|[\w/-]*\d[\w/-]*")


def words_valid(word_runs: list[str]) -> bool:
    """Every letter run a syllable, an acronym or a single ASCII letter."""
    return all(is_syllable(w) or is_acronym(w) or (len(w) == 1 and w.isascii()) for w in word_runs)


def plausible_as_is(chunk: str) -> bool:
    """Could this word be correct already (`vô`, `Hà`)? Then converting it proves nothing.

    Symbols inside a word (`b¸o`, `n−íc`, `Va(n`, `pha'p`) say it is not.
    """
    core = chunk.strip(OUTER_PUNCTUATION)
    if not _PLAIN_WORDS.fullmatch(core):
        return False
    runs = LETTER_RUN.findall(core)
    return bool(runs) and words_valid(runs)


def vietnamese_score(text: str) -> int:
    """Words with a non-ASCII letter that are Vietnamese syllables, minus those that are not:
    a repair must raise it (or, for NFC and control characters, keep it)."""
    score = 0
    for word in LETTER_RUN.findall(text):
        if not word.isascii():
            score += 1 if is_syllable(word) or is_acronym(word) else -1
    return score
