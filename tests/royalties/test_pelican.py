"""The build side: the sample portal built with the real Pelican, the internal tally page
switched on, and not one amount anywhere in output/."""

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from portal.content import sitedata
from portal.dates import VIETNAM, recent_months
from portal.royalties.history import read_history
from portal.royalties.output import money
from portal.royalties.pelican import DEFAULTS, get_generators
from portal.royalties.rates import load_rates
from portal.royalties.tally import tally_month
from portal.royalties.words import amount_in_words
from portal.site import PELICAN
from tests.conftest import make_site
from tests.githistory import Commit, Person, Repo, files_in
from tests.site.sitebuild import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample portal committed a minute ago, built with the tally page on."""
    root = tmp_path_factory.mktemp("built")
    make_site(root, with_sample_content=True)
    now = datetime.now(VIETNAM)
    # A minute ago, but never in the previous month: the test tallies the current month.
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    landed = max(now - timedelta(minutes=1), month_start).replace(microsecond=0)
    Repo(root, Person("T", "t@example.vn")).run(Commit("Sample", landed, files_in(root)))
    result = build(root, "-e", "PORTAL_ROYALTY_PAGE=true")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def amounts_of_the_month(root: Path) -> set[int]:
    content = root / "content"
    now = datetime.now(VIETNAM)
    statement = tally_month(
        read_history(content), sitedata.load(content), load_rates(root), f"{now:%Y-%m}", now
    )
    found = {statement.royalty_total, statement.allowance_total, statement.payment_total}
    for person in statement.people:
        found |= {person.amount, person.net}
        found |= {line.amount for line in person.lines}
        found |= {line.unit_value for line in person.lines}
    found |= {a.amount for a in statement.allowances}
    assert statement.royalty_total > 0 and len(found) > 5  # the proof below is not vacuous
    return found


def leaks(text: str, forms: set[str]) -> list[str]:
    return [form for form in forms if form.lower() in text.lower()]


def test_no_amount_reaches_the_public_output(built):
    forms = set()
    for amount in amounts_of_the_month(built):
        forms |= {str(amount), money(amount), f"{amount:,}", amount_in_words(amount).lower()}
    subprocess.run(
        [
            str(PELICAN.parent / "portal"),
            "royalties",
            "--month",
            f"{datetime.now(VIETNAM):%Y-%m}",
            "--out",
            str(built / "statement"),
        ],
        cwd=built,
        capture_output=True,
        check=True,
    )
    (statement,) = (built / "statement").glob("*.html")
    assert len(leaks(statement.read_text(encoding="utf-8"), forms)) > 5  # the scan does see them
    for path in (built / "output").rglob("*"):
        if path.is_file():
            assert not leaks(path.read_bytes().decode("utf-8", "replace"), forms), path


def test_the_internal_page_lists_authors_and_counts_only(built):
    page = built / "output" / DEFAULTS["PORTAL_ROYALTY_PAGE_SAVE_AS"]
    html = page.read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Hoàng Văn Đức" in html and "Phòng Cải cách hành chính" in html
    # whole words: a title may say "công nghệ số" (digital technology)
    assert not re.search(r"\bhệ số\b", html.lower()) and "đồng" not in html
    home = (built / "output" / "index.html").read_text(encoding="utf-8")
    assert "noi-bo" not in home  # linked from nowhere


def test_the_page_is_off_by_default():
    class Fake:
        settings = {}

    assert DEFAULTS["PORTAL_ROYALTY_PAGE"] is False
    assert get_generators(Fake()) is None
    Fake.settings = {"PORTAL_ROYALTY_PAGE": True}
    assert get_generators(Fake()) is not None


def test_recent_months_cross_the_new_year():
    assert recent_months(datetime(2027, 2, 3), 3) == ["2027-02", "2027-01", "2026-12"]
