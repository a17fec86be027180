"""Scheduled publishing (Điều 10): which items' publication time has just come.

The scheduled deploy asks `portal due --window-minutes N` every few minutes and rebuilds
the portal only when an item dated in the last N minutes is now due, or when a new week
began in those minutes (the schedule's weeks are ordered from the build's day: current,
coming, past). The window is longer than the schedule's period, so a delayed or failed
run is caught by the next.
"""

import argparse
from datetime import datetime, timedelta
from pathlib import Path

from portal import yamlfile
from portal.content.check import item_files
from portal.dates import now as vietnam_now
from portal.dates import parse_datetime, week_began
from portal.project import CONTENT, Project


def due_items(content_root: Path, now: datetime, window: timedelta) -> list[tuple[Path, datetime]]:
    """Published items whose date lies in (now - window, now]."""
    due = []
    for path in item_files(content_root):
        try:
            meta = yamlfile.parse(path.read_text(encoding="utf-8"), str(path)).data
            when = parse_datetime(meta["date"])
        except (OSError, UnicodeDecodeError, TypeError, KeyError, ValueError):
            continue  # `portal check` reports broken files; they are never published
        if meta.get("status") == "published" and now - window < when <= now:
            due.append((path, when))
    return sorted(due, key=lambda pair: pair[1])


def run(args: argparse.Namespace) -> int:
    now = vietnam_now()
    window = timedelta(minutes=args.window)
    due = due_items(Project.find(Path(args.content)).content, now, window)
    for path, when in due:
        print(f"{path}: đến giờ đăng {when:%d/%m/%Y %H:%M}")
    new_week = week_began(now, window)
    if new_week:
        print(f"Tuần mới bắt đầu {new_week:%d/%m/%Y %H:%M}: dựng lại để lịch công tác đúng tuần")
    if not due and not new_week:
        print(f"Không có tin bài nào đến giờ đăng trong {args.window} phút qua.")
    return 0 if due or new_week else 1


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "due",
        help="liệt kê tin bài hẹn giờ vừa đến giờ đăng (mã thoát 0 nếu có, 1 nếu không)",
    )
    parser.add_argument("--window-minutes", dest="window", type=int, default=60, metavar="PHÚT")
    parser.add_argument("--content", default=CONTENT, metavar="THƯ_MỤC")
    parser.set_defaults(func=run)
