"""The month's statement for the accountant: a workbook, a CSV and a printable HTML page.

The CSV and the workbook are written from the same rows (`statement_rows`), so
they always agree; rows are in a fixed order (people by name, their works by
publication time) so the same history gives the same files.
"""

import csv
import io
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from jinja2 import Environment, PackageLoader

from portal.project import REPO_RATES
from portal.royalties.output import money, number, workbook_bytes
from portal.royalties.tally import Statement
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
    "Phần hưởng (%)",
    "Tỷ lệ theo nguồn gốc (%)",
    "Giá trị 1 hệ số (đồng)",
    "Thành tiền (đồng)",
    "Thuế TNCN khấu trừ (đồng)",
    "Thực nhận (đồng)",
)
AMOUNT_AT = COLUMNS.index("Thành tiền (đồng)")
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
    f"BẢNG MẪU: khung hệ số và mức phụ cấp trong {REPO_RATES} chưa theo "
    "QĐ 05/2015/QĐ-UBND; Thư ký Ban Biên tập thay bằng số liệu chính thức trước khi trình ký."
)
PROVISIONAL_BANNER = "TẠM TÍNH: tháng chưa kết thúc, số liệu tính đến {moment}."
DRAFT_BANNER = (
    "BẢN NHÁP, KHÔNG TRÌNH KÝ: {count} lỗi ở tin bài, các tin bài đó chưa được tính "
    "(xem mục tin bài không được trả); sửa rồi lập lại bảng kê."
)
DRAFT_MARK = "BẢN NHÁP — CÓ LỖI, KHÔNG TRÌNH KÝ"
UNIT_VALUE_BANNER = (
    "GIÁ TRỊ 1 HỆ SỐ TẠM TÍNH: {days} chưa có nghị định ban hành; kiểm tra lại trước khi trình ký."
)
SIGN_HINT = "(Ký, ghi rõ họ tên)"
SIGN_TITLES = (
    ("secretary", "NGƯỜI LẬP BIỂU"),
    ("accountant", "KẾ TOÁN"),
    ("head", "TRƯỞNG BAN BIÊN TẬP"),
)
SIGN_COLUMNS = (1, 7, 13)  # where the three blocks sit in the workbook and the CSV


def title(statement: Statement) -> str:
    text = f"BẢNG KÊ CHI TRẢ NHUẬN BÚT VÀ PHỤ CẤP THÁNG {statement.start:%m/%Y}"
    return f"{text} (BẢN NHÁP)" if statement.draft else text


def banners(statement: Statement) -> list[str]:
    result = [DRAFT_BANNER.format(count=len(statement.problems))] if statement.draft else []
    if statement.rates.sample:
        result.append(SAMPLE_BANNER)
    if statement.provisional:
        result.append(PROVISIONAL_BANNER.format(moment=f"{statement.cutoff:%H:%M %d/%m/%Y}"))
    provisional = [uv for uv in used_unit_values(statement) if uv.provisional]
    if provisional:
        days = ", ".join(f"mức từ {uv.start:%d/%m/%Y}" for uv in provisional)
        result.append(UNIT_VALUE_BANNER.format(days=days))
    return result


def used_unit_values(statement: Statement) -> list:
    return sorted(statement.unit_values, key=lambda uv: uv.start)


def legal_bases(statement: Statement) -> list[str]:
    """One line per unit value the amounts used: its legal basis, provisional or not."""
    return [f"Giá trị 1 hệ số {uv.basis}." for uv in used_unit_values(statement)]


def signing_place_and_date(statement: Statement) -> str:
    day = statement.payment_day
    return f"Hà Tĩnh, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def when(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y %H:%M}"


def percent(value: Decimal) -> Decimal:
    """A share for display, rounded to 2 decimals (the amounts use the exact share)."""
    return (value * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()


def _totals_row(style: str, label: str, amount: int, tax: int, net: int) -> tuple:
    cells = ["", label, *[""] * (AMOUNT_AT - 2), amount, tax, net]
    return (style, cells)


def _line_cells(number_in_table: int, person, line) -> list:
    return [
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
        float(percent(line.share)),
        float(percent(line.origin)),
        line.unit_value,
        line.amount,
        None,
        None,
    ]


def statement_rows(statement: Statement) -> list[tuple[str, list]]:
    """(style, cells) rows of the whole statement, top to bottom."""
    rows = [("title", [title(statement)])]
    rows += [("banner", [text]) for text in banners(statement)]
    rows += [("header", list(COLUMNS))]
    number_in_table = 0
    for person in statement.people:
        for line in person.lines:
            number_in_table += 1
            rows.append(("line", _line_cells(number_in_table, person, line)))
        label = f"Cộng: {person.name}"
        rows.append(_totals_row("subtotal", label, person.amount, person.tax, person.net))
    rows.append(
        _totals_row(
            "total",
            "TỔNG CỘNG NHUẬN BÚT",
            statement.royalty_total,
            statement.tax_total,
            statement.net_total,
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
    rows += [("note", [text]) for text in legal_bases(statement)]
    rows += signature_rows(statement)
    rows.append(("note", [source_note(statement)]))
    return rows


def _spread(texts: list[str]) -> list:
    """Three texts placed at the three signature columns."""
    cells = [""] * (SIGN_COLUMNS[-1] + 1)
    for column, text in zip(SIGN_COLUMNS, texts, strict=True):
        cells[column] = text
    return cells


def signature_rows(statement: Statement) -> list[tuple[str, list]]:
    """Place and date; each title, "(Ký, ghi rõ họ tên)", room to sign, then the name."""
    date_cells = [""] * (SIGN_COLUMNS[-1] + 1)
    date_cells[SIGN_COLUMNS[-1]] = signing_place_and_date(statement)
    names = [statement.signers.get(role, "") for role, _ in SIGN_TITLES]
    return [
        ("blank", []),
        ("sign-date", date_cells),
        ("sign", _spread([label for _, label in SIGN_TITLES])),
        ("sign-hint", _spread([SIGN_HINT] * 3)),
        ("blank", []),
        ("blank", []),
        ("blank", []),
        ("sign", _spread(names)),
    ]


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


# A text cell starting like a formula is run by a spreadsheet that opens the file:
# contributors' titles and names are hostile (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(cell) -> str:
    if isinstance(cell, float):
        return format(cell, "g")
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return str(cell)


_FONTS = {  # openpyxl's Font(**…) of each row style
    "sign-hint": {"italic": True},
    "sign-date": {"italic": True},
    "title": {"bold": True, "size": 13},
    "banner": {"bold": True, "color": "C00000"},
    "header": {"bold": True},
    "subtotal": {"bold": True},
    "total": {"bold": True},
    "words": {"italic": True},
    "sign": {"bold": True},
}
_HEADER_COLOUR = "DDEBF7"
_WIDTHS = (5, 24, 14, 26, 50, 40, 14, 18, 16, 14, 8, 8, 10, 10, 14, 14, 14, 14)
_PERCENT_COLUMNS = (
    COLUMNS.index("Phần hưởng (%)") + 1,
    COLUMNS.index("Tỷ lệ theo nguồn gốc (%)") + 1,
)


def xlsx_bytes(statement: Statement) -> bytes:
    from openpyxl import Workbook  # see fill_sheet

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Nhuận bút {statement.month}"
    rows = statement_rows(statement)
    fill_sheet(sheet, rows, _WIDTHS)
    header_row = 1 + next(i for i, (style, _) in enumerate(rows) if style == "header")
    print_on_a4_landscape(sheet, header_row)
    if statement.draft:
        for header in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
            header.center.text = DRAFT_MARK
            header.center.color = "C00000"
    return workbook_bytes(workbook, statement.cutoff)


def print_on_a4_landscape(sheet, header_row: int) -> None:
    """A4 landscape, all columns on one page width (Excel ignores fitToWidth unless
    fitToPage is set), as many pages long as needed, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"


def fill_sheet(sheet, rows: list, widths: tuple) -> None:
    """Rows with their styles; money as whole numbers with a thousands separator."""
    # openpyxl (a quarter of a second) loads when a workbook is made, not when `portal`
    # starts: every command imports this module through its command-line module.
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fonts = {style: Font(**spec) for style, spec in _FONTS.items()}
    header_fill = PatternFill("solid", fgColor=_HEADER_COLOUR)
    for style, cells in rows:
        sheet.append(cells)
        row = sheet.max_row
        for cell in sheet[row]:
            if style in fonts:
                cell.font = fonts[style]
            if style == "header":
                cell.fill = header_fill
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            if isinstance(cell.value, int) and cell.column > 1:
                cell.number_format = "#,##0"
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # text that looks like a formula stays text
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


TEMPLATES = "templates"  # Jinja templates shipped in the package: portal/royalties/templates/


def html_bytes(statement: Statement) -> bytes:
    """The printable statement. Names and titles are contributors' text: escaped."""
    environment = Environment(
        loader=PackageLoader("portal.royalties", TEMPLATES),
        autoescape=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(money=money, number=number, when=when, words=amount_in_words)
    template = environment.get_template("statement.html")
    html = template.render(
        s=statement,
        title=title(statement),
        banners=banners(statement),
        source_note=source_note(statement),
        place_and_date=signing_place_and_date(statement),
        sign_titles=SIGN_TITLES,
        sign_hint=SIGN_HINT,
        legal_bases=legal_bases(statement),
        draft_mark=DRAFT_MARK,
        percent=percent,
    )
    return html.encode("utf-8")


def file_stem(statement: Statement) -> str:
    """A statement with errors is a draft, in its file name too."""
    stem = f"nhuan-but-{statement.month}"
    return f"{stem}-ban-nhap" if statement.draft else stem


def statement_files(statement: Statement) -> dict[str, bytes]:
    stem = file_stem(statement)
    return {
        f"{stem}.xlsx": xlsx_bytes(statement),
        f"{stem}.csv": csv_bytes(statement),
        f"{stem}.html": html_bytes(statement),
    }
