"""The month's statement for the accountant: a workbook, a CSV and a printable HTML page.

The CSV and the workbook are written from the same rows (`statement_rows`), so
they always agree; rows are in a fixed order (people by name, their works by
publication time) so the same history gives the same files.
"""

import csv
import io
from datetime import datetime

from jinja2 import Environment
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.content.dates import vietnamese_date
from portal.roster import ROLE_NAMES
from portal.royalties.output import money, number, workbook_bytes
from portal.royalties.tally import Statement
from portal.royalties.templates import STATEMENT_HTML
from portal.royalties.words import amount_in_words

COLUMNS = (
    "STT",
    "Họ và tên",
    "Bút danh",
    "Đơn vị",
    "Tiêu đề",
    "Liên kết",
    "Loại tin bài",
    "Chuyên mục",
    "Ngày đăng",
    "Tác phẩm",
    "Hệ số",
    "Số đơn vị",
    "Tỷ lệ hưởng (%)",
    "Giá trị 1 hệ số (đồng)",
    "Thành tiền (đồng)",
    "Thuế TNCN khấu trừ (đồng)",
    "Thực nhận (đồng)",
)
ALLOWANCE_COLUMNS = (
    "STT",
    "Họ và tên",
    "Vai trò",
    "Số ngày giữ vai trò",
    "Số ngày trong tháng",
    "Mức phụ cấp tháng (đồng)",
    "Thành tiền (đồng)",
)
SAMPLE_BANNER = (
    "BẢNG MẪU: khung hệ số và mức phụ cấp trong reviews/royalty-rates.yml chưa theo "
    "QĐ 05/2015/QĐ-UBND; Thư ký Ban Biên tập thay bằng số liệu chính thức trước khi trình ký."
)
PROVISIONAL_BANNER = "TẠM TÍNH: tháng chưa kết thúc, số liệu tính đến {moment}."
AMOUNT_COLUMNS = (13, 14, 15, 16)  # zero-based: unit value, amount, tax, net


def title(statement: Statement) -> str:
    return f"BẢNG KÊ CHI TRẢ NHUẬN BÚT VÀ PHỤ CẤP THÁNG {statement.start:%m/%Y}"


def banners(statement: Statement) -> list[str]:
    result = [SAMPLE_BANNER] if statement.rates.sample else []
    if statement.provisional:
        result.append(PROVISIONAL_BANNER.format(moment=f"{statement.cutoff:%H:%M %d/%m/%Y}"))
    return result


def when(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y %H:%M}"


def statement_rows(statement: Statement) -> list[tuple[str, list]]:
    """(style, cells) rows of the whole statement, top to bottom."""
    rows = [("title", [title(statement)])]
    rows += [("banner", [text]) for text in banners(statement)]
    rows += [("header", list(COLUMNS))]
    number_in_table = 0
    for person in statement.people:
        for line in person.lines:
            number_in_table += 1
            rows.append(
                (
                    "line",
                    [
                        number_in_table,
                        person.name,
                        person.pen_name,
                        person.unit,
                        line.title,
                        line.url,
                        line.kind,
                        line.section,
                        when(line.published),
                        line.work,
                        float(line.coefficient),
                        float(line.units),
                        float(line.fraction * 100),
                        line.unit_value,
                        line.amount,
                        None,
                        None,
                    ],
                )
            )
        rows.append(
            (
                "subtotal",
                ["", f"Cộng: {person.name}", *[""] * 12, person.amount, person.tax, person.net],
            )
        )
    rows.append(
        (
            "total",
            [
                "",
                "TỔNG CỘNG NHUẬN BÚT",
                *[""] * 12,
                statement.royalty_total,
                statement.tax_total,
                statement.net_total,
            ],
        )
    )
    rows.append(("words", [f"Bằng chữ: {amount_in_words(statement.royalty_total)}"]))
    rows.append(("blank", []))
    rows.append(("title", ["PHỤ CẤP BAN BIÊN TẬP"]))
    rows.append(("header", list(ALLOWANCE_COLUMNS)))
    for index, allowance in enumerate(statement.allowances, 1):
        rows.append(
            (
                "line",
                [
                    index,
                    allowance.name,
                    allowance.role,
                    allowance.days,
                    allowance.month_days,
                    allowance.monthly,
                    allowance.amount,
                ],
            )
        )
    rows.append(("total", ["", "TỔNG CỘNG PHỤ CẤP", "", "", "", "", statement.allowance_total]))
    rows.append(("words", [f"Bằng chữ: {amount_in_words(statement.allowance_total)}"]))
    rows.append(("blank", []))
    rows.append(
        (
            "total",
            [
                "",
                "TỔNG SỐ TIỀN CHI TRẢ (nhuận bút sau thuế + phụ cấp)",
                "",
                "",
                "",
                "",
                statement.payment_total,
            ],
        )
    )
    rows.append(("words", [f"Bằng chữ: {amount_in_words(statement.payment_total)}"]))
    if statement.unpaid:
        rows.append(("blank", []))
        rows.append(("title", ["TIN BÀI ĐĂNG TRONG THÁNG KHÔNG ĐƯỢC TRẢ NHUẬN BÚT"]))
        rows.append(("header", ["STT", "Tiêu đề", "Tệp", "Ngày đăng", "Lý do"]))
        for index, unpaid in enumerate(statement.unpaid, 1):
            rows.append(
                ("line", [index, unpaid.title, unpaid.path, when(unpaid.published), unpaid.reason])
            )
    rows.append(("blank", []))
    for role in ("secretary", "accountant", "head"):
        label = "Người lập biểu" if role == "secretary" else ROLE_NAMES[role]
        rows.append(("sign", [f"{label} ({ROLE_NAMES[role]})", statement.signers.get(role, "")]))
    rows.append(("note", [source_note(statement)]))
    return rows


def source_note(statement: Statement) -> str:
    return (
        f"Căn cứ: {statement.rates.source}. Tính từ lịch sử nhánh {statement.ref} "
        f"(commit {statement.head[:12]}) đến {when(statement.cutoff)}."
    )


def csv_bytes(statement: Statement) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads Vietnamese correctly), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for _, cells in statement_rows(statement):
        writer.writerow(["" if cell is None else _csv_cell(cell) for cell in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(cell) -> str:
    if isinstance(cell, float):
        return format(cell, "g")
    return str(cell)


_STYLES = {
    "title": Font(bold=True, size=13),
    "banner": Font(bold=True, color="C00000"),
    "header": Font(bold=True),
    "subtotal": Font(bold=True),
    "total": Font(bold=True),
    "words": Font(italic=True),
    "sign": Font(bold=True),
}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WIDTHS = (5, 24, 14, 26, 50, 40, 14, 18, 16, 14, 8, 8, 10, 14, 14, 14, 14)


def xlsx_bytes(statement: Statement) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Nhuận bút {statement.month}"
    fill_sheet(sheet, statement_rows(statement), _WIDTHS)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    return workbook_bytes(workbook, statement.cutoff)


def fill_sheet(sheet, rows: list, widths: tuple) -> None:
    """Rows with their styles; money as whole numbers with a thousands separator."""
    for style, cells in rows:
        sheet.append(cells)
        row = sheet.max_row
        for cell in sheet[row]:
            if style in _STYLES:
                cell.font = _STYLES[style]
            if style == "header":
                cell.fill = _HEADER_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            if isinstance(cell.value, int) and cell.column > 1:
                cell.number_format = "#,##0"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def html_bytes(statement: Statement) -> bytes:
    environment = Environment(autoescape=True, keep_trailing_newline=True)
    environment.filters.update(money=money, number=number, when=when, words=amount_in_words)
    template = environment.from_string(STATEMENT_HTML)
    html = template.render(
        s=statement,
        title=title(statement),
        banners=banners(statement),
        role_names=ROLE_NAMES,
        source_note=source_note(statement),
        today=vietnamese_date(statement.payment_day, weekday=False),
    )
    return html.encode("utf-8")


def statement_files(statement: Statement) -> dict[str, bytes]:
    stem = f"nhuan-but-{statement.month}"
    return {
        f"{stem}.xlsx": xlsx_bytes(statement),
        f"{stem}.csv": csv_bytes(statement),
        f"{stem}.html": html_bytes(statement),
    }
