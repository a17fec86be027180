"""Decisions made in the forge's review screen, judged with the signed ones.

The forge is stood in for by a local HTTP server on 127.0.0.1 that serves the reviews
API's documented JSON (GitHub's `GET /repos/{owner}/{repo}/pulls/{n}/reviews` and
Gitea/Forgejo's, with their own states, `dismissed` flag and pagination). Everything
else is real: git repositories, ssh-keygen keys, the CLI.
"""

import json
import subprocess
import sys
import threading
from datetime import UTC, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.errors import PortalError
from portal.git import Git
from portal.review.chain import evaluate, now
from portal.review.forge import PAGE_SIZE, fetch_reviews, parse_reviews
from portal.review.report import render_markdown, render_text

from . import conftest
from .conftest import (
    ITEM,
    act_as,
    approve,
    commit_all,
    git,
    hand_decision,
    item_text,
    make_repo,
    portal,
    write,
)

REPO_NAME = "so-noi-vu/cong"
CI_EMAIL = "ci-forge-ledger@snv.vn"
PR = 7
PATH = f"/repos/{REPO_NAME}/pulls/{PR}/reviews"
STATE = {
    "github": {"approve": "APPROVED", "request": "CHANGES_REQUESTED", "comment": "COMMENTED"},
    "gitea": {"approve": "APPROVED", "request": "REQUEST_CHANGES", "comment": "COMMENT"},
}


def github_review(number, login, state, commit, when, dismissed=False):
    """One review as GitHub documents it (dismissed: state DISMISSED)."""
    return {
        "id": number,
        "node_id": f"PRR_{number}",
        "user": {"login": login, "id": 1000 + number, "type": "User"},
        "body": "",
        "state": "DISMISSED" if dismissed else state,
        "html_url": f"https://github.com/{REPO_NAME}/pull/{PR}#pullrequestreview-{number}",
        "pull_request_url": f"https://api.github.com/repos/{REPO_NAME}/pulls/{PR}",
        "_links": {"html": {"href": "x"}, "pull_request": {"href": "y"}},
        "submitted_at": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit_id": commit,
        "author_association": "MEMBER",
    }


def gitea_review(number, login, state, commit, when, dismissed=False):
    """One review as Gitea/Forgejo document it (PullReview: dismissed and stale flags)."""
    return {
        "id": number,
        "user": {"id": 1000 + number, "login": login, "full_name": ""},
        "team": None,
        "state": state,
        "body": "",
        "commit_id": commit,
        "stale": False,
        "official": True,
        "dismissed": dismissed,
        "comments_count": 0,
        "submitted_at": when.isoformat(),
        "updated_at": when.isoformat(),
        "html_url": f"https://git.snv.example/{REPO_NAME}/pulls/{PR}#issuecomment-{number}",
        "pull_request_url": f"https://git.snv.example/{REPO_NAME}/pulls/{PR}",
    }


class Forge:
    """Stands in for the forge: serves the reviews, paginated the forge's way."""

    def __init__(self, kind: str):
        self.kind, self.reviews, self.requests = kind, [], []
        self.status, self.next_host = 200, None
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                forge.requests.append((self.path, self.headers.get("Authorization")))
                forge.answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.api = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, login, kind, commit, when, dismissed=False):
        make = github_review if self.kind == "github" else gitea_review
        number = len(self.reviews) + 1
        self.reviews.append(make(number, login, STATE[self.kind][kind], commit, when, dismissed))

    def answer(self, handler):
        url = urlsplit(handler.path)
        if url.path != PATH or self.status != 200:
            handler.send_response(404 if self.status == 200 else self.status)
            handler.end_headers()
            return
        query = parse_qs(url.query)
        page = int(query.get("page", ["1"])[0])
        size = int(query.get("per_page" if self.kind == "github" else "limit", ["30"])[0])
        chunk = self.reviews[(page - 1) * size : page * size]
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if self.kind == "github" and page * size < len(self.reviews):
            host = self.next_host or f"127.0.0.1:{self.server.server_port}"
            link = f"http://{host}{PATH}?per_page={size}&page={page + 1}"
            handler.send_header("Link", f'<{link}>; rel="next"')
        handler.end_headers()
        handler.wfile.write(json.dumps(chunk).encode())

    def fetch(self):
        return fetch_reviews(self.kind, self.api, REPO_NAME, PR, "token-of-the-job")

    def close(self):
        if self.server.socket.fileno() < 0:
            return
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(params=["github", "gitea"])
def forge(request):
    server = Forge(request.param)
    yield server
    server.close()


def head(root) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def ago(minutes: float):
    return now() - timedelta(minutes=minutes)


def judge(root, forge, at=None):
    return evaluate(Git(root), "main", "HEAD", reviews=forge.fetch(), at=at)


def stage(verdict, stage_id):
    return next(r for r in verdict.stages if r.stage.id == stage_id)


def forge_chain(forge, commit, people=("truong-dv", "uy-vien", "pho-ban", "truong-ban"), start=4):
    for step, pid in enumerate(people):
        forge.add(f"{pid}-gh", "approve", commit, ago(start - step))


# --- the whole chain in the forge's review screen -------------------------------------


def test_whole_chain_decided_in_the_forge(repo, forge):
    forge_chain(forge, head(repo))
    verdict = judge(repo, forge)
    assert verdict.ok, render_text(verdict)
    assert all(d.via_forge for r in verdict.stages for d in r.approvals)
    text = render_text(verdict)
    assert "trên forge, review #4 của truong-ban-gh" in text
    assert "pullrequestreview-4" in text or "issuecomment-4" in text
    # the job's token went with every request, never in the URL
    assert all(auth and "token-of-the-job" in auth for _, auth in forge.requests)
    assert all("token-of-the-job" not in path for path, _ in forge.requests)


def test_signed_and_forge_decisions_combine(repo, forge, people):
    for pid in ("truong-dv", "uy-vien"):
        assert approve(repo, people[pid]) == 0
    # reviewed after the signed approvals (a few minutes later, checked a little after that)
    forge_chain(forge, head(repo), people=("pho-ban", "truong-ban"), start=-2)
    verdict = judge(repo, forge, at=now() + timedelta(minutes=10))
    assert verdict.ok, render_text(verdict)
    assert [d.via_forge for r in verdict.stages for d in r.approvals] == [0, 0, 1, 1]
    table = render_markdown(verdict)
    assert "ký SSH" in table and "trên forge" in table


def test_comments_are_no_decisions(repo, forge):
    forge.add("truong-dv-gh", "comment", head(repo), ago(3))
    verdict = judge(repo, forge)
    assert not stage(verdict, "unit_head").approvals
    assert verdict.ignored == []


# --- the attack classes, forge variants ---------------------------------------------------


def test_stale_review_on_an_older_commit(repo, forge, people):
    reviewed = head(repo)
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(body="Nội dung đã sửa sau khi duyệt."))
    commit_all(repo, "Sửa tin")
    forge_chain(forge, reviewed)
    verdict = judge(repo, forge)
    assert not verdict.ok
    assert not any(r.approvals for r in verdict.stages)
    assert "đã cũ" in render_text(verdict)


def test_review_on_the_older_commit_still_counts_when_only_the_ledger_moved(repo, forge, people):
    reviewed = head(repo)
    assert approve(repo, people["truong-dv"]) == 0  # adds a ledger commit, same content
    forge_chain(forge, reviewed, people=("uy-vien",))
    forge.reviews[-1]["submitted_at"] = ago(0.5).isoformat()
    verdict = judge(repo, forge)
    # the member's review is on a commit before the unit head's signed approval: out of order
    assert not stage(verdict, "member").approvals
    assert "duyệt vượt bước" in render_text(verdict)


def test_login_not_on_the_roster_is_ignored_with_a_reason(repo, forge):
    forge.add("ke-la", "approve", head(repo), ago(2))
    verdict = judge(repo, forge)
    assert not stage(verdict, "unit_head").approvals
    assert any("ke-la" in note and "reviews/roster.yml" in note for note in verdict.ignored)
    assert "ke-la" in render_markdown(verdict)


def test_author_reviewing_their_own_item(repo, forge, people):
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(author="truong-dv"))
    commit_all(repo, "Ghi tác giả")
    forge.add("truong-dv-gh", "approve", head(repo), ago(1))
    verdict = judge(repo, forge)
    assert not stage(verdict, "unit_head").approvals
    assert "tác giả không được tự duyệt" in render_text(verdict)


def test_one_person_for_two_stages(repo, forge):
    commit = head(repo)
    forge.add("truong-dv-gh", "approve", commit, ago(4))
    forge.add("pho-ban-gh", "approve", commit, ago(3))  # deputy who is also member of tin-tuc
    forge.add("pho-ban-gh", "approve", commit, ago(2))
    verdict = judge(repo, forge)
    assert [d.person_id for d in stage(verdict, "member").approvals] == ["pho-ban"]
    assert not stage(verdict, "deputy").approvals
    assert "một người không được duyệt hai bước" in render_text(verdict)


def test_dismissed_review_is_ignored(repo, forge):
    forge.add("truong-dv-gh", "approve", head(repo), ago(2), dismissed=True)
    verdict = judge(repo, forge)
    assert not stage(verdict, "unit_head").approvals
    assert any("dismissed" in note for note in verdict.ignored)


def test_request_changes_in_the_forge_holds_the_chain(repo, forge):
    commit = head(repo)
    forge.add("truong-dv-gh", "approve", commit, ago(5))
    forge.add("uy-vien-gh", "request", commit, ago(4))
    forge.add("truong-ban-gh", "approve", commit, ago(3))
    verdict = judge(repo, forge)
    assert stage(verdict, "member").blocked_by is not None
    assert not stage(verdict, "head").approvals
    assert "yêu cầu sửa" in render_text(verdict)


def test_order_by_time_in_the_forge(repo, forge):
    commit = head(repo)
    forge.add("uy-vien-gh", "approve", commit, ago(5))  # before the unit head
    forge.add("truong-dv-gh", "approve", commit, ago(4))
    verdict = judge(repo, forge)
    assert stage(verdict, "unit_head").approvals
    assert not stage(verdict, "member").approvals
    assert "duyệt vượt bước" in render_text(verdict)


@pytest.mark.parametrize("review_minutes_ago, counted", [(3, True), (-1, False)])
def test_order_by_graph_signed_after_forge(repo, forge, people, review_minutes_ago, counted):
    """A signed approval counts after a forge one only when the reviewed commit is in its
    history and the review came first (a review made after it cannot be its ground)."""
    forge.add("truong-dv-gh", "approve", head(repo), ago(review_minutes_ago))
    hand_decision(repo, people["uy-vien"], "member", "member")
    verdict = judge(repo, forge)
    assert stage(verdict, "unit_head").approvals
    assert bool(stage(verdict, "member").approvals) is counted


def test_review_of_a_commit_not_in_the_submission(repo, forge):
    forge_chain(forge, "0" * 40)
    verdict = judge(repo, forge)
    assert not any(r.approvals for r in verdict.stages)
    assert any("không thuộc lần gửi này" in note for note in verdict.ignored)


def test_review_dated_in_the_future(repo, forge):
    forge.add("truong-dv-gh", "approve", head(repo), now() + timedelta(hours=2))
    verdict = judge(repo, forge)
    assert not stage(verdict, "unit_head").approvals
    assert "tương lai" in render_text(verdict)


def test_reviewer_whose_term_ended(repo, forge):
    commit = head(repo)
    forge_chain(forge, commit, people=("truong-dv", "uy-vien"))
    forge.add("pho-ban-cu-gh", "approve", commit, ago(1))
    verdict = judge(repo, forge)
    assert not stage(verdict, "deputy").approvals
    assert "không giữ vai trò" in render_text(verdict)


def test_policy_can_demand_signatures_for_a_stage(repo, forge, people):
    git(repo, "switch", "-q", "main")
    act_as(repo, people["quan-tri"])
    policy = (repo / "reviews/policy.yml").read_text(encoding="utf-8")
    marker = "    roles: [head]\n    forge: true\n"
    assert marker in policy
    write(repo, "reviews/policy.yml", policy.replace(marker, "    roles: [head]\n"))
    commit_all(repo, "Trưởng Ban chỉ duyệt bằng chữ ký")
    git(repo, "switch", "-q", "tin-hoi-nghi")
    forge_chain(forge, head(repo))
    verdict = judge(repo, forge)
    assert not verdict.ok
    assert [r.done for r in verdict.stages] == [True, True, True, False]
    assert "chỉ nhận quyết định có chữ ký SSH" in render_text(verdict)
    hand_decision(repo, people["truong-ban"], "head", "head")  # the signed way still works
    forge.reviews = forge.reviews[:3]
    assert judge(repo, forge).ok


def test_case_of_a_login_does_not_matter_but_a_lookalike_does(repo, forge):
    commit = head(repo)
    forge.add("TRUONG-DV-GH", "approve", commit, ago(3))
    forge.add("uy-vien-gh-", "approve", commit, ago(2))
    verdict = judge(repo, forge)
    assert stage(verdict, "unit_head").approvals
    assert not stage(verdict, "member").approvals


# --- the adapter ----------------------------------------------------------------------------


def test_every_page_is_read(repo):
    for kind in ("github", "gitea"):
        server = Forge(kind)
        try:
            for _ in range(PAGE_SIZE + 3):
                server.add("ai-do", "comment", head(repo), ago(9))
            server.add("truong-dv-gh", "approve", head(repo), ago(1))
            reviews = server.fetch()
            assert len(reviews) == PAGE_SIZE + 4
            assert reviews[-1].decision == "approve"
            assert len(server.requests) == 2
        finally:
            server.close()


def test_a_next_page_on_another_host_is_not_followed(repo):
    server = Forge("github")
    server.next_host = "evil.example"
    try:
        for _ in range(PAGE_SIZE + 1):
            server.add("ai-do", "comment", head(repo), ago(9))
        with pytest.raises(PortalError, match="máy khác"):
            server.fetch()
    finally:
        server.close()


def test_forge_errors_fail_closed(forge):
    forge.status = 502
    with pytest.raises(PortalError, match="502"):
        forge.fetch()
    with pytest.raises(PortalError, match="https"):
        fetch_reviews("github", "http://api.github.com", REPO_NAME, PR, None)
    with pytest.raises(PortalError, match="--forge-repo"):
        fetch_reviews("github", "https://api.github.com", "../x", PR, None)


@pytest.mark.parametrize(
    "broken, field",
    [
        ({"user": {"login": 7}}, "user.login"),
        ({"id": "7"}, "id"),
        ({"commit_id": "HEAD"}, "commit_id"),
        ({"submitted_at": "hôm qua"}, "submitted_at"),
        ({"submitted_at": "2026-11-29T08:00:00"}, "submitted_at"),  # no time zone
    ],
)
def test_malformed_review_names_the_field(broken, field):
    entry = gitea_review(3, "uy-vien-gh", "APPROVED", "a" * 40, now())
    with pytest.raises(PortalError, match=f"reviews\\[0\\]: .*{field}"):
        parse_reviews([{**entry, **broken}], "gitea", "forge")


def test_hostile_review_url_is_dropped():
    entry = github_review(3, "uy-vien-gh", "APPROVED", "a" * 40, now())
    entry["html_url"] = "javascript:alert(1)"
    assert parse_reviews([entry], "github", "forge")[0].url == ""


# --- the gate as CI runs it ---------------------------------------------------------------


def test_verify_reads_the_forge(repo, forge, tmp_path, monkeypatch, capsys):
    forge_chain(forge, head(repo))
    monkeypatch.setenv("FORGE_TOKEN", "token-of-the-job")
    summary = tmp_path / "summary.md"
    options = ["--forge", forge.kind, "--forge-api", forge.api, "--forge-repo", REPO_NAME]
    args = ["review", "verify", "--base", "main", "--markdown", str(summary), *options]
    assert portal(repo, *args, "--forge-pr", str(PR)) == 0
    assert "trên forge" in summary.read_text(encoding="utf-8")
    assert portal(repo, "review", "verify", "--base", "main") == 1  # without the forge: waits
    assert portal(repo, *args) != 0
    assert "--forge-pr" in capsys.readouterr().err


def test_token_is_not_needed_on_the_command_line():
    """The job's token comes from the environment only (never argv, never logs)."""
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("portal")), "review", "verify", "-h"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "FORGE_TOKEN" in completed.stdout
    assert "--forge-token" not in completed.stdout


# --- the audit trail: written at merge, verified with the forge gone ------------------------


@pytest.fixture
def ci_repo(tmp_path, people, monkeypatch):
    """A repository whose roster lists a CI key for the forge ledger (made by ssh-keygen)."""
    ci_key = conftest.roster_with_ci_key(tmp_path, monkeypatch, CI_EMAIL)
    return make_repo(tmp_path / "repo", people), ci_key


def merge_and_record(root, forge, people, ci_key, monkeypatch):
    git(root, "switch", "-q", "main")
    act_as(root, people["quan-tri"])
    git(root, "merge", "-q", "--no-ff", "tin-hoi-nghi", "-m", "Đăng: hội nghị")
    git(root, "config", "user.email", CI_EMAIL)
    git(root, "config", "user.signingkey", str(ci_key))
    monkeypatch.setenv("FORGE_TOKEN", "token-of-the-job")
    options = ["--forge", forge.kind, "--forge-api", forge.api, "--forge-repo", REPO_NAME]
    return portal(root, "review", "record-forge", *options, "--forge-pr", str(PR))


def test_ledger_written_at_merge_and_audited_without_the_forge(ci_repo, forge, people, monkeypatch):
    root, ci_key = ci_repo
    forge_chain(forge, head(root))
    assert merge_and_record(root, forge, people, ci_key, monkeypatch) == 0
    written = git(root, "show", "--name-only", "--format=%s", "HEAD").split("\n")
    assert written[0].startswith("Sổ duyệt forge")
    assert "gpgsig -----BEGIN SSH SIGNATURE" in git(root, "cat-file", "commit", "HEAD")
    path = next(p for p in written if p.startswith("reviews/ledger/forge/"))
    ledger = (root / path).read_text(encoding="utf-8")
    for pid in ("truong-dv", "uy-vien", "pho-ban", "truong-ban"):
        assert f"person: {pid}\n" in ledger
    assert "review: 4" in ledger and "stage: head" in ledger
    forge.close()  # the forge is gone: the audit reads git alone
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 0


def test_audit_without_the_ledger_finds_the_merge_incomplete(ci_repo, forge, people):
    root, _ = ci_repo
    forge_chain(forge, head(root))
    git(root, "switch", "-q", "main")
    act_as(root, people["quan-tri"])
    git(root, "merge", "-q", "--no-ff", "tin-hoi-nghi", "-m", "Đăng: hội nghị")
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 1


def test_ledger_signed_by_a_person_not_the_ci_key_is_refused(
    ci_repo, forge, people, monkeypatch, capsys
):
    root, _ = ci_repo
    forge_chain(forge, head(root))
    # the administrator's own key (a roster person, not a CI key) signs the ledger commit
    assert merge_and_record(root, forge, people, people["quan-tri"].key, monkeypatch) == 0
    capsys.readouterr()
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 1
    assert "khóa CI" in capsys.readouterr().out


def test_tampered_ledger_is_refused(ci_repo, forge, people, monkeypatch, capsys):
    root, ci_key = ci_repo
    forge_chain(forge, head(root))
    assert merge_and_record(root, forge, people, ci_key, monkeypatch) == 0
    path = git(root, "show", "--name-only", "--format=", "HEAD").split()[0]
    # a later commit rewrites who decided, still signed by the CI key
    text = (root / path).read_text(encoding="utf-8").replace("person: pho-ban", "person: la")
    write(root, path, text)
    commit_all(root, "Sửa sổ duyệt forge")
    capsys.readouterr()
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 1
    assert "chỉ được thêm mới" in capsys.readouterr().out


def test_audit_judges_the_recorded_reviews_again(ci_repo, forge, people, monkeypatch):
    root, ci_key = ci_repo
    forge_chain(forge, head(root))
    git(root, "switch", "-q", "main")
    act_as(root, people["quan-tri"])
    git(root, "merge", "-q", "--no-ff", "tin-hoi-nghi", "-m", "Đăng: hội nghị")
    merge = head(root)
    git(root, "config", "user.email", CI_EMAIL)
    git(root, "config", "user.signingkey", str(ci_key))
    monkeypatch.setenv("FORGE_TOKEN", "x")
    options = ["--forge", forge.kind, "--forge-api", forge.api, "--forge-repo", REPO_NAME]
    assert portal(root, "review", "record-forge", *options, "--forge-pr", "7", "--dry-run") == 0
    assert head(root) == merge  # a dry run writes nothing
    # the forge said the deputy also reviewed as member: recorded, yet still no full chain
    forge.reviews[1]["user"]["login"] = "pho-ban-gh"
    assert portal(root, "review", "record-forge", *options, "--forge-pr", "7") == 0
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 1


def test_record_refuses_without_a_ci_key_on_the_roster(repo, forge, people, monkeypatch, capsys):
    forge_chain(forge, head(repo))
    assert merge_and_record(repo, forge, people, people["quan-tri"].key, monkeypatch) == 2
    assert "ci_keys" in capsys.readouterr().err
    assert "reviews/ledger/forge" not in git(repo, "log", "--name-only", "-1", "--format=")


def test_forge_edge_cases_of_the_documented_shape(repo, forge):
    """A deleted account (user null) and a commit the forge lost (commit_id null) are no
    approvals; a request for changes on a lost commit still holds the chain back."""
    commit = head(repo)
    forge.add("truong-dv-gh", "approve", commit, ago(5))
    forge.add("uy-vien-gh", "approve", None, ago(4))
    forge.add("uy-vien-gh", "approve", commit, ago(3))
    forge.reviews[-1]["user"] = None
    forge.add("uy-vien-gh", "request", "f" * 40, ago(2))  # on a commit force-pushed away
    verdict = judge(repo, forge)
    assert stage(verdict, "unit_head").approvals
    assert not stage(verdict, "member").approvals
    assert stage(verdict, "member").blocked_by is not None
    assert any("đã bị xóa" in note for note in verdict.ignored)
    assert any("không thuộc lần gửi" in note for note in verdict.ignored)


def test_signed_approval_after_forge_ones_through_the_command(repo, forge, people, monkeypatch):
    """`portal review approve --forge …` sees the forge's decisions in its pre-check."""
    forge.add("truong-dv-gh", "approve", head(repo), ago(3))
    monkeypatch.setenv("FORGE_TOKEN", "x")
    options = ["--forge", forge.kind, "--forge-api", forge.api, "--forge-repo", REPO_NAME]
    assert approve(repo, people["uy-vien"]) == 2  # without the forge the unit head is missing
    assert approve(repo, people["uy-vien"], *options, "--forge-pr", str(PR)) == 0
    verdict = judge(repo, forge)
    assert [len(r.approvals) for r in verdict.stages] == [1, 1, 0, 0]


def test_login_with_control_characters_breaks_the_contract():
    entry = github_review(3, "uy-vien-gh\x1b[2J", "APPROVED", "a" * 40, now())
    with pytest.raises(PortalError, match="user.login"):
        parse_reviews([entry], "github", "forge")


def test_a_submission_cannot_bring_its_own_forge_ledger(repo, forge, people):
    """reviews/ledger/forge/ is written on main by CI only: a branch adding one is refused."""
    forge_chain(forge, head(repo))
    act_as(repo, people["ctv"])
    merge = "a" * 40
    write(
        repo,
        f"reviews/ledger/forge/2026-12-01-pr-7-{merge[:12]}.yml",
        f"merge: {merge}\nsubmission: {merge}\nentries: []\n",
    )
    commit_all(repo, "Sổ duyệt forge tự viết")
    verdict = judge(repo, forge)
    assert not verdict.ok
    assert any("sổ duyệt" in p or "ledger" in p for p in map(str, verdict.problems))
