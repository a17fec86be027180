"""`portal check`: validate content files; the same rules run in the Pelican build.

Reports every problem as `path:line: field: message` and exits 1 if any is an
error. Cross-file rules (duplicate slugs) look at the whole content folder.
"""

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from portal.content import sitedata
from portal.content.items import Item, load_item
from portal.errors import PortalError, Problem

CONTENT_SUFFIXES = (".md",)
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
    return sorted(
        path
        for path in content_root.rglob("*")
        if path.suffix in CONTENT_SUFFIXES
        and path.is_file()
        and not SKIP_DIRS.intersection(path.relative_to(content_root).parts[:1])
    )


def check(content_root: Path, only: list[Path] | None = None) -> CheckResult:
    """Check the items in `only` (default: all) plus the data files and cross-file rules."""
    site = sitedata.load(content_root)
    result = CheckResult(site=site, problems=list(site.problems))
    selected = {p.resolve() for p in only} if only else None
    for path in item_files(content_root):
        item = load_item(path, site)
        result.items.append(item)
        if selected is None or path.resolve() in selected:
            result.problems.extend(item.problems)
    result.problems.extend(duplicate_slugs(result.items, selected))
    result.problems = sorted(set(result.problems))
    return result


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
    result = check(content_root, only)
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


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="kiểm tra nội dung (front matter, chuyên mục, đơn vị, tệp, đường dẫn, mã tiếng Việt)",
        description="Kiểm tra các tệp nội dung; mỗi lỗi có dạng tệp:dòng: trường: thông báo.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="ĐƯỜNG_DẪN", help="tệp hoặc thư mục (mặc định content/)"
    )
    parser.set_defaults(func=run)
