"""The shortcuts of the incremental build give what the long way gives.

Each shortcut (a digest worked out once per shared context, a paginator's pages made once,
a page's output file without `os.path` work, a tag's list asked `in` through a set, the
search texts taken from the pages' files) is checked here against the plain computation
it replaces, including the cases it must not skip."""

import os
import random
from collections import ChainMap
from pathlib import Path

import pytest
from jinja2 import Environment
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from portal.site import incremental, search, tracking
from portal.site.incremental import IncrementalWriter, Job, membership_list, relative_root
from portal.site.search import Record

SETTINGS = {"PAGINATION_PATTERNS": [], "SITEURL": ""}


# --- digests worked out once per shared context ------------------------------------------


def _contexts(rng: random.Random, shared: dict, count: int) -> list[ChainMap]:
    """Pages over one shared context, some holding a name of their own that the shared
    context also has (theirs wins, as in Pelican's per-page context)."""
    pages = []
    for number in range(count):
        local = {"output_file": f"p{number}.html", "page_name": f"p{number % 3}"}
        if rng.random() < 0.3:
            local["SECTIONS"] = [f"own {number}"]
        if rng.random() < 0.2:
            local["LATEST"] = {"tin-tuc": [number]}
        pages.append(ChainMap(local, shared))
    return pages


PATHS = [
    ("SECTIONS", ("all",)),
    ("SECTIONS", ("len",)),
    ("SECTIONS", ("item", 0)),
    ("LATEST", ("item", "tin-tuc")),
    ("LATEST", ("item", "khac")),
    ("SITENAME",),
    ("output_file",),
    ("page_name",),
    ("absent",),
]


def test_a_shared_path_digest_is_the_digest_of_each_page():
    rng = random.Random(15)
    for _ in range(30):
        shared = {
            "SECTIONS": [rng.choice("abc") for _ in range(rng.randint(0, 4))],
            "LATEST": {"tin-tuc": [rng.randint(0, 3)], "van-ban": [1]},
            "SITENAME": rng.choice(["Sở Nội vụ", "Cổng"]),
        }
        pages = _contexts(rng, shared, 12)
        memoised, plain = tracking.Digester({}, {}), tracking.Digester({}, {})
        for page in pages:
            for path in PATHS:
                assert memoised.digest_in(page, path) == plain.evaluate(page, path)


def test_unchanged_is_true_only_when_every_digest_is_the_same():
    """The oracle: `evaluate` of each path, page by page, in a build where the shared
    context or a page's own values changed since the digests were recorded (also a page
    that now holds itself a name it read from the shared context)."""
    rng = random.Random(27)
    changes = ["none", "SECTIONS", "LATEST", "SITENAME", "a page's own", "a name made own"]
    for _ in range(60):
        before = {"SECTIONS": ["a", "b"], "LATEST": {"tin-tuc": [1, 2]}, "SITENAME": "Sở"}
        pages = _contexts(random.Random(rng.random()), before, 10)
        recorder, known = tracking.Digester({}, {}), {}
        recorded = [
            incremental._deps(page, rng.sample(PATHS, rng.randint(0, 6)), recorder, known)
            for page in pages
        ]
        after = dict(before)
        change = rng.choice(changes)
        if change == "SECTIONS":
            after["SECTIONS"] = ["a", "c"]
        elif change == "LATEST":
            after["LATEST"] = {"tin-tuc": [1, 3]}
        elif change == "SITENAME":
            after["SITENAME"] = "Cổng"
        now_pages = [ChainMap(dict(page.maps[0]), after) for page in pages]
        if change == "a page's own":
            now_pages[rng.randrange(len(now_pages))].maps[0]["page_name"] = "changed"
        elif change == "a name made own":
            now_pages[rng.randrange(len(now_pages))].maps[0]["SITENAME"] = "Riêng"
        checker, oracle = tracking.Digester({}, {}), tracking.Digester({}, {})
        for page, (shared, own) in zip(now_pages, recorded, strict=True):
            deps = shared + own
            expected = all(oracle.evaluate(page, path) == old for path, old in deps)
            assert checker.unchanged(page, shared, own) is expected
            assert checker.unchanged(dict(page), (), deps) is expected  # one plain dict


def test_pages_share_their_tuple_of_shared_deps():
    shared = {"SECTIONS": ["a"], "SITENAME": "Sở"}
    pages = [ChainMap({"output_file": f"{n}.html"}, shared) for n in range(3)]
    paths = [("SECTIONS", ("all",)), ("SITENAME",), ("output_file",)]
    digester, known = tracking.Digester({}, {}), {}
    records = [incremental._deps(page, paths, digester, known) for page in pages]
    assert records[0][0] is records[1][0] is records[2][0]  # one object for them all
    assert [path for path, _ in records[0][0]] == [("SECTIONS", ("all",)), ("SITENAME",)]
    assert [own for _, own in records] == [
        ((("output_file",), digester.of(f"{n}.html")),) for n in range(3)
    ]


def test_a_page_that_read_a_changed_shared_value_is_not_skipped():
    shared = {"SECTIONS": ["Tin tức"], "SITENAME": "Sở"}
    page, other = ChainMap({"output_file": "a.html"}, shared), ChainMap({}, shared)
    old = tracking.Digester({}, {})
    deps = ((("SECTIONS", ("all",)), old.evaluate(page, ("SECTIONS", ("all",)))),)
    digester = tracking.Digester({}, {})
    assert digester.unchanged(other, deps, ())  # worked out once, for the shared context
    shared["SECTIONS"] = ["Tin tức - Sự kiện"]  # a later build's value
    assert tracking.Digester({}, {}).unchanged(page, deps, ()) is False
    # Within a build the verdict is kept until `forget_shared` (pages rendered here).
    assert digester.unchanged(page, deps, ()) is True
    digester.forget_shared()
    assert digester.unchanged(page, deps, ()) is False


def test_a_path_the_page_holds_itself_is_not_taken_from_the_shared_context():
    shared = {"SECTIONS": ["a"]}
    digester = tracking.Digester({}, {})
    plain = ChainMap({}, shared)
    own = ChainMap({"SECTIONS": ["b"]}, shared)
    path = ("SECTIONS", ("all",))
    assert digester.digest_in(plain, path) != digester.digest_in(own, path)
    assert digester.digest_in(own, path) == tracking.Digester({}, {}).evaluate(own, path)


def test_equal_strings_have_one_digest_and_other_primitives_keep_theirs():
    digester = tracking.Digester({}, {})
    assert digester.of("../..") == digester.of("../..") == tracking.digest("str", "../..")
    assert digester.of("1.0") != digester.of(1.0)
    assert digester.of(0.0) != digester.of(-0.0)  # equal numbers, different text


# --- a paginator's pages, made once ------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 9, 10, 11, 23, 100])
@pytest.mark.parametrize("orphans", [0, 3])
def test_paginator_pages_hold_what_pelicans_hold(count, orphans):
    items = list(range(count))
    settings = {**SETTINGS, "DEFAULT_ORPHANS": orphans}
    ours = tracking.NavigationPaginator(
        "articles", "index.html", "", items, settings, 10, tracking.Tracker()
    )
    theirs = Paginator("index.html", "", items, settings, 10)
    assert ours.num_pages == theirs.num_pages
    for number in range(1, theirs.num_pages + 1):
        page = ours.page(number)
        assert page is ours.page(number)  # one object per number
        assert list(page.object_list) == list(theirs.page(number).object_list)
        assert (page.number, page.has_next(), page.has_previous()) == (
            number,
            theirs.page(number).has_next(),
            theirs.page(number).has_previous(),
        )


# --- output names without os.path work ---------------------------------------------------


NAMES = [
    "index.html",
    "404.html",
    "tin-tuc/index.html",
    "tin-tuc/a-b/index.html",
    "tu-khoa/dung-lai/page/2/index.html",
    "feeds/all.atom.xml",
    ".well-known/x",
    "a./b",
    "...",
    "a b/c",
    "/abs/index.html",
    "a//b/index.html",
    "./index.html",
    "a/./b.html",
    "a/../b.html",
    "a/b/",
    "..",
]


@pytest.mark.parametrize("name", NAMES)
def test_output_file_and_relative_root_are_pelicans(name, tmp_path):
    writer = IncrementalWriter(str(tmp_path / "output"), {})
    assert relative_root(name) == path_to_url(get_relative_path(name))
    try:
        expected_path = sanitised_join(writer.output_path, name)
    except RuntimeError:  # out of the output folder: refused both ways
        with pytest.raises(RuntimeError, match="break out"):
            writer._output_file(name)
        return
    expected_name = os.path.relpath(expected_path, writer.output_path).replace(os.sep, "/")
    assert writer._output_file(name) == (expected_path, expected_name)


def test_output_file_under_a_relative_output_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writer = IncrementalWriter("output/", {})
    for name in NAMES[:6]:
        assert writer._output_file(name) == (sanitised_join("output/", name), name)


def test_a_name_that_climbs_out_is_refused_as_pelican_refuses_it(tmp_path):
    writer = IncrementalWriter(str(tmp_path / "output"), {})
    with pytest.raises(RuntimeError, match="break out"):
        writer._output_file("../elsewhere/index.html")


# --- `in` through a set ------------------------------------------------------------------


class Article:
    pass


def test_membership_is_lists_membership():
    site = [Article() for _ in range(200)]
    rng = random.Random(3)
    for _ in range(20):
        members = rng.sample(site, rng.randint(0, 50))
        fast = membership_list(members)
        assert list(fast) == members and isinstance(fast, list)
        assert [item for item in site if item in fast] == [i for i in site if i in members]
        assert Article() not in fast


def test_unhashable_items_keep_the_plain_membership():
    items = [[1], [2]]
    fast = membership_list(items)
    assert items[0] in fast and [3] not in fast


# --- search texts: digests kept, texts read for the shards indexed again ------------------


def _record(page: str, text: str, shard: str, *, held: bool) -> Record:
    return Record(
        url=page.removesuffix("index.html"),
        title=f"Tin {page}",
        text=text if held else None,
        meta={"section": "Tin tức"},
        shard=shard,
        text_digest="" if held else search.text_digest(text),
        page=page,
    )


def test_a_shards_digest_is_the_same_with_the_text_or_its_digest():
    texts = {"a/index.html": "Đà Nẵng", "b/index.html": "Hà Tĩnh"}
    held = {p: _record(p, t, "2026-q4", held=True) for p, t in texts.items()}
    digested = {p: _record(p, t, "2026-q4", held=False) for p, t in texts.items()}
    assert search._shard_digest(held) == search._shard_digest(digested)
    digested["b/index.html"].text_digest = search.text_digest("Hà Tĩnh mới")
    assert search._shard_digest(held) != search._shard_digest(digested)


class _BuiltShard:
    """A shard run already done (the tests' stand-in for Pagefind's)."""

    def finish(self):
        pass

    def close(self):
        pass


def _fake_shard_runs(monkeypatch, build_shard) -> None:
    """Every shard run, in the background or not, is `build_shard(records, target, name)`."""

    def start_shard(records, target, name):
        build_shard(records, target, name)
        return _BuiltShard()

    monkeypatch.setattr(search, "_start_shard", start_shard)


def test_only_the_shards_indexed_again_have_their_texts_read(tmp_path, monkeypatch):
    built = {}

    def build_shard(records, target, name):
        built[name] = {page: record.text for page, record in records.items()}
        (target / name).mkdir(parents=True, exist_ok=True)
        for file in (search.SHARD_FILES[-1], search.WORKER_FILE):
            (target / name / file).write_text(name, encoding="utf-8")
        (target / "pagefind.js").write_text("", encoding="utf-8")

    _fake_shard_runs(monkeypatch, build_shard)
    texts = {"a/index.html": "Một", "b/index.html": "Hai", "c/index.html": "Ba"}
    shards = {"a/index.html": "2026-q4", "b/index.html": "2026-q4", "c/index.html": "2025-q1"}
    asked = []

    def text_of(page):
        asked.append(page)
        return texts[page]

    def records():
        return [_record(p, texts[p], shards[p], held=False) for p in texts]

    state: dict = {}
    search.start_index(records(), tmp_path, state, text_of).finish()
    assert sorted(asked) == sorted(texts) and built["2025-q1"] == {"c/index.html": "Ba"}
    asked.clear(), built.clear()
    search.start_index(records(), tmp_path, state, text_of).finish()
    assert asked == [] and built == {}  # nothing changed: no text read, no shard built
    texts["a/index.html"] = "Một, đã sửa"
    files = search.start_index(records(), tmp_path, state, text_of).finish()[1]
    assert sorted(asked) == ["a/index.html", "b/index.html"] and list(built) == ["2026-q4"]
    assert built["2026-q4"]["a/index.html"] == "Một, đã sửa"
    assert "pagefind/2025-q1/pagefind-entry.json" in files  # listed without being rebuilt


def test_an_unchanged_shard_that_is_incomplete_is_rebuilt_with_its_texts(tmp_path, monkeypatch):
    built = []

    def build_shard(records, target, name):
        built.append((name, sorted(r.text for r in records.values())))
        (target / name).mkdir(parents=True, exist_ok=True)
        for file in (search.SHARD_FILES[-1], search.WORKER_FILE):
            (target / name / file).write_text(name, encoding="utf-8")
        (target / "pagefind.js").write_text("", encoding="utf-8")

    _fake_shard_runs(monkeypatch, build_shard)
    records = [_record("a/index.html", "Một", "2026-q4", held=False)]
    state: dict = {}
    search.start_index(records, tmp_path, state, lambda page: "Một").finish()
    (tmp_path / "pagefind/2026-q4" / search.WORKER_FILE).unlink()  # deleted by hand
    built.clear()
    records = [_record("a/index.html", "Một", "2026-q4", held=False)]
    search.start_index(records, tmp_path, state, lambda page: "Một").finish()
    assert built == [("2026-q4", ["Một"])]


# --- a fresh page's search text, from its file ---------------------------------------------

PAGE = "<html><body><main><article data-search-body><p>Đà Nẵng {n}</p></article></main>"


def _writer_with_page(tmp_path: Path, number: int) -> tuple[IncrementalWriter, Job]:
    writer = IncrementalWriter(str(tmp_path), {})
    template = Environment().from_string(PAGE.replace("{n}", "{{ n }}"))
    job = Job(
        "a/index.html",
        str(tmp_path / "a/index.html"),
        template,
        ChainMap({"n": number, "localsiteurl": ""}, {}),
        {},
    )
    writer.jobs[job.name] = job
    return writer, job


def test_a_fresh_pages_text_is_read_from_its_file_as_it_was_taken(tmp_path):
    writer, job = _writer_with_page(tmp_path, 1)
    place = incremental._render(job, writer.settings, writer.tracker, writer.spool)[-1]
    assert writer.spool.get(place) == "Đà Nẵng 1"
    assert writer.search_text(job.name) == "Đà Nẵng 1"  # not rendered in this build: its file
    writer.texts[job.name] = writer.spool.put("kept")
    assert writer.search_text(job.name) == "kept"  # rendered in this build: kept


def test_a_page_file_gone_since_the_check_is_rendered_again(tmp_path):
    writer, job = _writer_with_page(tmp_path, 2)
    assert not Path(job.path).exists()
    assert writer.search_text(job.name) == "Đà Nẵng 2"
    assert Path(job.path).read_text(encoding="utf-8") == PAGE.replace("{n}", "2")


def test_digests_tell_any_two_tuples_of_strings_apart():
    rng = random.Random(5)
    alphabet = ["a", "b", ",", "'", '"', "\\", "\x00", " ", "đ", "\udc80"]
    seen: dict[str, tuple] = {}
    for _ in range(3000):
        parts = tuple(
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
            for _ in range(rng.randint(0, 3))
        )
        assert seen.setdefault(tracking.digest(*parts), parts) == parts
    assert tracking.digest("ab") != tracking.digest("a", "b") != tracking.digest("a", "", "b")
