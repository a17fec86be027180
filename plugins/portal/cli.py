"""The `portal` command: one subcommand per concern, each defined beside its module.

Each module listed in COMMANDS has ``add_commands(subparsers)``, which adds its
subcommands with ``set_defaults(func=...)``; ``func(args)`` returns the exit code.
"""

import argparse
import importlib
import os
import sys
import traceback

from portal.errors import PortalError

COMMANDS = [
    "portal.content.check",
    "portal.publishing",
    "portal.vntext.cli",
    "portal.review.cli",
    "portal.royalties.cli",
    "portal.reports.cli",
]


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
