"""Full-text search: a Pagefind index of every published item and page, built after
Pelican has written the site.

Pagefind folds tones (`noi vu` finds "Nội vụ") but not đ (`da nang` would not find
"Đà Nẵng"). So what Pagefind indexes is the page's text folded by `portal.vntext.fold`
(đ → d, no tones), and the search page folds the query the same way. The folded copy is
never shown: the original title and text travel as Pagefind metadata, and the search
page cuts its excerpt from the original text (theme/static/js/search.js).

The text of a page is what the reader sees inside its `data-search-body` element,
minus any `data-search-ignore` part (breadcrumbs, buttons, related items).
"""

import asyncio
import html
import shutil
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from portal.vntext import fold

OUTPUT_FOLDER = "pagefind"
BODY_ATTRIBUTE = "data-search-body"
IGNORE_ATTRIBUTE = "data-search-ignore"
_SKIPPED_TAGS = {"script", "style", "template", "noscript", "button"}
_VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area"}
# Inline elements sit inside a word's sentence: no space is added around them.
_INLINE_TAGS = {"a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s"}
_INLINE_TAGS |= {"small", "span", "strong", "sub", "sup", "time", "u"}


@dataclass
class Record:
    url: str  # relative to the site root, no leading slash (Pagefind's results add one)
    title: str
    text: str
    meta: dict


class _PageText(HTMLParser):
    """The visible text inside the search body, block elements separated by spaces."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0  # nesting inside the search body (0: outside)
        self.skip_depth = 0  # nesting inside an ignored or skipped element

    def handle_starttag(self, tag, attrs):
        if tag in _VOID_TAGS:
            self._space()
            return
        names = {name for name, _ in attrs}
        if self.depth:
            self.depth += 1
            if self.skip_depth or IGNORE_ATTRIBUTE in names or tag in _SKIPPED_TAGS:
                self.skip_depth += 1
            self._space(tag)
        elif BODY_ATTRIBUTE in names:
            self.depth = 1

    def handle_endtag(self, tag):
        if tag in _VOID_TAGS or not self.depth:
            return
        self.depth -= 1
        if self.skip_depth:
            self.skip_depth -= 1
        self._space(tag)

    def handle_data(self, data):
        if self.depth and not self.skip_depth:
            self.parts.append(data)

    def _space(self, tag: str = "") -> None:
        if self.depth and not self.skip_depth and tag not in _INLINE_TAGS:
            self.parts.append(" ")

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def page_text(page_html: str) -> str:
    # The search body is inside <main>: header, menu and footer need not be parsed.
    start, end = page_html.find("<main"), page_html.rfind("</main>")
    if start != -1 and end != -1:
        page_html = page_html[start:end]
    parser = _PageText()
    parser.feed(page_html)
    parser.close()
    return parser.text


def record_html(record: Record) -> str:
    """What Pagefind indexes: the folded text (searched) and the original (metadata only)."""
    meta = {"title": record.title, "text": record.text, **record.meta}
    shown = "".join(
        f'<p data-pagefind-meta="{name}">{html.escape(str(value))}</p>'
        for name, value in meta.items()
        if value
    )
    number = record.meta.get("number")  # a legal document is looked up by its number first
    weighted = f'<p data-pagefind-weight="10">{html.escape(fold(number))}</p>' if number else ""
    return (
        '<html lang="vi"><body><main data-pagefind-body>'
        f"<h1>{html.escape(fold(record.title))}</h1>{weighted}"
        f"<p>{html.escape(fold(record.text))}</p>"
        f"<div data-pagefind-ignore>{shown}</div>"
        "</main></body></html>"
    )


def file_of(url: str) -> str:
    """The file a URL is served from: `tin-tuc/x/` → `tin-tuc/x/index.html`."""
    return url + "index.html" if url.endswith("/") or not url else url


def write_index(records: list[Record], output: Path) -> int:
    """Replace output/pagefind/ with a fresh index of `records`; returns the page count.

    Each record is written as a small HTML file at its URL in a temporary folder, then
    indexed in one call: Pagefind's service answers one record at a time, slowly
    (about 0.1 s each), but reads a folder at thousands of pages a second."""
    from pagefind.index import PagefindIndex  # the binary starts only when a site is built

    target = (Path(output) / OUTPUT_FOLDER).resolve()
    shutil.rmtree(target, ignore_errors=True)  # stale fragments of earlier builds
    with tempfile.TemporaryDirectory(prefix="portal-search-") as folder:
        for record in records:
            path = Path(folder) / file_of(record.url)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(record_html(record), encoding="utf-8")

        async def write() -> int:
            config = {"force_language": "vi", "output_path": str(target)}
            async with PagefindIndex(config=config) as index:
                result = await index.add_directory(folder)
            return result["page_count"]

        return asyncio.run(write())
