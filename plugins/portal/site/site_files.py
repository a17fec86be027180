"""Files beside the pages: sitemap.xml, robots.txt, and the search record of each page.

Both sitemap and robots name the public portal (`PUBLIC_URL`), whatever URL the
build itself uses, because search engines only ever see the public one.
"""

from pathlib import Path
from xml.sax.saxutils import escape

from portal.dates import vietnamese_date
from portal.files import write_atomically
from portal.site.search import Record, shard_of

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


def sitemap_xml(public_url: str, contents, section_urls) -> str:
    base = public_url.rstrip("/")
    rows = [f"  <url><loc>{escape(base)}/</loc></url>"]
    rows += [f"  <url><loc>{escape(base)}/{escape(url)}</loc></url>" for url in section_urls]
    for content in contents:
        rows.append(
            f"  <url><loc>{escape(base)}/{escape(content.url)}</loc>{_lastmod(content)}</url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def _lastmod(content) -> str:
    """An item's last change; none for a page without a `modified` date, whose `date` only
    orders it (the sample's 2021-01-01 is not when its text last changed)."""
    modified = getattr(content, "modified", None)
    if modified is None and getattr(content, "kind", None) == "page":
        return ""
    return f"<lastmod>{(modified or content.date).date().isoformat()}</lastmod>"


def write_sitemap(output: Path, public_url: str, contents, section_codes) -> None:
    urls = [content for content in contents if content.url not in _section_urls(section_codes)]
    write_atomically(
        output / SITEMAP, sitemap_xml(public_url, urls, _section_urls(section_codes)), durable=False
    )


def _section_urls(section_codes) -> list[str]:
    return [f"{code}/" for code in section_codes]


def robots_txt(public_url: str) -> str:
    sitemap = f"{public_url.rstrip('/')}/{SITEMAP}"
    return f"User-agent: *\nAllow: /\nDisallow: /pagefind/\n\nSitemap: {sitemap}\n"


def write_robots(output: Path, public_url: str) -> None:
    write_atomically(output / ROBOTS, robots_txt(public_url), durable=False)


def search_date(content) -> str:
    """The date a search result shows: none for a page (introduction, services, schedule),
    whose `date` only orders it, not when what it says was true."""
    if getattr(content, "kind", None) == "page":
        return ""
    return vietnamese_date(content.date, weekday=False)


def page_of(content) -> str:
    """The output name of a content's own page ("" when it has none)."""
    return content.save_as.replace("\\", "/") if content.save_as else ""


def search_record(content, text_digests: dict, sections: dict) -> Record | None:
    """The record of one written page, or None when it was not written. `text_digests`
    holds the digest of each page's search text (output name → digest), taken when it
    was rendered; the text itself is read only if the record's shard is indexed again."""
    page = page_of(content)
    digest = text_digests.get(page) if page else None
    if digest is None:
        return None
    section = sections.get(getattr(content, "section", ""), {})
    meta = {
        "section": section.get("title", ""),
        "date": search_date(content),
        "number": getattr(content, "number", ""),
        "lang": getattr(content, "lang", "vi"),
    }
    return Record(
        url=content.url,
        title=content.title,
        text=None,
        meta=meta,
        shard=shard_of(getattr(content, "date", None)),
        text_digest=digest,
        page=page,
    )
