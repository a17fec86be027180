"""Atom feeds that name the public portal: one id per feed (its own address), entry ids and
links on the public domain whatever address the build uses, section feeds titled with the
section's name, and an author for every entry (the issuer of a legal document, else the
unit that sent the item)."""

from feedgenerator import Atom1Feed, Rss201rev2Feed, get_tag_uri
from markupsafe import Markup
from pelican.utils import set_date_tzinfo


def public_base(settings, context) -> str:
    """The portal's public address: feeds are read away from the site, so never relative."""
    return (
        context.get("FEED_DOMAIN") or settings.get("FEED_DOMAIN") or settings.get("PUBLIC_URL")
    ).rstrip("/")


def feed_title(context, code: str | None) -> str:
    """ "Site - Section name" for a section feed (Pelican passes the section's code)."""
    if not code:
        return context["SITENAME"]
    section = context.get("SECTIONS_BY_CODE", {}).get(code)
    return f"{context['SITENAME']} - {section['title'] if section else code}"


def entry_author(item, context) -> str:
    """Who the entry is from: its authors, a legal document's issuer, or the unit."""
    if getattr(item, "author_records", None):
        return ", ".join(author["name"] for author in item.author_records)
    if getattr(item, "issuer", None):
        return item.issuer
    unit = context.get("UNITS", {}).get(getattr(item, "unit", None) or "")
    return unit["name"] if unit else context["SITENAME"]


class PublicFeeds:
    """Mixed into the portal's writer ahead of Pelican's Writer."""

    def _create_new_feed(self, feed_type, title, context):
        feed_class = Rss201rev2Feed if feed_type == "rss" else Atom1Feed
        self._feed_context = context
        return feed_class(
            title=Markup(feed_title(context, title)).striptags(),
            link=public_base(self.settings, context) + "/",
            feed_url=self.feed_url,
            feed_guid=self.feed_url,  # each feed its own id
            description=context.get("SITESUBTITLE", ""),
            subtitle=context.get("SITESUBTITLE", None),
            language=context.get("DEFAULT_LANG"),
        )

    def _add_item_to_the_feed(self, feed, item):
        base = public_base(self.settings, self._feed_context)
        link = f"{base}/{item.url}"
        content = item.get_content(base)  # links inside the entry on the public portal too
        summary = item.summary if item.summary != content else None
        categories = [item.category] if hasattr(item, "category") else []
        categories += list(getattr(item, "tags", []) or [])
        timezone = self.settings.get("TIMEZONE")
        feed.add_item(
            title=Markup(item.title).striptags(),
            link=link,
            unique_id=get_tag_uri(link, item.date),
            description=summary,
            content=content,
            categories=categories or None,
            author_name=entry_author(item, self._feed_context),
            pubdate=set_date_tzinfo(item.date, timezone),
            updateddate=set_date_tzinfo(item.modified, timezone)
            if getattr(item, "modified", None)
            else None,
        )
