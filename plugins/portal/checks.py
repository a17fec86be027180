"""`portal check`: every rule a submission must pass, composed in one place.

The content's own rules (`portal.content`), the Vietnamese text rules it runs, the
royalty block (`portal.royalties.check`) and the review files (policy, CODEOWNERS:
`portal.review.codeowners`). The Pelican build reads items with the same
`ITEM_RULES`, so `portal check` and `make html` can never disagree. A new rule on
an item goes into its domain and is listed here.

Reports every problem as `path:line: field: message` and exits 1 if any is an error.
"""

import argparse
import sys
from pathlib import Path

from portal import project
from portal.content import check as content_check
from portal.content.items import RULES, Rule
from portal.errors import PortalError, Problem
from portal.git import Git
from portal.project import Project
from portal.review.codeowners import check_review_files
from portal.royalties.check import check_item_royalty

# Rules of one item, in order: the content's own, then the royalty block's, with the slug
# assigned last (it needs an item valid in every other way).
ITEM_RULES: tuple[Rule, ...] = (*RULES[:-1], check_item_royalty, RULES[-1])


def check(
    content_root: Path, only: list[Path] | None = None, base_texts: dict | None = None
) -> content_check.CheckResult:
    """Every rule over the project of `content_root` (see `content.check.check`)."""
    result = content_check.check(content_root, only, base_texts, rules=ITEM_RULES)
    result.problems = sorted({*result.problems, *review_files(content_root)})
    return result


def review_files(content_root: Path) -> list[Problem]:
    """The review policy is valid and .github/CODEOWNERS agrees with the roster."""
    here = Project.of_content(content_root)
    return check_review_files(here.root) if here.policy.exists() else []


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [Path(project.CONTENT)]
    for path in paths:
        if not path.exists():
            raise PortalError(f"không có tệp hay thư mục '{path}'")
    content_root = Project.find(paths[0]).content
    only = None
    if any(path.resolve() != content_root for path in paths):
        only = [
            f
            for path in paths
            for f in ([path] if path.is_file() else content_check.item_files(path.resolve()))
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
    try:
        git = Git.here(content_root)
        git.commit_of(base)
    except PortalError as error:
        raise PortalError(
            f"{error}; kiểm tra nhánh gốc (--base) và thư mục có phải kho git"
        ) from None
    scope = Path(content_root).resolve().relative_to(git.root.resolve()).as_posix()
    names = git.run("diff", "--name-only", "--no-renames", base, "--", scope).splitlines()
    names += git.run("ls-files", "--others", "--exclude-standard", "--", scope).splitlines()
    base_texts = {}
    for name in sorted(set(names)):
        path = git.root / name
        if path.suffix == project.ITEM_SUFFIX and path.is_file():
            base_texts[path.resolve()] = git.show(base, name)
    return [Path(p) for p in base_texts], base_texts


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
