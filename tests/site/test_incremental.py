"""Incremental builds give the same site, byte for byte, as a build from scratch.

One portal tree is built again after each change (edits, additions, deletions, a rename,
a template, a setting, a data file); after each step a copy of the tree is built from
scratch, without cache or output, and every file of the two outputs is compared, search
index included (Pagefind's output is deterministic for the same records)."""

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.site import readcache
from tests.conftest import make_site
from tests.site.sitebuild import build

ITEM = """---
title: {title}
kind: news
date: 2026-{month:02d}-{day:02d} 08:30
section: {section}
unit: van-phong
status: published
summary: Tin thử nghiệm dựng lại từng phần.
tags: [dựng lại, {tag}]
authors:
  - name: Lê Thị Minh Thu
    id: thu-ltm
    unit: van-phong
---

{body}
"""


def item(title: str, *, month=10, day=1, section="tin-tuc", tag="thử nghiệm", body="") -> str:
    body = body or f"Nội dung của tin {title} tại Đà Nẵng và Hà Tĩnh."
    return ITEM.format(title=title, month=month, day=day, section=section, tag=tag, body=body)


def output_files(root: Path) -> dict[str, bytes]:
    output = root / "output"
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }


def assert_same_as_cold(root: Path, scratch: Path) -> None:
    """Build a copy of `root`'s sources from scratch and compare every output file."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for name in ("content", "theme", "reviews", ".github"):
        shutil.copytree(root / name, scratch / name)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(root / name, scratch / name)
    result = build(scratch)
    assert result.returncode == 0, result.stderr
    warm, cold = output_files(root), output_files(scratch)
    assert sorted(warm) == sorted(cold)
    different = [name for name in cold if warm[name] != cold[name]]
    assert different == []


def rebuild(root: Path) -> None:
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def portal(tmp_path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    content = make_site(root, with_sample_content=True)
    extra = content / "tin-tuc" / "them"
    extra.mkdir()
    for number in range(1, 13):  # two pages of the section and of the tag listing
        (extra / f"tin-{number}.md").write_text(
            item(f"Tin thêm số {number}", day=number), encoding="utf-8"
        )
    rebuild(root)
    return root


def test_rebuilds_after_each_change_equal_a_build_from_scratch(portal, tmp_path):
    content, scratch = portal / "content", tmp_path / "scratch"
    extra = content / "tin-tuc" / "them"
    steps = [
        # an old item's text; a new item at the top of every listing
        lambda: _edit(extra / "tin-3.md", "Nội dung của tin", "Nội dung đã sửa của tin"),
        lambda: (extra / "tin-13.md").write_text(
            item("Tin mới nhất", month=11, day=30), encoding="utf-8"
        ),
        # a title shown in the section's and the tag's listings and in "related" lists
        lambda: _edit(extra / "tin-12.md", "Tin thêm số 12", "Tin thêm số mười hai"),
        lambda: (extra / "tin-5.md").unlink(),  # its page and its search record go
        lambda: (extra / "tin-6.md").rename(extra / "tin-sau.md"),  # a new slug and URL
        lambda: _edit(extra / "tin-7.md", "section: tin-tuc", "section: thong-tin-khac"),
        lambda: _edit(portal / "theme/templates/partials/related.html", "Tin cùng", "Các tin cùng"),
        lambda: _edit(
            portal / "pelicanconf.py", "DEFAULT_PAGINATION = 10", "DEFAULT_PAGINATION = 4"
        ),
        lambda: _edit(
            content / "data/units.yml", "name: Văn phòng Sở", "name: Văn phòng Sở Nội vụ"
        ),
        lambda: _edit(content / "data/sections.yml", "title: Tin tức - Sự kiện", "title: Tin tức"),
    ]
    for step in steps:
        step()
        rebuild(portal)
        assert_same_as_cold(portal, scratch)


def test_unchanged_pages_are_not_written_again(portal):
    page = portal / "output/tin-tuc/tin-them-so-1/index.html"
    other = portal / "output/van-ban/quyet-dinh-27-qd-snv/index.html"
    before = page.stat().st_mtime_ns, other.stat().st_mtime_ns
    _edit(portal / "content/tin-tuc/them/tin-1.md", "Nội dung của tin", "Nội dung mới của tin")
    rebuild(portal)
    assert "Nội dung mới của tin" in page.read_text(encoding="utf-8")
    assert page.stat().st_mtime_ns != before[0]
    assert other.stat().st_mtime_ns == before[1]


def test_deleted_items_disappear_from_output_and_search(portal):
    gone = portal / "output/tin-tuc/tin-them-so-2/index.html"
    assert gone.is_file()
    (portal / "content/tin-tuc/them/tin-2.md").unlink()
    rebuild(portal)
    assert not gone.exists() and not gone.parent.exists()
    pages = "".join(p.read_text(encoding="utf-8") for p in (portal / "output").rglob("*.html"))
    assert "tin-them-so-2/" not in pages
    sitemap = (portal / "output/sitemap.xml").read_text(encoding="utf-8")
    assert "tin-them-so-2" not in sitemap and "tin-them-so-3" in sitemap


def test_an_invalid_item_stops_the_build_whether_or_not_it_was_cached(portal):
    cached = portal / "content/tin-tuc/them/tin-4.md"
    new = portal / "content/tin-tuc/them/tin-moi.md"
    new.write_text(item("Tin có lỗi").replace("kind: news", "kind: tin"), encoding="utf-8")
    # the cached item becomes invalid without changing: its section is no longer known
    _edit(cached, "section: tin-tuc", "section: chuyen-muc-la")
    for _ in range(2):  # the second build finds the valid items in the cache
        result = build(portal)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "tin-moi.md:3: kind:" in result.stderr
        assert "tin-4.md:5: section:" in result.stderr and "chuyen-muc-la" in result.stderr
        assert "Không xuất bản: 2 lỗi" in result.stderr


def test_a_data_file_change_rereads_cached_items(portal):
    """sections.yml is part of the reading fingerprint: a cached item of a section that
    disappears is read again and refused."""
    sections = portal / "content/data/sections.yml"
    text = sections.read_text(encoding="utf-8")
    start = text.index("- code: dang-doan-the")
    end = text.index("- code:", start + 1)
    sections.write_text(text[:start] + text[end:], encoding="utf-8")
    result = build(portal)
    assert result.returncode == 1
    assert "section:" in result.stderr and "dang-doan-the" in result.stderr


# One Pelican instance builds, then CHANGES (path, old, new) are made, ready for a rebuild.
BUILD_THEN_CHANGE = """
from pathlib import Path
from pelican import get_instance, parse_arguments

pelican, _ = get_instance(parse_arguments(["content", "-o", "output", "-s", "pelicanconf.py"]))
pelican.run()
for path, old, new in CHANGES:
    path = Path(path)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
"""
# Two builds by one Pelican instance, as `make devserver` rebuilds after each change.
DEVSERVER = BUILD_THEN_CHANGE + "pelican.run()\n"


def test_a_rebuild_in_the_same_process_equals_a_build_from_scratch(portal, tmp_path):
    """The devserver's second build starts afresh: the data files, the items and the
    problems of the first are not kept."""
    changes = [
        ("content/data/units.yml", "name: Văn phòng Sở", "name: Văn phòng Sở Nội vụ"),
        ("content/tin-tuc/them/tin-3.md", "Nội dung của tin", "Nội dung đã sửa của tin"),
    ]
    script = f"CHANGES = {changes!r}\n{DEVSERVER}"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=portal, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Văn phòng Sở Nội vụ" in (portal / "output/index.html").read_text(encoding="utf-8")
    assert_same_as_cold(portal, tmp_path / "scratch")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Two builds by one Pelican instance; the second counts the content objects Pelican makes.
COUNTED = (
    BUILD_THEN_CHANGE
    + """
import json
from pelican import contents

made, make = [], contents.Content.__init__

def counted(self, *args, **kwargs):
    made.append(Path(kwargs.get("source_path") or args[3]).name)
    make(self, *args, **kwargs)

contents.Content.__init__ = counted
pelican.run()
print(json.dumps([name for name in made if name.endswith(".md")]))
"""
)


def items_made(portal: Path, changes) -> list[str]:
    """The names of the items Pelican made anew (not from a snapshot) in a second build."""
    script = f"CHANGES = {changes!r}\n{COUNTED}"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=portal, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_rebuild_makes_only_the_changed_items_and_equals_a_build_from_scratch(portal, tmp_path):
    changes = [("content/tin-tuc/them/tin-3.md", "Nội dung của tin", "Nội dung đã sửa của tin")]
    # and the sample's item dated in the future, made on every build (it turns from a draft
    # into a published item the day its date comes)
    assert sorted(items_made(portal, changes)) == ["2030-01-01-hen-gio-dang.md", "tin-3.md"]
    assert_same_as_cold(portal, tmp_path / "scratch")
    # a data file is part of the reading fingerprint: every item is made again
    units = [("content/data/units.yml", "name: Văn phòng Sở", "name: Văn phòng Sở Nội vụ")]
    made = items_made(portal, units)
    assert "tin-3.md" in made and len(made) == len(list((portal / "content").rglob("*.md")))
    assert_same_as_cold(portal, tmp_path / "scratch")


def test_damaged_snapshots_are_made_again(portal, tmp_path):
    shards = sorted((portal / "cache/portal-items").glob("*.pickle"))
    assert shards
    for number, shard in enumerate(shards):
        data = shard.read_bytes()
        # truncated files, garbage, and whole shards whose snapshots hold damaged states
        if number % 3 == 0:
            shard.write_bytes(data[: len(data) // 2])
        elif number % 3 == 1:
            shard.write_bytes(b"not a pickle")
        else:
            stamp, snapshots = pickle.loads(data)
            for kept in snapshots.values():
                kept.state = kept.state[:-3]
            shard.write_bytes(pickle.dumps((stamp, snapshots)))
    _edit(portal / "content/tin-tuc/them/tin-3.md", "Nội dung của tin", "Nội dung đã sửa của tin")
    rebuild(portal)
    assert_same_as_cold(portal, tmp_path / "scratch")
    rebuild(portal)  # the snapshots were written again, whole
    assert_same_as_cold(portal, tmp_path / "scratch")


def test_a_source_changed_with_its_old_size_and_times_is_read_again(portal, tmp_path):
    """As `cp -p` or a restored backup may leave it: its change time still shows it."""
    time.sleep(readcache.Digests.RECENT_NS / 1e9)  # the sources' stat is trusted from now
    rebuild(portal)
    source = portal / "content/tin-tuc/them/tin-3.md"
    before = source.stat()
    text = source.read_text(encoding="utf-8")
    changed = text.replace("Nội dung của tin", "Nội dung khác tin")  # the same length
    assert len(changed.encode()) == len(text.encode()) and changed != text
    source.write_text(changed, encoding="utf-8")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    rebuild(portal)
    assert "Nội dung khác tin" in (portal / "output/tin-tuc/tin-them-so-3/index.html").read_text(
        encoding="utf-8"
    )
    assert_same_as_cold(portal, tmp_path / "scratch")


def test_an_english_version_of_a_kept_item_equals_a_build_from_scratch(portal, tmp_path):
    """The portal's translations are items of their own (`lang: en`, `translation_of`):
    one is added beside a kept item (restored from its snapshot), then removed."""
    translation = portal / "content/tin-tuc/them/tin-4-en.md"
    english = item("News number four").replace(
        "status: published", "status: published\nlang: en\ntranslation_of: tin-them-so-4"
    )
    translation.write_text(english, encoding="utf-8")
    rebuild(portal)
    assert (portal / "output/tin-tuc/news-number-four/index.html").is_file()
    assert_same_as_cold(portal, tmp_path / "scratch")
    translation.unlink()
    rebuild(portal)
    assert not (portal / "output/tin-tuc/news-number-four").exists()
    assert_same_as_cold(portal, tmp_path / "scratch")
