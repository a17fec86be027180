"""`portal check`: validate content files; the same rules run in the Pelican build.

Reports every problem as `path:line: field: message` and exits 1 if any is an
error. Cross-file rules (duplicate slugs) look at the whole content folder.
"""

import argparse
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from portal.content import frontmatter, sitedata, tree
from portal.content.items import Item, derived_slug, load_item
from portal.errors import PortalError, Problem, display_path

CONTENT_SUFFIXES = (tree.ITEM_SUFFIX,)
SKIP_DIRS = {"data", "images", "files"}


@dataclass
class CheckResult:
    site: sitedata.SiteData
    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def find_content_root(start: Path) -> Path:
    """The `content/` folder of the project that holds `start` (or is below cwd)."""
    start = Path(start).resolve()
    for folder in [start, *start.parents]:
        if (folder / "pelicanconf.py").exists() and (folder / "content").is_dir():
            return folder / "content"
        if folder.name == "content" and (folder / sitedata.DATA_DIR).is_dir():
            return folder
    raise PortalError(
        f"không tìm thấy thư mục content/ của Cổng từ '{start}' (cần pelicanconf.py ở thư mục gốc)"
    )


def item_files(content_root: Path) -> list[Path]:
    """Every item file below `content_root` (no link followed), as absolute paths."""
    return tree.scan(Path(content_root).resolve()).items


def check(
    content_root: Path, only: list[Path] | None = None, base_texts: dict | None = None
) -> CheckResult:
    """Check the items in `only` (default: all) plus the data files and cross-file rules.

    Items outside `only` are read just far enough to know their slug. `base_texts`
    maps a changed file to its text on the base branch (None if new there), so a
    published item's slug can be held stable.
    """
    site = sitedata.load(content_root)
    files = tree.scan(content_root)
    result = CheckResult(
        site=site, problems=[*site.problems, *files.problems, *review_files(content_root)]
    )
    selected = {p.resolve() for p in only} if only is not None else None
    for path in (item.resolve() for item in files.items):
        if selected is None or path in selected:
            item = load_item(path, site)
            result.problems.extend(item.problems)
            if base_texts and item.ok:
                result.problems.extend(slug_kept(item, base_texts.get(path.resolve())))
        else:
            item = slug_only(path)
        result.items.append(item)
    result.problems.extend(duplicate_slugs(result.items, selected))
    result.problems = sorted(set(result.problems))
    return result


def review_files(content_root: Path) -> list[Problem]:
    """The review policy is valid and .github/CODEOWNERS agrees with the roster."""
    project = Path(content_root).resolve().parent
    if not (project / "reviews" / "policy.yml").exists():
        return []
    from portal.review.codeowners import check_review_files

    return check_review_files(project)


def slug_only(path: Path) -> Item:
    """An unchanged item, read only for the cross-file rules (its slug)."""
    item = Item(path=path, shown=display_path(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return item
    meta = frontmatter.quick_fields(text, SLUG_FIELDS)
    if meta is None:  # anything unusual: read the header properly
        parsed = frontmatter.parse(text, item.shown)
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
    base = frontmatter.parse(base_text, item.shown).data
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


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [Path("content")]
    for path in paths:
        if not path.exists():
            raise PortalError(f"không có tệp hay thư mục '{path}'")
    content_root = find_content_root(paths[0])
    only = None
    if any(path.resolve() != content_root.resolve() for path in paths):
        only = [
            f for path in paths for f in ([path] if path.is_file() else item_files(path.resolve()))
        ]
    base_texts = None
    if args.base:
        changed, base_texts = changed_since(args.base, content_root)
        only = changed if only is None else [p for p in only if p.resolve() in base_texts]
    result = check(content_root, only, base_texts)
    for problem in result.problems:
        print(problem, file=sys.stdout)
    checked = len(only) if only is not None else len(result.items)
    if result.errors:
        print(f"Có {len(result.errors)} lỗi trong {checked} tệp: sửa các dòng trên rồi chạy lại.")
        return 1
    print(
        f"Đã kiểm tra {checked} tệp nội dung và {len(result.site.files)} tệp dữ liệu: không có lỗi."
    )
    return 0


def changed_since(base: str, content_root: Path) -> tuple[list[Path], dict[Path, str | None]]:
    """Item files changed since `base` (committed or not), with their text on `base`."""
    top = Path(_git(content_root, "rev-parse", "--show-toplevel").strip())
    _git(top, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    scope = str(content_root.resolve().relative_to(top.resolve()))
    names = _git(top, "diff", "--name-only", "--no-renames", base, "--", scope).splitlines()
    names += _git(top, "ls-files", "--others", "--exclude-standard", "--", scope).splitlines()
    base_texts = {}
    for name in sorted(set(names)):
        path = top / name
        if path.suffix in CONTENT_SUFFIXES and path.is_file():
            shown = subprocess.run(["git", "show", f"{base}:{name}"], cwd=top, capture_output=True)
            text = shown.stdout.decode("utf-8", "replace") if shown.returncode == 0 else None
            base_texts[path.resolve()] = text
    return [Path(p) for p in base_texts], base_texts


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        what = " ".join(args[:2])
        raise PortalError(
            f"git {what} không chạy được ({result.stderr.strip() or 'không rõ lỗi'}); "
            "kiểm tra nhánh gốc (--base) và thư mục có phải kho git"
        )
    return result.stdout


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="kiểm tra nội dung (front matter, chuyên mục, đơn vị, tệp, đường dẫn, mã tiếng Việt)",
        description="Kiểm tra các tệp nội dung; mỗi lỗi có dạng tệp:dòng: trường: thông báo.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="ĐƯỜNG_DẪN", help="tệp hoặc thư mục (mặc định content/)"
    )
    parser.add_argument(
        "--base",
        metavar="NHÁNH",
        help="chỉ kiểm tra các tệp đổi so với nhánh gốc (ví dụ origin/main), cùng các quy tắc "
        "chung (trùng đường dẫn); giữ nguyên đường dẫn của tin bài đã đăng",
    )
    parser.set_defaults(func=run)
