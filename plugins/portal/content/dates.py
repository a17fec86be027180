"""Dates and times of the portal: always Vietnam time (Asia/Ho_Chi_Minh)."""

import re
from datetime import date, datetime
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
