"""tests/githistory.py: the histories it builds are what plain git says they are."""

import subprocess

import pytest

from tests.githistory import (
    Branch,
    Commit,
    Merge,
    Person,
    Repo,
    Revert,
    Switch,
    Tag,
    allowed_signers,
    files_in,
    keygen,
)

CLERK = Person("Thư ký", "thuky@example.vn")
WRITER = Person("Phạm Thị Lan", "lanpt@example.vn")


def log(repo: Repo, *args: str) -> list[str]:
    return repo.git("log", *args).splitlines()


def files(repo: Repo, ref: str = "HEAD") -> dict[str, str]:
    names = repo.git("ls-tree", "-r", "--name-only", ref).splitlines()
    return {name: repo.git("show", f"{ref}:{name}") for name in names}


def submission(branch: str, when: str, changes: dict, author=WRITER) -> list:
    return [
        Branch(branch),
        Commit(f"Submit {branch}", when, changes, author=author),
        Switch("main"),
        Merge(branch, when, f"Merge {branch}"),
    ]


def test_dates_and_authors_are_the_ones_given(tmp_path):
    repo = Repo(tmp_path, CLERK)
    (tmp_path / "untracked.txt").write_text("left alone\n")
    repo.run(
        Commit("Start", "2026-09-01 08:00", {"a.md": "A\n"}),
        Commit("By Lan", "2026-11-03 09:30", {"b.md": "B\n"}, author=WRITER),
    )
    assert log(repo, "--format=%an|%ae|%aI|%cn|%cI|%s") == [
        "Phạm Thị Lan|lanpt@example.vn|2026-11-03T09:30:00+07:00|Phạm Thị Lan"
        "|2026-11-03T09:30:00+07:00|By Lan",
        "Thư ký|thuky@example.vn|2026-09-01T08:00:00+07:00|Thư ký|2026-09-01T08:00:00+07:00|Start",
    ]
    assert (tmp_path / "b.md").read_text() == "B\n"  # the working tree is checked out
    assert repo.git("status", "--porcelain") == "?? untracked.txt"


def test_merges_are_no_ff_and_main_keeps_its_first_parent_line(tmp_path):
    repo = Repo(tmp_path, CLERK).run(
        Commit("Start", "2026-09-01 08:00", {"a.md": "A\n"}),
        submission("tin-b", "2026-10-05 10:00", {"b.md": "B\n"}),
        Commit("Direct", "2026-10-06 08:00", {"a.md": "A2\n"}),
        submission("tin-c", "2026-10-07 10:00", {"c.md": "C\n"}),
    )
    assert log(repo, "--first-parent", "--format=%s") == [
        "Merge tin-c",
        "Direct",
        "Merge tin-b",
        "Start",
    ]
    assert log(repo, "--format=%s") == [
        "Merge tin-c",
        "Submit tin-c",
        "Direct",
        "Merge tin-b",
        "Submit tin-b",
        "Start",
    ]
    merge_parents = repo.git("log", "-1", "--format=%P", "HEAD").split()
    assert merge_parents == [repo.git("rev-parse", "HEAD~1"), repo.git("rev-parse", "tin-c")]
    assert files(repo) == {"a.md": "A2", "b.md": "B", "c.md": "C"}
    # the branch was made from main as it stood: the merge brought only its own change
    assert files(repo, "tin-c") == {"a.md": "A2", "b.md": "B", "c.md": "C"}
    assert repo.git("show", "--format=", "--name-only", "HEAD^2") == "c.md"


def test_a_merge_with_both_sides_changed_merges_each_file(tmp_path):
    repo = Repo(tmp_path, CLERK).run(
        Commit("Start", "2026-09-01 08:00", {"a.md": "A\n", "b.md": "B\n"}),
        Branch("side"),
        Commit("Side", "2026-09-02 08:00", {"b.md": "B2\n"}),
        Switch("main"),
        Commit("Main", "2026-09-03 08:00", {"a.md": "A2\n"}),
        Merge("side", "2026-09-04 08:00"),
    )
    assert files(repo) == {"a.md": "A2", "b.md": "B2"}
    assert log(repo, "-1", "--format=%s") == ["Merge branch 'side'"]
    assert repo.git("merge-base", "--is-ancestor", "side", "main") == ""
    with pytest.raises(ValueError, match="a.md changed on both sides"):
        repo.run(
            Branch("other"),
            Commit("Other", "2026-09-05 08:00", {"a.md": "X\n"}),
            Switch("main"),
            Commit("Main again", "2026-09-05 09:00", {"a.md": "Y\n"}),
            Merge("other", "2026-09-06 08:00"),
        )


def test_delete_rename_and_swap(tmp_path):
    repo = Repo(tmp_path, CLERK).run(
        Commit("Start", "2026-09-01 08:00", {"a.md": "A\n", "b.md": "B\n", "c.md": "C\n"}),
        Commit("Delete", "2026-09-02 08:00", {"c.md": None}),
        Commit("Rename", "2026-09-03 08:00", moves={"a.md": "sub/z.md"}),
        Commit("Swap", "2026-09-04 08:00", moves={"sub/z.md": "b.md", "b.md": "sub/z.md"}),
    )
    assert files(repo) == {"b.md": "A", "sub/z.md": "B"}
    assert repo.git("show", "-M", "--format=", "--name-status", "HEAD~1") == "R100\ta.md\tsub/z.md"
    assert not (tmp_path / "c.md").exists() and not (tmp_path / "a.md").exists()
    with pytest.raises(KeyError, match="c.md"):
        repo.run(Commit("Again", "2026-09-05 08:00", {"c.md": None}))


def test_revert_of_a_merge_restores_its_first_parent(tmp_path):
    repo = Repo(tmp_path, CLERK).run(
        Commit("Start", "2026-09-01 08:00", {"a.md": "A\n"}),
        submission("tin-b", "2026-10-05 10:00", {"b.md": "B\n", "a.md": "A2\n"}),
        Revert("2026-10-06 08:00"),
    )
    assert files(repo) == {"a.md": "A"}
    assert log(repo, "--first-parent", "--format=%s|%cI") == [
        'Revert "Merge tin-b"|2026-10-06T08:00:00+07:00',
        "Merge tin-b|2026-10-05T10:00:00+07:00",
        "Start|2026-09-01T08:00:00+07:00",
    ]


def test_later_runs_build_on_what_git_holds_even_if_changed_outside(tmp_path):
    repo = Repo(tmp_path, CLERK).run(
        Commit("One", "2026-09-01 08:00", {"a.md": "1\n"}),
        Commit("Two", "2026-09-02 08:00", {"a.md": "2\n"}),
        Commit("Three", "2026-09-03 08:00", {"a.md": "3\n"}),
    )
    repo.git("reset", "-q", "--hard", "HEAD~2")  # rewritten outside the helper
    (tmp_path / "b.md").write_text("B\n")
    repo.git("add", "b.md")
    repo.git("commit", "-q", "-m", "Outside", when="2026-09-04 08:00")
    repo.run(
        Commit("Four", "2026-09-05 08:00", {"c.md": "C\n"}),
        Tag("truoc", "main~1"),
        Revert("2026-09-06 08:00"),
        Revert("2026-09-07 08:00"),
    )
    assert log(repo, "--format=%s") == [
        'Revert "Revert "Four""',
        'Revert "Four"',
        "Four",
        "Outside",
        "One",
    ]
    assert files(repo) == {"a.md": "1", "b.md": "B", "c.md": "C"}
    assert repo.git("rev-parse", "truoc") == repo.git("rev-parse", "HEAD~3")


def test_unmerged_branches_stay_off_main_and_the_run_ends_where_it_switched(tmp_path):
    repo = Repo(tmp_path, CLERK).run(
        Commit("Start", "2026-09-01 08:00", {"a.md": "A\n"}),
        Branch("pending"),
        Commit("Not merged", "2026-09-02 08:00", {"b.md": "B\n"}),
    )
    assert repo.git("symbolic-ref", "--short", "HEAD") == "pending"
    assert (tmp_path / "b.md").exists()
    repo.run(Switch("main"))
    assert files(repo) == {"a.md": "A"} and not (tmp_path / "b.md").exists()
    assert log(repo, "pending", "--format=%s") == ["Not merged", "Start"]


def test_signed_commits_verify_against_the_allowed_signers(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    lan = Person(WRITER.name, WRITER.email, keygen(keys, "lan", WRITER.email))
    head = Person("Nguyễn Văn Hùng", "hungnv@example.vn", keygen(keys, "hung", "hungnv@example.vn"))
    stranger = Person("Người Lạ", "la@example.vn", keygen(keys, "la", "la@example.vn"))
    (keys / "allowed").write_text(allowed_signers([lan, head]))
    repo = Repo(tmp_path / "repo", CLERK).run(
        Commit("Start", "2026-09-01 08:00", {"a.md": "A\n"}, author=head, sign=True),
        Branch("tin"),
        Commit("Signed", "2026-10-01 08:00", {"b.md": "B\n"}, author=lan, sign=True),
        Commit("Unsigned", "2026-10-01 09:00", {"c.md": "C\n"}),
        Commit("Unknown key", "2026-10-01 10:00", {"d.md": "D\n"}, author=stranger, sign=True),
        Switch("main"),
        Merge("tin", "2026-10-02 08:00"),
    )
    repo.git("config", "gpg.ssh.allowedSignersFile", str(keys / "allowed"))
    assert log(repo, "--format=%G?|%an|%aI|%s") == [
        "N|Thư ký|2026-10-02T08:00:00+07:00|Merge branch 'tin'",
        "U|Người Lạ|2026-10-01T10:00:00+07:00|Unknown key",
        "N|Thư ký|2026-10-01T09:00:00+07:00|Unsigned",
        "G|Phạm Thị Lan|2026-10-01T08:00:00+07:00|Signed",
        "G|Nguyễn Văn Hùng|2026-09-01T08:00:00+07:00|Start",
    ]
    assert files(repo) == {"a.md": "A", "b.md": "B", "c.md": "C", "d.md": "D"}
    assert repo.git("status", "--porcelain") == ""


def test_a_folder_committed_as_it_is_bytes_and_all(tmp_path):
    repo = Repo(tmp_path, CLERK)
    (tmp_path / "theme" / "img").mkdir(parents=True)
    (tmp_path / "theme" / "img" / "logo.png").write_bytes(b"\x89PNG\x00\xff")
    (tmp_path / "pelicanconf.py").write_text("SITENAME = 'Cổng'\n", encoding="utf-8")
    repo.run(Commit("Portal data", "2026-09-01 08:00", files_in(tmp_path)))
    assert repo.git("ls-tree", "-r", "--name-only", "HEAD").splitlines() == [
        "pelicanconf.py",
        "theme/img/logo.png",
    ]  # and nothing from .git
    blob = subprocess.run(
        ["git", "cat-file", "blob", "HEAD:theme/img/logo.png"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    ).stdout
    assert blob == b"\x89PNG\x00\xff"
    assert repo.git("status", "--porcelain") == ""
