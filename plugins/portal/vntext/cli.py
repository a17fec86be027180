"""`portal fix-encoding PATH... [--write]`: legacy Vietnamese encodings to Unicode NFC.

Without --write it shows a unified diff and changes nothing (exit 1 when something would
change); with --write it rewrites each file atomically. Ambiguous fragments are reported,
never changed.
"""

import argparse
import difflib
import sys
from pathlib import Path

from portal.errors import PortalError, display_path
from portal.files import write_atomically
from portal.vntext.fix import FileFix, Issue, fix_file

TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
_SKIPPED_DIRS = {".git", ".venv", "node_modules", "output", "__pycache__"}


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "fix-encoding",
        help="chuyển văn bản mã cũ (TCVN3, VNI, VIQR, NFD) sang Unicode dựng sẵn",
        description=(
            "Tìm và sửa văn bản gõ bằng mã cũ (TCVN3/ABC, VNI, VIQR), Unicode tổ hợp (NFD) và "
            "lỗi phông UTF-8 đọc nhầm thành Windows-1252. Mặc định chỉ in phần khác biệt (diff)."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="tệp hoặc thư mục")
    parser.add_argument("--write", action="store_true", help="ghi đè tệp đã sửa (an toàn)")
    parser.set_defaults(func=run)


def collect_files(paths: list[Path]) -> list[Path]:
    missing = [p for p in paths if not p.exists()]
    if missing:
        names = ", ".join(display_path(p) for p in missing)
        raise PortalError(f"Không tìm thấy đường dẫn (PATH): {names}.")
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                f
                for f in path.rglob("*")
                if f.is_file()
                and f.suffix.lower() in TEXT_SUFFIXES
                and not _SKIPPED_DIRS & set(f.relative_to(path).parts[:-1])
            )
        else:
            files.append(path)
    return files


def _say(path: str, issue: Issue, warning: bool = False) -> str:
    prefix = "cảnh báo (warning): " if warning else ""
    return f"{path}:{issue.line}:{issue.column}: {prefix}{issue.describe()}"


def _diff(result: FileFix, shown: str) -> str:
    lines = difflib.unified_diff(
        result.before.splitlines(keepends=True),
        result.after.splitlines(keepends=True),
        fromfile=f"a/{shown.lstrip('/')}",
        tofile=f"b/{shown.lstrip('/')}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def run(args: argparse.Namespace) -> int:
    files = collect_files(args.paths)
    if not files:
        print("Không có tệp văn bản (.md, .markdown, .txt) nào để kiểm tra.")
        return 0
    pending = 0
    for path in files:
        result = fix_file(path)
        shown = display_path(path)
        for issue in result.ambiguous:
            print(_say(shown, issue, warning=True), file=sys.stderr)
        if not result.changed:
            continue
        pending += 1
        if args.write:
            write_atomically(path, result.new_bytes)
            print(f"Đã sửa {shown}:")
            for issue in result.changes:
                print("  " + _say(shown, issue))
        else:
            for issue in result.changes:
                print(_say(shown, issue), file=sys.stderr)
            sys.stdout.write(_diff(result, shown))
    return _summary(pending, len(files), args.write)


def _summary(pending: int, total: int, written: bool) -> int:
    if not pending:
        print(f"Đã kiểm tra {total} tệp: không có gì cần sửa.", file=sys.stderr)
        return 0
    if written:
        print(f"Đã sửa {pending}/{total} tệp sang Unicode dựng sẵn (NFC).", file=sys.stderr)
        return 0
    print(
        f"{pending}/{total} tệp cần sửa; chạy lại với --write để ghi (chưa thay đổi gì).",
        file=sys.stderr,
    )
    return 1
