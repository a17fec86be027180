"""The build as CI runs it: a fresh `git clone` (every source file gets a new mtime), then
`cache/` and `output/` restored by actions/cache, which packs them with `tar --posix` (file
times kept to the nanosecond). The incremental build must still skip what did not change:
no page rendered, no search shard rebuilt, no item read again; and after an edit, only that
item's pages, with the same output as a build from scratch."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portal.site.incremental import same_time
from tests.conftest import make_site
from tests.site.test_incremental import assert_same_as_cold

# Pelican run in-process with the portal's count of rendered pages on stderr (its log
# level hides it from `make html`).
COUNTING_BUILD = """
import logging, sys
from pelican import main
handler = logging.StreamHandler(sys.stderr)
handler.addFilter(lambda record: "Trang:" in record.getMessage())
logger = logging.getLogger("portal.site.plugin")
logger.setLevel(logging.INFO)
logger.addHandler(handler)
main(["--fatal", "errors", "content", "-o", "output", "-s", "pelicanconf.py"])
"""
GIT_USER = ["-c", "user.name=CI", "-c", "user.email=ci@example.vn"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *GIT_USER, *args], cwd=cwd, check=True, capture_output=True)


def counted_build(root: Path) -> tuple[int, int]:
    """Build `root` as `make html` does; returns (pages rendered, pages)."""
    result = subprocess.run(
        [sys.executable, "-c", COUNTING_BUILD],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"Trang: (\d+) dựng lại / (\d+)", result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2])


def fresh_checkout(origin: Path, checkout: Path) -> None:
    """actions/checkout: a new clone at the same path (the runner's workspace is fixed)."""
    shutil.rmtree(checkout, ignore_errors=True)
    git(origin.parent, "clone", "-q", str(origin), str(checkout))


def restore(archive: Path, checkout: Path) -> None:
    subprocess.run(["tar", "-xf", str(archive)], cwd=checkout, check=True)


def shard_folders(output: Path) -> dict[str, int]:
    """Each search shard's folder and its inode: a rebuilt shard is a new folder."""
    return {p.name: p.stat().st_ino for p in (output / "pagefind").iterdir() if p.is_dir()}


@pytest.fixture
def ci(tmp_path) -> dict:
    """A repository of the sample portal, built once in a clone and its cache saved as
    actions/cache saves it."""
    origin, checkout = tmp_path / "origin", tmp_path / "checkout"
    origin.mkdir()
    make_site(origin, with_sample_content=True)
    (origin / ".gitignore").write_text("cache/\noutput/\n__pycache__/\n", encoding="utf-8")
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "Cổng")
    fresh_checkout(origin, checkout)
    rendered, pages = counted_build(checkout)
    assert rendered == pages > 100
    archive = tmp_path / "cache.tar"
    subprocess.run(
        ["tar", "--posix", "-cf", str(archive), "cache", "output"], cwd=checkout, check=True
    )
    item = checkout / "content/tin-tuc/2026-11-06-chinh-quyen-hai-cap.md"
    assert item.is_file()
    return {
        "origin": origin,
        "checkout": checkout,
        "archive": archive,
        "pages": pages,
        "item_mtime": item.stat().st_mtime_ns,
    }


def test_a_fresh_clone_with_the_restored_cache_renders_nothing(ci):
    checkout = ci["checkout"]
    fresh_checkout(ci["origin"], checkout)
    item = checkout / "content/tin-tuc/2026-11-06-chinh-quyen-hai-cap.md"
    assert item.stat().st_mtime_ns != ci["item_mtime"]  # the clone reset the sources' times
    restore(ci["archive"], checkout)
    kept = cache_files(checkout)
    assert kept, "the reader's cache and the items' snapshots were restored"
    shards = shard_folders(checkout / "output")

    assert counted_build(checkout) == (0, ci["pages"])
    assert shard_folders(checkout / "output") == shards
    assert cache_files(checkout) == kept  # every item from its snapshot: no shard rewritten


def cache_files(checkout: Path) -> dict[str, int]:
    """The reader's cache and the items' snapshots, each shard file with its mtime."""
    folders = [checkout / "cache/portal-read", checkout / "cache/portal-items"]
    return {
        str(path.relative_to(checkout)): path.stat().st_mtime_ns
        for folder in folders
        for path in sorted(folder.glob("*"))
    }


def test_an_edit_after_a_fresh_clone_renders_only_its_pages(ci, tmp_path):
    checkout = ci["checkout"]
    fresh_checkout(ci["origin"], checkout)
    item = checkout / "content/tin-tuc/2026-11-06-chinh-quyen-hai-cap.md"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("\n\n", "\n\nĐã cập nhật nội dung.\n\n", 1), encoding="utf-8")
    restore(ci["archive"], checkout)
    before = shard_folders(checkout / "output")

    rendered, pages = counted_build(checkout)
    assert 0 < rendered < pages / 4
    after = shard_folders(checkout / "output")
    assert sorted(after) == sorted(before)
    assert [name for name in after if after[name] != before[name]] == ["2026-q4"]  # its quarter
    assert_same_as_cold(checkout, tmp_path / "scratch")


def test_a_cache_kept_to_whole_seconds_still_keeps_the_pages(ci, tmp_path):
    """A plain `tar -cf` (GNU format) keeps whole seconds only: the pages' files are kept
    all the same (their mtime is the recorded one cut to the second)."""
    checkout, archive = ci["checkout"], tmp_path / "seconds.tar"
    fresh_checkout(ci["origin"], checkout)
    restore(ci["archive"], checkout)
    subprocess.run(["tar", "-cf", str(archive), "cache", "output"], cwd=checkout, check=True)
    fresh_checkout(ci["origin"], checkout)
    restore(archive, checkout)
    page = checkout / "output/index.html"
    assert page.stat().st_mtime_ns % 1_000_000_000 == 0  # the archive cut the times

    assert counted_build(checkout) == (0, ci["pages"])


def test_only_a_time_cut_to_its_second_counts_as_the_recorded_one():
    recorded = 1_764_000_000_123_456_789
    assert same_time(recorded, recorded)
    assert same_time(1_764_000_000_000_000_000, recorded)  # cut by the archive
    assert not same_time(1_764_000_001_000_000_000, recorded)  # another second
    assert not same_time(1_764_000_000_123_456_790, recorded)  # touched since
    assert not same_time(1_764_000_000_000_000_001, recorded)
