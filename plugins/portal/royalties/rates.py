"""The royalty and allowance rates: `reviews/royalty-rates.yml`, dated data the secretary edits.

Validated by the JSON Schema `data-royalty-rates` plus the rules a schema cannot
say (min ≤ default ≤ max, dates in order, one amount per allowance). Amounts are
whole đồng; every multiplication is done in `Decimal` and rounded half up.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from portal import schema, yamlfile
from portal.dates import parse_date
from portal.errors import PortalError, Problem, display_path
from portal.project import REPO_RATES

SCHEMA = "data-royalty-rates"
BOARD_ROLES = ("head", "deputy", "secretary", "member", "administrator")


@dataclass(frozen=True)
class Work:
    code: str
    name: str
    min: Decimal
    max: Decimal
    unit: str = ""
    default: Decimal | None = None
    max_units: Decimal | None = None


@dataclass(frozen=True)
class UnitValue:
    start: date
    base_salary: int
    value: int
    source: str
    provisional: bool = False  # its source is not an issued decree (yet)

    @property
    def basis(self) -> str:
        """The legal basis as printed on a statement."""
        note = " — TẠM TÍNH: chưa có nghị định ban hành" if self.provisional else ""
        return (
            f"từ {self.start:%d/%m/%Y}: lương cơ sở {_money(self.base_salary)} đồng, "
            f"1 hệ số = {_money(self.value)} đồng ({self.source}){note}"
        )


@dataclass(frozen=True)
class Allowance:
    role: str
    base_salary_coefficient: Decimal | None = None
    amount: int | None = None


@dataclass(frozen=True)
class Rates:
    path: str  # as shown to the user
    sample: bool
    source: str
    unit_value_at: str  # "publication" or "payment"
    unit_values: tuple[UnitValue, ...]  # oldest first
    works: dict  # code -> Work
    origins: dict  # origin -> Decimal fraction
    photo_work: str
    max_images: int | None
    tax_threshold: int
    tax_rate: Decimal
    tax_source: str
    prorate_by_days: bool
    allowances: dict  # role -> Allowance

    def unit_value_on(self, day: date) -> UnitValue:
        """The unit value in force on `day`; PortalError before the first entry."""
        current = None
        for entry in self.unit_values:
            if entry.start <= day:
                current = entry
        if current is None:
            raise PortalError(
                f"{self.path}: unit_values: không có giá trị hệ số cho ngày "
                f"{day:%d/%m/%Y}; thêm một dòng có from sớm hơn"
            )
        return current

    def origin_fraction(self, origin: str | None) -> Decimal:
        return self.origins[origin or "original"]

    def tax_on(self, total: int) -> int:
        return round_vnd(Decimal(total) * self.tax_rate) if total >= self.tax_threshold else 0

    def monthly_allowance(self, role: str, day: date) -> int:
        rule = self.allowances.get(role)
        if rule is None:
            return 0
        if rule.amount is not None:
            return rule.amount
        return round_vnd(rule.base_salary_coefficient * self.unit_value_on(day).base_salary)


# Nghị định 18/2014/NĐ-CP: one royalty coefficient is worth 10% of the base salary.
UNIT_VALUE_SHARE = Decimal("0.1")
DECREE = re.compile(r"^Nghị định (số )?\d+/\d{4}/NĐ-CP\b")


def unit_value_of(base_salary: int) -> int:
    return round_vnd(Decimal(base_salary) * UNIT_VALUE_SHARE)


def is_issued_decree(source: str) -> bool:
    return bool(DECREE.match(unicodedata.normalize("NFC", source.strip())))


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def round_vnd(value: Decimal) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def decimal(value) -> Decimal:
    """YAML numbers as exact decimals: 0.7 stays 0.7, not 0.6999…"""
    return Decimal(str(value))


def parse_rates(text: str, shown: str) -> tuple[Rates | None, list[Problem]]:
    return _validated(yamlfile.parse_yaml(text, 1, shown, require_mapping=False))


def _validated(parsed: yamlfile.YamlDocument) -> tuple[Rates | None, list[Problem]]:
    problems = parsed.problems or schema.validate(SCHEMA, parsed.data, parsed.shown, parsed.line_of)
    if problems:
        return None, problems
    problems = _rules(parsed)
    if any(p.is_error for p in problems):
        return None, problems
    return _build(parsed.data, parsed.shown), problems


def load_rates(repo_root: Path) -> Rates:
    """The rates of the repository at `repo_root`; PortalError lists every problem."""
    rates, problems = read_rates(Path(repo_root) / REPO_RATES)
    if rates is None:
        raise PortalError(f"{REPO_RATES} không hợp lệ:", problems)
    return rates


_cache: dict[Path, tuple[tuple, tuple]] = {}


def read_rates(path: Path) -> tuple[Rates | None, list[Problem]]:
    """Read and validate a rates file, cached until the file changes."""
    path = Path(path).resolve()
    shown = display_path(path)
    try:
        stat = path.stat()
    except OSError:
        message = f"thiếu tệp bảng nhuận bút {REPO_RATES} (xem docs/royalties.md)"
        return None, [Problem.about(message, shown)]
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached is None or cached[0] != stamp:
        _cache[path] = (stamp, _validated(yamlfile.read_file(path, shown, require_mapping=False)))
    rates, problems = _cache[path][1]
    return rates, list(problems)


def _build(data: dict, shown: str) -> Rates:
    works = {
        w["code"]: Work(
            code=w["code"],
            name=w["name"],
            unit=w.get("unit", ""),
            min=decimal(w["min"]),
            max=decimal(w["max"]),
            default=decimal(w["default"]) if "default" in w else None,
            max_units=decimal(w["max_units"]) if "max_units" in w else None,
        )
        for w in data["works"]
    }
    allowances = {
        a["role"]: Allowance(
            role=a["role"],
            base_salary_coefficient=(
                decimal(a["base_salary_coefficient"]) if "base_salary_coefficient" in a else None
            ),
            amount=a.get("amount"),
        )
        for a in data["allowances"]["roles"]
    }
    return Rates(
        path=shown,
        sample=data["sample"],
        source=data["source"]["title"],
        unit_value_at=data["unit_value_at"],
        unit_values=tuple(
            UnitValue(
                parse_date(u["from"]),
                u["base_salary"],
                unit_value_of(u["base_salary"]),
                u["source"],
                u.get("provisional", False) or not is_issued_decree(u["source"]),
            )
            for u in data["unit_values"]
        ),
        works=works,
        origins={key: decimal(value) for key, value in data["origins"].items()},
        photo_work=data["photos"]["work"],
        max_images=data["photos"].get("max_images"),
        tax_threshold=data["tax"]["threshold"],
        tax_rate=decimal(data["tax"]["rate"]),
        tax_source=data["tax"]["source"],
        prorate_by_days=data["allowances"]["prorate_by_days"],
        allowances=allowances,
    )


def _rules(parsed: yamlfile.YamlDocument) -> list[Problem]:
    """What the schema cannot say."""
    data, problems = parsed.data, []

    def problem(path: tuple, message: str) -> None:
        problems.append(parsed.problem(path, message))

    previous = None
    for index, entry in enumerate(data["unit_values"]):
        try:
            start = parse_date(entry["from"])
        except ValueError as error:
            problem(("unit_values", index, "from"), str(error))
            continue
        if previous is not None and start <= previous:
            problem(("unit_values", index, "from"), "các dòng phải xếp theo ngày tăng dần")
        previous = start
        if index and entry["base_salary"] < data["unit_values"][index - 1]["base_salary"]:
            problem(
                ("unit_values", index, "base_salary"),
                f"lương cơ sở {_money(entry['base_salary'])} thấp hơn mức trước "
                f"{_money(data['unit_values'][index - 1]['base_salary'])}: lương cơ sở chưa "
                "bao giờ giảm, kiểm tra lại số (thiếu hay thừa chữ số 0?)",
            )
        expected = unit_value_of(entry["base_salary"])
        if "value" in entry and entry["value"] != expected:
            problem(
                ("unit_values", index, "value"),
                f"giá trị 1 hệ số phải bằng 10% lương cơ sở {_money(entry['base_salary'])} "
                f"(Nghị định 18/2014/NĐ-CP), tức {_money(expected)} đồng, không phải "
                f"{_money(entry['value'])}; sửa value hoặc bỏ trống để tự tính",
            )
        if entry.get("provisional") is False and not is_issued_decree(entry["source"]):
            problem(
                ("unit_values", index, "provisional"),
                "provisional: false chỉ dùng khi source là số hiệu nghị định đã ban hành "
                "(ví dụ: Nghị định 73/2024/NĐ-CP)",
            )
    codes = {}
    for index, work in enumerate(data["works"]):
        if work["code"] in codes:
            problem(
                ("works", index, "code"),
                f"mã '{work['code']}' trùng với dòng {codes[work['code']]}",
            )
        codes.setdefault(work["code"], parsed.line_of(("works", index, "code")))
        low, high = decimal(work["min"]), decimal(work["max"])
        if low > high:
            problem(("works", index, "max"), f"hệ số cao nhất (max) {high} nhỏ hơn min {low}")
        if "default" in work and not low <= decimal(work["default"]) <= high:
            problem(("works", index, "default"), f"hệ số mặc định phải nằm trong {low}–{high}")
    if data["photos"]["work"] not in codes:
        problem(("photos", "work"), f"mã '{data['photos']['work']}' không có trong works")
    roles = set()
    for index, rule in enumerate(data["allowances"]["roles"]):
        if rule["role"] in roles:
            problem(("allowances", "roles", index, "role"), f"vai trò '{rule['role']}' bị lặp")
        roles.add(rule["role"])
        if ("amount" in rule) == ("base_salary_coefficient" in rule):
            problem(
                ("allowances", "roles", index),
                "ghi đúng một trong hai: base_salary_coefficient (hệ số × lương cơ sở) "
                "hoặc amount (số tiền)",
            )
    return problems
