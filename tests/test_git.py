"""portal.git.Git, the one door to git, against real repositories made in tmp_path."""

import os
import subprocess
from pathlib import Path

import pytest

from portal.errors import PortalError
from portal.git import NOT_FOUND, ZERO, Git

STAMP = "2026-11-02T08:00:00+07:00"


def sh(root: Path, *args: str, data: bytes | None = None) -> str:
    """git run directly (not through the adapter under test)."""
    env = {**os.environ, "GIT_AUTHOR_DATE": STAMP, "GIT_COMMITTER_DATE": STAMP}
    done = subprocess.run(
        ["git", *args], cwd=root, input=data, capture_output=True, check=True, env=env
    )
    return done.stdout.decode().strip()


def blob(root: Path, data: bytes) -> str:
    return sh(root, "hash-object", "-w", "--stdin", data=data)


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "kho"
    root.mkdir()
    sh(root, "init", "-q", "-b", "main")
    sh(root, "config", "user.name", "Thư ký")
    sh(root, "config", "user.email", "thuky@hatinh.gov.vn")
    sh(root, "config", "commit.gpgsign", "false")
    (root / "a.txt").write_text("một\n", encoding="utf-8")
    sh(root, "add", "-A")
    sh(root, "commit", "-q", "-m", "Đầu tiên")
    return root


# The object reader: one persistent `git cat-file --batch`


def test_missing_objects_are_left_out_and_the_reader_stays_in_step(repo):
    git = Git(repo)
    present = blob(repo, b"co\n")
    missing = "1" * 40
    assert git.blob_bytes([missing, present, "2" * 40]) == {present: b"co\n"}
    assert git.blob_bytes([missing]) == {}
    assert git.blob_bytes([present]) == {present: b"co\n"}  # answers still match questions
    assert git.blob_bytes([ZERO, "", present]) == {present: b"co\n"}  # "no blob" is not asked


def test_a_binary_blob_comes_back_byte_for_byte(repo):
    data = bytes(range(256)) * 3 + b"\n\0\r\n\xff"
    sha = blob(repo, data)
    git = Git(repo)
    assert git.blob_bytes([sha]) == {sha: data}
    assert git.blobs([sha])[sha] == data.decode("utf-8", errors="replace")


def test_newlines_at_the_end_of_a_blob_are_kept(repo):
    ends = {blob(repo, text): text for text in (b"a\n\n\n", b"\n", b"", b"b\r\n\r\n", b"c")}
    assert Git(repo).blob_bytes(ends) == {sha: text for sha, text in ends.items()}


def test_many_blobs_in_one_call_more_than_a_pipe_holds(repo):
    """Thousands of names (more than a pipe's buffer) and megabytes of answers: the names
    are written while the answers are read, so neither side waits for the other."""
    count = 3000
    lines = [
        b"blob\nmark :%d\ndata 1001\n%s\n" % (n + 1, b"%05d" % n + b"x" * 995 + b"\n")
        for n in range(count)
    ]
    sh(repo, "fast-import", "--quiet", "--export-marks=marks", data=b"".join(lines))
    marks = dict(line.split() for line in (repo / "marks").read_text().splitlines())
    shas = [marks[f":{n + 1}"] for n in range(count)]
    git = Git(repo)
    found = git.blob_bytes(reversed(shas))
    assert len(found) == count
    assert all(found[sha].startswith(b"%05d" % n) for n, sha in enumerate(shas))
    assert all(len(data) == 1001 for data in found.values())
    assert git.blob_bytes(shas[:2]) == {sha: found[sha] for sha in shas[:2]}  # reused after


def test_show_reads_a_file_at_a_revision(repo):
    git = Git(repo)
    (repo / "b.txt").write_bytes(b"hai\r\nba\n")
    (repo / "thu-muc").mkdir()
    (repo / "thu-muc" / "c.txt").write_text("bốn\n", encoding="utf-8")
    sh(repo, "add", "-A")
    sh(repo, "commit", "-q", "-m", "Thêm")
    assert git.show("HEAD", "a.txt") == "một\n"
    assert git.show("HEAD~1", "b.txt") is None  # not there yet
    assert git.show("HEAD", "b.txt") == "hai\nba\n"  # as text mode reads it
    assert git.show("HEAD", "thu-muc") is None  # a folder is not a file
    assert git.show("HEAD", "tep có dấu cách.txt") is None
    assert git.show("khong-co-nhanh", "a.txt") is None
    assert git.show("HEAD", "a.txt\nHEAD:b.txt") is None  # one name is one line
    assert git.show("HEAD", "thu-muc/c.txt") == "bốn\n"


def test_a_closed_or_killed_reader_is_started_again(repo):
    git = Git(repo)
    sha = blob(repo, b"lai\n")
    assert git.blob_bytes([sha]) == {sha: b"lai\n"}
    git.close()
    assert git.blob_bytes([sha]) == {sha: b"lai\n"}
    git._cat_file().proc.kill()
    git._cat_file().proc.wait()
    with pytest.raises(PortalError, match="lệnh git cat-file thất bại"):
        git.blob_bytes([sha])
    assert git.blob_bytes([sha]) == {sha: b"lai\n"}


def test_tree_files_are_regular_files_only(repo):
    (repo / "du-lieu" / "con").mkdir(parents=True)
    (repo / "du-lieu" / "x.yml").write_text("x: 1\n", encoding="utf-8")
    (repo / "du-lieu" / "con" / "y.yml").write_bytes(b"y: 2\n\n")
    (repo / "du-lieu" / "chay.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    (repo / "du-lieu" / "chay.sh").chmod(0o755)
    (repo / "du-lieu" / "lien-ket").symlink_to("x.yml")
    sh(repo, "add", "-A")
    sh(repo, "commit", "-q", "-m", "Dữ liệu")
    (repo / "du-lieu" / "x.yml").write_text("x: sửa trong thư mục làm việc\n", encoding="utf-8")
    files = Git(repo).tree_files("HEAD", ["du-lieu", "a.txt", "khong-co"])
    assert files == {
        "a.txt": "một\n".encode(),
        "du-lieu/x.yml": b"x: 1\n",  # from the commit, never the working tree
        "du-lieu/con/y.yml": b"y: 2\n\n",
        "du-lieu/chay.sh": b"#!/bin/sh\n",
    }
    assert Git(repo).tree_files("HEAD~1", ["du-lieu"]) == {}


# Names and commits: one resolver


def test_a_base_is_a_full_ref_a_commit_id_or_an_unshadowed_branch(repo):
    git = Git(repo)
    head = sh(repo, "rev-parse", "HEAD")
    assert git.resolve_base("main") == head
    assert git.resolve_base("refs/heads/main") == head
    assert git.resolve_base(head) == head
    assert git.resolve_base(head[:10]) == head
    assert git.commit_of("HEAD") == head
    assert git.find_commit("khong-co") is None
    with pytest.raises(PortalError, match="không tìm thấy nhánh hay commit 'khong-co'"):
        git.commit_of("khong-co")


def test_a_tag_shadowing_a_branch_is_refused_with_the_option_named(repo):
    sh(repo, "commit", "-q", "--allow-empty", "-m", "Sau")
    sh(repo, "tag", "main", "HEAD~1")
    sh(repo, "tag", "phat-hanh")
    with pytest.raises(PortalError, match="--ref: tên 'main' không rõ ràng") as refused:
        Git(repo).resolve_base("main", option="--ref")
    assert "refs/tags/main" in str(refused.value) and "refs/heads/main" in str(refused.value)
    with pytest.raises(PortalError, match=r"^--base: 'phat-hanh' không phải tên một nhánh"):
        Git(repo).resolve_base("phat-hanh")
    with pytest.raises(PortalError, match="--ref: không tìm thấy nhánh 'khong-co'"):
        Git(repo).resolve_base("khong-co", option="--ref")
    with pytest.raises(PortalError, match="--base: không có ref 'refs/heads/khong-co'"):
        Git(repo).resolve_base("refs/heads/khong-co")
    head = sh(repo, "rev-parse", "HEAD")
    assert Git(repo).resolve_base("refs/tags/main") == sh(repo, "rev-parse", "HEAD~1")
    assert Git(repo).resolve_base("refs/heads/main") == head


def test_first_parent_chain_and_raw_log(repo):
    first = sh(repo, "rev-parse", "HEAD")
    sh(repo, "switch", "-q", "-c", "nhanh")
    (repo / "b.txt").write_text("hai\n", encoding="utf-8")
    sh(repo, "add", "-A")
    sh(repo, "commit", "-q", "-m", "Bên")
    side = sh(repo, "rev-parse", "HEAD")
    sh(repo, "switch", "-q", "main")
    sh(repo, "merge", "-q", "--no-ff", "nhanh", "-m", "Gộp")
    merge = sh(repo, "rev-parse", "HEAD")
    git = Git(repo)
    seconds = int(sh(repo, "log", "-1", "--format=%ct"))
    assert git.first_parent_chain("main") == [(first, seconds), (merge, seconds)]
    log = git.raw_log(f"{first}..{merge}", "\x01%H")
    assert side not in log.decode()
    header, meta, path = log.strip(b"\n\0").split(b"\0")
    assert header == f"\x01{merge}".encode() and path == b"b.txt"
    assert meta.split()[3].decode() == sh(repo, "rev-parse", "main:b.txt")
    assert meta.endswith(b" A")


# Running commands


def test_input_env_and_config_reach_git(repo):
    git = Git(repo)
    sha = git.run("hash-object", "-w", "--stdin", input="vào\n").strip()
    assert git.blob_bytes([sha]) == {sha: "vào\n".encode()}
    assert git.run_bytes("hash-object", "--stdin", input=b"\xff\n").strip() != sha.encode()
    ident = git.run("var", "GIT_AUTHOR_IDENT", env={"GIT_AUTHOR_NAME": "Người Thử"})
    assert ident.startswith("Người Thử <thuky@hatinh.gov.vn>")
    assert git.run("config", "--get", "thu.khoa", config={"thu.khoa": "giá trị"}) == "giá trị\n"
    assert git.config("thu.khoa") is None
    assert git.config("user.email") == "thuky@hatinh.gov.vn"


def test_a_failed_command_says_which_and_why(repo):
    with pytest.raises(PortalError, match="^lệnh git rev-parse thất bại: fatal: "):
        Git(repo).run("rev-parse", "--verify", "khong-co")
    assert not Git(repo).ok("rev-parse", "--verify", "khong-co")
    assert Git(repo).output("rev-parse", "--verify", "khong-co") == ""


def test_without_the_git_program_the_message_says_to_install_it(repo, tmp_path, monkeypatch):
    sha = blob(repo, b"x\n")
    empty = tmp_path / "khong-co-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    git = Git(repo)
    with pytest.raises(PortalError, match=f"^{NOT_FOUND}$"):
        git.run("status")
    with pytest.raises(PortalError, match=f"^{NOT_FOUND}$"):
        git.blob_bytes([sha])


def test_a_repository_is_found_from_inside_it(repo, tmp_path):
    (repo / "thu-muc").mkdir()
    assert Git.find(repo / "thu-muc").root == repo.resolve()
    assert Git.here(repo / "thu-muc").root == repo.resolve()
    outside = tmp_path / "ngoai"
    outside.mkdir()
    assert Git.find(outside) is None
    assert Git.find(tmp_path / "khong-co") is None
    with pytest.raises(PortalError, match="không nằm trong một kho git"):
        Git.here(outside)
    assert Git(repo).common_dir == (repo / ".git").resolve()
    assert Git(repo).current_branch() == "main"
    sh(repo, "switch", "-q", "--detach")
    assert Git(repo).current_branch() is None


# Writing commits without a checkout


def test_a_commit_is_built_without_touching_the_checkout(repo):
    git = Git(repo)
    base = git.commit_of("main")
    status = sh(repo, "status", "--porcelain")
    tree = git.tree_with(base, {"moi/b.txt": "mới\n".encode(), "a.txt": b"thay\n"})
    commit = git.commit_tree(tree, [base], "Tiếp nhận\n\nIntake-Sha256: abc\n")
    git.update_ref("refs/heads/tiep-nhan", commit, ZERO)
    assert sh(repo, "status", "--porcelain") == status  # index and working tree untouched
    assert git.commit_of("main") == base
    assert git.show("tiep-nhan", "moi/b.txt") == "mới\n"
    assert git.show("tiep-nhan", "a.txt") == "thay\n"
    assert git.log(["main..tiep-nhan"])[0].trailer("Intake-Sha256") == "abc"
    with pytest.raises(PortalError, match="lệnh git update-ref thất bại"):
        git.update_ref("refs/heads/tiep-nhan", base, ZERO)  # exists already: not moved
    assert git.commit_of("tiep-nhan") == commit
