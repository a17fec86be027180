"""Scheduled publishing: an item becomes due when its date comes, not before."""

from datetime import UTC, datetime, timedelta

from portal.dates import VIETNAM, week_began
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


def test_a_new_week_is_due_once_in_the_window():
    """Monday 00:00 in Vietnam (Sunday 17:00 UTC) makes the scheduled run rebuild, so that the
    schedule's weeks are ordered from the right day; only within the window."""
    monday = datetime(2026, 11, 30, 0, 0, tzinfo=VIETNAM)
    window = timedelta(minutes=60)
    assert week_began(monday + timedelta(minutes=20), window) == monday
    assert week_began(monday, window) == monday
    assert week_began(monday + timedelta(minutes=61), window) is None
    assert week_began(monday - timedelta(minutes=1), window) is None
    sunday_utc = datetime(2026, 11, 29, 17, 10, tzinfo=UTC)  # 00:10 Monday in Vietnam
    assert week_began(sunday_utc, window) == monday
