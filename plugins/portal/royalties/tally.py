"""The month's royalty statement: who is paid what for the items published that month.

An item is paid once in its life, in its *payable month*: the month of the
first run of visibility (see `history`) that is still live at the end of the
month it started in. So an edit after publication is not paid again, an item
reverted and merged again is paid once, and an item withdrawn within the month
is listed but not paid (it is paid in the month it comes back for good). The
amounts are those of the version in force at the end of the month (the
coefficient the head approved), at the unit value of the publication date or
of the payment date (`unit_value_at` in the rates). `month_statement` takes the
rates, the roster and the data as they stood on main at the month's cutoff
(`snapshot`), so a closed month never changes. A statement with item errors is
a draft (`Statement.draft`): the writers mark it so everywhere.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from portal import dates, schema
from portal.content.items import Item, derived_slug
from portal.content.sitedata import SiteData
from portal.errors import PortalError, Problem
from portal.project import REPO_ROSTER
from portal.roster import ROLE_NAMES
from portal.royalties.check import author_groups, check_item_royalty
from portal.royalties.history import History, ItemLife, Version
from portal.royalties.rates import BOARD_ROLES, Rates, decimal, round_vnd
from portal.royalties.snapshot import state_at
from portal.vntext import fold

DEFAULT_SITE_URL = "https://sonoivu.hatinh.gov.vn"
SIGNERS = ("secretary", "accountant", "head")


@dataclass(frozen=True)
class Line:
    """One payee's part of one work."""

    person_id: str
    title: str
    url: str
    kind: str
    section: str
    published: datetime
    work: str
    coefficient: Decimal
    units: Decimal
    share: Decimal  # the payee's part of the work (0–1), exact
    origin: Decimal  # the rate for collected or quoted items (0–1)
    unit_value: int
    amount: int
    path: str

    @property
    def fraction(self) -> Decimal:
        return self.share * self.origin


@dataclass
class PersonTotal:
    person_id: str
    name: str
    pen_name: str
    unit: str
    lines: list = field(default_factory=list)
    tax: int = 0

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def net(self) -> int:
        return self.amount - self.tax


@dataclass(frozen=True)
class AllowanceLine:
    person_id: str
    name: str
    role: str  # Vietnamese role name
    role_code: str
    days: int
    month_days: int
    monthly: int
    amount: int


@dataclass(frozen=True)
class Unpaid:
    title: str
    path: str
    published: datetime
    reason: str


@dataclass
class Statement:
    month: str  # "2026-11"
    start: datetime
    end: datetime  # first moment of the next month
    cutoff: datetime
    payment_day: date
    rates: Rates
    people: list = field(default_factory=list)  # PersonTotal, sorted
    allowances: list = field(default_factory=list)  # AllowanceLine, sorted
    unpaid: list = field(default_factory=list)  # Unpaid: withdrawn, no royalty, errors
    problems: list = field(default_factory=list)
    signers: dict = field(default_factory=dict)  # role -> "name, name"
    ref: str = "main"
    head: str = ""  # the commit of main whose data, roster and rates were used
    unit_values: set = field(default_factory=set)  # UnitValue rows the amounts used

    @property
    def provisional(self) -> bool:
        return self.cutoff < self.end

    @property
    def draft(self) -> bool:
        """Items with errors are left out: the statement is not final and says so."""
        return bool(self.problems)

    @property
    def royalty_total(self) -> int:
        return sum(p.amount for p in self.people)

    @property
    def tax_total(self) -> int:
        return sum(p.tax for p in self.people)

    @property
    def net_total(self) -> int:
        return self.royalty_total - self.tax_total

    @property
    def allowance_total(self) -> int:
        return sum(a.amount for a in self.allowances)

    @property
    def payment_total(self) -> int:
        """What the accountant pays out: royalties after tax, plus allowances."""
        return self.net_total + self.allowance_total

    @property
    def line_count(self) -> int:
        return sum(len(p.lines) for p in self.people)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """`2026-11` → (1 Nov 00:00, 1 Dec 00:00), Vietnam time; PortalError if malformed."""
    try:
        return dates.month_bounds(month)
    except ValueError as error:
        raise PortalError(str(error)) from None


def check_covered(history: History, month: str, as_of: datetime) -> None:
    """The month must have begun, and main's history of items must reach into it: a
    month before the first item landed on main has nothing to go by."""
    start, end = month_bounds(month)
    if as_of < start:
        raise PortalError(f"tháng {month} chưa bắt đầu: chưa có gì để tính")
    cutoff = min(as_of, end)
    first = history.first_landed
    if first is None or first >= cutoff:
        since = f"bắt đầu từ {first:%d/%m/%Y}" if first else "chưa có commit nào"
        raise PortalError(
            f"lịch sử nhánh {history.ref} {since}: không có số liệu cho tháng {month}"
        )
    first_item = history.first_item_landed
    if first_item is None or first_item >= cutoff:
        since = f"từ {first_item:%d/%m/%Y}" if first_item else "chưa có"
        raise PortalError(
            f"tin bài trên nhánh {history.ref} {since}: lịch sử không có số liệu cho tháng "
            f"{month} (trước khi có tin bài đầu tiên)"
        )


def month_statement(
    history: History,
    month: str,
    as_of: datetime,
    payment_day: date | None = None,
    site_url: str = DEFAULT_SITE_URL,
) -> Statement:
    """The month's statement from main alone: items from its history, and the data,
    roster and rates as they stood on main at the month's cutoff (see `snapshot`)."""
    check_covered(history, month, as_of)
    _, end = month_bounds(month)
    with state_at(history, min(as_of, end) - timedelta(microseconds=1)) as state:
        statement = tally_month(
            history, state.site, state.rates, month, as_of, payment_day, site_url
        )
    statement.head = state.commit
    return statement


def payable_run(life: ItemLife, cutoff: datetime, runs: list | None = None):
    """The run the item is paid for, or None: the first one live at the end of its month."""
    for run in life.runs(cutoff) if runs is None else runs:
        if run.end is None or run.end >= dates.next_month_start(run.start):
            return run
    return None


def tally_month(
    history: History,
    site: SiteData,
    rates: Rates,
    month: str,
    as_of: datetime,
    payment_day: date | None = None,
    site_url: str = DEFAULT_SITE_URL,
) -> Statement:
    start, end = month_bounds(month)
    statement = Statement(
        month=month,
        start=start,
        end=end,
        cutoff=min(as_of, end),
        payment_day=payment_day or (end - timedelta(days=1)).date(),
        rates=rates,
        ref=history.ref,
        head=history.head,
    )
    if site.roster is None:
        raise PortalError(f"{REPO_ROSTER} thiếu hoặc không hợp lệ: chạy 'portal check'")
    check_covered(history, month, as_of)
    payees = _Payees(site)
    for life in history.items.values():
        _tally_item(statement, life, site, payees, site_url)
    statement.people = sorted(payees.totals.values(), key=lambda p: (fold(p.name), p.person_id))
    for person in statement.people:
        person.lines.sort(key=lambda line: (line.published, fold(line.title), line.path))
        person.tax = rates.tax_on(person.amount)
    statement.unpaid.sort(key=lambda u: (u.published, u.path))
    statement.allowances = allowances(site, rates, start.date(), statement.payment_day)
    if any(rates.allowances[a.role_code].amount is None for a in statement.allowances):
        statement.unit_values.add(rates.unit_value_on(statement.payment_day))
    statement.signers = signers(site, statement.cutoff - timedelta(seconds=1))
    return statement


def _tally_item(statement: Statement, life: ItemLife, site, payees, site_url: str) -> None:
    runs = life.runs(statement.cutoff)
    paid = payable_run(life, statement.cutoff, runs)
    if paid is not None and statement.start <= paid.start < statement.end:
        version = life.version_at(statement.cutoff)
        lines, problems = item_lines(version, paid.start, site, statement, payees, site_url)
        statement.problems.extend(problems)
        if problems:
            reason = "có lỗi, chưa trả: " + "; ".join(p.message for p in problems)
            statement.unpaid.append(Unpaid(_title(version), version.path, paid.start, reason))
        elif not lines:
            reason = "không tính nhuận bút (không có khối royalty)"
            if version.blob.header.get("kind") != "page":
                statement.unpaid.append(Unpaid(_title(version), version.path, paid.start, reason))
        return
    if paid is not None and paid.start < statement.start:
        return  # paid in an earlier month
    for run in runs:
        if statement.start <= run.start < statement.end and run.end is not None:
            version = life.version_at(run.end - timedelta(microseconds=1))
            reason = f"gỡ xuống lúc {run.end:%H:%M %d/%m/%Y}, không trả nhuận bút"
            statement.unpaid.append(Unpaid(_title(version), version.path, run.start, reason))
            return


def _title(version: Version) -> str:
    return str(version.blob.header.get("title", version.path))


def item_url(meta: dict, site_url: str) -> str:
    slug = meta.get("slug") or derived_slug(meta)
    return f"{site_url.rstrip('/')}/{meta['section']}/{slug}/"


class _Payees:
    """People on the roster as payees, found by id, name or pen name (image credits)."""

    def __init__(self, site: SiteData):
        self.site = site
        self.totals: dict[str, PersonTotal] = {}
        self.by_name = {}
        for person in site.roster.people.values():
            for name in filter(None, (person.name, person.pen_name)):
                self.by_name.setdefault(fold(name), person)

    def total(self, person, author: dict | None = None) -> PersonTotal:
        if person.id not in self.totals:
            unit_code = (author or {}).get("unit") or person.unit
            unit = self.site.units.get(unit_code, {}).get("name", unit_code or "")
            if not unit and person.external:
                unit = "Cộng tác viên ngoài Sở"
            pen_name = person.pen_name or (author or {}).get("pen_name", "")
            self.totals[person.id] = PersonTotal(person.id, person.name, pen_name, unit)
        return self.totals[person.id]


def item_lines(version: Version, published: datetime, site, statement, payees, site_url):
    """The lines an item pays, or the problems that stop it being paid (fail closed)."""
    meta = version.meta
    item = Item(path=Path(version.path), shown=version.path, meta=meta or {}, lines=version.lines)
    if meta is None:  # published in the header, but the YAML does not parse: never paid
        message = "phần đầu YAML không đọc được; chạy 'portal check' để xem lỗi"
        return [], [Problem(item.shown, 1, "", message)]
    if not isinstance(meta.get("royalty"), dict):
        return [], []
    kind = meta.get("kind") if meta.get("kind") in schema.ITEM_KINDS else "common"
    # schema.validate passes a field path as one tuple; Item.line_of takes it unpacked
    problems = schema.validate(kind, meta, item.shown, lambda path: item.line_of(*path))
    problems = problems or [p for p in check_item_royalty(item, site) if p.is_error]
    if problems:
        return [], problems
    rates = statement.rates
    day = published.date() if rates.unit_value_at == "publication" else statement.payment_day
    unit_value = rates.unit_value_on(day)
    common = {
        "title": meta["title"],
        "url": item_url(meta, site_url),
        "kind": schema.KIND_NAMES.get(meta["kind"], meta["kind"]),
        "section": site.sections.get(meta["section"], {}).get("title", meta["section"]),
        "published": published,
        "unit_value": unit_value.value,
        "path": version.path,
    }
    origin = rates.origin_fraction(meta.get("origin"))
    authors = meta["authors"]
    main, photo = author_groups(authors)
    royalty = meta["royalty"]
    work = rates.works[royalty["work"]]
    coefficient = decimal(royalty.get("coefficient", work.default))
    units = decimal(royalty.get("units", 1))
    lines = _shared_lines(authors, main, work, coefficient, units, origin, common, payees)
    lines += _photo_lines(meta, authors, photo, rates, origin, common, payees)
    if lines:
        statement.unit_values.add(unit_value)
    return lines, []


def _shares(authors: list, group: list) -> list[Decimal]:
    if all("share" in authors[i] for i in group):
        return [decimal(authors[i]["share"]) / 100 for i in group]
    return [Decimal(1) / len(group)] * len(group)


def _line(payee: PersonTotal, common: dict, work, coefficient, units, share, origin) -> Line:
    amount = round_vnd(coefficient * units * common["unit_value"] * share * origin)
    line = Line(
        person_id=payee.person_id,
        work=work.name,
        coefficient=coefficient,
        units=units,
        share=share,
        origin=origin,
        amount=amount,
        **common,
    )
    payee.lines.append(line)
    return line


def _shared_lines(authors, group, work, coefficient, units, origin, common, payees) -> list:
    lines = []
    for index, share in zip(group, _shares(authors, group), strict=True):
        person = payees.site.roster.resolve_author(authors[index])
        payee = payees.total(person, authors[index])
        lines.append(_line(payee, common, work, coefficient, units, share, origin))
    return lines


def _photo_lines(meta, authors, photo, rates: Rates, origin, common, payees) -> list:
    """Photographers among the authors share the item's photos; otherwise image credits
    that name a person on the roster pay that person per image."""
    work = rates.works[rates.photo_work]
    coefficient = work.default or work.min
    caps = [c for c in (rates.max_images, work.max_units) if c is not None]
    images = [image for image in meta.get("images") or [] if isinstance(image, dict)]
    if not images:  # paid per image actually in the item: no image, no photo royalty
        return []
    if photo:
        count = min([Decimal(len(images)), *map(Decimal, caps)])
        return _shared_lines(authors, photo, work, coefficient, count, origin, common, payees)
    per_person: dict[str, list] = {}
    for image in images[: int(min(caps)) if caps else None]:
        person = payees.by_name.get(fold(str(image.get("credit", ""))))
        if person is not None:
            per_person.setdefault(person.id, [person, 0])[1] += 1
    return [
        _line(payees.total(person), common, work, coefficient, Decimal(count), Decimal(1), origin)
        for person, count in per_person.values()
    ]


def allowances(site: SiteData, rates: Rates, first: date, payment_day: date) -> list:
    """Each board member's allowance: the highest among the roles held during the month,
    by the days held when `prorate_by_days`."""
    month_days = (dates.month_after(first.year, first.month) - first).days
    days = [first + timedelta(days=n) for n in range(month_days)]
    result = []
    for person in site.roster.people.values():
        best = None
        for role in BOARD_ROLES:
            if role not in rates.allowances:
                continue
            held = sum(1 for day in days if person.holds(role, day))
            if not held:
                continue
            monthly = rates.monthly_allowance(role, payment_day)
            amount = monthly
            if rates.prorate_by_days:
                amount = round_vnd(Decimal(monthly) * held / month_days)
            candidate = AllowanceLine(
                person.id, person.name, ROLE_NAMES[role], role, held, month_days, monthly, amount
            )
            if best is None or candidate.amount > best.amount:
                best = candidate
        if best is not None:
            result.append(best)
    order = {ROLE_NAMES[role]: index for index, role in enumerate(BOARD_ROLES)}
    return sorted(result, key=lambda a: (order[a.role], fold(a.name), a.person_id))


def signers(site: SiteData, moment: datetime) -> dict:
    """Names for the signature blocks: who holds each role at the end of the month."""
    day = moment.date()
    return {
        role: ", ".join(sorted(p.name for p in site.roster.holders(role, day))) for role in SIGNERS
    }
