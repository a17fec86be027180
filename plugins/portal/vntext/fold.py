"""The Vietnamese fold shared by slugs and search.

Lower case, tones and marks removed, đ → d, NFC in. Stripping combining marks
after NFD does not fold đ/Đ (it has no decomposition), so it is mapped by hand.
"""

import re
import unicodedata

from unidecode import unidecode

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Return `text` lower-cased without tones or marks, đ folded to d; other letters kept."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII slug: `Sở Nội vụ Hà Tĩnh` → `so-noi-vu-ha-tinh` (unidecode after the fold)."""
    return _NON_SLUG.sub("-", unidecode(fold(text)).lower()).strip("-")
