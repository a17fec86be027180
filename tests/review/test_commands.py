"""The other `portal review` commands and rules: queue, audit, codeowners, unpublishing,
the board's own items, roster changes, and what the commands refuse to do."""

from portal.project import REPO_CODEOWNERS
from portal.review.codeowners import check_review_files
from tests.review.conftest import (
    BRANCH,
    ITEM,
    OLD_ITEM,
    act_as,
    approve,
    commit_all,
    git,
    item_text,
    portal,
    roster_yaml,
    run_chain,
    verdict_of,
    write,
)


def stages_of(verdict) -> list[str]:
    return [r.stage.id for r in verdict.stages]


def test_queue_lists_what_waits_for_me(repo, people, capsys):
    act_as(repo, people["thu-ky"])  # not a contributor: only the declared unit answers
    git(repo, "switch", "-q", "-c", "tin-khac", "main")
    write(
        repo,
        "content/tin-tuc/khac.md",
        item_text(title="Tin thứ hai", unit="to-chuc-bien-che", author="thu-ky"),
    )
    commit_all(repo, "Tin thứ hai")
    git(repo, "switch", "-q", BRANCH)
    capsys.readouterr()
    assert portal(repo, "review", "queue", "--me", "lanpt@snv.vn", "--base", "main") == 0
    out = capsys.readouterr().out
    assert f"{BRANCH}: bước «Trưởng đơn vị xác nhận nội dung»" in out
    assert "tin-khac" not in out  # another unit's item waits for its own unit head
    assert "Có 1 lần gửi đang chờ lanpt@snv.vn duyệt." in out
    approve(repo, people["truong-dv"])
    capsys.readouterr()
    portal(repo, "review", "queue", "--me", "baodq@snv.vn", "--base", "main")
    assert f"{BRANCH}: bước «Ủy viên biên tập" in capsys.readouterr().out


def test_audit_finds_merges_around_the_gate(repo, people, capsys):
    run_chain(repo, people, upto=2)
    act_as(repo, people["quan-tri"])
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Đăng vội", BRANCH)
    write(repo, "content/tin-tuc/thang.md", item_text(title="Đẩy thẳng"))
    commit_all(repo, "Đẩy thẳng lên main")
    capsys.readouterr()
    assert portal(repo, "review", "audit", "--since", "2026-01-01") == 1
    out = capsys.readouterr().out
    assert "Đăng vội" in out and "chưa xong: Phó Trưởng Ban" in out
    assert "Đẩy thẳng lên main" in out and "commit thẳng lên nhánh" in out
    assert "Có 2 thay đổi trên main" in out


def test_audit_rejects_a_bad_date(repo, capsys):
    assert portal(repo, "review", "audit", "--since", "2026-13-01") == 2
    assert "--since: ngày giờ '2026-13-01' không tồn tại" in capsys.readouterr().err


def test_deleting_a_published_item_goes_through_the_chain(repo, people, capsys):
    act_as(repo, people["ctv"])
    git(repo, "switch", "-q", "-c", "go-tin", "main")
    git(repo, "rm", "-q", OLD_ITEM)
    git(repo, "commit", "-q", "-m", "Gỡ tin")
    verdict = verdict_of(repo)
    assert verdict.submission.items[0].action == "xóa tin bài đã đăng"
    assert stages_of(verdict) == ["unit_head", "member", "deputy", "head"]
    assert verdict.stages[0].scope == {"cong-chuc-vien-chuc"}  # from the item as published
    assert not verdict.ok
    run_chain(repo, people)
    assert verdict_of(repo).ok


def test_unpublishing_is_named_and_needs_the_chain(repo, people):
    act_as(repo, people["ctv"])
    git(repo, "switch", "-q", "-c", "an-tin", "main")
    write(repo, OLD_ITEM, item_text(title="Tin đã đăng từ trước", body="Cũ.", status="draft"))
    commit_all(repo, "Chuyển về nháp")
    verdict = verdict_of(repo)
    assert verdict.submission.items[0].action == "gỡ tin bài đã đăng (published → draft)"
    assert stages_of(verdict) == ["unit_head", "member", "deputy", "head"]


def test_board_items_skip_the_unit_head(repo, people):
    git(repo, "switch", "-q", "-c", "tin-ban", "main")
    act_as(repo, people["thu-ky"])
    write(repo, ITEM, item_text(unit="ban-bien-tap", author="thu-ky"))
    commit_all(repo, "Tin của Ban Biên tập")
    assert stages_of(verdict_of(repo)) == ["member", "deputy", "head"]


def test_contributor_declaring_the_board_unit_keeps_the_unit_head(repo, people):
    """An outside contributor cannot drop the unit-head stage by declaring the board's unit:
    the roster unit of the contributor (listed author, and signer of the commit) counts."""
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(unit="ban-bien-tap"))
    commit_all(repo, "Tin «của Ban Biên tập»")
    verdict = verdict_of(repo)
    assert stages_of(verdict) == ["unit_head", "member", "deputy", "head"]
    assert verdict.stages[0].scope == {"cong-chuc-vien-chuc"}
    assert [p.id for p in verdict.stages[0].candidates] == ["truong-dv"]


def test_contributor_signer_unit_counts_without_a_listed_author(repo, people):
    act_as(repo, people["ctv"])
    text = item_text(unit="ban-bien-tap").replace("  - {name: Tác giả, id: ctv}\n", "")
    write(repo, ITEM, text.replace("authors:\n", ""))
    commit_all(repo, "Tin không ghi tác giả")
    verdict = verdict_of(repo)
    assert verdict.stages[0].stage.id == "unit_head"
    assert verdict.stages[0].scope == {"cong-chuc-vien-chuc"}


def test_roster_change_needs_deputy_and_head(repo, people, capsys):
    act_as(repo, people["thu-ky"])
    git(repo, "switch", "-q", "-c", "roster", "main")
    write(repo, "reviews/roster.yml", roster_yaml(people).replace("Lê Văn Tùng", "Lê Văn Tùng B"))
    commit_all(repo, "Sửa tên")
    assert stages_of(verdict_of(repo)) == ["deputy", "head"]
    assert approve(repo, people["pho-ban"]) == 0
    assert approve(repo, people["truong-ban"]) == 0
    assert verdict_of(repo).ok


def test_unreadable_item_cannot_be_approved(repo, people, capsys):
    act_as(repo, people["ctv"])
    write(repo, ITEM, "không có phần đầu YAML\n")
    commit_all(repo, "Hỏng")
    verdict = verdict_of(repo)
    assert "không đọc được phần đầu YAML (section, unit)" in verdict.stages[0].problem
    assert approve(repo, people["truong-dv"]) == 2


def test_approve_refuses_uncommitted_changes(repo, people, capsys):
    write(repo, ITEM, item_text(body="chưa commit"))
    assert approve(repo, people["truong-dv"]) == 2
    assert "còn thay đổi chưa commit" in capsys.readouterr().err


def test_approve_refuses_a_signing_key_that_is_not_mine(repo, people, capsys):
    act_as(repo, people["truong-dv"])
    git(repo, "config", "user.signingkey", str(people["uy-vien"].key))
    assert portal(repo, "review", "approve", "--base", "main") == 2
    assert "không phải khóa còn hiệu lực của Phạm Thị Lan" in capsys.readouterr().err


def test_dry_run_writes_nothing(repo, people, capsys):
    before = git(repo, "rev-parse", "HEAD")
    assert approve(repo, people["truong-dv"], "--dry-run") == 0
    out = capsys.readouterr().out
    assert "stage: unit_head" in out and "Review-Person: truong-dv" in out
    assert git(repo, "rev-parse", "HEAD") == before
    assert not (repo / "reviews" / "ledger").exists()


def test_request_changes_needs_a_message(repo, people, capsys):
    act_as(repo, people["truong-dv"])
    assert portal(repo, "review", "request-changes", "--base", "main", "-m", "  ") == 2
    assert "--message: cần ghi rõ phải sửa gì" in capsys.readouterr().err


def test_codeowners_generated_checked_and_noticed_by_verify(repo, people, capsys):
    act_as(repo, people["quan-tri"])
    git(repo, "switch", "-q", "-c", "codeowners", "main")
    assert check_review_files(repo)[0].message.startswith("chưa có tệp")
    capsys.readouterr()
    assert portal(repo, "review", "codeowners") == 0
    text = (repo / REPO_CODEOWNERS).read_text(encoding="utf-8")
    assert "/content/tin-tuc/**/*.md @pho-ban-gh @truong-ban-gh @uy-vien-gh" in text
    assert "/reviews/roster.yml @pho-ban-gh @truong-ban-gh" in text
    assert text.index("* @quan-tri-gh @truong-ban-gh") < text.index("/content/*/*.md")
    assert check_review_files(repo) == []
    assert portal(repo, "review", "codeowners", "--check") == 0
    commit_all(repo, "CODEOWNERS")

    renamed = roster_yaml(people).replace("login: uy-vien-gh", "login: bao")
    write(repo, "reviews/roster.yml", renamed)
    problems = check_review_files(repo)
    assert [(p.path, p.severity) for p in problems] == [(".github/CODEOWNERS", "error")]
    assert "chạy `portal review codeowners`" in problems[0].message
    assert portal(repo, "review", "codeowners", "--check") == 1
    commit_all(repo, "Đổi tài khoản")
    capsys.readouterr()
    portal(repo, "review", "verify", "--base", "main")
    assert "Cảnh báo: .github/CODEOWNERS:" in capsys.readouterr().out


def test_check_review_files_reports_an_invalid_policy(repo):
    write(repo, "reviews/policy.yml", "version: 2\nstages: []\nrules: []\n")
    fields = {p.field for p in check_review_files(repo)}
    assert {"version", "stages", "rules"} <= fields


def test_verify_fails_closed_when_the_base_policy_is_broken(repo, people, capsys):
    act_as(repo, people["quan-tri"])
    git(repo, "switch", "-q", "main")
    write(repo, "reviews/policy.yml", "version: 1\nstages: [\n")
    commit_all(repo, "Hỏng policy")
    git(repo, "switch", "-q", BRANCH)
    capsys.readouterr()
    assert portal(repo, "review", "verify", "--base", "main") == 1
    assert "main:reviews/policy.yml:3: YAML không hợp lệ" in capsys.readouterr().out


def test_verify_outside_a_repository_is_a_plain_error(tmp_path, capsys):
    assert portal(tmp_path, "review", "verify", "--base", "main") == 2
    assert "không nằm trong một kho git" in capsys.readouterr().err


def test_the_projects_own_review_files_are_valid_and_fresh():
    """The shipped policy validates and .github/CODEOWNERS matches the shipped roster."""
    from tests.review.conftest import REPO

    assert check_review_files(REPO) == []


def test_workflow_runs_the_gate_from_the_base_branch():
    import yaml

    from tests.review.conftest import REPO

    workflow = yaml.safe_load((REPO / ".github/workflows/review.yml").read_text(encoding="utf-8"))
    assert list(workflow[True]) == ["pull_request_target"]  # YAML 1.1 reads `on` as true
    steps = workflow["jobs"]["verify"]["steps"]
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout")]
    assert checkouts[0]["with"]["fetch-depth"] == 0
    assert all("base.sha" in s["with"]["ref"] for s in checkouts)
    assert {"working-directory": ".gate", "run": "make venv"}.items() <= next(
        s for s in steps if s.get("run") == "make venv"
    ).items()
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    # The base and head by commit id (a pushed tag cannot shadow them), via env, not inline.
    assert steps[-1]["env"] == {
        "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
        "HEAD_SHA": "${{ github.event.pull_request.head.sha }}",
        "PR_NUMBER": "${{ github.event.pull_request.number }}",
        "FORGE": "${{ vars.PORTAL_FORGE || 'github' }}",
        "FORGE_TOKEN": "${{ github.token }}",
    }
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "read"}
    assert steps[-1]["run"].split() == [
        ".gate/.venv/bin/portal",
        "review",
        "verify",
        "--base",
        '"$BASE_SHA"',
        "--head",
        '"$HEAD_SHA"',
        "--markdown",
        '"$GITHUB_STEP_SUMMARY"',
        "--forge",
        '"$FORGE"',
        "--forge-api",
        '"$GITHUB_API_URL"',
        "--forge-repo",
        '"$GITHUB_REPOSITORY"',
        "--forge-pr",
        '"$PR_NUMBER"',
    ]


def test_deploy_grants_pages_permissions_to_the_deploy_job_only():
    import yaml

    from tests.review.conftest import REPO

    workflow = yaml.safe_load((REPO / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
