"""The content rules over a whole content folder: every item, the data files, and the
rules across files (a slug used twice, a published item's address kept).

`portal.checks` composes these with the rules of the domains above (royalties, review
files) for `portal check` and the build.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from portal import yamlfile
from portal.content import sitedata, tree
from portal.content.items import RULES, Item, Rule, derived_slug, load_item
from portal.errors import Problem, display_path


@dataclass
class CheckResult:
    site: sitedata.SiteData
    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def item_files(content_root: Path) -> list[Path]:
    """Every item file below `content_root` (no link followed), as absolute paths."""
    return tree.scan(Path(content_root).resolve()).items


def check(
    content_root: Path,
    only: list[Path] | None = None,
    base_texts: dict | None = None,
    rules: Sequence[Rule] = RULES,
) -> CheckResult:
    """Check the items in `only` (default: all) plus the data files and cross-file rules.

    Items outside `only` are read just far enough to know their slug. `base_texts`
    maps a changed file to its text on the base branch (None if new there), so a
    published item's slug can be held stable.
    """
    site = sitedata.load(content_root)
    files = tree.scan(content_root)
    result = CheckResult(site=site, problems=[*site.problems, *files.problems])
    selected = {p.resolve() for p in only} if only is not None else None
    for path in (item.resolve() for item in files.items):
        if selected is None or path in selected:
            item = load_item(path, site, rules=rules)
            result.problems.extend(item.problems)
            if base_texts and item.ok:
                result.problems.extend(slug_kept(item, base_texts.get(path.resolve())))
        else:
            item = slug_only(path)
        result.items.append(item)
    result.problems.extend(duplicate_slugs(result.items, selected))
    result.problems = sorted(set(result.problems))
    return result


def slug_only(path: Path) -> Item:
    """An unchanged item, read only for the cross-file rules (its slug)."""
    item = Item(path=path, shown=display_path(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return item
    meta = yamlfile.quick_fields(text, SLUG_FIELDS)
    if meta is None:  # anything unusual: read the header properly
        parsed = yamlfile.parse(text, item.shown)
        item.lines = parsed.lines
        meta = parsed.data if isinstance(parsed.data, dict) else {}
    item.meta = meta
    item.slug = _slug_of(meta) or ""
    return item


SLUG_FIELDS = ("title", "slug", "kind", "doc_type", "number")


def _slug_of(meta: dict) -> str | None:
    try:
        return meta.get("slug") or derived_slug(meta)
    except (KeyError, TypeError, AttributeError):
        return None


def slug_kept(item: Item, base_text: str | None) -> list[Problem]:
    """A published item keeps its address: readers and other sites link to it."""
    if not base_text:
        return []
    base = yamlfile.parse(base_text, item.shown).data
    if not isinstance(base, dict) or base.get("status") != "published":
        return []
    old = _slug_of(base)
    if not old or old == item.slug:
        return []
    field_name = "slug" if "slug" in item.meta else "title"
    return [
        Problem(
            item.shown,
            item.line_of(field_name),
            field_name,
            f"tin bài đã đăng với đường dẫn '{old}'; đổi thành '{item.slug}' sẽ làm hỏng các "
            f"liên kết đến nó. Thêm dòng slug: {old} để giữ đường dẫn cũ",
        )
    ]


def duplicate_slugs(items: list[Item], selected: set | None = None) -> list[Problem]:
    by_slug = defaultdict(list)
    for item in items:
        if item.slug:
            by_slug[item.slug].append(item)
    problems = []
    for slug, group in by_slug.items():
        if len(group) < 2:
            continue
        for item in group:
            if selected is not None and item.path.resolve() not in selected:
                continue
            others = ", ".join(other.shown for other in group if other is not item)
            field_name = "slug" if "slug" in item.meta else "title"
            problems.append(
                Problem(
                    item.shown,
                    item.line_of(field_name),
                    field_name,
                    f"đường dẫn (slug) '{slug}' trùng với {others}; "
                    f"hãy thêm một dòng slug khác, ví dụ slug: {slug}-2",
                )
            )
    return problems
