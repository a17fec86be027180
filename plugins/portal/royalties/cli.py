"""`portal royalties --month YYYY-MM`: the month's royalty statement for the accountant."""

import argparse
import sys
from datetime import datetime
from pathlib import Path

from portal.content import sitedata
from portal.dates import now, parse_date, parse_datetime
from portal.errors import PortalError
from portal.project import REPO_RATES, Project
from portal.royalties.history import DEFAULT_REF, read_history
from portal.royalties.output import check_outside_public_site, money, show_and_write
from portal.royalties.statement import banners, statement_files
from portal.royalties.tally import DEFAULT_SITE_URL, month_bounds, month_statement

DEFAULT_OUT = Path("build/royalties")


def load_site(content_root: Path) -> sitedata.SiteData:
    """The data files, roster included; any error stops the command (fail closed)."""
    site = sitedata.load(content_root)
    errors = [p for p in site.problems if p.is_error]
    if errors:
        raise PortalError("dữ liệu của Cổng có lỗi, sửa trước khi tính:", errors)
    return site


def moment_option(text: str | None, name: str) -> datetime:
    if text is None:
        return now()
    try:
        return parse_datetime(text)
    except ValueError as error:
        raise PortalError(f"{name}: {error}") from None


def run(args: argparse.Namespace) -> int:
    month_bounds(args.month)  # a malformed month is said before anything is read
    project = Project.find(Path.cwd())
    content_root, project_root = project.content, project.root
    out = Path(args.out) if args.out else project_root / DEFAULT_OUT / args.month
    check_outside_public_site(out, project_root)
    try:
        payment_day = parse_date(args.payment_date) if args.payment_date else None
    except ValueError as error:
        raise PortalError(f"--payment-date: {error}") from None
    as_of = moment_option(args.as_of, "--as-of")
    # nothing landed after the month's cutoff can change it: read main only that far
    history = read_history(content_root, args.ref, until=min(as_of, month_bounds(args.month)[1]))
    statement = month_statement(history, args.month, as_of, payment_day, args.site_url)
    for text in banners(statement):
        print(f"Cảnh báo: {text}", file=sys.stderr)
    for problem in statement.problems:
        print(problem, file=sys.stderr)
    show_and_write(out, statement_files(statement), args.dry_run, sys.stdout)
    print(
        f"Tháng {args.month}{' (BẢN NHÁP)' if statement.draft else ''}: "
        f"nhuận bút {money(statement.royalty_total)} đồng "
        f"({statement.line_count} dòng, {len(statement.people)} người), thuế khấu trừ "
        f"{money(statement.tax_total)} đồng, phụ cấp {money(statement.allowance_total)} đồng; "
        f"tổng chi {money(statement.payment_total)} đồng."
    )
    if statement.draft:
        print(
            f"Có {len(statement.problems)} lỗi: các tin bài trên chưa được trả. Bảng kê chỉ là "
            "BẢN NHÁP (tên tệp có '-ban-nhap'), không trình ký; sửa tin bài rồi chạy lại.",
            file=sys.stderr,
        )
        return 1
    return 0


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "royalties",
        help="bảng kê nhuận bút và phụ cấp của một tháng (cho Kế toán)",
        description=(
            "Tính nhuận bút các tin bài đăng trong tháng từ lịch sử nhánh main và bảng "
            f"{REPO_RATES} như trên nhánh main cuối tháng; ghi bảng kê .xlsx, "
            ".csv, .html vào build/royalties/THÁNG/."
        ),
    )
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help="tháng cần tính")
    parser.add_argument("--out", metavar="THƯ_MỤC", help="nơi ghi (mặc định build/royalties/THÁNG)")
    parser.add_argument("--ref", default=DEFAULT_REF, help="nhánh git (mặc định main)")
    parser.add_argument(
        "--as-of", metavar="'YYYY-MM-DD HH:MM'", help="tính đến thời điểm này (mặc định: bây giờ)"
    )
    parser.add_argument(
        "--payment-date",
        metavar="YYYY-MM-DD",
        help="ngày thanh toán (mặc định: ngày cuối tháng); dùng khi unit_value_at: payment",
    )
    parser.add_argument(
        "--site-url", default=DEFAULT_SITE_URL, help=f"địa chỉ Cổng (mặc định {DEFAULT_SITE_URL})"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="chỉ cho biết sẽ ghi những tệp nào, không ghi"
    )
    parser.set_defaults(func=run)
