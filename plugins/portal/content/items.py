"""One content item (a Markdown file with YAML front matter) and the rules it must follow.

`load_item` never raises on bad input: every problem becomes a `Problem` with
the file, line and field, so `portal check` and the Pelican build report the
same messages.
"""

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from portal import schema, yamlfile
from portal.content.sitedata import SiteData
from portal.dates import parse_datetime
from portal.errors import Problem, display_path
from portal.project import UPLOADS
from portal.vntext import slugify
from portal.vntext.check import check_text_file

DATETIME_FIELDS = ("date", "modified", "event_start", "event_end")
DATE_FIELDS = ("issued", "effective", "expires", "asked", "deadline")

_SCHEME = re.compile(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:")
_HTML_IMAGE = re.compile(r"<\s*img\b[^>]*?\ssrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


@dataclass
class Item:
    path: Path
    shown: str  # the path as shown to the user
    meta: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    slug: str = ""
    dates: dict = field(default_factory=dict)  # parsed DATETIME_FIELDS and DATE_FIELDS
    problems: list = field(default_factory=list)
    lines: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def header(self) -> yamlfile.YamlDocument:
        """The front matter's line numbers, to place a problem (its data is `meta`)."""
        return yamlfile.YamlDocument(lines=self.lines, shown=self.shown)

    def line_of(self, *data_path) -> int:
        return self.header.line_of(data_path)

    def problem(self, data_path, message: str, severity: str = "error") -> Problem:
        """A problem with the front matter's value at `data_path` (`parsed.problem`)."""
        return self.header.problem(data_path, message, severity)

    @property
    def published(self) -> bool:
        return self.meta.get("status") == "published"


Rule = Callable[[Item, SiteData], list[Problem]]


def load_item(
    path: Path, site: SiteData, raw: bytes | None = None, rules: Sequence[Rule] | None = None
) -> Item:
    """Read, parse and check one item against the schema and the site's data."""
    path = Path(path)
    item = Item(path=path, shown=display_path(path))
    text = _decode(item, raw if raw is not None else _read_bytes(item))
    if text is None:
        return item
    text_problems = _text_problems(item, raw or text.encode("utf-8"))
    parsed = yamlfile.parse(text, item.shown)
    item.problems.extend(parsed.problems)
    item.lines, item.body, item.body_line = parsed.lines, parsed.body, parsed.body_line
    if parsed.data is None:
        item.problems.extend(text_problems)
        return item
    item.meta = parsed.data
    # A YAML trap already explains why the value has the wrong type: say it once.
    trapped = {(p.line, p.field) for p in parsed.problems}
    item.problems.extend(
        p for p in _schema_problems(item, parsed) if (p.line, p.field) not in trapped
    )
    if item.ok:
        for rule in RULES if rules is None else rules:
            item.problems.extend(rule(item, site))
    else:  # still say which dates are impossible: they pass the schema's pattern
        reported = {p.field for p in item.problems}
        item.problems.extend(p for p in check_dates(item, site) if p.field not in reported)
    item.problems.extend(text_problems)
    return item


def _read_bytes(item: Item) -> bytes | None:
    try:
        return item.path.read_bytes()
    except OSError as error:
        item.problems.append(Problem.about(f"không đọc được tệp: {error.strerror}", item.shown))
        return None


def _decode(item: Item, raw: bytes | None) -> str | None:
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # The Vietnamese-text checker names the legacy encoding and previews the fix.
        item.problems.extend(
            _text_problems(item, raw) or [yamlfile.utf8_problem(error, item.shown)]
        )
        return None


def _text_problems(item: Item, raw: bytes) -> list[Problem]:
    """Vietnamese text integrity (TCVN 6909:2001): legacy encodings, NFD, control chars.
    A NUL byte is named with its line (the text checker calls the whole file binary)."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        return [
            Problem(
                item.shown,
                line,
                "",
                "có byte NUL (0x00) ở dòng này: tệp bị hỏng hoặc dán từ tệp nhị phân; xóa ký tự đó",
            )
        ]
    return check_text_file(item.path, raw)


def _schema_problems(item: Item, parsed) -> list[Problem]:
    kind = item.meta.get("kind")
    if kind not in schema.ITEM_KINDS:
        return schema.validate("common", item.meta, item.shown, parsed.line_of)
    return schema.validate(kind, item.meta, item.shown, parsed.line_of)


# --- rules beyond the schema -------------------------------------------------


def check_dates(item: Item, site: SiteData) -> list[Problem]:
    problems = []
    for name in DATETIME_FIELDS + DATE_FIELDS:
        if isinstance(item.meta.get(name), str):
            try:
                item.dates[name] = parse_datetime(item.meta[name])
            except ValueError as error:
                problems.append(item.problem((name,), str(error)))
    for start, end, message in (
        ("issued", "effective", "ngày hiệu lực (effective) trước ngày ban hành (issued)"),
        ("event_start", "event_end", "kết thúc (event_end) trước khi bắt đầu (event_start)"),
        ("date", "modified", "ngày sửa (modified) trước ngày đăng (date)"),
        ("date", "deadline", "hạn góp ý (deadline) trước ngày đăng dự thảo (date)"),
    ):
        if start in item.dates and end in item.dates and item.dates[end] < item.dates[start]:
            problems.append(item.problem((end,), message))
    return problems


def check_section_and_units(item: Item, site: SiteData) -> list[Problem]:
    problems = []
    code = item.meta["section"]
    section = site.sections.get(code)
    if section is None:
        problems.append(
            item.problem(
                ("section",),
                f"chuyên mục '{code}' không có trong content/data/sections.yml; "
                f"các mã hợp lệ: {', '.join(sorted(site.sections))}",
            )
        )
    elif item.meta["kind"] not in section.get("kinds", []):
        allowed = ", ".join(section.get("kinds", [])) or "không loại nào"
        problems.append(
            item.problem(
                ("kind",),
                f"chuyên mục '{code}' không đăng loại '{item.meta['kind']}'; chỉ nhận: {allowed}",
            )
        )
    references = [("unit",)] if "unit" in item.meta else []
    references += [
        ("authors", index, "unit")
        for index, author in enumerate(item.meta.get("authors", []))
        if "unit" in author
    ]
    for ref in references:
        value = _get(item.meta, ref)
        if value not in site.units:
            problems.append(
                item.problem(
                    ref,
                    f"đơn vị '{value}' không có trong content/data/units.yml",
                )
            )
    return problems


def check_authors(item: Item, site: SiteData) -> list[Problem]:
    """Every author is a person on the roster (staff or outside contributor)."""
    if site.roster is None:
        return []
    problems = []
    for index, author in enumerate(item.meta.get("authors", [])):
        if site.roster.resolve_author(author) is None:
            key = "id" if "id" in author else "name"
            problems.append(
                item.problem(
                    ("authors", index, key),
                    f"tác giả '{author.get(key)}' không có trong reviews/roster.yml; "
                    "ghi đúng id hoặc nhờ Thư ký bổ sung vào danh sách",
                )
            )
    return problems


def check_files(item: Item, site: SiteData) -> list[Problem]:
    """Images and attachments named in the front matter or the body must exist."""
    problems = []
    references = [
        (("images", i, "src"), image["src"]) for i, image in enumerate(item.meta.get("images", []))
    ]
    if "file" in item.meta:
        references.append((("file",), item.meta["file"]))
    for ref, target in references:
        problem = _missing_file(site, target)
        if problem:
            problems.append(item.problem(ref, problem))
    for offset, line in enumerate(item.body.splitlines()):
        line_no = item.body_line + offset
        for target in _HTML_IMAGE.findall(line):
            problem = _body_image_problem(site, target)
            if problem:
                problems.append(Problem(item.shown, line_no, "body", problem))
        for match in _MARKDOWN_IMAGE.finditer(line):
            alt, target = match.groups()
            if len(alt.strip()) < 3:
                problems.append(
                    Problem(
                        item.shown,
                        line_no,
                        "body",
                        f"ảnh {target} thiếu mô tả (alt): viết ![mô tả ảnh]({target})",
                    )
                )
            problem = _body_image_problem(site, target)
            if problem:
                problems.append(Problem(item.shown, line_no, "body", problem))
    return problems


def _body_image_problem(site: SiteData, target: str) -> str | None:
    """An image of the body is a file in content/images/ or content/files/: a path out of
    them (`../../../etc/passwd`, `/etc/passwd`) is refused. An address with a scheme is
    not a file of the portal: the sanitiser removes it and warns (sanitize.py)."""
    if _SCHEME.match(target) or target.startswith("//"):
        return None
    problem = _missing_file(site, target.removeprefix("{static}").lstrip("/"))
    return f"ảnh: {problem}; viết ![mô tả]({{static}}/images/tên-tệp)" if problem else None


def _missing_file(site: SiteData, target: str) -> str | None:
    relative = Path(target.lstrip("/"))
    if ".." in relative.parts or relative.parts[:1] not in [(d,) for d in UPLOADS]:
        return f"đường dẫn '{target}' phải nằm trong content/images/ hoặc content/files/"
    if not (site.root / relative).is_file():
        return f"không tìm thấy tệp content/{relative.as_posix()}"
    return None


SLUG_MAX = 80


def derived_slug(meta: dict) -> str:
    """The slug an item gets without an explicit `slug:`: a legal document's from its
    type and number (`nghi-dinh-42-2022-nd-cp`), anything else's from its title,
    cut at a word boundary to at most SLUG_MAX characters."""
    source = (
        f"{meta['doc_type']} {meta['number']}" if meta.get("kind") == "legal" else meta["title"]
    )
    slug = slugify(source)
    if len(slug) > SLUG_MAX:
        slug = slug[: SLUG_MAX + 1].rsplit("-", 1)[0]
    return slug


def assign_slug(item: Item, site: SiteData) -> list[Problem]:
    item.slug = item.meta.get("slug") or derived_slug(item.meta)
    if not item.slug:
        return [
            item.problem(
                ("title",),
                "không tạo được đường dẫn từ tiêu đề; hãy thêm trường slug",
            )
        ]
    return []


def check_tags(item: Item, site: SiteData) -> list[Problem]:
    """Each tag is a page (`tu-khoa/SLUG/`): a tag without a letter or digit would have an
    empty address and overwrite the list of tags."""
    return [
        item.problem(
            ("tags", index),
            f"từ khóa '{tag}' không có chữ hay số nên không tạo được đường dẫn; hãy viết lại",
        )
        for index, tag in enumerate(item.meta.get("tags", []))
        if isinstance(tag, str) and not _has_slug(tag)
    ]


@functools.lru_cache(maxsize=4096)
def _has_slug(tag: str) -> bool:
    """Whether a tag makes a non-empty address; remembered, since the same few tags recur
    on thousands of items."""
    return bool(slugify(tag).strip("-"))


# The content's own rules, in order; `assign_slug` last (it needs a valid item).
# `portal.checks.ITEM_RULES` adds the rules of the domains above (royalties).
RULES: tuple[Rule, ...] = (
    check_dates,
    check_section_and_units,
    check_authors,
    check_files,
    check_tags,
    assign_slug,
)


def _get(data, path):
    for part in path:
        data = data[part]
    return data
