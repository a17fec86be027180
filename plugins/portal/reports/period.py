"""Report periods: an ISO week `2026-W47`, a month `2026-11` or a year `2026`.

A week belongs to the month or year that holds its Thursday (the ISO rule), so
each week is counted in exactly one monthly and one yearly report.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.dates import WEEK, WEEK_CODE, monday_of, month_after, start_of, week_days
from portal.errors import PortalError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    code: str  # as given: "2026-W47"
    kind: str  # "week", "month" or "year"
    start: datetime
    end: datetime  # first moment after the period

    @property
    def label(self) -> str:
        last = (self.end - timedelta(days=1)).date()
        if self.kind == "week":
            return f"tuần {self.code[-2:]}/{self.code[:4]} ({self.start:%d/%m} – {last:%d/%m/%Y})"
        if self.kind == "month":
            return f"tháng {self.start:%m/%Y}"
        return f"năm {self.start:%Y}"

    def weeks(self) -> list[date]:
        """Mondays of the weeks whose Thursday falls in the period."""
        monday = monday_of(self.start.date())
        if (monday + timedelta(days=3)) < self.start.date():
            monday += WEEK
        result = []
        while monday + timedelta(days=3) < self.end.date():
            result.append(monday)
            monday += WEEK
        return result


def parse_period(text: str) -> Period:
    text = str(text).strip()
    try:
        if WEEK_CODE.fullmatch(text):
            monday, _ = week_days(text)
            return Period(text, "week", start_of(monday), start_of(monday + WEEK))
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            start = date(year, month, 1)
            return Period(text, "month", start_of(start), start_of(month_after(year, month)))
        if match := _YEAR.match(text):
            year = int(match[1])
            return Period(text, "year", start_of(date(year, 1, 1)), start_of(date(year + 1, 1, 1)))
    except ValueError:
        pass
    raise PortalError(
        f"kỳ báo cáo '{text}' không hợp lệ: cần tuần (2026-W47), tháng (2026-11) hoặc năm (2026)"
    )
