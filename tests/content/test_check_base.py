"""`portal check --base`: a pull request's check looks at the changed files, keeps the
cross-file rules, and holds the address of a published item stable. Real git repositories."""

import subprocess

import pytest

from portal.cli import main
from tests.conftest import make_site

ITEM = "content/tin-tuc/2026-11-24-hop-giao-ban-thang-11.md"
OLD_SLUG = "so-noi-vu-to-chuc-giao-ban-cong-tac-thang-11-nam-2026"


def git(root, *args):
    subprocess.run(
        ["git", "-c", "user.name=Thư ký", "-c", "user.email=thu@example.vn", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path, monkeypatch):
    make_site(tmp_path, with_sample_content=True)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Sample portal")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def retitle(repo, title):
    path = repo / ITEM
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: Sở Nội vụ tổ chức giao ban công tác tháng 11 năm 2026", title),
        encoding="utf-8",
    )


def test_renaming_a_published_item_would_change_its_address(repo, capsys):
    retitle(repo, "title: Giao ban công tác tháng 11")
    assert main(["check", "--base", "main"]) == 1
    out = capsys.readouterr().out
    assert (
        f"{ITEM}:2: title: tin bài đã đăng với đường dẫn '{OLD_SLUG}'; đổi thành "
        f"'giao-ban-cong-tac-thang-11' sẽ làm hỏng các liên kết đến nó. "
        f"Thêm dòng slug: {OLD_SLUG} để giữ đường dẫn cũ"
    ) in out


def test_keeping_the_old_slug_passes(repo, capsys):
    retitle(repo, f"title: Giao ban công tác tháng 11\nslug: {OLD_SLUG}")
    assert main(["check", "--base", "main"]) == 0, capsys.readouterr().out


def test_only_changed_files_are_checked_but_duplicates_still_found(repo, capsys):
    # An old broken file on main is not this submission's business...
    (repo / "content/tin-tuc/cu-hong.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Broken file merged around the gate")
    # ...but a new item whose slug collides with an unchanged one is.
    new = repo / "content/tin-tuc/moi.md"
    new.write_text((repo / ITEM).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["check", "--base", "main"]) == 1
    out = capsys.readouterr().out
    assert "cu-hong.md" not in out
    assert f"content/tin-tuc/moi.md:2: title: đường dẫn (slug) '{OLD_SLUG}' trùng với {ITEM}" in out
    assert "Có 1 lỗi trong 1 tệp" in out


def test_unknown_base_is_a_clear_error(repo, capsys):
    assert main(["check", "--base", "nhanh-khong-co"]) == 2
    err = capsys.readouterr().err
    assert "nhánh gốc (--base)" in err and "Traceback" not in err
