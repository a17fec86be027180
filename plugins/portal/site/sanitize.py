"""Safe output: the HTML made from an item's Markdown goes through an allow-list (nh3).

Markdown lets a contributor write raw HTML. Whatever it holds, the published page
gets no script, no inline event handler, no `javascript:` or `data:` URL, no image or
frame loaded from another site (the portal makes no third-party request), and
iframes only from the embed allow-list (`PORTAL_EMBEDS` in pelicanconf.py).

`unsafe_markup` finds what the sanitiser will drop, with its line, so the build can
tell the author (a warning: the unsafe part never reaches the page either way).
"""

import functools
import re
from urllib.parse import urlsplit

import nh3

from portal.errors import Problem

TAGS = {
    *("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
    *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup"),
    *("abbr", "cite", "q", "kbd", "time", "span", "div", "a", "img", "figure", "figcaption"),
    *("ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot"),
    *("tr", "th", "td", "iframe"),
}
# Elements removed together with their content (the rest keep their text).
DROPPED_WITH_CONTENT = {"script", "style", "object", "embed", "form", "template", "noscript"}
ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "title", "width", "height", "allowfullscreen", "loading"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "abbr": {"title"},
}
CLASSES = {  # what Python-Markdown's extensions emit (footnotes, toc)
    "div": {"footnote", "toc"},
    "a": {"footnote-ref", "footnote-backref"},
    "sup": {"footnote-ref"},
}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
DEFAULT_EMBEDS = ("https://www.youtube-nocookie.com/embed/",)
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)


def is_local(url: str) -> bool:
    """A URL on the portal itself: no scheme, no host (Pelican's `{static}` included)."""
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc and not url.strip().startswith("//")


_UNSAFE_URL_CHARS = re.compile(r"[\s\\\"'<>`\x00-\x1f\x7f]")
_ENCODED_PATH_TRICKS = re.compile(r"%(?:2e|2f|5c|00)", re.I)


def http_url(url) -> str:
    """`url` if it is a plain http(s) address with a host, else "#": a template filter for
    every address taken from a data file or a front matter (the schemas already refuse
    anything else; this keeps a `javascript:` or broken-out address off the page anyway)."""
    if not isinstance(url, str) or _UNSAFE_URL_CHARS.search(url):
        return "#"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return "#"
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return "#"
    return url


def allowed_embed(url: str, embeds) -> bool:
    """An iframe address is allowed when, parsed and with its path normalised, it has the
    scheme and host of an allow-list prefix and its path below the prefix's path. A prefix
    test on the raw text would let `…/embed/../../redirect?q=…` load another page."""
    if not isinstance(url, str) or _UNSAFE_URL_CHARS.search(url):
        return False
    if _ENCODED_PATH_TRICKS.search(url.split("?", 1)[0]):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    segments = parts.path.split("/")
    if parts.username or parts.password or ".." in segments or "." in segments:
        return False
    return any(_under_prefix(parts, urlsplit(prefix)) for prefix in embeds)


def _under_prefix(parts, prefix) -> bool:
    return (
        parts.scheme == prefix.scheme
        and parts.netloc.lower() == prefix.netloc.lower()
        and parts.path.startswith(prefix.path)
        and len(parts.path) > len(prefix.path)
    )


def clean(html: str, embeds=DEFAULT_EMBEDS) -> str:
    """Sanitise `html` against the allow-list; disallowed iframes vanish entirely."""
    return _EMPTY_IFRAME.sub("", _cleaner(tuple(embeds)).clean(html))


@functools.lru_cache(maxsize=8)
def _cleaner(embeds: tuple[str, ...]) -> nh3.Cleaner:
    """The sanitiser for an embed allow-list, made once: `nh3.clean` builds one on every
    call, a third of its time on an item."""

    def keep(tag: str, attribute: str, value: str):
        if tag == "img" and attribute == "src":
            return value if is_local(value) else None
        if tag == "iframe" and attribute == "src":
            return value if allowed_embed(value, embeds) else None
        return value

    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=LINK_SCHEMES,
        allowed_classes=CLASSES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"iframe": {"referrerpolicy": "no-referrer"}},
    )


# --- telling the author what was removed -------------------------------------

_CHECKS = (
    (re.compile(r"<\s*(script|style|object|embed|form)\b", re.I), "thẻ <{0}> bị loại bỏ"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "thuộc tính sự kiện (on...) bị loại bỏ"),
)
# Addresses with a scheme the page may not use, in raw HTML or in Markdown: (kind, scheme).
_RAW_URL = re.compile(r"\b(href|src)\s*=\s*[\"']?\s*([a-z][a-z0-9+.-]*):", re.I)
_MD_URL = re.compile(r"(!?)\[[^\]]*\]\(\s*<?\s*([a-z][a-z0-9+.-]*):", re.I)
_IMAGE_SCHEMES = {"http", "https"}  # remote images have their own warning
_IFRAME_SRC = re.compile(r"<\s*iframe\b[^>]*\ssrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_REMOTE_IMG = re.compile(r"<\s*img\b[^>]*\ssrc\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)", re.I)
_MD_REMOTE_IMG = re.compile(r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)")


def unsafe_markup(body: str, first_line: int, shown: str, embeds=DEFAULT_EMBEDS) -> list:
    """Warnings for raw HTML in the Markdown `body` that the sanitiser removes."""
    problems = []
    for offset, line in enumerate(body.splitlines()):
        if "<" not in line and "=" not in line and "](" not in line:
            continue  # every pattern below needs a tag, an attribute or a Markdown link
        found = [
            message.format(m.group(1) if m.groups() else "")
            for pattern, message in _CHECKS
            for m in pattern.finditer(line)
        ]
        found += [
            f"địa chỉ '{scheme}:' bị loại bỏ ({what})" for what, scheme in _disallowed_schemes(line)
        ]
        found += [
            f"khung nhúng (iframe) từ {src} không nằm trong danh sách cho phép "
            f"({', '.join(embeds)}) nên bị loại bỏ"
            for src in _IFRAME_SRC.findall(line)
            if not allowed_embed(src, embeds)
        ]
        found += [
            f"ảnh từ trang ngoài ({src}) bị loại bỏ: Cổng không tải tài nguyên của bên "
            "thứ ba; hãy lưu ảnh vào content/images/"
            for src in _REMOTE_IMG.findall(line) + _MD_REMOTE_IMG.findall(line)
        ]
        problems += [
            Problem(shown, first_line + offset, "body", message, severity="warning")
            for message in found
        ]
    return problems


def _disallowed_schemes(line: str) -> list[tuple[str, str]]:
    """(what, scheme) of each link or image address on `line` the sanitiser removes:
    `javascript:`, `data:`, `file:`... (nothing is removed without a warning)."""
    found = []
    for attribute, scheme in _RAW_URL.findall(line):
        image = attribute.lower() == "src"
        found.append(("ảnh" if image else "liên kết", scheme.lower(), image))
    for bang, scheme in _MD_URL.findall(line):
        found.append(("ảnh" if bang else "liên kết", scheme.lower(), bool(bang)))
    return [
        (what, scheme)
        for what, scheme, image in found
        if scheme not in (_IMAGE_SCHEMES if image else LINK_SCHEMES)
    ]
