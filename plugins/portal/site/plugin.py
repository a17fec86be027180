"""Pelican adapter: reads items through the content schema, exposes the data files
and Vietnamese filters to templates, and fails the build on any invalid item.

An invalid item is never published: the reader keeps it out of the output and,
once every file is read and before any page is written, the build prints every
problem (`path:line: field: message`, as `portal check` does) and exits 1.
Pelican's own error path would print a traceback, so it is not used. Set
`PORTAL_STRICT = False` (the devserver does) to skip invalid items and go on.

The HTML of every item passes the sanitiser (`sanitize.py`); once the site is written,
`finalized` adds the search index (`search.py`), sitemap.xml and robots.txt.
"""

import hashlib
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader

from portal.content import sitedata
from portal.content.check import duplicate_slugs
from portal.content.dates import VIETNAM, parse_date, vietnamese_date
from portal.content.items import Item, load_item
from portal.errors import Problem
from portal.site import sanitize, search, site_files
from portal.vntext import fold

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
        embeds = self.settings.get("PORTAL_EMBEDS", sanitize.DEFAULT_EMBEDS)
        _report(item.problems)
        _report(sanitize.unsafe_markup(item.body, item.body_line, item.shown, embeds))
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = sanitize.clean(self._md.convert(item.body), embeds)
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
        CONTENT_SECURITY_POLICY=content_security_policy(generator.settings),
        PORTAL_PAGE_DATA=generator.settings.get("PORTAL_PAGE_DATA", {}),
    )
    generator.env.filters.update(vn_date=vietnamese_date, vn_day=_short_date, fold=fold)
    if generator.__class__.__name__ == "PagesGenerator":
        _report(missing_data_templates(generator.settings, generator.env.list_templates()))


def missing_data_templates(settings, templates) -> list[Problem]:
    """Each page named in PORTAL_PAGE_DATA needs its `partials/data-NAME.html` template."""
    return [
        Problem(
            "pelicanconf.py",
            0,
            "PORTAL_PAGE_DATA",
            f"trang '{slug}' cần mẫu theme/templates/partials/data-{name}.html nhưng không có; "
            f"các mẫu dữ liệu hiện có: {', '.join(sorted(_data_names(templates)))}",
        )
        for slug, name in settings.get("PORTAL_PAGE_DATA", {}).items()
        if f"partials/data-{name}.html" not in templates
    ]


def _data_names(templates) -> set[str]:
    return {
        t.removeprefix("partials/data-").removesuffix(".html")
        for t in templates
        if t.startswith("partials/data-")
    }


def content_security_policy(settings) -> str:
    """Everything from the portal itself; frames only from the embed allow-list.
    'wasm-unsafe-eval' lets the search page run Pagefind's WebAssembly."""
    embeds = settings.get("PORTAL_EMBEDS", sanitize.DEFAULT_EMBEDS)
    origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in embeds})
    frames = " ".join(origins) or "'none'"
    return (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
        "img-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self'; "
        f"frame-src {frames}; object-src 'none'; "
        "base-uri 'self'; form-action 'self'"
    )


def order_schedules(schedules: list[dict], today: date) -> list[dict]:
    """The current week first, then the coming weeks, then past weeks newest first."""
    current = "{}-W{:02d}".format(*today.isocalendar()[:2])
    weeks = [
        {
            **week,
            "is_current": week["week"] == current,
            "days": _week_days(week["week"]),
            "entries": [
                {**entry, "date_parsed": parse_date(entry["date"])} for entry in week["entries"]
            ],
        }
        for week in schedules
    ]
    upcoming = sorted((w for w in weeks if w["week"] >= current), key=lambda w: w["week"])
    past = sorted((w for w in weeks if w["week"] < current), key=lambda w: w["week"], reverse=True)
    return upcoming + past


def _week_days(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week written `2026-W49`."""
    year, number = (int(part) for part in week.split("-W"))
    return date.fromisocalendar(year, number, 1), date.fromisocalendar(year, number, 7)


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


LATEST_PER_SECTION = 6


def add_listings(generators) -> None:
    """Per-section latest items (home page columns, "related" lists) and the published
    content kept for the site files, computed once instead of once per page."""
    articles = [a for g in generators for a in getattr(g, "articles", [])]
    pages = [p for g in generators for p in getattr(g, "pages", [])]
    articles.sort(key=lambda a: a.date, reverse=True)
    latest: dict[str, list] = {}
    for article in articles:
        bucket = latest.setdefault(article.section, [])
        if len(bucket) < LATEST_PER_SECTION:
            bucket.append(article)
    for generator in generators:
        if hasattr(generator, "context"):
            generator.context.update(
                LATEST_BY_SECTION=latest,
                FEATURED=[a for a in articles if getattr(a, "featured", False)][:4],
            )
            break
    _published[:] = articles + pages


def write_site_files(pelican) -> None:
    """After every page is written: sitemap.xml, robots.txt and the search index."""
    settings, output = pelican.settings, Path(pelican.output_path)
    public_url = settings.get("PUBLIC_URL") or settings["FEED_DOMAIN"]
    sections = site_data(settings).sections
    site_files.write_sitemap(output, public_url, _published, sections)
    site_files.write_robots(output, public_url)
    if not settings.get("PORTAL_SEARCH", True):
        return
    records = [site_files.search_record(content, output, sections) for content in _published]
    try:
        count = search.write_index([r for r in records if r], output)
    except Exception as error:  # the Pagefind binary is missing or failed: fail closed
        print(
            f"Không tạo được chỉ mục tìm kiếm (Pagefind): {type(error).__name__}: {error}\n"
            "Cài lại gói: .venv/bin/pip install 'pagefind[bin]==1.5.2'",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    logger.info("Chỉ mục tìm kiếm: %d trang", count)


_published: list = []  # articles and pages of this build, for the site files


def reset(_pelican) -> None:
    _site_cache.clear()
    _build_problems.clear()
    _published.clear()


def register() -> None:
    signals.initialized.connect(reset)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(add_context)
    signals.all_generators_finalized.connect(finish_reading)
    signals.all_generators_finalized.connect(add_listings)
    signals.finalized.connect(write_site_files)
