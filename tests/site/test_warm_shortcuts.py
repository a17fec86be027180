"""The one-item rebuild's shortcuts (session 5) give what the long way gives, and stop
what they start.

Compiled templates kept between builds, Pelican's unused file stamps skipped, an item's
path relative to the content folder kept, a snapshot's names found by the unpickler in
a table, the search index started while the listings render (and its Pagefind runs
stopped when the build stops)."""

import copy
import io
import os
import pickle
import stat
import time
from collections import ChainMap
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from pelican.cache import FileStampDataCacher
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from portal.site import incremental, search, snapshot, templatecache, tracking
from portal.site.incremental import BuildState, IncrementalWriter, Job
from portal.site.plugin import skip_unused_file_stamps
from portal.site.search import Record

# --- compiled templates ----------------------------------------------------------------


def _environment(templates: Path, cache) -> Environment:
    return Environment(loader=FileSystemLoader(str(templates)), bytecode_cache=cache)


def test_a_kept_template_gives_its_page_and_a_changed_one_is_compiled_again(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("Trang {{ n }}", encoding="utf-8")
    first = _environment(templates, templatecache.opened(tmp_path / "cache", "fp"))
    assert first.get_template("page.html").render(n=1) == "Trang 1"
    kept = list((tmp_path / "cache" / templatecache.TEMPLATES_FOLDER / "fp").iterdir())
    assert len(kept) == 1  # the compiled code, kept for the next build
    again = _environment(templates, templatecache.opened(tmp_path / "cache", "fp"))
    assert again.get_template("page.html").render(n=2) == "Trang 2"
    (templates / "page.html").write_text("Tin {{ n }}", encoding="utf-8")
    changed = _environment(templates, templatecache.opened(tmp_path / "cache", "fp"))
    assert changed.get_template("page.html").render(n=3) == "Tin 3"


def test_templates_compiled_under_another_fingerprint_are_never_used(tmp_path):
    templatecache.opened(tmp_path, "old")
    (tmp_path / templatecache.TEMPLATES_FOLDER / "old" / "x.cache").write_bytes(b"code")
    templatecache.opened(tmp_path, "new")
    assert [p.name for p in (tmp_path / templatecache.TEMPLATES_FOLDER).iterdir()] == ["new"]


# --- Pelican's file stamps ---------------------------------------------------------------


def _cacher(tmp_path: Path, caching: bool) -> FileStampDataCacher:
    settings = {"CACHE_PATH": str(tmp_path), "GZIP_CACHE": False, "CHECK_MODIFIED_METHOD": "mtime"}
    return FileStampDataCacher(settings, "Articles", caching, False)


def test_no_stamp_is_taken_while_pelicans_cache_is_off(tmp_path):
    source = tmp_path / "a.md"
    source.write_text("x", encoding="utf-8")
    off = _cacher(tmp_path, caching=False)

    def refuse(path):
        raise AssertionError(f"stamped {path}")

    off._filestamp_func = refuse  # Pelican's stamp, which must not be taken
    skip_unused_file_stamps(off)
    assert off.get_cached_data(str(source), "default") == "default"
    off.cache_data(str(source), "item")
    assert off.get_cached_data(str(source), "default") == "default"  # nothing is kept


def test_pelicans_cache_keeps_its_stamps_when_on(tmp_path):
    source = tmp_path / "a.md"
    source.write_text("x", encoding="utf-8")
    on = _cacher(tmp_path, caching=True)
    skip_unused_file_stamps(on)
    on.cache_data(str(source), "item")
    assert on.get_cached_data(str(source), "default") == "item"
    os.utime(source, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert on.get_cached_data(str(source), "default") == "default"  # changed: read again


# --- an item's relative source path -----------------------------------------------------


def _article(tmp_path: Path, html: str = "<p>x</p>") -> Article:
    settings = {**copy.deepcopy(DEFAULT_CONFIG), "PATH": str(tmp_path)}
    source = str(tmp_path / "tin-tuc" / "a.md")
    article = Article(html, {"title": "A"}, settings=settings, source_path=source)
    incremental.remember_url_parts(article)
    return article


def test_an_items_relative_source_path_is_pelicans_and_kept(tmp_path):
    article = _article(tmp_path)
    pelican_method = Article.get_relative_source_path
    assert article.get_relative_source_path() == pelican_method(article) == "tin-tuc/a.md"
    assert article.__dict__["_relative_source_path"] == "tin-tuc/a.md"  # in its snapshot
    other = str(tmp_path / "files" / "b.pdf")
    assert article.get_relative_source_path(other) == pelican_method(article, other)


# --- a snapshot's names ------------------------------------------------------------------


class _Item:
    pass


def test_a_snapshot_naming_an_object_the_build_does_not_know_is_made_again(tmp_path):
    refs = snapshot.Refs({}, {}, {}, lambda kind, name: (kind, name))
    stranger = object()

    class Naming(pickle.Pickler):
        def persistent_id(self, obj):
            return ("stranger",) if obj is stranger else None

    buffer = io.BytesIO()
    Naming(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump({"other": stranger})
    kept = snapshot.Snapshots(tmp_path / "items", "fingerprint")
    kept.shelf.put("/c/b.md", snapshot.Snapshot("raw", "key", [], "_Item", buffer.getvalue()))
    assert kept.restore("/c/b.md", "raw", _Item, refs) is None


def test_one_name_gives_one_object_of_the_build(tmp_path):
    calls = []

    def make(kind, name):
        calls.append((kind, name))
        return object()

    refs = snapshot.Refs({}, {}, {}, make)
    first = refs.loaded[("wrapper", "tags", "an")]
    assert refs.loaded[("wrapper", "tags", "an")] is first and calls == [("tags", "an")]
    assert refs.loaded[("settings",)] is refs.settings


# --- the search index while the listings render ------------------------------------------

PAGE = "<html><body><main><article data-search-body><p>{{ name }}</p></article></main>"


def _writer(tmp_path: Path, names: list[str]) -> IncrementalWriter:
    writer = IncrementalWriter(str(tmp_path), {})
    template = Environment().from_string(PAGE)
    for name in names:
        context = ChainMap({"name": name, "localsiteurl": ""}, {})
        writer.jobs[name] = Job(name, str(tmp_path / name), template, context, {})
    return writer


def _digests() -> tracking.Digester:
    return tracking.Digester({}, {})


def test_the_items_pages_render_before_the_search_index_starts_and_the_listings_after(
    tmp_path,
):
    writer = _writer(tmp_path, ["tin/a/index.html", "tin/index.html", "luu-tru/index.html"])
    seen = []

    def between():
        seen.append(sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")))
        seen.append({name: writer.search_text(name) for name in writer.texts})

    counts = writer.flush(BuildState(), _digests(), first={"tin/a/index.html"}, between=between)
    assert counts == {"pages": 3, "rendered": 3}
    assert seen == [["tin/a/index.html"], {"tin/a/index.html": "tin/a/index.html"}]
    assert len(writer.texts) == 3  # the listings rendered after it


def test_many_listings_render_before_the_search_index_in_one_share_out(tmp_path):
    names = ["tin/a/index.html"] + [f"page/{n}/index.html" for n in range(70)]
    writer = _writer(tmp_path, names)
    called = []
    writer.flush(BuildState(), _digests(), first={names[0]}, between=lambda: called.append(1))
    assert called == [] and len(writer.texts) == len(names)  # the caller starts it after


def _records(count: int, shards: int) -> list[Record]:
    return [
        Record(f"t/{n}/", f"Tin {n}", f"Đà Nẵng {n}", {}, shard=f"2026-q{n % shards + 1}")
        for n in range(count)
    ]


class _Run:
    """A shard run that logs its steps and leaves the shard's entry file."""

    def __init__(self, log, target, name):
        self.log, self.target, self.name = log, target, name
        log.append(("start", name))

    def finish(self):
        (self.target / self.name).mkdir(parents=True, exist_ok=True)
        (self.target / self.name / search.SHARD_FILES[-1]).write_text("{}", encoding="utf-8")
        self.log.append(("finish", self.name))

    def close(self):
        self.log.append(("close", self.name))


def test_one_shard_to_index_goes_on_until_finished(tmp_path, monkeypatch):
    log = []
    monkeypatch.setattr(search, "_start_shard", lambda recs, target, name: _Run(log, target, name))
    pending = search.start_index(_records(3, 1), tmp_path, {}, None)
    assert log == [("start", "2026-q1")]  # going on while the caller works
    count, files = pending.finish()
    assert log == [("start", "2026-q1"), ("finish", "2026-q1"), ("close", "2026-q1")]
    assert count == 3 and "pagefind/2026-q1/pagefind-entry.json" in files


def test_more_shards_than_cores_are_indexed_at_once(tmp_path, monkeypatch):
    log = []
    monkeypatch.setattr(search, "_start_shard", lambda recs, target, name: _Run(log, target, name))
    shards = len(os.sched_getaffinity(0)) + 1
    search.start_index(_records(3 * shards, shards), tmp_path, {}, None)
    for name in {name for _, name in log}:
        assert [step for step, shard in log if shard == name] == ["start", "finish", "close"]
    assert len(log) == 3 * shards


def test_a_pagefind_run_left_going_is_stopped_and_its_folder_removed(tmp_path, monkeypatch):
    binary = tmp_path / "pagefind"
    binary.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr("pagefind.service.get_executable", lambda: binary)
    records = {"t/1/index.html": Record("t/1/", "Tin", "Đà Nẵng", {})}
    run = search._ShardRun(records, tmp_path / "out", "2026-q1")
    folder = Path(run.folder.name)
    assert run.process.poll() is None and folder.is_dir()
    started = time.monotonic()
    run.close()
    assert run.process.poll() is not None and time.monotonic() - started < 10
    assert not folder.exists()


def test_an_items_static_links_are_pelicans_and_kept(tmp_path):
    html = (
        '<a href="{static}/files/a b.pdf">a</a><img src="{attach}../images/x.png">'
        '<a href="{filename}/tin-tuc/b.md">b</a><a href="{static}c.pdf">c</a>'
    )
    article = _article(tmp_path, html)
    links = article.get_static_links()
    assert (
        links
        == Article.get_static_links(article)
        == {"files/a b.pdf", "images/x.png", "tin-tuc/c.pdf"}
    )
    links.add("changed by the caller")
    assert article.get_static_links() == Article.get_static_links(article)  # its own copy
    assert "_static_links" in article.__dict__  # in its snapshot
