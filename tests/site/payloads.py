"""The sample portal with a script or redirect payload in every string field a contributor
or the secretary can fill: every front-matter field of every kind of item, every data file.

Which fields are filled is found, not listed: each string value of the sample is replaced
by a payload and kept when the content rules still accept the file (a field with a pattern
or a list of values refuses it; that refusal is tested in tests/content). Each payload
carries a marker (`PL042-`) naming where it was put, so a page can be searched for it.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from portal import schema, yamlfile
from portal.content import sitedata
from portal.content.check import item_files
from portal.content.items import load_item

PAYLOADS = (
    '<script>alert("xss")</script>',
    "</title><meta http-equiv=refresh content='0;url=https://evil.example/'>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)><!--",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<script src=/files/x.js></script>",
    '</textarea></style><iframe src="https://evil.example/"></iframe>',
    "{{ 7*7 }} ${alert(1)} `-alert(1)-`",
)
# Raw HTML in a body: removed by the sanitiser (tests/site/test_sanitize.py), here only so
# the browser sees it too.
BODY_PAYLOADS = (
    '<script>alert("body")</script>',
    '<img src="/images/dai-hoi-chi-doan.svg" alt="ảnh đại hội" onerror="alert(2)">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "[klik](javascript:alert(3))",
    '<iframe src="https://www.youtube-nocookie.com/embed/../../redirect?q=https://evil.example/"></iframe>',
    "![ảnh nhúng](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
)
MARKER = re.compile(r"PL\d{3}-")
DATA_FILES = ("units", "sections", "leaders", "directory", "services", "software", "links")


@dataclass
class Planted:
    marker: str
    where: str  # file and field
    value: str


@dataclass
class Corpus:
    planted: list = field(default_factory=list)

    def value(self, where: str) -> str:
        payload = PAYLOADS[len(self.planted) % len(PAYLOADS)]
        planted = Planted(f"PL{len(self.planted):03d}-", where, "")
        planted.value = f"{planted.marker}Nội dung {payload}"
        self.planted.append(planted)
        return planted.value

    def fields(self, planted=None) -> set[str]:
        """The field names filled (`title`, `authors.pen_name`, `links.name`...)."""
        return {field_name(p) for p in (self.planted if planted is None else planted)}


def field_name(planted: Planted) -> str:
    return re.sub(r"\[\d+\]", "", planted.where.split(": ", 1)[1])


def plant(content: Path) -> Corpus:
    """Put payloads in every string field of the site in `content`; returns what was put."""
    corpus = Corpus()
    for name in DATA_FILES:
        _plant_data(content / "data" / f"{name}.yml", f"data-{name}", corpus)
    for path in sorted((content / "data" / "schedule").glob("*.yml")):
        _plant_data(path, "data-schedule", corpus)
    site = sitedata.load(content)
    for path in item_files(content):
        _plant_item(path, site, corpus)
    return corpus


def _plant_data(path: Path, schema_name: str, corpus: Corpus) -> None:
    text = path.read_text(encoding="utf-8")
    data = yamlfile.parse_yaml(text, 1, str(path), require_mapping=False).data

    def accepts(candidate) -> bool:
        return not schema.validate(schema_name, candidate, str(path), lambda _: 1)

    for where in _string_paths(data):
        name = _dotted(where) if isinstance(where[0], str) else path.stem + _dotted(where)
        _try(data, where, f"{path.name}: {name}", corpus, accepts)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _plant_item(path: Path, site, corpus: Corpus) -> None:
    parsed = yamlfile.parse(path.read_text(encoding="utf-8"), str(path))
    meta, body = parsed.data, parsed.body
    for author in meta.get("authors", []):  # by id, so the name itself may be anything
        author.setdefault("id", site.roster.resolve_author(author).id)
    if "royalty" in meta:  # fields the sample leaves out, so that they are filled too
        meta["royalty"].setdefault("note", "ghi chú")
    if meta.get("kind") == "page" and meta.get("lang") == "en":
        meta.setdefault("translation_of", "gioi-thieu")
    if meta.get("kind") == "news" and "tin-tuc" in path.parts:
        body += "\n\n" + "\n\n".join(BODY_PAYLOADS) + "\n"

    def accepts(candidate) -> bool:
        _write_item(path, candidate, body)
        return load_item(path, site).ok

    for where in _string_paths(meta):
        _try(meta, where, f"{path.name}: {_dotted(where)}", corpus, accepts)
    _write_item(path, meta, body)
    assert load_item(path, site).ok, path


def _try(data, where, label: str, corpus: Corpus, accepts) -> None:
    parent, key = _parent(data, where), where[-1]
    original = parent[key]
    parent[key] = corpus.value(label)
    if not accepts(data):
        parent[key] = original
        corpus.planted.pop()


def _write_item(path: Path, meta: dict, body: str) -> None:
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{header}---\n{body}", encoding="utf-8")


def _string_paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _string_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _string_paths(value, (*prefix, index))
    elif isinstance(data, str):
        yield prefix


def _parent(data, where):
    for part in where[:-1]:
        data = data[part]
    return data


def _dotted(where) -> str:
    return yamlfile.dotted(where)


# --- reading a built page -----------------------------------------------------


class Page(HTMLParser):
    """Every element, attribute and text of an HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.texts.append(data)

    def handle_comment(self, data):
        self.texts.append(f"<!--{data}-->")  # a comment is not text: caught below

    @property
    def attribute_values(self) -> list[str]:
        return [value for _tag, attrs in self.elements for value in attrs.values()]


SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}
_THEME_SCRIPT = re.compile(r"(/|(\.\.?/)*)theme/js/[a-z]+\.js")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset"}


def unsafe_markup(page: Page, embeds=("https://www.youtube-nocookie.com/embed/",)) -> list[str]:
    """What on a parsed page could run script, redirect or load another site."""
    found = []
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and urlsplit(value.strip()).scheme.lower() not in (
                SAFE_SCHEMES
            ):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not _THEME_SCRIPT.fullmatch(attrs.get("src", "")):
            found.append(f"<script {attrs}>")
        if tag == "meta" and attrs.get("http-equiv", "").lower() not in (
            "",
            "content-security-policy",
        ):
            found.append(f"<meta http-equiv={attrs['http-equiv']!r}>")
        allowed_frame = tag == "iframe" and any(attrs.get("src", "").startswith(e) for e in embeds)
        if tag in ("iframe", "embed", "object", "svg", "textarea", "base") and not allowed_frame:
            found.append(f"<{tag}>")
        if tag in ("img", "iframe", "script", "link") and "//" in attrs.get("src", "")[:8]:
            found.append(f"<{tag} src={attrs['src']!r}>")
    return found


def markers_outside_text(html: str, page: Page) -> list[str]:
    """Markers that appear in the page's source more often than in its text and attribute
    values: a payload that became a tag, an attribute name or a comment."""
    as_data = "\n".join(t for t in page.texts if not t.startswith("<!--"))
    as_data += "\n" + "\n".join(page.attribute_values)
    return [
        marker for marker in set(MARKER.findall(html)) if html.count(marker) > as_data.count(marker)
    ]


def free_string_fields() -> set[str]:
    """Every string field of the item and data-file schemas that no pattern or list of
    values constrains (`title`, `authors.pen_name`, `links.name`...): where a payload fits."""
    found: set[str] = set()
    by_id = {s["$id"]: s for s in (schema.schema(n) for n in schema._schemas())}
    names = [*schema.ITEM_KINDS, *(f"data-{name}" for name in schema.DATA_FILES)]
    for name in names:
        root = schema.schema(name)
        prefix = () if name in schema.ITEM_KINDS else (name.removeprefix("data-"),)
        _free_strings(root, prefix, found, root, by_id)
    return {".".join(path) for path in found}


def _free_strings(node, path, found, root, by_id) -> None:
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        target, _, fragment = node["$ref"].partition("#")
        base = by_id.get(target, root) if target else root
        resolved = base
        for part in filter(None, fragment.split("/")):
            resolved = resolved[part]
        _free_strings(resolved, path, found, base, by_id)
    if node.get("type") == "string" and "pattern" not in node and "enum" not in node:
        found.add(path)
    for key, child in node.get("properties", {}).items():
        _free_strings(child, (*path, key), found, root, by_id)
    children = [node.get("items"), node.get("then"), node.get("else")]
    children += [*node.get("allOf", []), *node.get("anyOf", []), *node.get("oneOf", [])]
    for child in children:
        _free_strings(child, path, found, root, by_id)
