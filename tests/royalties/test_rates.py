"""The rates file: schema plus the rules a schema cannot say, each at its line."""

from datetime import date
from pathlib import Path

import pytest

from portal.project import REPO_RATES
from portal.royalties.rates import parse_rates

REPO = Path(__file__).resolve().parents[2]
SHIPPED = (REPO / REPO_RATES).read_text(encoding="utf-8")


def problems_of(text: str) -> list:
    rates, problems = parse_rates(text, "reviews/royalty-rates.yml")
    assert rates is None
    return problems


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_shipped_table_is_valid_and_marked_sample():
    rates, problems = parse_rates(SHIPPED, "reviews/royalty-rates.yml")
    assert problems == [] and rates.sample
    assert rates.unit_value_on(date(2019, 7, 1)).value == 149_000
    assert rates.unit_value_on(date(2023, 6, 30)).value == 149_000
    assert rates.unit_value_on(date(2023, 7, 1)).value == 180_000
    assert rates.unit_value_on(date(2026, 6, 30)).value == 234_000
    assert rates.unit_value_on(date(2026, 7, 1)).value == 253_000
    assert rates.tax_on(1_999_999) == 0 and rates.tax_on(2_000_000) == 200_000


def test_min_above_max_is_reported_at_max():
    text = SHIPPED.replace(
        "code: tin, name: Tin, unit: tin, min: 0.3, max: 1.0, default: 0.5",
        "code: tin, name: Tin, unit: tin, min: 1.3, max: 1.0",
    )
    (problem,) = problems_of(text)
    assert (problem.field, problem.line) == ("works[0].max", line_of(text, "code: tin,"))
    assert "nhỏ hơn min 1.3" in problem.message


def test_unit_values_must_be_in_date_order():
    text = SHIPPED.replace('from: "2023-07-01"', 'from: "2018-07-01"')
    (problem,) = problems_of(text)
    assert problem.field == "unit_values[1].from"
    assert problem.message == "các dòng phải xếp theo ngày tăng dần"


def test_allowance_needs_exactly_one_amount():
    text = SHIPPED.replace(
        "{role: head, base_salary_coefficient: 0.3}",
        "{role: head, base_salary_coefficient: 0.3, amount: 500000}",
    )
    (problem,) = problems_of(text)
    assert problem.field == "allowances.roles[0]" and "đúng một trong hai" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("unit_value_at: publication", "unit_value_at: payday", "unit_value_at", "chỉ nhận"),
        ("rate: 0.1", "rate: 10", "tax.rate", "phải ≤ 1"),
        ("sample: true", "sample: yes", "sample", "đúng/sai"),
        ("  work: anh", "  work: hinh", "photos.work", "không có trong works"),
    ],
)
def test_schema_and_yaml_problems_are_vietnamese_and_located(old, new, field, words):
    text = SHIPPED.replace(old, new)
    problems = problems_of(text)
    assert any(p.field == field and words in p.message for p in problems), problems
