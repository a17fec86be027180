"""Issue 10: every known way around the merge gate, rebuilt with real git and real
ssh-keygen signatures, and refused with its reason in Vietnamese.

One class per section: the base's name, the signer's dates, who wrote the content, the
content's mode and type, files the policy does not know, the order of decisions, and
whose code the gate runs.
"""

import os
import shutil
import subprocess
from datetime import datetime, timedelta

import pytest

from portal.dates import VIETNAM
from portal.git import Git
from portal.review.chain import evaluate
from portal.review.submission import load_submission
from tests.review.conftest import (
    BRANCH,
    ITEM,
    OLD_ITEM,
    REPO,
    act_as,
    approve,
    commit_all,
    git,
    hand_decision,
    item_text,
    keygen,
    portal,
    roster_yaml,
    run_chain,
    verdict_of,
    write,
)
from tests.review.test_chain import reasons, verify

BOARD = ("truong-dv", "uy-vien", "pho-ban", "truong-ban")


def change_roster_on_main(repo, people, old: str, new: str) -> None:
    act_as(repo, people["thu-ky"])
    git(repo, "switch", "-q", "main")
    text = (repo / "reviews/roster.yml").read_text(encoding="utf-8")
    assert old in text
    write(repo, "reviews/roster.yml", text.replace(old, new))
    commit_all(repo, "Sửa roster")
    git(repo, "switch", "-q", BRANCH)


def key_line(people, pid: str, start: str = "2024-01-01") -> str:
    return f"{{key: {people[pid].public}, from: {start}}}"


def run(repo, *args: str, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = portal(repo, *args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# --- 1. the base is named unambiguously ------------------------------------------------


@pytest.fixture
def shadowed(repo, people, tmp_path):
    """origin/main is a real remote-tracking branch; an attacker pushed a tag of the same
    name whose roster gives the four board keys to keys of their own, and signed the four
    stages with them."""
    git(repo, "update-ref", "refs/remotes/origin/main", "refs/heads/main")
    roster = roster_yaml(people)
    fakes = {pid: keygen(tmp_path, f"fake-{pid}", people[pid].email) for pid in BOARD}
    for pid, key in fakes.items():
        fake_public = " ".join(key.with_suffix(".pub").read_text().split()[:2])
        roster = roster.replace(people[pid].public, fake_public)
    git(repo, "switch", "-q", "-c", "evil", "main")
    write(repo, "reviews/roster.yml", roster)
    commit_all(repo, "Roster của kẻ tấn công")
    git(repo, "tag", "origin/main")
    git(repo, "switch", "-q", BRANCH)
    git(repo, "branch", "-q", "-D", "evil")
    stages = {"truong-dv": "unit_head", "uy-vien": "member", "pho-ban": "deputy"}
    stages["truong-ban"] = "head"
    for pid, stage in stages.items():
        hand_decision(repo, people[pid], stage, stage, sign_with=fakes[pid])
    return repo


def test_the_attackers_tag_would_pass_if_it_were_taken_for_the_base(shadowed):
    # Why it matters: judged against the tag's roster, the forged chain is complete.
    assert evaluate(Git(shadowed), "refs/tags/origin/main", "HEAD").ok


def test_a_tag_shadowing_the_remote_base_is_refused(shadowed, capsys):
    code, out = run(
        shadowed, "review", "verify", "--base", "origin/main", "--head", "HEAD", capsys=capsys
    )
    assert code == 2
    assert "tên 'origin/main' không rõ ràng" in out
    assert "refs/tags/origin/main" in out and "refs/remotes/origin/main" in out


def test_the_default_base_is_the_remote_branch_never_the_tag(shadowed, capsys):
    code, out = run(shadowed, "review", "verify", capsys=capsys)
    assert code == 1
    assert "ký bằng một khóa không có trong reviews/roster.yml của nhánh gốc" in out
    code, _ = run(
        shadowed,
        "review",
        "verify",
        "--base",
        "refs/remotes/origin/main",
        capsys=capsys,
    )
    assert code == 1


def test_a_tag_named_like_the_local_branch_is_refused(repo, capsys):
    git(repo, "tag", "main", "HEAD")
    code, out = run(repo, "review", "verify", "--base", "main", capsys=capsys)
    assert code == 2
    assert "tên 'main' không rõ ràng" in out and "refs/tags/main" in out


def test_a_short_name_that_is_only_a_tag_is_refused(repo, capsys):
    git(repo, "tag", "phat-hanh", "main")
    code, out = run(repo, "review", "verify", "--base", "phat-hanh", capsys=capsys)
    assert code == 2
    assert "'phat-hanh' không phải tên một nhánh (chỉ có refs/tags/phat-hanh)" in out


def test_a_commit_id_shadowed_by_a_branch_name_is_refused(repo, capsys):
    main = git(repo, "rev-parse", "main").strip()
    git(repo, "branch", main[:10], "HEAD")
    code, out = run(repo, "review", "verify", "--base", main[:10], capsys=capsys)
    assert code == 2
    assert "không rõ ràng" in out and f"refs/heads/{main[:10]}" in out
    code, out = run(repo, "review", "verify", "--base", main, capsys=capsys)
    assert code == 1 and "Kết quả: CHƯA ĐẠT" in out  # the full id is a commit, not a name


def test_a_full_ref_that_does_not_exist_is_refused(repo, capsys):
    code, out = run(repo, "review", "verify", "--base", "refs/heads/khong-co", capsys=capsys)
    assert code == 2
    assert "không có ref 'refs/heads/khong-co'" in out


# --- 2. dates: the signer's word is judged against the verification time ---------------


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=VIETNAM)


def test_a_back_dated_decision_before_its_content_is_refused(repo, people):
    run_chain(repo, people, upto=2)
    hand_decision(repo, people["pho-ban-cu"], "deputy", "deputy", when=at("2025-12-30"))
    verdict = verdict_of(repo)
    assert "trước commit mà nó duyệt" in reasons(verdict)
    assert "không nhận quyết định lùi ngày" in reasons(verdict)
    assert not verdict.ok


def test_a_whole_back_dated_submission_is_judged_at_verification_time(repo, people):
    """Content and every decision back-dated consistently to when the former deputy still
    held the role: the order is consistent, but the role has ended by verification."""
    git(repo, "switch", "-q", "-c", "lui-ngay", "main")
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text())
    git(repo, "add", "-A")
    stamp = at("2025-12-29", 8).isoformat()
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    git(repo, "commit", "-q", "-m", "Tin lùi ngày", env=env)
    hand_decision(repo, people["truong-dv"], "unit_head", "unit_head", when=at("2025-12-29", 10))
    hand_decision(repo, people["uy-vien"], "member", "member", when=at("2025-12-29", 11))
    hand_decision(repo, people["pho-ban-cu"], "deputy", "deputy", when=at("2025-12-30"))
    hand_decision(repo, people["truong-ban"], "head", "head", when=at("2025-12-30", 10))
    verdict = verdict_of(repo)
    today = datetime.now(VIETNAM).strftime("%d/%m/%Y")
    assert f"Lê Quang Vinh không giữ vai trò Phó Trưởng Ban Biên tập vào ngày {today}" in reasons(
        verdict
    )
    assert not verdict.ok
    # The same decisions judged as of 31/12/2025 (what an audit anchored there would see).
    assert evaluate(Git(repo), "main", "HEAD", at=at("2025-12-31", 12)).ok


def test_a_key_that_has_ended_does_not_sign_now(repo, people):
    run_chain(repo, people, upto=2)
    hand_decision(repo, people["pho-ban"], "deputy", "deputy")
    assert verdict_of(repo).stages[2].done
    later = datetime.now(VIETNAM) + timedelta(days=3)
    change_roster_on_main(
        repo,
        people,
        key_line(people, "pho-ban"),
        f"{{key: {people['pho-ban'].public}, from: 2024-01-01, until: "
        f"{(later - timedelta(days=1)).date().isoformat()}}}",
    )
    # Signed while the key was valid; verified after it ended: refused.
    verdict = evaluate(Git(repo), "main", "HEAD", at=later)
    assert "khóa ký của Trần Thị Hương không có hiệu lực vào lúc kiểm tra" in reasons(verdict)
    assert not verdict.stages[2].done


def test_a_forward_dated_decision_with_a_future_key_is_refused(repo, people, capsys):
    key_from = (datetime.now(VIETNAM) + timedelta(days=365)).date()
    change_roster_on_main(
        repo,
        people,
        key_line(people, "pho-ban"),
        key_line(people, "pho-ban", key_from.isoformat()),
    )
    run_chain(repo, people, upto=2)
    signed = datetime.combine(key_from + timedelta(days=1), datetime.min.time(), VIETNAM)
    hand_decision(repo, people["pho-ban"], "deputy", "deputy", when=signed.replace(hour=9))
    code, out = verify(repo, capsys)
    assert code == 1
    assert "sau thời điểm kiểm tra" in out
    assert "không nhận quyết định ghi ngày trong tương lai" in out
    # Verified a month from now: still in the future, and the key is not valid yet either.
    verdict = evaluate(Git(repo), "main", "HEAD", at=datetime.now(VIETNAM) + timedelta(days=30))
    assert "không nhận quyết định ghi ngày trong tương lai" in reasons(verdict)
    assert not verdict.stages[2].done


# --- 3. authorship is proven by signatures -------------------------------------------


def test_an_edit_under_another_authors_name_is_the_signers(repo, people):
    act_as(repo, people["pho-ban"])
    write(repo, ITEM, item_text(body="Nội dung do Phó Trưởng Ban sửa."))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Sửa", "--author", "Hoàng Văn Cường <cuonghv@snv.vn>")
    run_chain(repo, people, upto=2)
    hand_decision(repo, people["pho-ban"], "deputy", "deputy")
    verdict = verdict_of(repo)
    assert "Trần Thị Hương là người ký commit sửa nội dung" in reasons(verdict)
    assert not verdict.stages[2].done


def test_an_unsigned_content_commit_is_an_unproven_author(repo, people, capsys):
    act_as(repo, people["pho-ban"])
    write(repo, ITEM, item_text(body="Nội dung sửa không ký."))
    git(repo, "add", "-A")
    git(
        repo,
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        "Sửa",
        "--author",
        "Hoàng Văn Cường <cuonghv@snv.vn>",
    )
    code, out = verify(repo, capsys)
    assert code == 1
    assert "không chứng minh được ai đã sửa" in out
    assert approve(repo, people["truong-dv"]) == 2  # nobody can approve it meanwhile


def diverge_main(repo, people) -> None:
    act_as(repo, people["quan-tri"])
    git(repo, "switch", "-q", "main")
    write(repo, OLD_ITEM, item_text(title="Tin đã đăng (sửa trên main)", body="Cũ."))
    commit_all(repo, "Sửa trên main")
    git(repo, "switch", "-q", BRANCH)


def test_an_edit_made_inside_a_merge_commit_is_authorship(repo, people):
    diverge_main(repo, people)
    act_as(repo, people["pho-ban"])
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "main")
    write(repo, ITEM, item_text(body="Sửa lén trong lúc merge."))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Merge main")
    merge = git(repo, "rev-parse", "HEAD").strip()
    run_chain(repo, people, upto=2)
    hand_decision(repo, people["pho-ban"], "deputy", "deputy")
    verdict = verdict_of(repo)
    assert f"Trần Thị Hương là người ký commit sửa nội dung {merge[:8]}" in reasons(verdict)
    assert not verdict.stages[2].done


def test_an_unsigned_merge_with_its_own_edit_is_refused(repo, people):
    diverge_main(repo, people)
    act_as(repo, people["pho-ban"])
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "main")
    write(repo, ITEM, item_text(body="Sửa lén, không ký."))
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Merge main")
    verdict = verdict_of(repo)
    assert any("không chứng minh được ai đã sửa" in p for p in map(str, verdict.problems))


def test_a_plain_unsigned_merge_of_main_is_not_authorship(repo, people):
    run_chain(repo, people)
    diverge_main(repo, people)
    act_as(repo, people["truong-ban"])
    git(repo, "-c", "commit.gpgsign=false", "merge", "-q", "--no-ff", "-m", "Merge main", "main")
    verdict = verdict_of(repo)
    assert verdict.problems == [] and verdict.ok


# --- 4. the content hash covers mode and type; no symlink or gitlink -------------------


def test_chmod_after_the_chain_makes_the_approvals_stale(repo, people, capsys):
    run_chain(repo, people)
    before = load_submission(Git(repo), "main", "HEAD", None).content_hash
    act_as(repo, people["ctv"])
    git(repo, "update-index", "--chmod=+x", ITEM)
    git(repo, "commit", "-q", "-m", "chmod 755")
    assert load_submission(Git(repo), "main", "HEAD", None).content_hash != before
    code, out = verify(repo, capsys)
    assert code == 1
    assert "đã cũ: nội dung đã thay đổi" in out


def test_a_symlink_with_the_approved_text_is_refused(repo, people, capsys):
    run_chain(repo, people)
    text = (repo / ITEM).read_text(encoding="utf-8")
    blob = git(repo, "rev-parse", f"HEAD:{ITEM}").strip()
    act_as(repo, people["ctv"])
    (repo / ITEM).unlink()
    os.symlink(text, repo / ITEM)  # the link's target is the approved text: the same blob
    commit_all(repo, "Thay tệp bằng symlink")
    assert git(repo, "ls-files", "-s", ITEM).split()[:2] == ["120000", blob]
    code, out = verify(repo, capsys)
    assert code == 1
    assert f"{ITEM}: lần gửi biến tệp này thành symlink" in out
    assert "đã cũ: nội dung đã thay đổi" in out


@pytest.mark.parametrize("path", ["theme/templates/base.html", "content/images/anh.png"])
def test_a_symlink_anywhere_is_refused(repo, people, path):
    act_as(repo, people["ctv"])
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/etc/passwd", repo / path)
    commit_all(repo, "Symlink ra ngoài kho")
    verdict = verdict_of(repo)
    assert f"{path}: lần gửi biến tệp này thành symlink" in "\n".join(map(str, verdict.problems))


def test_a_gitlink_is_refused(repo, people):
    act_as(repo, people["ctv"])
    main = git(repo, "rev-parse", "main").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{main},content/tin-tuc/mo-dun")
    git(repo, "commit", "-q", "-m", "Submodule")
    verdict = verdict_of(repo)
    assert "content/tin-tuc/mo-dun: lần gửi biến tệp này thành gitlink (submodule)" in (
        "\n".join(map(str, verdict.problems))
    )


# --- 5. every path under content/ falls under a rule that sees it --------------------


@pytest.mark.parametrize(
    "path",
    [
        "content/tin-tuc/tin.markdown",
        "content/tin-tuc/tin.mkd",
        "content/tin-tuc/tin.html",
        "content/tin-tuc/tin.rst",
        "content/files/trang.html",
        "content/images/tin.md",
        "content/tin.md",
        "content/tin-tuc/ANH.PNG",
    ],
)
def test_unknown_files_under_content_are_refused(repo, people, path):
    act_as(repo, people["ctv"])
    write(repo, path, item_text())
    commit_all(repo, "Tệp lạ")
    problems = "\n".join(map(str, verdict_of(repo).problems))
    assert f"{path}: quy tắc «" in problems
    assert "không được nhận" in problems or "phải nằm trong thư mục chuyên mục" in problems


def stages_for(repo, people, path: str) -> list[str]:
    git(repo, "switch", "-q", "-c", "khac", "main")
    act_as(repo, people["quan-tri"])
    write(repo, path, "x\n")
    commit_all(repo, "Thay đổi")
    return [r.stage.id for r in verdict_of(repo).stages]


def test_images_need_deputy_and_head(repo, people):
    assert stages_for(repo, people, "content/images/anh.png") == ["deputy", "head"]


def test_workflows_need_the_administrator_too(repo, people):
    assert stages_for(repo, people, ".github/workflows/x.yml") == [
        "deputy",
        "administrator",
        "head",
    ]


# --- 6. order by graph -------------------------------------------------------------------


def test_a_head_approval_on_a_side_line_is_out_of_order(repo, people, capsys):
    run_chain(repo, people, upto=2)
    git(repo, "switch", "-q", "-c", "nhanh-phu")
    hand_decision(repo, people["truong-ban"], "head", "head")  # before the deputy, on the side
    side_ledger = next((repo / "reviews/ledger").glob("*.yml")).read_text(encoding="utf-8")
    git(repo, "switch", "-q", BRANCH)
    assert approve(repo, people["pho-ban"]) == 0
    ledger = next((repo / "reviews/ledger").glob("*.yml"))
    main_line = ledger.read_text(encoding="utf-8")
    act_as(repo, people["truong-ban"])
    completed = subprocess.run(
        ["git", "merge", "-q", "--no-ff", "nhanh-phu", "-m", "Gộp"], cwd=repo, capture_output=True
    )
    assert completed.returncode != 0  # both lines appended to the ledger
    head_entry = side_ledger.split("\n- ")[-1]
    ledger.write_text(main_line.rstrip("\n") + "\n- " + head_entry, encoding="utf-8")
    commit_all(repo, "Gộp hai nhánh duyệt")
    code, out = verify(repo, capsys)
    assert code == 1
    verdict = verdict_of(repo)
    assert "không có trong lịch sử (các commit cha) của quyết định này" in reasons(verdict)
    assert not verdict.stages[-1].done


def test_a_re_approval_parallel_to_the_request_for_changes_does_not_lift_it(repo, people):
    run_chain(repo, people, upto=1)
    git(repo, "branch", "nhanh-phu")
    hand_decision(repo, people["uy-vien"], "member", "member", decision="request-changes")
    ledger = next((repo / "reviews/ledger").glob("*.yml"))
    request_line = ledger.read_text(encoding="utf-8")
    git(repo, "switch", "-q", "nhanh-phu")
    hand_decision(repo, people["pho-ban"], "member", "member")  # never saw the request
    approval_entry = ledger.read_text(encoding="utf-8").split("\n- ")[-1]
    git(repo, "switch", "-q", BRANCH)
    act_as(repo, people["pho-ban"])
    subprocess.run(["git", "merge", "-q", "--no-ff", "nhanh-phu", "-m", "Gộp"], cwd=repo)
    ledger.write_text(request_line.rstrip("\n") + "\n- " + approval_entry, encoding="utf-8")
    commit_all(repo, "Gộp")
    verdict = verdict_of(repo)
    member = next(r for r in verdict.stages if r.stage.id == "member")
    assert not member.done and member.blocked_by is not None
    assert not verdict.ok


# --- 7. the local gate runs the base's code ------------------------------------------


def copy_package(repo) -> None:
    shutil.copytree(
        REPO / "plugins" / "portal",
        repo / "plugins" / "portal",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )


def package_on_main_merged_into_branch(repo, people) -> None:
    """The gate's own code committed on main (by the administrator) and merged into the
    submission, so that base and head carry the same package to begin with."""
    act_as(repo, people["quan-tri"])
    git(repo, "switch", "-q", "main")
    copy_package(repo)
    commit_all(repo, "Mã của Cổng")
    git(repo, "switch", "-q", BRANCH)
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge main", "main")


def test_verify_refuses_when_its_own_code_is_not_the_bases(repo, people, capsys):
    package_on_main_merged_into_branch(repo, people)
    code, out = verify(repo, capsys)
    assert "mã cổng kiểm tra đang chạy" not in out  # the running code is the base's

    git(repo, "switch", "-q", "main")
    chain = repo / "plugins/portal/review/chain.py"
    chain.write_text(chain.read_text(encoding="utf-8") + "\n# khác\n", encoding="utf-8")
    commit_all(repo, "Mã cổng trên main khác mã đang chạy")
    git(repo, "switch", "-q", BRANCH)
    code, out = verify(repo, capsys)
    assert code == 1
    assert "mã cổng kiểm tra đang chạy" in out
    assert "plugins/portal/review/chain.py" in out


def test_make_review_runs_the_base_code_not_the_submissions(repo, people, tmp_path):
    package_on_main_merged_into_branch(repo, people)
    act_as(repo, people["ctv"])
    chain = repo / "plugins/portal/review/chain.py"
    text = chain.read_text(encoding="utf-8")
    patched = text.replace(
        "return bool(self.stages) and not self.problems and all(",
        "return True or all(",
    )
    assert patched != text
    chain.write_text(patched, encoding="utf-8")
    commit_all(repo, "Cổng luôn cho qua")
    python = REPO / ".venv" / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": str(repo / "plugins")}
    branch_code = subprocess.run(
        [str(python), "-m", "portal.cli", "review", "verify", "--base", "refs/heads/main"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert branch_code.returncode == 0  # the submission's own code lets itself through

    stamp = REPO / ".venv" / ".installed"
    command = ["make", "-s", "-f", str(REPO / "Makefile"), "-o", str(stamp), "review"]
    command += [f"VENV={REPO / '.venv'}", "BASE=refs/heads/main"]
    gate = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    assert gate.returncode != 0, gate.stdout
    assert "Cổng kiểm tra chạy mã của nhánh gốc refs/heads/main" in gate.stdout
    assert "Kết quả: CHƯA ĐẠT" in gate.stdout
    assert git(repo, "worktree", "list").count("\n") == 1  # the temporary worktree is gone

    short = subprocess.run([*command[:-1], "BASE=main"], cwd=repo, capture_output=True, text=True)
    assert short.returncode != 0
    assert "BASE phải là tên đầy đủ (refs/...) hoặc mã commit đầy đủ" in short.stdout


# --- also: queue --me must be an e-mail ------------------------------------------------


def test_queue_refuses_a_me_that_is_not_an_email(repo, capsys):
    code, out = run(repo, "review", "queue", "--me", "not-an-email", capsys=capsys)
    assert code == 2
    assert "--me: 'not-an-email' không phải một địa chỉ email" in out
    code, out = run(repo, "review", "queue", "--me", "ai@khong.co", capsys=capsys)
    assert code == 2
    assert "không có trong reviews/roster.yml" in out


def test_audit_refuses_a_branch_name_shadowed_by_a_tag(repo, people, capsys):
    run_chain(repo, people)
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Đăng", BRANCH)
    git(repo, "tag", "main", "main~1")
    code, out = run(repo, "review", "audit", "--since", "2026-01-01", capsys=capsys)
    assert code == 2
    assert "tên 'main' không rõ ràng" in out
    code, out = run(
        repo,
        "review",
        "audit",
        "--since",
        "2026-01-01",
        "--branch",
        "refs/heads/main",
        capsys=capsys,
    )
    assert code == 0, out


def test_a_future_dated_content_commit_is_refused(repo, people):
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(body="Ghi ngày năm sau."))
    git(repo, "add", "-A")
    stamp = (datetime.now(VIETNAM) + timedelta(days=200)).isoformat(timespec="seconds")
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    git(repo, "commit", "-q", "-m", "Tin ghi ngày tương lai", env=env)
    problems = "\n".join(map(str, verdict_of(repo).problems))
    assert "không nhận commit ghi ngày trong tương lai" in problems


def test_an_external_contributor_cannot_claim_the_boards_unit(repo, people):
    """A contributor without a unit on the roster declares the board's own unit: the claim
    cannot be checked against the roster, so the unit-head stage reports it (fail closed)."""
    act_as(repo, people["thu-ky"])
    git(repo, "switch", "-q", "main")
    external = (
        f"  - id: la\n    name: {people['la'].name}\n    email: {people['la'].email}\n"
        "    external: true\n    roles:\n      - {role: contributor, from: 2024-01-01}\n"
        f"    keys:\n      - {{key: {people['la'].public}, from: 2024-01-01}}\n"
    )
    write(repo, "reviews/roster.yml", roster_yaml(people, external))
    commit_all(repo, "Thêm cộng tác viên ngoài Sở")
    git(repo, "switch", "-q", "-c", "tin-ngoai", "main")
    act_as(repo, people["la"])
    write(repo, ITEM, item_text(unit="ban-bien-tap", author="la"))
    commit_all(repo, "Tin «của Ban Biên tập»")
    verdict = verdict_of(repo)
    assert verdict.stages[0].stage.id == "unit_head"
    assert "roster không cho biết đơn vị của Người Lạ" in verdict.stages[0].problem
    assert not verdict.ok


def test_a_request_for_changes_still_holds_after_its_author_left(repo, people):
    run_chain(repo, people, upto=1)
    act_as(repo, people["uy-vien"])
    assert portal(repo, "review", "request-changes", "--base", "main", "-m", "Sửa ảnh") == 0
    ends = (datetime.now(VIETNAM) + timedelta(days=1)).date().isoformat()
    git(repo, "switch", "-q", "main")
    text = (repo / "reviews/roster.yml").read_text(encoding="utf-8")
    before, after = text.split("  - id: uy-vien\n", 1)
    after = after.replace("from: 2024-01-01}", f"from: 2024-01-01, until: {ends}}}", 1)
    write(repo, "reviews/roster.yml", before + "  - id: uy-vien\n" + after)
    act_as(repo, people["thu-ky"])
    commit_all(repo, "Ủy viên thôi nhiệm vụ")
    git(repo, "switch", "-q", BRANCH)
    later = datetime.now(VIETNAM) + timedelta(days=5)
    verdict = evaluate(Git(repo), "main", "HEAD", at=later)
    member = next(r for r in verdict.stages if r.stage.id == "member")
    assert member.blocked_by is not None and member.blocked_by.person_id == "uy-vien"
    assert not verdict.ok


def test_an_approval_of_content_that_came_after_it_does_not_count(repo, people):
    """The member signs an approval naming the content the contributor will commit next:
    the claim is the signer's word, so it counts only for content in its own history."""
    run_chain(repo, people, upto=1)
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(body="Nội dung sẽ sửa sau."))
    commit_all(repo, "Nháp")
    future = load_submission(Git(repo), "main", "HEAD", None).content_hash
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    hand_decision(repo, people["uy-vien"], "member", "member", content=future)
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(body="Nội dung sẽ sửa sau."))
    commit_all(repo, "Sửa sau khi ủy viên đã ký")
    assert load_submission(Git(repo), "main", "HEAD", None).content_hash == future
    verdict = verdict_of(repo)
    assert "Review-Content của quyết định khác nội dung lần gửi có tại chính commit" in reasons(
        verdict
    )
    member = next(r for r in verdict.stages if r.stage.id == "member")
    assert not member.done


def test_a_co_author_named_in_a_content_commit_cannot_approve(repo, people):
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(body="Viết chung."))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Viết chung", "--trailer", "Co-authored-by: Lan <lanpt@snv.vn>")
    hand_decision(repo, people["truong-dv"], "unit_head", "unit_head")
    assert "Phạm Thị Lan là người được ghi tên trong commit" in reasons(verdict_of(repo))
