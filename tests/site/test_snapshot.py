"""What reading keeps between builds: the shards of a cache (shelf.py), the digests of the
sources by their stat (readcache.Digests), the snapshots of Pelican's items (snapshot.py).
The builds themselves, warm against cold, are compared in test_incremental.py."""

import datetime
import os
import pickle

import pytest
from pelican.urlwrappers import Category

from portal.site import readcache, shelf, snapshot


def stamps(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pickle")}


def test_a_shelf_keeps_what_a_build_used_or_put(tmp_path):
    folder = tmp_path / "shelf"
    first = shelf.Shelf(folder, "stamp")
    for number in range(100):
        first.put(f"/site/content/{number}.md", number)
    first.save()
    second = shelf.Shelf(folder, "stamp")
    assert second.entries == {f"/site/content/{n}.md": n for n in range(100)}
    for number in range(99):  # the last source was deleted
        assert second.get(f"/site/content/{number}.md") == number
    second.save()
    assert "/site/content/99.md" not in shelf.Shelf(folder, "stamp").entries
    assert shelf.Shelf(folder, "another stamp").entries == {}


def full_shelf(tmp_path) -> tuple:
    """A shelf saved with 200 sources, so every shard holds some: (its folder, sources)."""
    folder = tmp_path / "shelf"
    sources = [f"/site/content/{number}.md" for number in range(200)]
    first = shelf.Shelf(folder, "stamp")
    for source in sources:
        first.put(source, "old")
    first.save()
    return folder, sources


def test_a_shelf_writes_again_only_the_shard_of_a_changed_value(tmp_path):
    folder, sources = full_shelf(tmp_path)
    before = stamps(folder)
    assert len(before) == shelf.SHARDS
    for name in before:  # a time the next write cannot have by chance
        os.utime(folder / name, ns=(1, 1))
    second = shelf.Shelf(folder, "stamp")
    for source in sources:
        second.get(source)
    second.put(sources[7], "new")
    second.save()
    written = {name for name, stamp in stamps(folder).items() if stamp != 1}
    assert written == {f"{shelf.shard_of(sources[7]):02d}.pickle"}
    assert shelf.Shelf(folder, "stamp").entries[sources[7]] == "new"


def test_a_damaged_shard_is_ignored_and_written_again(tmp_path):
    folder = tmp_path / "shelf"
    first = shelf.Shelf(folder, "stamp")
    sources = [f"/site/content/{number}.md" for number in range(200)]
    for source in sources:
        first.put(source, source.upper())
    first.save()
    damaged = folder / f"{shelf.shard_of(sources[0]):02d}.pickle"
    damaged.write_bytes(damaged.read_bytes()[:40])
    other = next(s for s in sources if shelf.shard_of(s) != shelf.shard_of(sources[0]))
    second = shelf.Shelf(folder, "stamp")
    assert sources[0] not in second.entries
    assert second.get(other) == other.upper()
    second.save()  # the damaged shard holds none of its values now, but is whole again
    stamp, values = pickle.loads(damaged.read_bytes())
    assert stamp == "stamp" and sources[0] not in values


def test_shards_are_the_same_in_every_process():
    # crc32 (of "a": 0xE8B7BE43), not hash(), which changes from one run to the next
    assert shelf.shard_of("a") == 0xE8B7BE43 % shelf.SHARDS


@pytest.fixture
def settled(monkeypatch):
    """Files written by a test are trusted by their stat at once (not after 3 seconds)."""
    monkeypatch.setattr(readcache.Digests, "RECENT_NS", 0)


def test_an_unchanged_source_is_not_read_again(tmp_path, settled):
    source = tmp_path / "tin.md"
    source.write_bytes(b"first")
    digests = readcache.Digests(tmp_path / "digests.pickle")
    assert digests.of(str(source)) == readcache.raw_digest(b"first")
    digests.save()
    kept = pickle.loads((tmp_path / "digests.pickle").read_bytes())
    key, _ = kept[str(source)]
    # a digest that no read could give: returned only if the file is not read again
    (tmp_path / "digests.pickle").write_bytes(pickle.dumps({str(source): (key, "not read")}))
    assert readcache.Digests(tmp_path / "digests.pickle").of(str(source)) == "not read"


def test_a_source_changed_behind_its_old_size_and_time_is_read_again(tmp_path, settled):
    source = tmp_path / "tin.md"
    source.write_bytes(b"first")
    old = source.stat()
    digests = readcache.Digests(tmp_path / "digests.pickle")
    digests.of(str(source))
    digests.save()
    source.write_bytes(b"other")  # same size, and the old times put back (as cp -p would)
    os.utime(source, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert source.stat().st_mtime_ns == old.st_mtime_ns
    again = readcache.Digests(tmp_path / "digests.pickle").of(str(source))
    assert again == readcache.raw_digest(b"other")


def test_a_source_written_just_now_is_not_trusted_by_its_stat(tmp_path):
    source = tmp_path / "tin.md"
    source.write_bytes(b"first")
    digests = readcache.Digests(tmp_path / "digests.pickle")
    digests.of(str(source))
    assert digests.seen[str(source)][0] is None  # its time may not have ticked yet


class Item:
    """Stands for a Pelican content object: a plain object with attributes."""


def refs_for(settings, context, made):
    def make(kind, name):
        key = (kind, name)
        if key not in made:
            made[key] = Category(name, settings)
        return made[key]

    return snapshot.Refs(settings, context, made, make)


def test_a_snapshot_names_the_builds_objects_and_restores_this_builds_own(tmp_path):
    settings, context = {"SITEURL": "", "WITH_FUTURE_DATES": True}, {"generated_content": {}}
    made: dict = {}
    refs = refs_for(settings, context, made)
    section = refs.make_wrapper("category", "tin-tuc")
    item = Item()
    item.__dict__.update(
        settings=settings, _context=context, category=section, tags=[], _content="<p>x</p>"
    )
    kept = snapshot.Snapshots(tmp_path / "items", "fingerprint")
    kept.take("/c/tin.md", "raw", "key", Item, item, refs, ["a warning"])
    kept.save()

    settings2, context2 = dict(settings), {"generated_content": {}}
    made2: dict = {}
    refs2 = refs_for(settings2, context2, made2)
    again = snapshot.Snapshots(tmp_path / "items", "fingerprint")
    assert again.has("/c/tin.md", "raw") and not again.has("/c/tin.md", "other bytes")
    restored, kept = again.restore("/c/tin.md", "raw", Item, refs2)
    assert (kept.key, kept.problems) == ("key", ["a warning"]) and restored is not item
    assert restored.settings is settings2 and restored._context is context2
    assert restored.category is made2[("category", "tin-tuc")]
    assert restored._content == "<p>x</p>" and restored.tags == []
    assert again.restore("/c/tin.md", "other bytes", Item, refs2) is None
    assert (
        snapshot.Snapshots(tmp_path / "items", "another").restore("/c/tin.md", "raw", Item, refs2)
        is None
    )


def test_a_snapshot_whose_state_cannot_be_read_is_made_again(tmp_path):
    settings, context = {"WITH_FUTURE_DATES": True}, {}
    refs = refs_for(settings, context, {})
    kept = snapshot.Snapshots(tmp_path / "items", "fingerprint")
    kept.shelf.put("/c/tin.md", snapshot.Snapshot("raw", "key", [], "Item", b"\x80\x05garbage"))
    assert kept.restore("/c/tin.md", "raw", Item, refs) is None


def test_an_item_dated_in_the_future_is_never_kept(tmp_path):
    """Pelican makes it a draft while its date is to come (WITH_FUTURE_DATES = False):
    a snapshot would keep it a draft after the date."""
    settings, context = {"WITH_FUTURE_DATES": False}, {}
    refs = refs_for(settings, context, {})
    zone = datetime.timezone(datetime.timedelta(hours=7))
    future, past = Item(), Item()
    future.date = datetime.datetime.now(zone) + datetime.timedelta(days=1)
    past.date = datetime.datetime.now(zone) - datetime.timedelta(days=1)
    kept = snapshot.Snapshots(tmp_path / "items", "fingerprint")
    kept.take("/c/future.md", "raw", "key", Item, future, refs, [])
    kept.take("/c/past.md", "raw", "key", Item, past, refs, [])
    assert set(kept.shelf.entries) == {"/c/past.md"}
    assert snapshot.changes_with_time(future, settings)
    assert not snapshot.changes_with_time(future, {"WITH_FUTURE_DATES": True})


def test_a_lazy_shelf_reads_only_the_shards_asked_for_and_writes_only_those(tmp_path):
    folder, sources = full_shelf(tmp_path)
    for name in stamps(folder):
        os.utime(folder / name, ns=(1, 1))
    lazy = shelf.Shelf(folder, "stamp", lazy=True)
    assert lazy.entries == {}
    changed, deleted = sources[0], sources[1]
    same_shard = [s for s in sources if shelf.shard_of(s) == shelf.shard_of(changed)]
    for source in sources:
        if source != deleted:
            lazy.keep(source)  # came from elsewhere: its value stays, unread
    lazy.put(changed, "new")
    lazy.save()
    assert set(lazy.entries) == set(same_shard) - {deleted}
    written = {name for name, stamp in stamps(folder).items() if stamp != 1}
    assert written == {f"{shelf.shard_of(changed):02d}.pickle"}
    again = shelf.Shelf(folder, "stamp")
    assert again.entries[changed] == "new"
    assert all(again.entries[s] == "old" for s in sources if s not in (changed, deleted))
    # the deleted source's value goes with its shard's next write (here: not yet)
    assert (deleted in again.entries) == (shelf.shard_of(deleted) != shelf.shard_of(changed))
