"""Vietnamese text: folding for slugs and search, legacy encodings (TCVN 6909:2001)."""

from portal.vntext.fold import fold, slugify

__all__ = ["fold", "slugify"]
