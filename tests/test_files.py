"""Atomic writes: the old file or the new one, permissions kept, errors named."""

import os

import pytest

from portal.errors import PortalError
from portal.files import write_atomically


def test_new_file_is_world_readable_and_existing_file_keeps_its_mode(tmp_path):
    new = tmp_path / "a" / "moi.txt"
    write_atomically(new, "Sở Nội vụ")
    assert new.read_text(encoding="utf-8") == "Sở Nội vụ"
    assert new.stat().st_mode & 0o777 == 0o644
    old = tmp_path / "cu.md"
    old.write_bytes(b"cu")
    os.chmod(old, 0o600)
    write_atomically(old, b"moi", durable=False)
    assert old.read_bytes() == b"moi" and old.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "cu.md"]  # no temporary left


def test_unwritable_place_is_a_clear_error_and_the_old_file_stays(tmp_path):
    blocker = tmp_path / "tep"
    blocker.write_text("không phải thư mục", encoding="utf-8")
    with pytest.raises(PortalError, match="không ghi được .*tep/x.md"):
        write_atomically(blocker / "x.md", b"data")
    assert blocker.read_text(encoding="utf-8") == "không phải thư mục"


def test_a_temporary_file_left_by_a_killed_writer_is_not_in_the_way(tmp_path, monkeypatch):
    import itertools

    from portal import files

    monkeypatch.setattr(files, "_written", itertools.count())
    left = tmp_path / f".index.html.{os.getpid()}-0.tmp"
    left.write_bytes(b"half")
    write_atomically(tmp_path / "index.html", "trang")
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "trang"
    assert left.read_bytes() == b"half"  # not ours: left alone
    assert sorted(p.name for p in tmp_path.iterdir()) == [left.name, "index.html"]
