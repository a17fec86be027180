"""Build test: with the sample content, every section that lists items shows its list, its
pagination and its filters (issue 16). The expected items are read from content/ itself, so
the test follows the sample content as it grows.

Sections of news-like kinds list 10 items a page, page 2 holding the rest. Legal documents
and questions with answers are listed whole on page 1 under their filters (portal.js narrows
the list in the browser); the page 2 Pelican makes for them points back to page 1."""

import html as html_module
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from tests.site.sitebuild import build_sample, read_page

REPO = Path(__file__).parents[2]
PER_PAGE = 10  # DEFAULT_PAGINATION in pelicanconf.py
SECTIONS = yaml.safe_load((REPO / "content/data/sections.yml").read_text(encoding="utf-8"))
LISTING = [s for s in SECTIONS if s["kinds"] != ["page"]]
WHOLE_LIST = (["legal"], ["answer"])  # one page with filters, not paginated


def _published_items() -> dict[str, list[dict]]:
    """The sample items each section shows: published and not dated in the future."""
    by_section = defaultdict(list)
    now = datetime.now()
    for path in sorted((REPO / "content").glob("*/*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])
        if meta.get("status") != "published" or meta.get("kind") == "page":
            continue
        if datetime.fromisoformat(str(meta["date"])) > now:
            continue
        by_section[meta["section"]].append(meta)
    return by_section


ITEMS = _published_items()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sections"))


def _main(page: str) -> str:
    """The page's own content: from its heading to the section's feed link (no sidebar)."""
    return page[page.index("<h1>") : page.index('class="feed-link"')]


def _listed_titles(page: str) -> list[str]:
    found = re.findall(
        r'<article class="summary[^"]*">.*?<h[23]><a href="[^"]+">(.*?)</a>', _main(page), re.S
    )
    return [html_module.unescape(title) for title in found]


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select [^>]*data-filter="{name}">(.*?)</select>', page, re.S)
    assert select, name
    values = re.findall(r'<option value="([^"]*)">', select.group(1))
    assert values[0] == "", name  # "Tất cả" first
    return [html_module.unescape(value) for value in values[1:]]


def test_every_listing_section_has_more_than_one_page_of_sample_items():
    for section in LISTING:
        assert len(ITEMS[section["code"]]) > PER_PAGE, section["code"]


@pytest.mark.parametrize(
    "section",
    [s for s in LISTING if s["kinds"] not in WHOLE_LIST],
    ids=lambda s: s["code"],
)
def test_section_lists_ten_items_then_page_two_lists_the_rest(sample, section):
    code = section["code"]
    first, second = read_page(sample, code), read_page(sample, f"{code}/page/2")
    on_first, on_second = _listed_titles(first), _listed_titles(second)
    assert len(on_first) == PER_PAGE, code
    assert f'rel="next" href="../{code}/page/2/"' in first, code
    assert f'rel="prev" href="../../../{code}/"' in second, code
    items = sorted(ITEMS[code], key=lambda item: str(item["date"]), reverse=True)
    assert on_first + on_second == [item["title"] for item in items], code  # newest first


@pytest.mark.parametrize("code", [s["code"] for s in LISTING if s["kinds"] == ["legal"]])
def test_legal_section_lists_every_document_under_filters_with_choices(sample, code):
    first, second = read_page(sample, code), read_page(sample, f"{code}/page/2")
    documents = ITEMS[code]
    numbers = re.findall(r'class="doc-number"><a href="[^"]+">([^<]+)</a>', _main(first))
    assert sorted(numbers) == sorted(d["number"] for d in documents), code
    assert f"({len(documents)} văn bản)" in first
    assert 'rel="next"' not in first  # one list, no pages to step through
    assert f'<a href="../../../{code}/">trang đầu của chuyên mục</a>' in second, code
    _points_to_page_one(first, second, code)
    expected = {
        "type": sorted({d["doc_type"] for d in documents}, key=str.lower),
        "issuer": sorted({d["issuer"] for d in documents}, key=str.lower),
        "year": sorted({str(d["issued"])[:4] for d in documents}, reverse=True),
    }
    for name, values in expected.items():
        assert _options(first, name) == values, (code, name)
        assert len(values) > 1, (code, name)  # the sample gives every filter a choice


def test_answer_section_lists_every_question_under_filters_with_choices(sample):
    first, second = read_page(sample, "hoi-dap"), read_page(sample, "hoi-dap/page/2")
    answers = ITEMS["hoi-dap"]
    titles = re.findall(
        r'<article class="answer-summary".*?<h3><a href="[^"]+">(.*?)</a>', first, re.S
    )
    assert sorted(html_module.unescape(t) for t in titles) == sorted(a["title"] for a in answers)
    assert 'rel="next"' not in first
    assert '<a href="../../../hoi-dap/">trang đầu của chuyên mục</a>' in second
    _points_to_page_one(first, second, "hoi-dap")
    fields = sorted({a["field"] for a in answers if a.get("field")}, key=str.lower)
    years = sorted({str(a["date"])[:4] for a in answers}, reverse=True)
    assert _options(first, "field") == fields and len(fields) > 1
    assert _options(first, "year") == years and len(years) > 1


def _points_to_page_one(first: str, second: str, code: str) -> None:
    """A later page of a section listed whole on page 1 names page 1 as canonical and is
    kept out of search engines; page 1 itself is indexed."""
    canonical = re.compile(rf'<link rel="canonical" href="[^"]*/{code}/">')
    assert canonical.search(first) and canonical.search(second), code
    assert '<meta name="robots" content="noindex, follow">' in second, code
    assert 'content="noindex' not in first, code
