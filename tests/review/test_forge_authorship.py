"""Authorship proven by the forge's push log, for commits the browser desk made unsigned.

The forge cannot be reached from here: a local HTTP server on 127.0.0.1 stands in for it
and serves the push log in each forge's documented shape:
- GitHub's Repository activity API, `GET /repos/{owner}/{repo}/activity` (fields `id`,
  `node_id`, `before`, `after`, `ref`, `timestamp`, `activity_type` push / force_push /
  branch_creation / branch_deletion / pr_merge / merge_queue_merge, `actor` a nullable
  simple user; cursor pages by Link header). Shape as in GitHub's OpenAPI description
  (docs.rs/crate/openapi-github/latest/source/src/models/activity.rs).
- Gitea/Forgejo's `GET /repos/{owner}/{repo}/activities/feeds` (Activity: `id`, `op_type`
  commit_repo for a push, `act_user` with `login`, `ref_name`, `content` the JSON of the
  pushed commits `{"Commits": [{"Sha1": …}], "HeadCommit", "CompareURL", "Len"}`,
  `created`; numbered pages by `page` and `limit`). Shape as in Gitea's swagger
  (docs.rs/crate/gitea-client/latest/source/docs/Activity.md).
and the pull request (`GET /repos/{owner}/{repo}/pulls/{n}`: `head.ref`, `head.repo.full_name`)
and its reviews, by the server of tests/review/test_forge.py. Everything else is real: git
repositories, ssh-keygen keys, the CLI.
"""

import json
from datetime import UTC, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.errors import PortalError
from portal.git import Git
from portal.review import forge_pushes
from portal.review.chain import evaluate, now
from portal.review.forge_pushes import (
    fetch_push_log,
    log_since,
    parse_gitea,
    parse_github,
)
from portal.review.policy import parse_policy
from portal.review.report import render_markdown, render_text

from . import conftest
from .conftest import BRANCH, act_as, approve, git, make_repo, portal, write
from .test_forge import CI_EMAIL, PR, REPO_NAME, Forge, forge_chain, head, merge_and_record

REF = f"refs/heads/{BRANCH}"
OTHER = "refs/heads/nhap-cua-bao"  # another branch of the same repository
ZERO = "0" * 40
FLAG_OFF = "forge_authorship: false\n"  # as the sample policy has it
FLAG_ON = "forge_authorship: true\n"


def ago(minutes: float):
    return now() - timedelta(minutes=minutes)


def github_push(number, login, kind, before, after, when, ref=REF):
    """One entry of GitHub's Repository activity API."""
    return {
        "id": number,
        "node_id": f"RA_{number}",
        "before": before,
        "after": after,
        "ref": ref,
        "timestamp": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "activity_type": kind,
        "actor": None if login is None else {"login": login, "id": 5000 + number, "type": "User"},
    }


def gitea_push(number, login, shas, when, ref=REF):
    """One entry of Gitea/Forgejo's repository activity feed: a push (op_type commit_repo)."""
    commits = [
        {
            "Sha1": sha,
            "Message": "Cập nhật tin bài",
            "AuthorEmail": "x@snv.vn",
            "AuthorName": "x",
            "CommitterEmail": "x@snv.vn",
            "CommitterName": "x",
            "Timestamp": when.isoformat(),
        }
        for sha in shas
    ]
    content = {
        "Commits": commits,
        "HeadCommit": commits[0] if commits else None,
        "CompareURL": f"{REPO_NAME}/compare/a...b",
        "Len": len(commits),
    }
    return {
        "id": number,
        "user_id": 1,
        "op_type": "commit_repo",
        "act_user_id": 5000 + number,
        "act_user": None if login is None else {"id": 5000 + number, "login": login},
        "repo_id": 1,
        "repo": {"id": 1, "full_name": REPO_NAME},
        "comment_id": 0,
        "comment": None,
        "ref_name": ref,
        "is_private": True,
        "content": json.dumps(content),
        "created": when.isoformat(),
    }


class PushForge(Forge):
    """test_forge's reviews server, plus the pull request and the push log."""

    def __init__(self, kind: str, root):
        super().__init__(kind)
        self.root, self.pushes, self.head_repo = root, [], REPO_NAME
        self.page_size = 2  # small pages: the client must read them all

    def push(self, login, before, after, when, kind="push", ref=REF):
        """A push as the forge logs it; Gitea lists the commits it brought (git computes)."""
        number = 100 + len(self.pushes)
        if self.kind == "github":
            self.pushes.append(github_push(number, login, kind, before, after, when, ref))
        elif after == ZERO:  # Gitea logs a deletion as its own op_type, no commits
            deleted = gitea_push(number, login, [], when, ref)
            self.pushes.append({**deleted, "op_type": "delete_branch", "content": ""})
        else:
            excluded = ["main"] + ([before] if before != ZERO else [])
            shas = git(self.root, "rev-list", after, "--not", *excluded).split()
            self.pushes.append(gitea_push(number, login, shas, when, ref))

    def answer(self, handler):
        url = urlsplit(handler.path)
        if self.status != 200:
            return super().answer(handler)
        query = parse_qs(url.query)
        base = f"/repos/{REPO_NAME}"
        if url.path == f"{base}/pulls/{PR}":
            body = {"number": PR, "head": {"ref": BRANCH, "repo": {"full_name": self.head_repo}}}
            return self._json(handler, body)
        if self.kind == "github" and url.path == f"{base}/activity":
            assert "ref" not in query  # every branch's pushes: the repository's whole log
            # newest first (GitHub's default direction), cursor pages by Link header
            newest = sorted(self.pushes, key=lambda p: p["timestamp"], reverse=True)
            start = int(query.get("after", ["0"])[0])
            chunk = newest[start : start + self.page_size]
            link = None
            if start + self.page_size < len(newest):
                host = self.next_host or f"127.0.0.1:{self.server.server_port}"
                link = f"http://{host}{url.path}?after={start + self.page_size}"
            return self._json(handler, chunk, link)
        if self.kind == "gitea" and url.path == f"{base}/activities/feeds":
            page, size = int(query["page"][0]), int(query["limit"][0])
            # the feed is the repository's: other activities come with the pushes
            feed = [*self.pushes, {**self.pushes[0], "op_type": "create_issue", "content": "1|x"}]
            return self._json(handler, feed[(page - 1) * size : page * size])
        return super().answer(handler)

    def _json(self, handler, body, link=None):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if link:
            handler.send_header("Link", f'<{link}>; rel="next"')
        handler.end_headers()
        handler.wfile.write(json.dumps(body).encode())

    def push_log(self, since=None):
        return fetch_push_log(self.kind, self.api, REPO_NAME, BRANCH, "token-of-the-job", since)


def turn_on(root, people):
    """main's policy with forge_authorship (the gate reads the policy from the base)."""
    git(root, "switch", "-q", "main")
    act_as(root, people["quan-tri"])
    text = (root / "reviews/policy.yml").read_text(encoding="utf-8")
    write(root, "reviews/policy.yml", text.replace(FLAG_OFF, FLAG_ON))
    git(root, "commit", "-q", "-am", "Policy: forge_authorship")
    git(root, "switch", "-q", BRANCH)
    act_as(root, people["ctv"])


def unsign_head(root):
    """The submission's commit as the desk makes it: the forge commits, no roster key signs."""
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "--amend", "--no-edit")
    return head(root)


@pytest.fixture
def desk(repo, people):
    """The contributor's item committed unsigned (by the desk), forge_authorship on."""
    turn_on(repo, people)
    unsign_head(repo)
    return repo


@pytest.fixture(params=["github", "gitea"])
def forge(request, desk):
    server = PushForge(request.param, desk)
    yield server
    server.close()


def judge(root, forge, pushes=True, rev="HEAD", at=None):
    log = forge.push_log() if pushes else None
    return evaluate(Git(root), "main", rev, reviews=forge.fetch(), pushes=log, at=at)


def unproven(verdict) -> bool:
    return any("không có chữ ký của một khóa" in str(p) for p in verdict.problems)


def stage(verdict, stage_id):
    return next(r for r in verdict.stages if r.stage.id == stage_id)


# --- the desk's commit proven by its pusher ---------------------------------------------


def test_desk_commit_proven_by_its_pusher_passes_with_the_chain(desk, forge):
    commit = head(desk)
    forge.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
    forge_chain(forge, commit)
    verdict = judge(desk, forge)
    assert verdict.ok, render_text(verdict)
    assert (
        verdict.authors["ctv"]
        == f"người đẩy commit {commit[:8]} trên forge (login ctv-gh, không ký)"
    )
    assert "ctv" in verdict.writers  # a contributor's unit is known from the roster
    shown = "tác giả: Hoàng Văn Cường (đẩy lên forge, không ký"
    assert shown in render_text(verdict)
    assert shown in render_markdown(verdict)
    # without the push log the same submission has an unproven author, as before
    without = judge(desk, forge, pushes=False)
    assert not without.ok and unproven(without)


def test_the_pusher_approving_their_own_item_is_refused(desk, forge):
    commit = head(desk)
    forge.push("uy-vien-gh", ZERO, commit, ago(30), kind="branch_creation")
    forge_chain(forge, commit)
    verdict = judge(desk, forge)
    assert not verdict.ok
    assert "uy-vien" in verdict.authors
    own = [d for d in verdict.decisions if d.person_id == "uy-vien"]
    assert own and all("tác giả không được tự duyệt" in " ".join(d.reasons) for d in own)
    text = render_text(verdict)
    assert "tác giả không được tự duyệt" in text
    assert "tác giả: Đặng Quốc Bảo (đẩy lên forge, không ký" in text


def test_a_login_not_on_the_roster_proves_nothing(desk, forge):
    forge.push("nguoi-la-gh", ZERO, head(desk), ago(30), kind="branch_creation")
    forge_chain(forge, head(desk))
    verdict = judge(desk, forge)
    assert not verdict.ok and unproven(verdict)
    assert "login 'nguoi-la-gh' đã đẩy commit này không có trong reviews/roster.yml" in (
        render_text(verdict)
    )


def test_a_login_whose_terms_have_ended_proves_nothing(desk, forge):
    forge.push("pho-ban-cu-gh", ZERO, head(desk), ago(30), kind="branch_creation")
    verdict = judge(desk, forge)
    assert unproven(verdict)
    assert "không giữ vai trò nào vào ngày đẩy" in render_text(verdict)


def test_a_deleted_account_proves_nothing(desk, forge):
    forge.push(None, ZERO, head(desk), ago(30), kind="branch_creation")
    verdict = judge(desk, forge)
    assert unproven(verdict)
    assert "đã bị xóa" in render_text(verdict)


def test_commits_only_in_a_before_of_a_force_push_are_not_attributed(desk, forge, people):
    """The branch was rewritten: C1 is only the `before` of the force-push that brought C2."""
    first = head(desk)
    git(desk, "switch", "-q", "-c", "viet-lai", "main")
    act_as(desk, people["ctv"])
    write(desk, conftest.ITEM, conftest.item_text(body="Viết lại."))
    git(desk, "add", "-A")
    git(desk, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Viết lại")
    rewritten = head(desk)
    git(desk, "switch", "-q", BRANCH)
    forge.push("truong-dv-khac-gh", first, rewritten, ago(20), kind="force_push")
    forge_chain(forge, first)
    verdict = judge(desk, forge)  # the branch as it was before the force-push
    assert not verdict.ok and unproven(verdict)
    assert "không có lần đẩy nào trong nhật ký" in render_text(verdict)
    after = judge(desk, forge, rev=rewritten)  # the force-push's own commit is its pusher's
    assert after.authors["truong-dv-khac"].startswith("người đẩy commit")


def test_a_commit_first_pushed_by_two_logins_at_once_stays_unproven(desk, forge):
    commit, when = head(desk), ago(30)
    forge.push("ctv-gh", ZERO, commit, when, kind="branch_creation")
    forge.push("truong-dv-khac-gh", ZERO, commit, when, kind="branch_creation", ref=OTHER)
    forge_chain(forge, commit)
    verdict = judge(desk, forge)
    assert not verdict.ok and unproven(verdict)
    assert "nhiều tài khoản forge cùng đẩy commit này (ctv-gh, truong-dv-khac-gh)" in (
        render_text(verdict)
    )


def test_a_later_push_by_another_login_does_not_take_the_commit(desk, forge):
    """The branch deleted and created again at the same commit by someone else: the commit
    is still its first pusher's."""
    commit = head(desk)
    forge.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
    forge.push("truong-dv-khac-gh", commit, ZERO, ago(25), kind="branch_deletion")
    forge.push("truong-dv-khac-gh", ZERO, commit, ago(20), kind="branch_creation")
    forge_chain(forge, commit)
    verdict = judge(desk, forge)
    assert verdict.ok, render_text(verdict)
    assert verdict.authors["ctv"].startswith("người đẩy commit")
    assert "truong-dv-khac" not in verdict.authors


def test_the_same_login_pushing_twice_is_one_claim(desk, forge, people):
    first = head(desk)
    forge.push("ctv-gh", ZERO, first, ago(30), kind="branch_creation")
    act_as(desk, people["ctv"])
    write(desk, conftest.ITEM, conftest.item_text(body="Sửa lần hai."))
    git(desk, "add", "-A")
    git(desk, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Sửa")
    forge.push("ctv-gh", first, head(desk), ago(20))
    forge_chain(forge, head(desk))
    verdict = judge(desk, forge)
    assert verdict.ok, render_text(verdict)
    assert render_text(verdict).count("(đẩy lên forge, không ký") == 2


# --- the first push in the whole repository, not the branch's ----------------------------


MISSING = "d" * 40  # a commit the forge logged that the clone does not have


def side_commit(root, people, parent, who="uy-vien"):
    """A commit on top of `parent` in another local branch (made unsigned, as by the desk)."""
    git(root, "switch", "-q", "-c", "nhap-cua-bao", parent)
    act_as(root, people[who])
    write(root, "ghi-chu-nhap.txt", "Bản nháp.\n")
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Nháp")
    made = head(root)
    git(root, "switch", "-q", BRANCH)
    act_as(root, people["ctv"])
    return made


def cut_short(entry, count):
    """Gitea kept only the newest few of the pushed commits: `Len` counts them all."""
    content = json.loads(entry["content"])
    return {**entry, "content": json.dumps({**content, "Len": count})}


def set_time(entry, when):
    if "timestamp" in entry:
        return {**entry, "timestamp": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    return {**entry, "created": when.isoformat()}


def test_a_commit_first_pushed_in_another_branch_is_that_pushers(desk, forge):
    """Bảo pushes X to his branch; Cường creates the pull request's branch at X. The log of
    that branch alone says Cường brought X; the repository's log says Bảo did, first: Bảo
    is X's author and cannot approve it."""
    commit = head(desk)
    forge.push("uy-vien-gh", ZERO, commit, ago(40), kind="branch_creation", ref=OTHER)
    forge.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
    forge_chain(forge, commit)
    verdict = judge(desk, forge)
    assert not verdict.ok
    assert verdict.authors["uy-vien"] == (
        f"người đẩy commit {commit[:8]} trên forge (login uy-vien-gh, không ký)"
    )
    assert "người đẩy" not in verdict.authors.get("ctv", "")
    own = [d for d in verdict.decisions if d.person_id == "uy-vien"]
    assert own and all("tác giả không được tự duyệt" in " ".join(d.reasons) for d in own)
    text = render_text(verdict)
    assert "tác giả: Đặng Quốc Bảo (đẩy lên forge, không ký; login uy-vien-gh" in text
    assert "tác giả không được tự duyệt" in text


def test_a_stranger_first_then_a_member_creating_the_branch_is_unproven(desk, forge):
    commit = head(desk)
    forge.push("nguoi-la-gh", ZERO, commit, ago(40), kind="branch_creation", ref=OTHER)
    forge.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
    forge_chain(forge, commit)
    verdict = judge(desk, forge)
    assert not verdict.ok and unproven(verdict)
    assert "người đẩy" not in verdict.authors.get("ctv", "")  # not the later pusher
    assert "login 'nguoi-la-gh' đã đẩy commit này không có trong reviews/roster.yml" in (
        render_text(verdict)
    )


@pytest.mark.parametrize("case", ["tip-not-in-clone", "commit-below-its-tip"])
def test_an_earlier_push_that_cannot_be_judged_leaves_the_commit_unproven(
    desk, forge, people, case
):
    """A push before Cường's that may have brought X first, but the gate cannot tell:
    GitHub's `after` (or `before`) is not in the clone; Gitea listed only the newest of
    the commits it pushed. Later than Cường's, the same push changes nothing."""
    commit = head(desk)
    if case == "tip-not-in-clone":
        if forge.kind == "github":
            forge.push("truong-dv-khac-gh", ZERO, MISSING, ago(40), "branch_creation", OTHER)
        else:
            forge.pushes.append(
                cut_short(gitea_push(100, "truong-dv-khac-gh", [MISSING], ago(40), OTHER), 4)
            )
    else:  # the push's tip is here and X is below it, but what it brought is unknown
        tip = side_commit(desk, people, commit)
        if forge.kind == "github":
            forge.push("truong-dv-khac-gh", MISSING, tip, ago(40), kind="force_push", ref=OTHER)
        else:
            forge.pushes.append(
                cut_short(gitea_push(100, "truong-dv-khac-gh", [tip], ago(40), OTHER), 2)
            )
    forge.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
    forge_chain(forge, commit)
    verdict = judge(desk, forge)
    assert not verdict.ok and unproven(verdict)
    text = render_text(verdict)
    assert "lần đẩy #100 của 'truong-dv-khac-gh'" in text
    assert "không kiểm được: không biết ai đẩy nó lên đầu tiên" in text
    forge.pushes[0] = set_time(forge.pushes[0], ago(20))  # after Cường's: it cannot be first
    later = judge(desk, forge)
    assert later.ok, render_text(later)
    assert later.authors["ctv"].startswith("người đẩy commit")


def test_pushes_to_other_branches_leave_an_honest_submission_alone(desk, forge, people):
    commit = head(desk)
    main_tip, main_before = (
        git(desk, "rev-parse", "main").strip(),
        git(desk, "rev-parse", "main~1").strip(),
    )
    other = side_commit(desk, people, "main")
    forge.push("quan-tri-gh", main_before, main_tip, ago(60), kind="push", ref="refs/heads/main")
    forge.push("uy-vien-gh", ZERO, other, ago(50), kind="branch_creation", ref=OTHER)
    forge.push("uy-vien-gh", other, ZERO, ago(45), kind="branch_deletion", ref=OTHER)
    forge.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
    forge.push("pho-ban-gh", ZERO, main_tip, ago(10), kind="branch_creation", ref=OTHER)
    forge_chain(forge, commit)
    verdict = judge(desk, forge)
    assert verdict.ok, render_text(verdict)
    assert verdict.authors["ctv"].startswith("người đẩy commit")
    assert not any(v.startswith("người đẩy") for k, v in verdict.authors.items() if k != "ctv")
    assert "nhật ký đẩy:" not in render_text(verdict)  # every push judged, nothing in doubt


def test_a_commit_not_descending_from_the_merge_base_is_unproven(desk, forge):
    """The log is read back only to the merge base: a commit of the submission made before
    it (a commit with no parent here) may have been pushed first before that, unseen."""
    commit = head(desk)
    forge.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
    verdict = judge(desk, forge)
    orphan = git(
        desk, "-c", "commit.gpgsign=false", "commit-tree", "HEAD^{tree}", "-m", "Mồ côi"
    ).strip()
    forge.push("ctv-gh", ZERO, orphan, ago(30), kind="branch_creation", ref=OTHER)
    log, submission = forge.push_log(), verdict.submission
    commits = [SimpleNamespace(sha=commit), SimpleNamespace(sha=orphan)]
    args = (Git(desk), log, commits, submission.base, verdict.roster)
    forge_pushes.attribute(*args, submission.merge_base)
    assert set(log.proven) == {commit}
    assert "không nối tiếp commit gốc chung" in log.unproven[orphan]


def test_the_log_is_read_back_to_its_cut_off_and_no_further(desk):
    """GitHub's log, all branches, newest first: reading stops at the page that reaches
    back before the cut-off."""
    server = PushForge("github", desk)
    try:
        for minutes in range(3):
            server.push("ctv-gh", ZERO, head(desk), ago(30 - minutes), kind="branch_creation")
        for days in (400, 401):
            server.push("ctv-gh", ZERO, head(desk), now() - timedelta(days=days), ref=OTHER)
        since = log_since(Git(desk), "main", "HEAD")
        assert len(server.push_log(since).pushes) == 4  # pages of two: the second reaches back
        assert len(server.requests) == 2
        assert len(server.push_log().pushes) == 5  # no cut-off: every page
        assert len(server.requests) == 2 + 3
    finally:
        server.close()


def test_a_log_cut_short_by_the_page_limit_proves_nothing(desk, monkeypatch):
    server = PushForge("github", desk)
    try:
        for minutes in range(5):
            server.push("ctv-gh", ZERO, head(desk), ago(30 - minutes), kind="branch_creation")
        since = log_since(Git(desk), "main", "HEAD")
        monkeypatch.setattr(forge_pushes, "MAX_PAGES", 2)
        log = server.push_log(since)
        assert "quá 2 trang nhật ký đẩy" in log.incomplete
        verdict = evaluate(Git(desk), "main", "HEAD", pushes=log)
        assert unproven(verdict) and "nhật ký đẩy chưa đọc hết" in render_text(verdict)
        monkeypatch.setattr(forge_pushes, "MAX_PAGES", 3)  # one more page: read to the end
        verdict = evaluate(Git(desk), "main", "HEAD", pushes=server.push_log(since))
        assert not unproven(verdict) and verdict.authors["ctv"].startswith("người đẩy")
    finally:
        server.close()


def test_policy_flag_off_nothing_changes(repo, people, monkeypatch, capsys):
    assert FLAG_OFF in (repo / "reviews/policy.yml").read_text(encoding="utf-8")  # the sample's
    commit = unsign_head(repo)
    server = PushForge("github", repo)
    try:
        server.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
        forge_chain(server, commit)
        verdict = judge(repo, server)  # even given the log, the policy does not let it prove
        assert not verdict.ok and unproven(verdict)
        assert "đẩy lên forge" not in render_text(verdict)
        monkeypatch.setenv("FORGE_TOKEN", "x")
        server.requests.clear()
        options = ["--forge", "github", "--forge-api", server.api, "--forge-repo", REPO_NAME]
        assert portal(repo, "review", "verify", "--base", "main", *options, "--forge-pr", "7") == 1
        # and the CLI did not even read the push log
        assert not any("/activity" in path for path, _ in server.requests)
    finally:
        server.close()


def test_status_reads_the_push_log_when_the_policy_says_so(desk, forge, monkeypatch, capsys):
    forge.push("ctv-gh", ZERO, head(desk), ago(30), kind="branch_creation")
    forge_chain(forge, head(desk))
    monkeypatch.setenv("FORGE_TOKEN", "token-of-the-job")
    options = ["--forge", forge.kind, "--forge-api", forge.api, "--forge-repo", REPO_NAME]
    assert portal(desk, "review", "verify", "--base", "main", *options, "--forge-pr", "7") == 0
    capsys.readouterr()
    assert portal(desk, "review", "status", "--base", "main", *options, "--forge-pr", "7") == 0
    out = capsys.readouterr().out
    assert "tác giả: Hoàng Văn Cường (đẩy lên forge, không ký; login ctv-gh" in out
    assert all(auth and "token-of-the-job" in auth for _, auth in forge.requests)


def test_a_signed_approval_of_a_desk_submission_through_the_command(
    desk, forge, people, monkeypatch
):
    """`portal review approve --forge …` reads the push log too: its pre-check passes."""
    forge.push("ctv-gh", ZERO, head(desk), ago(30), kind="branch_creation")
    options = ["--forge", forge.kind, "--forge-api", forge.api, "--forge-repo", REPO_NAME]
    monkeypatch.setenv("FORGE_TOKEN", "x")
    assert approve(desk, people["truong-dv"]) == 2  # without the log: unproven author
    assert approve(desk, people["truong-dv"], *options, "--forge-pr", str(PR)) == 0
    verdict = judge(desk, forge)
    assert stage(verdict, "unit_head").done and verdict.authors["ctv"].startswith("người đẩy")


def test_a_pull_request_from_a_fork_has_no_push_log_here(desk, forge, monkeypatch, capsys):
    forge.push("ctv-gh", ZERO, head(desk), ago(30), kind="branch_creation")
    forge.head_repo = "ke-gian/cong"
    monkeypatch.setenv("FORGE_TOKEN", "x")
    options = ["--forge", forge.kind, "--forge-api", forge.api, "--forge-repo", REPO_NAME]
    assert portal(desk, "review", "status", "--base", "main", *options, "--forge-pr", "7") == 0
    out = capsys.readouterr().out
    assert "fork" in out and "không có chữ ký của một khóa" in out


# --- the audit trail -----------------------------------------------------------------------


@pytest.fixture
def ci_desk(tmp_path, people, monkeypatch):
    ci_key = conftest.roster_with_ci_key(tmp_path, monkeypatch, CI_EMAIL)
    # the flag is on from main's first commit: a later commit straight on main is an audit finding
    policy = (conftest.REPO / "reviews/policy.yml").read_text(encoding="utf-8")
    write(tmp_path / "sample", "reviews/policy.yml", policy.replace(FLAG_OFF, FLAG_ON))
    monkeypatch.setattr(conftest, "REPO", tmp_path / "sample")
    root = make_repo(tmp_path / "repo", people)
    unsign_head(root)
    return root, ci_key


@pytest.mark.parametrize("kind", ["github", "gitea"])
def test_ledger_written_at_merge_and_audited_without_the_forge(
    ci_desk, people, monkeypatch, capsys, kind
):
    root, ci_key = ci_desk
    commit = head(root)
    server = PushForge(kind, root)
    try:
        server.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
        forge_chain(server, commit)
        # audited before the ledger exists: the unsigned commit's author is unproven
        assert merge_and_record(root, server, people, ci_key, monkeypatch) == 0
    finally:
        server.close()  # the forge is gone: the audit reads git alone
    path = git(root, "show", "--name-only", "--format=", "HEAD").split()[0]
    ledger = (root / path).read_text(encoding="utf-8")
    assert "authorship:" in ledger and f"commit: {commit}" in ledger
    assert "login: ctv-gh" in ledger and "person: ctv" in ledger and "push: 100" in ledger
    capsys.readouterr()
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 0, capsys.readouterr().out


@pytest.mark.parametrize("kind", ["github", "gitea"])
def test_the_deciding_push_of_another_branch_is_recorded_and_audited(
    ci_desk, people, monkeypatch, capsys, kind
):
    """The push that decided was to another branch: the ledger records it, and the audit
    re-judges it without the forge."""
    root, ci_key = ci_desk
    commit = head(root)
    server = PushForge(kind, root)
    try:
        server.push("ctv-gh", ZERO, commit, ago(40), kind="branch_creation", ref=OTHER)
        server.push("truong-dv-khac-gh", ZERO, commit, ago(30), kind="branch_creation")
        forge_chain(server, commit)
        assert merge_and_record(root, server, people, ci_key, monkeypatch) == 0
    finally:
        server.close()
    path = git(root, "show", "--name-only", "--format=", "HEAD").split()[0]
    ledger = (root / path).read_text(encoding="utf-8")
    assert "push: 100" in ledger and "login: ctv-gh" in ledger and "truong-dv-khac" not in ledger
    capsys.readouterr()
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 0, capsys.readouterr().out


def test_audit_without_the_recorded_pushers_finds_the_author_unproven(
    ci_desk, people, monkeypatch, capsys
):
    root, ci_key = ci_desk
    git(root, "switch", "-q", "main")
    act_as(root, people["quan-tri"])
    git(root, "merge", "-q", "--no-ff", BRANCH, "-m", "Đăng: hội nghị")
    capsys.readouterr()
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 1
    assert "không có chữ ký của một khóa" in capsys.readouterr().out


def test_record_writes_only_pushers_the_roster_knows(ci_desk, people, monkeypatch, capsys):
    """A pusher the roster does not know is not recorded, and the audit finds no author."""
    root, ci_key = ci_desk
    commit = head(root)
    server = PushForge("github", root)
    try:
        server.push("ctv-gh", ZERO, commit, ago(30), kind="branch_creation")
        forge_chain(server, commit)
        git(root, "switch", "-q", "main")
        act_as(root, people["quan-tri"])
        git(root, "merge", "-q", "--no-ff", BRANCH, "-m", "Đăng: hội nghị")
        server.pushes[0]["actor"]["login"] = "nguoi-la-gh"
        git(root, "config", "user.email", CI_EMAIL)
        git(root, "config", "user.signingkey", str(ci_key))
        monkeypatch.setenv("FORGE_TOKEN", "x")
        options = ["--forge", "github", "--forge-api", server.api, "--forge-repo", REPO_NAME]
        assert portal(root, "review", "record-forge", *options, "--forge-pr", "7") == 0
    finally:
        server.close()
    path = git(root, "show", "--name-only", "--format=", "HEAD").split()[0]
    assert "authorship:" not in (root / path).read_text(encoding="utf-8")
    capsys.readouterr()
    assert portal(root, "review", "audit", "--since", "2024-01-01") == 1


# --- the forge's answers: malformed, paged, hostile -------------------------------------


GOOD_GITHUB = github_push(1, "ctv-gh", "push", "a" * 40, "b" * 40, now())
GOOD_GITEA = gitea_push(1, "ctv-gh", ["c" * 40], now())


@pytest.mark.parametrize(
    "field, value, named",
    [
        ("id", "1", "id"),
        ("before", "main", "before"),
        ("after", None, "after"),
        ("ref", 7, "ref"),
        ("timestamp", "hôm qua", "timestamp"),
        ("timestamp", "2026-12-01T08:00:00", "timestamp"),  # a time without zone is no time
        ("activity_type", "teleport", "activity_type"),
        ("actor", {"login": "ctv-gh\x1b[2J"}, "actor.login"),
        ("actor", {"id": 3}, "actor.login"),
    ],
)
def test_malformed_github_push_names_the_field(field, value, named):
    with pytest.raises(PortalError, match=named.replace(".", r"\.")):
        parse_github([{**GOOD_GITHUB, field: value}], "forge")


@pytest.mark.parametrize(
    "field, value, named",
    [
        ("id", None, "id"),
        ("created", "", "created"),
        ("ref_name", None, "ref_name"),
        ("act_user", {"login": "../x"}, "act_user.login"),
        ("content", "không phải JSON", "content"),
        ("content", json.dumps({"Commits": [{"Sha1": "xyz"}]}), "content.Commits[0].Sha1"),
        ("content", json.dumps({"Commits": "abc"}), "content"),
        ("content", json.dumps({"Commits": [], "Len": "năm"}), "content.Len"),
        ("content", json.dumps({"Commits": [{"Sha1": "c" * 40}], "Len": 0}), "content.Len"),
    ],
)
def test_malformed_gitea_push_names_the_field(field, value, named):
    with pytest.raises(PortalError, match=named.replace(".", r"\.").replace("[", r"\[")):
        parse_gitea([{**GOOD_GITEA, field: value}], "forge")


def test_well_formed_entries_parse_and_other_activities_are_skipped():
    assert parse_github([GOOD_GITHUB], "forge")[0].after == "b" * 40
    deletion = {**GOOD_GITHUB, "activity_type": "branch_deletion"}
    assert parse_github([deletion], "forge") == []
    assert parse_gitea([GOOD_GITEA], "forge")[0].listed == ("c" * 40,)
    issue = {**GOOD_GITEA, "op_type": "create_issue", "content": "1|Tiêu đề", "ref_name": ""}
    assert parse_gitea([issue], "forge") == []
    with pytest.raises(PortalError, match="danh sách"):
        parse_github({"message": "Not Found"}, "forge")


def test_every_page_of_the_log_is_read(desk, forge):
    for minutes in range(5):
        forge.push("ctv-gh", ZERO, head(desk), ago(30 - minutes), kind="branch_creation")
    forge.page_size = 2
    if forge.kind == "gitea":  # Gitea pages by number; the client asks 50 a page
        forge.pushes = forge.pushes * 12  # 60 entries (+1 other activity): two pages
    log = forge.push_log()
    assert len(log.pushes) == len(forge.pushes)


def test_gitea_feed_is_read_back_to_the_merge_base_only(desk):
    """Gitea's feed is the whole repository's, newest first: reading stops at the page that
    reaches back before the submission's merge base (a day early)."""
    server = PushForge("gitea", desk)
    try:
        for minutes in range(60):
            server.push("ctv-gh", ZERO, head(desk), ago(30 + minutes), kind="branch_creation")
        server.pushes[49]["created"] = (now() - timedelta(days=400)).isoformat()
        since = log_since(Git(desk), "main", "HEAD")
        assert now() - timedelta(days=2) < since < now()
        fetch_push_log("gitea", server.api, REPO_NAME, BRANCH, None, since)
        assert sum("/activities/feeds" in path for path, _ in server.requests) == 1
        server.push_log()  # without a limit: every page
        assert sum("/activities/feeds" in path for path, _ in server.requests) == 3
    finally:
        server.close()


def test_a_next_page_on_another_host_is_not_followed(desk):
    server = PushForge("github", desk)
    try:
        for minutes in range(3):
            server.push("ctv-gh", ZERO, head(desk), ago(30 - minutes), kind="branch_creation")
        server.next_host = "ke-gian.example:80"
        with pytest.raises(PortalError, match="máy khác"):
            server.push_log()
        assert len(server.requests) == 1
    finally:
        server.close()


def test_only_https_but_for_this_machine():
    with pytest.raises(PortalError, match="https"):
        fetch_push_log("github", "http://forge.example", REPO_NAME, BRANCH, None)


def test_forge_errors_fail_closed(desk, forge):
    forge.status = 500
    with pytest.raises(PortalError, match="mã 500"):
        forge.push_log()


def test_policy_flag_is_validated_by_the_schema():
    text = (conftest.REPO / "reviews/policy.yml").read_text(encoding="utf-8")
    policy, problems = parse_policy(text, "policy.yml")
    assert problems == [] and policy.forge_authorship is False  # off in the sample
    assert FLAG_OFF in text  # documented, off
    on, _ = parse_policy(text.replace(FLAG_OFF, FLAG_ON), "p")
    assert on.forge_authorship is True
    unset, _ = parse_policy(text.replace(FLAG_OFF, ""), "p")
    assert unset.forge_authorship is False  # the schema's default
    bad = text.replace(FLAG_OFF, "forge_authorship: có\n")
    policy, problems = parse_policy(bad, "policy.yml")
    assert policy is None
    assert any("forge_authorship" in str(p) and "true hoặc false" in str(p) for p in problems)
