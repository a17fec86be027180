"""Report periods: an ISO week `2026-W47`, a month `2026-11` or a year `2026`.

A week belongs to the month or year that holds its Thursday (the ISO rule), so
each week is counted in exactly one monthly and one yearly report.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.dates import VIETNAM
from portal.errors import PortalError

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
WEEK = timedelta(days=7)


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
        monday = self.start.date() - timedelta(days=self.start.weekday())
        if (monday + timedelta(days=3)) < self.start.date():
            monday += WEEK
        result = []
        while monday + timedelta(days=3) < self.end.date():
            result.append(monday)
            monday += WEEK
        return result


def week_code(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM)


def parse_period(text: str) -> Period:
    text = str(text).strip()
    try:
        if match := _WEEK.match(text):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return Period(text, "week", _at(monday), _at(monday + WEEK))
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            start = date(year, month, 1)
            end = date(year + month // 12, month % 12 + 1, 1)
            return Period(text, "month", _at(start), _at(end))
        if match := _YEAR.match(text):
            year = int(match[1])
            return Period(text, "year", _at(date(year, 1, 1)), _at(date(year + 1, 1, 1)))
    except ValueError:
        pass
    raise PortalError(
        f"kỳ báo cáo '{text}' không hợp lệ: cần tuần (2026-W47), tháng (2026-11) hoặc năm (2026)"
    )
