"""Charts of the report as SVG (matplotlib, Agg backend, no display needed).

SVG keeps the Vietnamese text as text; a fixed hash salt and no date in the
metadata make the same data give the same bytes.
"""

import io

from portal.dates import week_code
from portal.reports.report import Report

STYLE = {
    "svg.hashsalt": "portal-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
}


def _pyplot():
    """matplotlib, loaded when a chart is drawn: it takes most of a second, and every
    `portal` command imports this module through `portal report`'s command-line module."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _svg(figure) -> bytes:
    plt = _pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def weekly_chart(report: Report) -> bytes:
    """A grid of units × weeks: news items and articles each week, one above the other,
    red where the unit fell short of its quota (one news item and one article), the
    missing kind in bold."""
    plt = _pyplot()
    with plt.rc_context(STYLE):
        units = sorted(report.weekly)
        mondays = sorted({monday for weeks in report.weekly.values() for monday in weeks})
        figure, axes = plt.subplots(
            figsize=(max(6, 1 + 0.6 * len(mondays)), max(2.5, 0.7 * len(units) + 1.2))
        )
        short = {(row.unit, row.monday) for row in report.quota if row.short and row.finished}
        for y, unit in enumerate(units):
            for x, monday in enumerate(mondays):
                if monday not in report.weekly[unit]:
                    continue
                news, articles = report.weekly[unit][monday]
                missing = (unit, monday) in short
                colour = "#f4cccc" if missing else "#d9ead3"
                axes.add_patch(plt.Rectangle((x - 0.5, y - 0.5), 1, 1, color=colour))
                for offset, count, label in ((-0.2, news, "tin"), (0.2, articles, "bài")):
                    weight = "bold" if missing and count < 1 else "normal"
                    text = f"{count} {label}"
                    axes.text(x, y + offset, text, ha="center", va="center", fontweight=weight)
        axes.set_xlim(-0.5, max(len(mondays), 1) - 0.5)
        axes.set_ylim(len(units) - 0.5, -0.5)
        axes.set_xticks(range(len(mondays)), [week_code(m)[5:] for m in mondays], rotation=90)
        axes.set_yticks(range(len(units)), units)
        axes.set_title(f"Số tin và số bài mỗi tuần theo đơn vị — {report.period.label}")
        axes.set_xlabel(
            "Tuần (đỏ: thiếu chỉ tiêu 01 tin + 01 bài, Điều 9.3c; số in đậm: loại còn thiếu)"
        )
        return _svg(figure)


def units_chart(report: Report) -> bytes:
    """Items published in the period per unit, as horizontal bars."""
    plt = _pyplot()
    with plt.rc_context(STYLE):
        pairs = sorted(report.by_unit.items(), key=lambda pair: (-pair[1], pair[0]))
        figure, axes = plt.subplots(figsize=(7, max(2.5, 0.4 * len(pairs) + 1)))
        names = [name for name, _ in pairs]
        axes.barh(range(len(pairs)), [count for _, count in pairs], color="#3d85c6")
        axes.set_yticks(range(len(pairs)), names)
        axes.invert_yaxis()
        axes.set_xlabel("Số tin bài đã đăng")
        axes.set_title(f"Tin bài đã đăng theo đơn vị — {report.period.label}")
        return _svg(figure)
