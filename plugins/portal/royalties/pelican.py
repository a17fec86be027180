"""The tally in the Pelican build: an internal page of works per author, never amounts.

Off unless `PORTAL_ROYALTY_PAGE = True`. The page lists, for the last
`PORTAL_ROYALTY_PAGE_MONTHS` months, how many works each author had published
(titles only). It is built from `AuthorTally`, which has no field for money, so
no amount can reach output/: amounts live only in the secretary's statements
under build/royalties/. The page is marked noindex and is linked from nowhere.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from portal import dates
from portal.content import sitedata
from portal.errors import PortalError
from portal.royalties.history import DEFAULT_REF, read_history
from portal.royalties.tally import month_bounds, payable_run
from portal.vntext import fold

logger = logging.getLogger(__name__)

DEFAULTS = {
    "PORTAL_ROYALTY_PAGE": False,
    "PORTAL_ROYALTY_PAGE_MONTHS": 3,
    "PORTAL_ROYALTY_PAGE_SAVE_AS": "noi-bo/thong-ke-tac-gia/index.html",
    "PORTAL_ROYALTY_REF": DEFAULT_REF,
}


@dataclass(frozen=True)
class AuthorRow:
    """Deliberately without coefficients or amounts."""

    name: str
    unit: str
    works: int
    titles: tuple


@dataclass
class MonthTally:
    label: str  # "11/2026"
    rows: list = field(default_factory=list)


@dataclass
class AuthorTally:
    ref: str
    months: list = field(default_factory=list)


def author_tally(content_root: Path, months: list[str], now: datetime, ref: str) -> AuthorTally:
    history = read_history(content_root, ref)
    site = sitedata.load(content_root)
    tally = AuthorTally(ref=ref)
    for month in months:
        start, end = month_bounds(month)
        cutoff = min(now, end)
        per_author: dict[tuple, list] = {}
        for life in history.items.values():
            run = payable_run(life, cutoff)
            if run is None or not start <= run.start < end:
                continue
            meta = life.version_at(cutoff).meta
            for author in meta.get("authors") or []:
                per_author.setdefault(_author_key(author, site), []).append(meta["title"])
        rows = [
            AuthorRow(name, unit, len(titles), tuple(sorted(titles, key=fold)))
            for (name, unit), titles in per_author.items()
        ]
        rows.sort(key=lambda row: (fold(row.name), row.unit))
        tally.months.append(MonthTally(f"{start:%m/%Y}", rows))
    return tally


def _author_key(author: dict, site) -> tuple[str, str]:
    person = site.roster.resolve_author(author) if site.roster else None
    name = person.name if person else author.get("name", "")
    unit_code = author.get("unit") or (person.unit if person else None)
    return name, site.units.get(unit_code, {}).get("name", unit_code or "")


TALLY_TEMPLATE = "templates/tally.html"  # shipped in the package, extends the theme's base


class RoyaltyTallyGenerator(Generator):
    """Writes the internal tally page after the site's own pages."""

    def generate_output(self, writer) -> None:
        settings = {**DEFAULTS, **self.settings}
        now = dates.now()
        try:
            tally = author_tally(
                Path(settings["PATH"]),
                dates.recent_months(now, settings["PORTAL_ROYALTY_PAGE_MONTHS"]),
                now,
                settings["PORTAL_ROYALTY_REF"],
            )
        except PortalError as error:
            logger.warning("Không tạo trang thống kê tác giả: %s", error)
            return
        # The theme's environment (the page extends base.html), escaping names and titles
        # whatever the settings say: they are contributors' text.
        self.env.autoescape = True
        source = files("portal.royalties").joinpath(TALLY_TEMPLATE).read_text(encoding="utf-8")
        writer.write_file(
            settings["PORTAL_ROYALTY_PAGE_SAVE_AS"],
            self.env.from_string(source),
            self.context,
            relative_urls=settings.get("RELATIVE_URLS", False),
            tally=tally,
        )


def get_generators(pelican_object):
    if pelican_object.settings.get("PORTAL_ROYALTY_PAGE", DEFAULTS["PORTAL_ROYALTY_PAGE"]):
        return RoyaltyTallyGenerator
    return None


def register() -> None:
    signals.get_generators.connect(get_generators)
