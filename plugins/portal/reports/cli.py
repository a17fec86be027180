"""`portal report --period 2026-W47|2026-11|2026`: the secretary's report (Điều 13.3)."""

import argparse
import sys
from pathlib import Path

from portal.project import Project
from portal.reports.period import parse_period
from portal.reports.report import build_report
from portal.reports.writers import report_files, shortfall_text
from portal.royalties.cli import load_site, moment_option
from portal.royalties.history import DEFAULT_REF, read_history
from portal.royalties.output import check_outside_public_site, show_and_write

DEFAULT_OUT = Path("build/reports")


def run(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    project = Project.find(Path.cwd())
    content_root, project_root = project.content, project.root
    out = Path(args.out) if args.out else project_root / DEFAULT_OUT / period.code
    check_outside_public_site(out, project_root)
    site = load_site(content_root)
    as_of = moment_option(args.as_of, "--as-of")
    # nothing landed after the period's cutoff changes it: read main only that far
    history = read_history(content_root, args.ref, until=min(as_of, period.end))
    report = build_report(history, site, period, as_of)
    show_and_write(out, report_files(report), args.dry_run, sys.stdout)
    print(
        f"Báo cáo {period.label}: {len(report.publications)} tin bài đăng, "
        f"{len(report.withdrawn)} tin bài gỡ xuống; "
        f"{len(report.shortfalls)} đơn vị chưa đạt chỉ tiêu tuần."
    )
    for shortfall in report.shortfalls:
        print(f"  {shortfall_text(shortfall)}")
    return 0


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="báo cáo tin bài đã đăng theo tuần, tháng, năm (Điều 13.3) và chỉ tiêu của đơn vị",
        description=(
            "Báo cáo của Thư ký: tin bài đã đăng theo đơn vị, chuyên mục, loại, tác giả; "
            "chỉ tiêu 01 tin + 01 bài mỗi tuần (Điều 9.3c); ghi .md, .xlsx và biểu đồ .svg "
            "vào build/reports/KỲ/."
        ),
    )
    parser.add_argument(
        "--period", required=True, metavar="KỲ", help="tuần 2026-W47, tháng 2026-11 hoặc năm 2026"
    )
    parser.add_argument("--out", metavar="THƯ_MỤC", help="nơi ghi (mặc định build/reports/KỲ)")
    parser.add_argument("--ref", default=DEFAULT_REF, help="nhánh git (mặc định main)")
    parser.add_argument(
        "--as-of", metavar="'YYYY-MM-DD HH:MM'", help="tính đến thời điểm này (mặc định: bây giờ)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="chỉ cho biết sẽ ghi những tệp nào, không ghi"
    )
    parser.set_defaults(func=run)
