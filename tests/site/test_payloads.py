"""A script or redirect payload in every string field of every kind of item and of every
data file reaches the built pages only as text (the pages are parsed, not grepped)."""

import xml.etree.ElementTree as ElementTree

import pytest

from tests.conftest import make_site
from tests.site.payloads import (
    Page,
    free_string_fields,
    markers_outside_text,
    plant,
    unsafe_markup,
)
from tests.site.sitebuild import build

# Fields the pages show: each must have carried a payload onto at least one page.
SHOWN = (
    *("title", "summary", "tags", "authors.name", "authors.pen_name"),
    *("images.alt", "images.caption", "images.credit", "source.name"),
    *("location", "spokesperson", "question", "asker", "issuer", "signer", "abstract"),
    *("links.name", "units.name", "units.people.name", "units.people.position"),
    *("services.name", "services.guidance", "software.name", "software.description"),
    *("entries.content", "entries.location", "entries.leader", "title"),
)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("payloads")
    corpus = plant(make_site(root, with_sample_content=True))
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output", corpus


def pages(output):
    return {
        str(path.relative_to(output)): path.read_text(encoding="utf-8")
        for path in output.rglob("*.html")
        if "pagefind" not in path.parts
    }


# Free strings that the content rules check beyond the schema: a payload is refused there.
CHECKED_BY_RULES = {"images.src"}


def test_payloads_are_planted_in_every_free_string_field_of_every_schema(planted):
    _output, corpus = planted
    data_names = {f"{name}." for name in ("directory", "schedule", "links", "services")}
    data_names |= {"software.", "units.", "sections.", "leaders."}
    planted_names = corpus.fields()
    missing = []
    for name in sorted(free_string_fields() - CHECKED_BY_RULES):
        short = name.split(".", 1)[1] if any(name.startswith(p) for p in data_names) else name
        if name not in planted_names and short not in planted_names:
            missing.append(name)
    assert not missing, f"no payload was put in: {missing}"


def test_payloads_are_planted_in_every_field_shown(planted):
    _output, corpus = planted
    missing = [name for name in SHOWN if name not in corpus.fields()]
    assert not missing, f"the sample has no such field to fill: {missing}"


def test_every_page_shows_the_payloads_only_as_text(planted):
    output, corpus = planted
    seen = set()
    for name, html in pages(output).items():
        page = Page(html)
        assert unsafe_markup(page) == [], name
        assert markers_outside_text(html, page) == [], name
        seen |= {p.marker for p in corpus.planted if p.marker in html}
    reached = corpus.fields([p for p in corpus.planted if p.marker in seen])
    missing = [name for name in SHOWN if name not in reached]
    assert not missing, f"no page shows these fields (so nothing was tested): {missing}"


def test_every_feed_carries_the_payloads_only_as_text(planted):
    output, _corpus = planted
    feeds = sorted((output / "feeds").glob("*.xml"))
    assert feeds
    for feed in feeds:
        root = ElementTree.parse(feed).getroot()  # well-formed XML
        for element in root.iter():
            if element.get("type") == "html" and element.text:
                page = Page(element.text)
                assert unsafe_markup(page) == [], feed.name
                assert markers_outside_text(element.text, page) == [], feed.name


def test_sitemap_and_search_records_stay_well_formed(planted):
    output, _corpus = planted
    ElementTree.parse(output / "sitemap.xml")
    for url in ElementTree.parse(output / "sitemap.xml").getroot().iter():
        assert "<" not in (url.text or "") and "\n" not in (url.text or "").strip()
