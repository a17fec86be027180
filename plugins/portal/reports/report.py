"""The secretary's periodic report (Điều 13.3) and the units' weekly quota (Điều 9.3c).

Counts each item once, at its first publication (the start of its first run of
visibility, see `portal.royalties.history`), with the unit, section, kind and
authors of the version published then. An item withdrawn later still counts
as published; the report lists the withdrawals of the period separately.

Quota: every unit with `quota: true` in content/data/units.yml (from its `since`
date, if given) must publish at least one news item (kind news or event) and one
article (kind article) each ISO week. A unit short in the last finished week is
listed with the first and last week of its unbroken run of short weeks (Điều 20).
An item taken down within 7 days of its publication does not count toward the
quota (it is still counted as published, and listed as withdrawn).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from portal.content.sitedata import SiteData
from portal.dates import WEEK, monday_of, parse_date, week_code
from portal.reports.period import Period
from portal.royalties.history import History
from portal.schema import KIND_NAMES
from portal.vntext import fold

QUOTA_KINDS = {"news": ("news", "event"), "article": ("article",)}
REPORTED_KINDS = ("news", "article", "event", "press", "answer", "legal")
# An item must stay on the portal this long to count toward its unit's weekly quota.
MIN_DAYS_FOR_QUOTA = timedelta(days=7)


@dataclass(frozen=True)
class Publication:
    key: str
    path: str
    title: str
    kind: str
    section: str
    unit: str
    unit_name: str
    authors: tuple
    published: datetime
    withdrawn: datetime | None  # end of the first run, if it ended


@dataclass
class UnitWeek:
    unit: str
    monday: date
    news: int
    articles: int
    finished: bool  # the week is over at the report's cutoff

    @property
    def short(self) -> bool:
        return self.news < 1 or self.articles < 1


@dataclass(frozen=True)
class Shortfall:
    unit: str
    weeks_short: tuple  # Mondays of the period's short (finished) weeks
    since: date | None  # Monday of the first week of the unbroken run, if short now
    run_weeks: int
    until: date | None = None  # Monday of the run's last week: the period's last finished one


@dataclass
class Report:
    period: Period
    cutoff: datetime
    publications: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)
    by_unit: Counter = field(default_factory=Counter)
    by_section: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    by_author: Counter = field(default_factory=Counter)
    quota: list = field(default_factory=list)  # UnitWeek rows of the period, unit by unit
    weekly: dict = field(default_factory=dict)  # unit name -> {monday: count} for the chart
    shortfalls: list = field(default_factory=list)
    ref: str = "main"
    head: str = ""

    @property
    def provisional(self) -> bool:
        return self.cutoff < self.period.end


def publications(history: History, site: SiteData, cutoff: datetime, period: Period) -> list:
    """Every item's first publication up to `cutoff`, oldest first; the authors are read
    (from the full front matter) only for the items of `period`."""
    result = []
    for life in history.items.values():
        runs = life.runs(cutoff)
        if not runs:
            continue
        first = runs[0]
        version = life.version_at(first.start)
        header = version.blob.header
        if header.get("kind") not in REPORTED_KINDS:
            continue
        authors = ()
        if period.start <= first.start < period.end:
            meta = version.meta or {}
            authors = tuple(a.get("id") or a.get("name", "") for a in meta.get("authors") or [])
        result.append(
            Publication(
                key=life.key,
                path=version.path,
                title=header.get("title", version.path),
                kind=header.get("kind", ""),
                section=header.get("section", ""),
                unit=header.get("unit", ""),
                unit_name=_unit_name(site, header.get("unit", "")),
                authors=authors,
                published=first.start,
                withdrawn=first.end,
            )
        )
    return sorted(result, key=lambda p: (p.published, p.path))


def build_report(history: History, site: SiteData, period: Period, as_of: datetime) -> Report:
    cutoff = min(as_of, period.end)
    report = Report(period=period, cutoff=cutoff, ref=history.ref, head=history.head)
    everything = publications(history, site, cutoff, period)
    for item in everything:
        if period.start <= item.published < period.end:
            report.publications.append(item)
            report.by_unit[item.unit_name] += 1
            report.by_section[site.sections.get(item.section, {}).get("title", item.section)] += 1
            report.by_kind[KIND_NAMES.get(item.kind, item.kind)] += 1
            for author in item.authors:
                report.by_author[_person_name(site, author)] += 1
        if item.withdrawn and period.start <= item.withdrawn < period.end:
            report.withdrawn.append(item)
    first_week = monday_of(min((p.published for p in everything), default=period.start).date())
    counts = _weekly_counts(everything)
    _quota(report, site, counts, first_week)
    return report


def _unit_name(site: SiteData, code: str) -> str:
    return site.units.get(code, {}).get("name", code or "(không ghi đơn vị)")


def _person_name(site: SiteData, author: str) -> str:
    person = site.roster.people.get(author) if site.roster else None
    return person.name if person else author


def counts_for_quota(item: Publication) -> bool:
    """An item taken down within MIN_DAYS_FOR_QUOTA of its publication does not count."""
    return item.withdrawn is None or item.withdrawn - item.published >= MIN_DAYS_FOR_QUOTA


def _weekly_counts(items: list[Publication]) -> Counter:
    """(unit code, Monday, "news" | "article") -> number of items first published that week
    and not taken down within days."""
    counts = Counter()
    for item in filter(counts_for_quota, items):
        for quota_kind, kinds in QUOTA_KINDS.items():
            if item.kind in kinds:
                counts[(item.unit, monday_of(item.published.date()), quota_kind)] += 1
    return counts


def quota_units(site: SiteData) -> list[tuple[str, dict]]:
    units = [(code, unit) for code, unit in site.units.items() if unit.get("quota")]
    return sorted(units, key=lambda pair: fold(pair[1]["name"]))


def _quota(report: Report, site: SiteData, counts: Counter, history_start: date) -> None:
    weeks = [monday for monday in report.period.weeks() if monday <= report.cutoff.date()]
    for code, unit in quota_units(site):
        since = history_start
        if "since" in unit:  # the quota applies from then; nothing is known before history
            since = max(history_start, monday_of(parse_date(unit["since"])))
        rows = [_unit_week(code, unit, monday, counts, report.cutoff) for monday in weeks]
        rows = [row for row in rows if row.monday >= since]
        report.quota.extend(rows)
        report.weekly[unit["name"]] = {row.monday: (row.news, row.articles) for row in rows}
        short = tuple(row.monday for row in rows if row.finished and row.short)
        finished = [row for row in rows if row.finished]
        run_start, run_weeks, run_end = None, 0, None
        if finished and finished[-1].short:
            run_end = finished[-1].monday
            run_start, run_weeks = _short_run(code, run_end, counts, since)
        if short:
            report.shortfalls.append(Shortfall(unit["name"], short, run_start, run_weeks, run_end))


def _unit_week(code, unit, monday, counts, cutoff) -> UnitWeek:
    return UnitWeek(
        unit=unit["name"],
        monday=monday,
        news=counts[(code, monday, "news")],
        articles=counts[(code, monday, "article")],
        finished=(monday + WEEK) <= cutoff.date(),
    )


def _is_short(code: str, monday: date, counts: Counter) -> bool:
    return any(counts[(code, monday, kind)] < 1 for kind in QUOTA_KINDS)


def _short_run(code: str, last: date, counts: Counter, since: date) -> tuple[date, int]:
    """Walk back from `last` while the unit stayed short; never before `since`."""
    monday, weeks = last, 0
    while monday >= since and _is_short(code, monday, counts):
        weeks += 1
        monday -= WEEK
    return monday + WEEK, weeks


def week_label(monday: date) -> str:
    return f"{week_code(monday)} ({monday:%d/%m}–{monday + timedelta(days=6):%d/%m/%Y})"
