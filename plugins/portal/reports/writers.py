"""The report as Markdown (readable anywhere, charts beside it) and as a workbook."""

from collections import Counter

from portal.dates import week_code
from portal.reports.charts import units_chart, weekly_chart
from portal.reports.report import Report, week_label
from portal.royalties.output import workbook_bytes
from portal.royalties.statement import fill_sheet, when
from portal.schema import KIND_NAMES
from portal.vntext import fold


def ranked(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda pair: (-pair[1], fold(pair[0]), pair[0]))


def title(report: Report) -> str:
    return f"BÁO CÁO TIN BÀI ĐĂNG TRÊN CỔNG TTĐT SỞ NỘI VỤ — {report.period.label.upper()}"


def summary_tables(report: Report) -> list[tuple[str, str, list[tuple[str, int]]]]:
    """(heading, what is counted, rows) of the four summaries."""
    return [
        ("Theo đơn vị", "Đơn vị", ranked(report.by_unit)),
        ("Theo chuyên mục", "Chuyên mục", ranked(report.by_section)),
        ("Theo loại tin bài", "Loại", ranked(report.by_kind)),
        ("Theo tác giả", "Tác giả", ranked(report.by_author)),
    ]


def shortfall_text(shortfall) -> str:
    weeks = ", ".join(week_code(monday) for monday in shortfall.weeks_short)
    text = f"{shortfall.unit}: thiếu chỉ tiêu các tuần {weeks}"
    if shortfall.since and shortfall.since == shortfall.until:
        text += f"; thiếu liên tục 1 tuần: tuần {week_label(shortfall.until)}"
    elif shortfall.since:
        text += (
            f"; thiếu liên tục từ tuần {week_label(shortfall.since)} "
            f"đến tuần {week_label(shortfall.until)} ({shortfall.run_weeks} tuần liền)"
        )
    return text


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list, rows: list) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def markdown(report: Report, charts: dict[str, str]) -> str:
    lines = [f"# {title(report)}", ""]
    if report.provisional:
        lines += [
            f"> **TẠM TÍNH:** kỳ báo cáo chưa kết thúc, số liệu đến {when(report.cutoff)}.",
            "",
        ]
    lines += [
        f"Tổng số tin bài đăng trong kỳ: **{len(report.publications)}**; "
        f"gỡ xuống trong kỳ: **{len(report.withdrawn)}**.",
        "",
    ]
    for number, (heading, label, rows) in enumerate(summary_tables(report), 1):
        lines += [f"## {number}. {heading}", ""]
        lines += _table([label, "Số tin bài"], rows) if rows else ["Không có.", ""]
    lines += ["## 5. Chỉ tiêu hằng tuần của các đơn vị (Điều 9.3c)", ""]
    lines += [f"![Số tin và bài mỗi tuần theo đơn vị]({charts['weekly']})", ""]
    lines += _table(
        ["Đơn vị", "Tuần", "Tin", "Bài", "Kết quả"], quota_rows(report, "đạt", "chưa đạt")
    )
    lines += ["## 6. Đơn vị chưa đạt chỉ tiêu (Điều 20)", ""]
    lines += [f"- {shortfall_text(s)}" for s in report.shortfalls] or ["Không có."]
    lines += ["", "## 7. Danh sách tin bài đăng trong kỳ", ""]
    lines += [f"![Tin bài theo đơn vị]({charts['units']})", ""]
    lines += _table(
        ["STT", "Ngày đăng", "Tiêu đề", "Loại", "Đơn vị", "Tệp"],
        list_rows(report, report.publications),
    )
    if report.withdrawn:
        lines += ["## 8. Tin bài gỡ xuống trong kỳ", ""]
        lines += _table(
            ["STT", "Ngày đăng", "Tiêu đề", "Loại", "Đơn vị", "Tệp"],
            list_rows(report, report.withdrawn),
        )
    lines += [
        f"_Tính từ lịch sử nhánh {report.ref} (commit {report.head[:12]}) đến "
        f"{when(report.cutoff)}._",
        "",
    ]
    return "\n".join(lines)


def list_rows(report: Report, items: list) -> list[list]:
    return [
        [
            index,
            when(item.published),
            item.title,
            KIND_NAMES.get(item.kind, item.kind),
            item.unit_name,
            item.path,
        ]
        for index, item in enumerate(items, 1)
    ]


def xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # loaded when a workbook is made (statement.fill_sheet)

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    rows = [("title", [title(report)])]
    if report.provisional:
        rows.append(("banner", [f"TẠM TÍNH: số liệu đến {when(report.cutoff)}"]))
    rows.append(("total", ["Tổng số tin bài", len(report.publications)]))
    for heading, _, pairs in summary_tables(report):
        rows += [("blank", []), ("header", [heading, "Số tin bài"])]
        rows += [("line", [name, count]) for name, count in pairs]
    rows += [("blank", []), ("header", ["Đơn vị chưa đạt chỉ tiêu (Điều 20)"])]
    rows += [("line", [shortfall_text(s)]) for s in report.shortfalls]
    fill_sheet(summary, rows, (60, 14))
    quota = workbook.create_sheet("Chỉ tiêu tuần")
    rows = [("header", ["Đơn vị", "Tuần", "Tin", "Bài", "Đạt chỉ tiêu"])]
    rows += [("line", row) for row in quota_rows(report, "có", "không")]
    fill_sheet(quota, rows, (48, 30, 8, 8, 14))
    listing = workbook.create_sheet("Danh sách")
    header = ("header", ["STT", "Ngày đăng", "Tiêu đề", "Loại", "Đơn vị", "Tệp"])
    listing_rows = [header] + [("line", row) for row in list_rows(report, report.publications)]
    fill_sheet(listing, listing_rows, (6, 18, 70, 18, 24, 50))
    return workbook_bytes(workbook, report.cutoff)


def quota_rows(report: Report, met: str, missed: str) -> list[list]:
    """Each unit's week: news, articles and whether its quota was met, in the words of the
    document ("đạt"/"chưa đạt") or of the workbook's yes/no column ("có"/"không")."""
    return [
        [
            row.unit,
            week_label(row.monday),
            row.news,
            row.articles,
            (missed if row.short else met) if row.finished else "đang diễn ra",
        ]
        for row in report.quota
    ]


def report_files(report: Report) -> dict[str, bytes]:
    stem = f"bao-cao-{report.period.code}"
    charts = {"weekly": f"{stem}-tuan.svg", "units": f"{stem}-don-vi.svg"}
    return {
        f"{stem}.md": markdown(report, charts).encode("utf-8"),
        f"{stem}.xlsx": xlsx(report),
        charts["weekly"]: weekly_chart(report),
        charts["units"]: units_chart(report),
    }
