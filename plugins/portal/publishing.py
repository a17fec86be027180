"""Scheduled publishing (Điều 10): which items' publication time has just come.

The scheduled deploy asks `portal due --window-minutes N` every few minutes and rebuilds
the portal only when an item dated in the last N minutes is now due. The window is
longer than the schedule's period, so a delayed or failed run is caught by the next.
"""

import argparse
from datetime import datetime, timedelta
from pathlib import Path

from portal.content import frontmatter
from portal.content.check import find_content_root, item_files
from portal.content.dates import VIETNAM, parse_datetime


def due_items(content_root: Path, now: datetime, window: timedelta) -> list[tuple[Path, datetime]]:
    """Published items whose date lies in (now - window, now]."""
    due = []
    for path in item_files(content_root):
        try:
            meta = frontmatter.parse(path.read_text(encoding="utf-8"), str(path)).data
            when = parse_datetime(meta["date"])
        except (OSError, UnicodeDecodeError, TypeError, KeyError, ValueError):
            continue  # `portal check` reports broken files; they are never published
        if meta.get("status") == "published" and now - window < when <= now:
            due.append((path, when))
    return sorted(due, key=lambda pair: pair[1])


def run(args: argparse.Namespace) -> int:
    now = datetime.now(VIETNAM)
    due = due_items(find_content_root(Path(args.content)), now, timedelta(minutes=args.window))
    for path, when in due:
        print(f"{path}: đến giờ đăng {when:%d/%m/%Y %H:%M}")
    if not due:
        print(f"Không có tin bài nào đến giờ đăng trong {args.window} phút qua.")
    return 0 if due else 1


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "due",
        help="liệt kê tin bài hẹn giờ vừa đến giờ đăng (mã thoát 0 nếu có, 1 nếu không)",
    )
    parser.add_argument("--window-minutes", dest="window", type=int, default=60, metavar="PHÚT")
    parser.add_argument("--content", default="content", metavar="THƯ_MỤC")
    parser.set_defaults(func=run)
