"""Pelican adapter: reads items through the content schema, exposes the data files
and Vietnamese filters to templates, and fails the build on any invalid item.

An invalid item is never published: the reader keeps it out of the output and,
once every file is read and before any page is written, the build prints every
problem (`path:line: field: message`, as `portal check` does) and exits 1.
Pelican's own error path would print a traceback, so it is not used. Set
`PORTAL_STRICT = False` (the devserver does) to skip invalid items and go on.
"""

import hashlib
import logging
import sys
from datetime import date, datetime
from pathlib import Path

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader

from portal.content import sitedata
from portal.content.check import duplicate_slugs
from portal.content.dates import VIETNAM, parse_date, vietnamese_date
from portal.content.items import Item, load_item
from portal.errors import Problem

logger = logging.getLogger(__name__)

KIND_TEMPLATES = {"legal": "legal", "event": "article", "answer": "article", "press": "article"}
# Front-matter fields that Pelican itself interprets; all others pass through as they are.
_PELICAN_FIELDS = ("title", "slug", "status", "lang", "summary")
_site_cache: dict[Path, sitedata.SiteData] = {}
_build_problems: list[Problem] = []  # errors found while reading this build


def site_data(settings) -> sitedata.SiteData:
    """The data files of the content folder, read once per build."""
    root = Path(settings["PATH"]).resolve()
    if root not in _site_cache:
        site = sitedata.load(root)
        _report(site.problems)
        _site_cache[root] = site
    return _site_cache[root]


def _report(problems) -> None:
    """Warnings go to Pelican's log; errors are kept for the end of reading."""
    for problem in problems:
        if problem.is_error:
            _build_problems.append(problem)
        else:
            logger.warning("%s", problem)


class PortalReader(MarkdownReader):
    """Markdown with YAML front matter, validated by the portal's content schema."""

    file_extensions = ["md"]

    def read(self, source_path):
        item = load_item(Path(source_path), site_data(self.settings))
        if not item.ok:  # reported by finish_reading, also when read from the cache
            return "", self.unpublishable(item)
        _report(item.problems)
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(item.body)
        return content, self.metadata_for(item)

    def unpublishable(self, item: Item) -> dict:
        """Metadata that keeps an invalid item out of every page and listing."""
        digest = hashlib.sha1(item.shown.encode("utf-8")).hexdigest()[:12]
        return {
            "title": item.shown,
            "slug": f"invalid-{digest}",
            "status": "draft",
            "date": datetime.now(VIETNAM),
            "source_file": item.shown,
            "invalid": True,
        }

    def metadata_for(self, item: Item) -> dict:
        meta = dict(item.meta)
        metadata = {key: meta[key] for key in meta if key not in _PELICAN_FIELDS}
        metadata.update(
            title=meta["title"],
            slug=item.slug,
            status=meta["status"],
            lang=meta.get("lang", self.settings["DEFAULT_LANG"]),
            date=item.dates["date"],
            category=self.process_metadata("category", meta["section"]),
            section=meta["section"],
            source_file=item.shown,
        )
        if "modified" in item.dates:
            metadata["modified"] = item.dates["modified"]
        if "summary" in meta:
            metadata["summary"] = meta["summary"]
        if meta.get("tags"):
            metadata["tags"] = self.process_metadata("tags", meta["tags"])
        if meta.get("authors"):
            metadata["authors"] = self.process_metadata(
                "authors", [author["name"] for author in meta["authors"]]
            )
            metadata["author_records"] = meta["authors"]
        for name, value in item.dates.items():
            metadata[f"{name}_parsed"] = value
        if meta["kind"] in KIND_TEMPLATES:
            metadata["template"] = KIND_TEMPLATES[meta["kind"]]
        if meta["kind"] == "page" and item.slug == meta["section"]:
            # A section's own page is its landing page: /danh-ba/ rather than /danh-ba/danh-ba/.
            metadata["url"] = f"{item.slug}/"
            metadata["save_as"] = f"{item.slug}/index.html"
        return metadata


def add_reader(readers) -> None:
    readers.reader_classes["md"] = PortalReader


def add_context(generator) -> None:
    """Data files and Vietnamese filters for every template."""
    site = site_data(generator.settings)
    sections = sorted(site.sections.values(), key=lambda s: (s.get("order", 99), s["code"]))
    generator.context.update(
        SECTIONS=sections,
        SECTIONS_BY_CODE=site.sections,
        UNITS=site.units,
        DIRECTORY=site.directory,
        SERVICES=site.services,
        SCHEDULES=order_schedules(site.schedules, datetime.now(VIETNAM).date()),
        SOFTWARE=site.software,
        LINKS=site.links,
    )
    generator.env.filters.update(vn_date=vietnamese_date, vn_day=_short_date)


def order_schedules(schedules: list[dict], today: date) -> list[dict]:
    """The current week first, then the coming weeks, then past weeks newest first."""
    current = "{}-W{:02d}".format(*today.isocalendar()[:2])
    weeks = [
        {
            **week,
            "is_current": week["week"] == current,
            "entries": [
                {**entry, "date_parsed": parse_date(entry["date"])} for entry in week["entries"]
            ],
        }
        for week in schedules
    ]
    upcoming = sorted((w for w in weeks if w["week"] >= current), key=lambda w: w["week"])
    past = sorted((w for w in weeks if w["week"] < current), key=lambda w: w["week"], reverse=True)
    return upcoming + past


def _short_date(value) -> str:
    return vietnamese_date(value, weekday=False)


def finish_reading(generators) -> None:
    """After every file is read, before any page is written: stop on any error."""
    items = []
    for generator in generators:
        for attribute in ("articles", "drafts", "pages", "hidden_pages", "draft_pages"):
            for content in getattr(generator, attribute, []):
                if getattr(content, "invalid", False):
                    site = site_data(generator.settings)
                    _report(load_item(Path(content.source_path), site).problems)
                    continue
                source = getattr(content, "source_file", content.source_path)
                items.append(Item(path=Path(content.source_path), shown=source, slug=content.slug))
    _report(duplicate_slugs(items))
    if not _build_problems:
        return
    problems = sorted(set(_build_problems))
    print("\n".join(map(str, problems)), file=sys.stderr)
    settings = generators[0].settings if generators else {}
    if settings.get("PORTAL_STRICT", True):
        print(
            f"Không xuất bản: {len(problems)} lỗi trong nội dung (chạy 'make check' để xem lại).",
            file=sys.stderr,
        )
        raise SystemExit(1)
    logger.warning("Bỏ qua các tệp có lỗi ở trên; chúng không được đăng.")


def reset(_pelican) -> None:
    _site_cache.clear()
    _build_problems.clear()


def register() -> None:
    signals.initialized.connect(reset)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(add_context)
    signals.all_generators_finalized.connect(finish_reading)
