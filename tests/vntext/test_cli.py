"""`portal fix-encoding` on real files in a temporary folder."""

import os
import sys
import unicodedata
from pathlib import Path

from portal.cli import main
from portal.vntext.legacy import encode_tcvn3, encode_vni

sys.path.insert(0, str(Path(__file__).parent))

from build_corpus import cp1258_bytes as _cp1258  # noqa: E402  (Python's codec, the oracle)

EXPECTED = (
    "---\ntitle: Thông báo tuyển dụng công chức năm 2025\n---\n\n"
    "Sở Nội vụ Hà Tĩnh tổ chức hội nghị tổng kết công tác năm 2024.\n"
)


def run(capsys, *args):
    code = main(["fix-encoding", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_tcvn3_raw_bytes_file_becomes_nfc_utf8(tmp_path, capsys):
    path = tmp_path / "tin.md"
    path.write_bytes(encode_tcvn3(EXPECTED))
    code, out, err = run(capsys, path, "--write")
    assert code == 0
    assert path.read_bytes() == EXPECTED.encode("utf-8")
    assert "Đã sửa" in out and "tin.md:5:1:" in out and "TCVN3" in out


def test_vni_mojibake_file_becomes_nfc(tmp_path, capsys):
    path = tmp_path / "vni.md"
    path.write_text(encode_vni(EXPECTED), encoding="utf-8")
    assert run(capsys, path, "--write")[0] == 0
    assert path.read_text(encoding="utf-8") == EXPECTED


def test_nfd_file_becomes_nfc(tmp_path, capsys):
    path = tmp_path / "nfd.md"
    path.write_text(unicodedata.normalize("NFD", EXPECTED), encoding="utf-8")
    assert run(capsys, path, "--write")[0] == 0
    assert path.read_text(encoding="utf-8") == EXPECTED


def test_correct_file_is_left_byte_for_byte(tmp_path, capsys):
    path = tmp_path / "ok.md"
    path.write_bytes(EXPECTED.replace("\n", "\r\n").encode("utf-8"))
    before = path.stat()
    code, out, err = run(capsys, path, "--write")
    assert code == 0 and out == ""
    assert path.read_bytes() == EXPECTED.replace("\n", "\r\n").encode("utf-8")
    assert path.stat().st_ino == before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns
    assert "không có gì cần sửa" in err


def test_diff_mode_changes_nothing_and_exits_1(tmp_path, capsys):
    path = tmp_path / "vni.md"
    path.write_text(encode_vni(EXPECTED), encoding="utf-8")
    before = path.read_bytes()
    code, out, err = run(capsys, path)
    assert code == 1
    assert path.read_bytes() == before
    assert "+Sở Nội vụ Hà Tĩnh" in out and "-Sôû Noäi vuï" in out
    assert "--write" in err


def test_second_run_changes_nothing(tmp_path, capsys):
    path = tmp_path / "tin.md"
    path.write_bytes(encode_tcvn3(EXPECTED))
    run(capsys, path, "--write")
    once = path.read_bytes()
    assert run(capsys, path)[0] == 0
    assert run(capsys, path, "--write")[0] == 0
    assert path.read_bytes() == once


def test_write_is_atomic_and_keeps_the_mode(tmp_path, capsys):
    path = tmp_path / "tin.md"
    path.write_bytes(encode_tcvn3(EXPECTED))
    os.chmod(path, 0o640)
    inode = path.stat().st_ino
    run(capsys, path, "--write")
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tin.md"]  # no temporary left


def test_folders_are_searched_for_text_files(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text(encode_vni(EXPECTED), encoding="utf-8")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG\x00\xff")
    code, out, err = run(capsys, tmp_path)
    assert code == 1 and "x.md" in out and "image.png" not in out + err


def test_ambiguous_fragment_is_reported_not_changed(tmp_path, capsys):
    path = tmp_path / "short.md"
    path.write_text("---\ncategory: Tin töùc\n---\n\nVăn bản đúng.\n", encoding="utf-8")
    before = path.read_bytes()
    code, out, err = run(capsys, path, "--write")
    assert code == 0 and path.read_bytes() == before
    assert "short.md:2:15: cảnh báo (warning): category:" in err


def test_missing_path_gives_a_vietnamese_message_not_a_traceback(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path / "khong-co.md")
    assert code == 2
    assert "Không tìm thấy đường dẫn" in err and "Traceback" not in err


def test_unreadable_and_binary_files_give_clear_messages(tmp_path, capsys):
    binary = tmp_path / "b.md"
    binary.write_bytes(b"abc\x00def")
    code, _, err = run(capsys, binary)
    assert code == 2 and "tệp nhị phân" in err
    if os.geteuid() != 0:  # root reads everything
        locked = tmp_path / "locked.md"
        locked.write_text("x", encoding="utf-8")
        os.chmod(locked, 0)
        code, _, err = run(capsys, locked)
        assert code == 2 and "Không đọc được tệp" in err


# --- write safety (issue 17) --------------------------------------------------------------------


def test_symlink_is_refused_never_replaced_nor_written_through(tmp_path, capsys):
    target = tmp_path / "real.md"
    target.write_text(encode_vni(EXPECTED), encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    before = target.read_bytes()
    code, out, err = run(capsys, link, "--write")
    assert code == 1
    assert link.is_symlink() and target.read_bytes() == before
    assert "link.md là liên kết tượng trưng (symbolic link)" in err and "Traceback" not in err


def test_symlinks_met_in_a_folder_are_reported_not_followed(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(encode_vni(EXPECTED), encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "ok.md").write_text(EXPECTED, encoding="utf-8")
    (content / "alias.md").symlink_to(outside / "secret.md")
    (content / "linked-dir").symlink_to(outside, target_is_directory=True)
    before = (outside / "secret.md").read_bytes()
    code, out, err = run(capsys, content, "--write")
    assert code == 1
    assert (outside / "secret.md").read_bytes() == before
    assert "alias.md là liên kết tượng trưng" in err and "linked-dir là liên kết" in err
    assert "secret.md" not in out + err


def test_read_only_file_is_refused_not_silently_rewritten(tmp_path, capsys):
    path = tmp_path / "tin.md"
    path.write_text(encode_vni(EXPECTED), encoding="utf-8")
    os.chmod(path, 0o444)
    before = path.read_bytes()
    code, out, err = run(capsys, path, "--write")
    assert code == 1 and path.read_bytes() == before
    assert "tin.md: tệp chỉ đọc (read-only), không ghi đè" in err
    assert path.stat().st_mode & 0o777 == 0o444


def test_interrupted_write_leaves_no_temporary_file(tmp_path, capsys, monkeypatch):
    path = tmp_path / "tin.md"
    path.write_text(encode_vni(EXPECTED), encoding="utf-8")
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C between writing the temporary file and renaming it

    monkeypatch.setattr(os, "replace", interrupted)
    code, _, _ = run(capsys, path, "--write")  # the command line says it was interrupted
    assert code != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tin.md"]
    assert path.read_bytes() == before


def test_stale_temporary_files_are_ignored_when_scanning(tmp_path, capsys):
    (tmp_path / "tin.md").write_text(EXPECTED, encoding="utf-8")
    stale = tmp_path / ".tin.md.k2j4x9.tmp"
    stale.write_text(encode_vni(EXPECTED), encoding="utf-8")
    stale_md = tmp_path / ".tin.md.abc.tmp.md"  # not ours: a hidden Markdown file is checked
    stale_md.write_text(EXPECTED, encoding="utf-8")
    code, out, err = run(capsys, tmp_path, "--write")
    assert code == 0 and ".k2j4x9" not in out + err
    assert stale.read_text(encoding="utf-8") == encode_vni(EXPECTED)


def test_windows_1258_file_is_repaired_and_an_unsure_one_refused(tmp_path, capsys):
    good = tmp_path / "good.md"
    good.write_bytes(_cp1258(EXPECTED))
    unsure = tmp_path / "unsure.md"
    unsure.write_bytes(b"---\ntitle: Tin\n---\n\n" + _cp1258("Tin tức") + b"\n")
    before = unsure.read_bytes()
    code, out, err = run(capsys, tmp_path, "--write")
    assert good.read_bytes() == EXPECTED.encode("utf-8")
    assert unsure.read_bytes() == before
    assert code == 1
    assert "unsure.md:5:1: lỗi (error): dòng này không phải UTF-8" in err


def test_file_reached_through_a_linked_folder_is_refused(tmp_path, capsys, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text(encode_vni(EXPECTED), encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "via").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    before = (outside / "x.md").read_bytes()
    code, out, err = run(capsys, Path("content/via/x.md"), "--write")
    assert code == 1 and (outside / "x.md").read_bytes() == before
    assert "liên kết tượng trưng" in err


def test_a_relative_link_is_named_as_the_link_not_its_target(tmp_path, capsys, monkeypatch):
    (tmp_path / "target.md").write_text(EXPECTED, encoding="utf-8")
    (tmp_path / "alias.md").symlink_to(tmp_path / "target.md")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, Path("alias.md"))
    assert code == 1 and "alias.md là liên kết tượng trưng" in err and "target.md" not in err


def test_a_run_with_only_refusals_never_says_nothing_to_fix(tmp_path, capsys):
    path = tmp_path / "fr.md"
    path.write_bytes("Où est la salle de réunion ? Là-bas.\n".encode("cp1252"))
    code, out, err = run(capsys, path, "--write")
    assert code == 1 and out == ""
    assert "không có gì cần sửa" not in err and "1 tệp hoặc liên kết không sửa được" in err
    assert path.read_bytes() == "Où est la salle de réunion ? Là-bas.\n".encode("cp1252")
