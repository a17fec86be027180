"""The `portal` command: one subcommand per concern, each defined beside its module.

Each module listed in COMMANDS has ``add_commands(subparsers)``, which adds its
subcommands with ``set_defaults(func=...)``; ``func(args)`` returns the exit code.
"""

import argparse
import importlib
import os
import sys
import traceback

from portal.errors import PortalError, write_failure

COMMANDS = [
    "portal.checks",
    "portal.publishing",
    "portal.vntext.cli",
    "portal.review.cli",
    "portal.royalties.cli",
    "portal.reports.cli",
    "portal.intake.cli",
    "portal.desk.cli",
]


# argparse's own messages (usage, missing or invalid arguments, --help), in Vietnamese.
_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần kiểu %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn %(value)r không hợp lệ (chọn một trong: %(choices)s)"
    ),
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "positional arguments": "tham số",
    "options": "tùy chọn",
}


def _translate(message: str) -> str:
    return _ARGPARSE_VI.get(message, message)


argparse._ = _translate  # argparse looks its gettext function up at each message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal",
        description="Cổng TTĐT Sở Nội vụ Hà Tĩnh: kiểm tra nội dung, duyệt tin bài, nhuận bút.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="LỆNH")
    subparsers.required = True
    for module_name in COMMANDS:
        importlib.import_module(module_name).add_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except PortalError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # the environment, not a bug: a full disk, a missing right
        where = error.filename or "?"
        print(f"Lỗi: {write_failure(where, error, action='đọc/ghi')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng (interrupted).", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours: say so plainly, details on request
        if os.environ.get("PORTAL_DEBUG"):
            traceback.print_exc()
        print(
            f"Lỗi nội bộ của chương trình (internal error): {type(error).__name__}: {error}\n"
            "Hãy báo cho Quản trị Cổng; chạy lại với PORTAL_DEBUG=1 để xem chi tiết.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
