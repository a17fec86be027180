"""`portal fix-encoding PATH... [--write]`: legacy Vietnamese encodings to Unicode NFC.

Without --write it shows a unified diff and changes nothing (exit 1 when something would
change); with --write it rewrites each file atomically. Ambiguous fragments are reported,
never changed.
"""

import argparse
import difflib
import os
import stat
import sys
from pathlib import Path

from portal.errors import PortalError, display_path
from portal.files import write_atomically
from portal.vntext.fix import FileFix, Issue, fix_file, symlink_message

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


def collect_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Text files to check, and the symbolic links met (never followed, never read)."""
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        names = ", ".join(display_path(p) for p in missing)
        raise PortalError(f"Không tìm thấy đường dẫn (PATH): {names}.")
    files, links = [], []
    for path in paths:
        if _through_link(path):
            links.append(path)
        elif path.is_dir():
            found, skipped = _scan(path)
            files += found
            links += skipped
        else:
            files.append(path)
    return files, links


def _through_link(path: Path) -> bool:
    """The path is a link, or (written relative) passes through a linked folder."""
    if path.is_symlink():
        return True
    if path.is_absolute():
        return False
    return any(parent.is_symlink() for parent in path.parents if parent != Path("."))


def _scan(root: Path) -> tuple[list[Path], list[Path]]:
    """Text files under `root`, not descending into links, tool folders or leftovers."""
    files, links = [], []
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        links += [here / d for d in dirs if (here / d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not (here / d).is_symlink())
        for name in sorted(names):
            path = here / name
            if Path(name).suffix.lower() not in TEXT_SUFFIXES or _is_leftover(name):
                continue
            (links if path.is_symlink() else files).append(path)
    return sorted(files), sorted(links)


def _is_leftover(name: str) -> bool:
    """A temporary file an interrupted write left behind (`.tin.md.x1y2.tmp`)."""
    return name.startswith(".") and name.endswith(".tmp")


def _write_refusal(path: Path) -> str | None:
    """Why `path` must not be rewritten, checked again just before writing."""
    shown = display_path(path)
    if path.is_symlink():
        return symlink_message(path)
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"{shown}: không kiểm tra được tệp ({error.strerror})"
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        return (
            f"{shown}: tệp chỉ đọc (read-only), không ghi đè; "
            "hãy cho phép ghi (chmod u+w) nếu thật sự muốn sửa"
        )
    return None


def _say(path: str, issue: Issue, warning: bool = False, error: bool = False) -> str:
    prefix = "cảnh báo (warning): " if warning else "lỗi (error): " if error else ""
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
    files, links = collect_files(args.paths)
    for link in links:
        print(f"lỗi (error): {symlink_message(link)}", file=sys.stderr)
    if not files and not links:
        print("Không có tệp văn bản (.md, .markdown, .txt) nào để kiểm tra.")
        return 0
    outcomes = [_handle(path, args.write) for path in files]
    pending, refused = outcomes.count(PENDING), outcomes.count(REFUSED) + len(links)
    return _summary(pending, refused, len(files), args.write)


PENDING, REFUSED, CLEAN = "pending", "refused", "clean"


def _handle(path: Path, write: bool) -> str:
    """Report one file, then show its diff or write it; says what became of it."""
    result = fix_file(path)
    shown = display_path(path)
    for issue in result.ambiguous:
        print(_say(shown, issue, warning=True), file=sys.stderr)
    for issue in result.refusals:
        print(_say(shown, issue, error=True), file=sys.stderr)
    if not result.changed:
        return CLEAN
    if result.refusals:
        return REFUSED
    reason = _write_refusal(path) if write else None
    if reason:
        print(f"lỗi (error): {reason}", file=sys.stderr)
        return REFUSED
    if write:
        write_atomically(path, result.new_bytes)
        print(f"Đã sửa {shown}:")
        for issue in result.changes:
            print("  " + _say(shown, issue))
    else:
        for issue in result.changes:
            print(_say(shown, issue), file=sys.stderr)
        sys.stdout.write(_diff(result, shown))
    return PENDING


def _summary(pending: int, refused: int, total: int, written: bool) -> int:
    if refused:
        print(
            f"{refused} tệp hoặc liên kết không sửa được (xem lỗi ở trên); các tệp đó giữ nguyên.",
            file=sys.stderr,
        )
    if not pending:
        if not refused:
            print(f"Đã kiểm tra {total} tệp: không có gì cần sửa.", file=sys.stderr)
        return 1 if refused else 0
    if written:
        print(f"Đã sửa {pending}/{total} tệp sang Unicode dựng sẵn (NFC).", file=sys.stderr)
        return 1 if refused else 0
    print(
        f"{pending}/{total} tệp cần sửa; chạy lại với --write để ghi (chưa thay đổi gì).",
        file=sys.stderr,
    )
    return 1
