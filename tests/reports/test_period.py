"""Report periods: ISO weeks, months, years; a week belongs where its Thursday is."""

from datetime import date

from portal.dates import week_code
from portal.reports.period import parse_period


def test_week():
    period = parse_period("2026-W47")
    assert (period.start.date(), period.end.date()) == (date(2026, 11, 16), date(2026, 11, 23))
    assert period.label == "tuần 47/2026 (16/11 – 22/11/2026)"
    assert [week_code(m) for m in period.weeks()] == ["2026-W47"]


def test_month_takes_the_weeks_whose_thursday_it_holds():
    weeks = [week_code(m) for m in parse_period("2026-11").weeks()]
    assert weeks == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]  # W49's Thursday: 3/12
    assert [week_code(m) for m in parse_period("2026-12").weeks()][0] == "2026-W49"


def test_year_has_52_or_53_weeks():
    assert len(parse_period("2026").weeks()) == 53  # 1/1/2026 is a Thursday
    assert len(parse_period("2027").weeks()) == 52
    assert week_code(parse_period("2027").weeks()[0]) == "2027-W01"
