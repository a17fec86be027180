"""An item's Markdown to HTML: a compiled engine for plain bodies, Python-Markdown for the rest.

Python-Markdown with the portal's extensions costs about 0.9 ms an item of the benchmark
corpus; pyromark (pulldown-cmark, in Rust) 0.03 ms. The two do not agree in general
(lists, tables, footnotes, heading ids, raw HTML, link addresses), so pyromark takes only
a body in a subset where they are proven to give the same HTML byte for byte: paragraphs
of text between empty lines, each line starting with a letter and not ending in a space,
with no character that Markdown or one of its extensions reads (`* _ [ ] < > & \\ ` # |
~ { }`...). The proof is `tests/site/test_markdown_engine.py`: the sample content, a
compatibility corpus and random bodies, with Python-Markdown as the oracle.
"""

import re
from collections.abc import Callable

import pyromark
from markdown import Markdown

# Letters and digits of any script (`_` is refused apart), spaces and plain punctuation.
_TEXT = r"[\w .,;:?!()'\"/%+=@$…–—“”‘’-]"
_LINE = rf"[^\W\d_]{_TEXT}*(?<! )"
_PLAIN = re.compile(rf"\n*(?:{_LINE}(?:\n+{_LINE})*)?\n*")
# A first line `Key: value` is metadata to Python-Markdown's `meta` extension (Pelican's).
_META_LINE = re.compile(r"\n*[A-Za-z0-9_-]+:")


def is_plain(body: str) -> bool:
    """Whether `body` is in the subset both engines render the same."""
    return "_" not in body and _PLAIN.fullmatch(body) is not None and not _META_LINE.match(body)


def to_html(body: str, python_markdown: Callable[[], Markdown]) -> str:
    """The HTML of `body`, as `python_markdown()` converts it."""
    if is_plain(body):
        return pyromark.html(body).removesuffix("\n")
    return python_markdown().convert(body)
