"""Dates and times of the portal: always Vietnam time (Asia/Ho_Chi_Minh)."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$"
)


def parse_datetime(text: str) -> datetime:
    """`2026-11-20 08:30` → aware datetime in Vietnam time; ValueError says what is wrong."""
    match = _DATETIME.match(str(text).strip())
    if not match:
        raise ValueError(f"'{text}' không phải ngày giờ dạng YYYY-MM-DD HH:MM")
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        value = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        raise ValueError(f"ngày giờ '{text}' không tồn tại (kiểm tra ngày, tháng, giờ)") from None
    if zone:
        offset = "+00:00" if zone == "Z" else zone
        return datetime.fromisoformat(value.isoformat() + offset).astimezone(VIETNAM)
    return value.replace(tzinfo=VIETNAM)


def parse_date(text: str) -> date:
    return parse_datetime(text).date()


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def vietnamese_date(value: date, weekday: bool = True) -> str:
    """`Thứ Hai, 30/11/2026` (or `30/11/2026`)."""
    text = f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{WEEKDAYS[value.weekday()]}, {text}" if weekday else text


def now() -> datetime:
    """This moment in Vietnam time (the one clock every domain reads)."""
    return datetime.now(VIETNAM)


def start_of(day: date) -> datetime:
    """00:00 of `day`, Vietnam time."""
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM)


# --- months: `2026-11` ------------------------------------------------------------------

MONTH_CODE = re.compile(r"(2\d{3})-(0[1-9]|1[0-2])")


def month_code(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_after(year: int, month: int) -> date:
    """The first day of the month after (year, month)."""
    return date(year + month // 12, month % 12 + 1, 1)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """`2026-11` → (1 Nov 00:00, 1 Dec 00:00), Vietnam time; ValueError if malformed."""
    matched = MONTH_CODE.fullmatch(month) if isinstance(month, str) else None
    if matched is None:
        raise ValueError(
            f"tháng '{month}' không hợp lệ: cần dạng YYYY-MM (năm 2000–2999, tháng 01–12), "
            "ví dụ 2026-11"
        )
    year, number = int(matched[1]), int(matched[2])
    return start_of(date(year, number, 1)), start_of(month_after(year, number))


def next_month_start(moment: datetime) -> datetime:
    """The first moment of the month after `moment`'s, Vietnam time."""
    local = moment.astimezone(VIETNAM)
    return start_of(month_after(local.year, local.month))


def recent_months(moment: datetime, count: int) -> list[str]:
    """The `count` months up to `moment`'s, newest first: ["2026-11", "2026-10", …]."""
    year, month, result = moment.year, moment.month, []
    for _ in range(count):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result


# --- ISO weeks: `2026-W49`, Monday to Sunday ------------------------------------------

WEEK = timedelta(days=7)
WEEK_CODE = re.compile(r"(\d{4})-W(\d{2})")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_code(day: date) -> str:
    """The ISO week holding `day`: `2026-W49`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(code: str) -> tuple[date, date]:
    """Monday and Sunday of the ISO week `2026-W49`; ValueError if there is no such week."""
    matched = WEEK_CODE.fullmatch(str(code))
    if matched is None:
        raise ValueError(f"tuần '{code}' không hợp lệ: cần dạng YYYY-Www, ví dụ 2026-W49")
    year, number = int(matched[1]), int(matched[2])
    return date.fromisocalendar(year, number, 1), date.fromisocalendar(year, number, 7)


def week_began(moment: datetime, window: timedelta) -> datetime | None:
    """The Monday 00:00 (Vietnam time) in (moment - window, moment], if a week began then."""
    monday = start_of(monday_of(moment.astimezone(VIETNAM).date()))
    return monday if moment - window < monday <= moment else None
