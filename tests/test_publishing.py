"""Scheduled publishing: an item becomes due when its date comes, not before."""

from datetime import datetime, timedelta

from portal.content.dates import VIETNAM
from portal.publishing import due_items


def item(site, name, date, status="published"):
    (site / "tin-tuc").mkdir(exist_ok=True)
    (site / "tin-tuc" / name).write_text(
        f"---\ntitle: Tin {name}\nkind: news\ndate: {date}\nsection: tin-tuc\n"
        f"status: {status}\n---\n",
        encoding="utf-8",
    )


def test_only_published_items_dated_within_the_window_are_due(site):
    item(site, "vua-den-gio.md", "2026-12-01 08:00")
    item(site, "chua-den-gio.md", "2026-12-01 09:30")
    item(site, "da-dang-tu-lau.md", "2026-11-30 08:00")
    item(site, "nhap.md", "2026-12-01 08:10", status="draft")
    (site / "tin-tuc" / "hong.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    now = datetime(2026, 12, 1, 8, 30, tzinfo=VIETNAM)
    due = due_items(site, now, timedelta(minutes=60))
    assert [path.name for path, _ in due] == ["vua-den-gio.md"]
    assert due_items(site, now + timedelta(hours=1), timedelta(minutes=60))[0][0].name == (
        "chua-den-gio.md"
    )
