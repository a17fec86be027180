"""Authorship proven by the forge's push log: who pushed a desk commit that no one signed.

Commits made through the browser desk (Decap CMS on GitHub or Gitea/Forgejo) are made by
the forge on the user's behalf and carry no roster key's signature. When the policy says
`forge_authorship: true`, the gate takes the login that first pushed such a commit to the
repository, by the forge's own log of pushes (to any branch), as the commit's proven author.

Three parts, kept apart:
- `parse_github` / `parse_gitea` turn one page of the log into `ForgePush`es (pure, and
  every malformed field is an error naming it: fail closed);
- `fetch_push_log` is the thin HTTP adapter (GitHub: `GET /repos/{o}/{r}/activity`,
  cursor pages by Link header; Gitea/Forgejo: `GET /repos/{o}/{r}/activities/feeds`,
  numbered pages), with the reviews client's safety: https only (but 127.0.0.1), no
  redirect, no next page on another host;
- `attribute` maps each commit of the submission to the login of the EARLIEST push, in the
  whole repository, that introduced it: a push introduced a commit when the commit is
  reachable from the push's `after` and not from its `before` (computed by git; Gitea's
  feed lists the pushed commits' Sha1 instead). Creating a branch at someone else's commit,
  or pushing it again elsewhere, comes later and changes nothing. Fail closed: a commit
  stays unproven when no push introduced it, when two logins introduced it at the same
  earliest time, when a push at or before that time cannot be judged (its `after` or
  `before` missing from the clone, Gitea's list cut short), when it does not descend from
  the merge base (the log is read back only that far), or when the log was not read back
  that far. The login must be on the base branch's roster (one person) and that person
  active (holding a role) on the push's day.

Trust: as good as the forge's accounts and, once recorded in the forge ledger at merge,
the CI key (docs/review.md §9), the same as a forge review decision.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from portal.dates import VIETNAM
from portal.errors import PortalError
from portal.git import Git
from portal.project import REPO_POLICY
from portal.review.forge import (
    FORGES,
    LOGIN,
    MAX_PAGES,
    PAGE_SIZE,
    auth_headers,
    get_page,
    is_sha,
    parse_time,
    repo_url,
)
from portal.review.policy import parse_policy
from portal.roster import Person

# GitHub's activity types that move a branch to a new `after`; deletion adds no commit.
GITHUB_PUSHES = ("push", "force_push", "branch_creation", "pr_merge", "merge_queue_merge")
GITHUB_TYPES = (*GITHUB_PUSHES, "branch_deletion")
GITEA_PUSH = "commit_repo"  # Gitea/Forgejo's op_type for a push of commits to a branch


@dataclass(frozen=True)
class ForgePush:
    forge: str  # github | gitea
    id: int
    login: str  # "" when the forge's account was deleted (actor null)
    kind: str  # GitHub's activity_type, Gitea's op_type
    ref: str  # refs/heads/<branch>
    time: datetime
    before: str = ""  # GitHub: the branch before the push ("" for a new branch)
    after: str = ""  # GitHub: the branch after the push
    listed: tuple[str, ...] | None = None  # Gitea (and the ledger): the pushed commits
    complete: bool = True  # False: Gitea listed only the newest of the pushed commits

    @property
    def shown(self) -> str:
        return f"lần đẩy #{self.id} của '{self.login or '(tài khoản đã xóa)'}'"


@dataclass(frozen=True)
class Attribution:
    commit: str
    login: str
    person: Person
    push: ForgePush


@dataclass
class PushLog:
    """The repository's push log (every branch), and what it proves (filled on first use)."""

    forge: str
    ref: str  # the submission's branch ("" for a fork or the ledger), for the reader
    pushes: list[ForgePush]
    incomplete: str = ""  # why the log was not read back to its cut-off (then proves nothing)
    proven: dict[str, Attribution] | None = None  # commit → its proven pusher
    unproven: dict[str, str] = field(default_factory=dict)  # commit → why not
    asked: list[str] = field(default_factory=list)  # commits the chain needed a pusher for
    judging: object = None  # the verdict `asked` belongs to (a log may be judged again)
    notes: list[str] = field(default_factory=list)  # pushes that prove nothing, and why


def branch_ref(name: str) -> str:
    return name if name.startswith("refs/") else f"refs/heads/{name}"


# --- parsing the forge's JSON --------------------------------------------------------------


def _entries(payload, source: str, name: str):
    """(where, entry) for each object of one page; anything else is refused, named."""
    if not isinstance(payload, list):
        raise PortalError(f"{source}: {name}: API không trả về một danh sách")
    for index, entry in enumerate(payload):
        where = f"{source}: {name}[{index}]"
        if not isinstance(entry, dict):
            raise PortalError(f"{where}: không phải một đối tượng JSON")
        yield where, entry


def _login(account) -> str | None:
    return account.get("login") if isinstance(account, dict) else None


def parse_github(payload, source: str) -> list[ForgePush]:
    """One page of `GET /repos/{owner}/{repo}/activity` (GitHub's Repository activity API)."""
    pushes = []
    for where, entry in _entries(payload, source, "activity"):
        actor = entry.get("actor")
        login = _login(actor)
        kind, moment = entry.get("activity_type"), parse_time(entry.get("timestamp"))
        before, after = entry.get("before"), entry.get("after")
        checks = {
            "id": _is_id(entry.get("id")),
            "activity_type": kind in GITHUB_TYPES,
            "ref": isinstance(entry.get("ref"), str) and entry["ref"].startswith("refs/"),
            "before": is_sha(before),
            "after": is_sha(after),
            "timestamp": moment is not None,
            "actor.login": actor is None or (isinstance(login, str) and LOGIN.fullmatch(login)),
        }
        _refuse_wrong(checks, where)
        if kind not in GITHUB_PUSHES:
            continue
        pushes.append(
            ForgePush(
                forge="github",
                id=entry["id"],
                login=login or "",
                kind=kind,
                ref=entry["ref"],
                time=moment,
                before="" if set(before) == {"0"} else before.lower(),
                after="" if set(after) == {"0"} else after.lower(),
            )
        )
    return pushes


def parse_gitea(payload, source: str) -> list[ForgePush]:
    """One page of `GET /repos/{owner}/{repo}/activities/feeds` (Gitea/Forgejo): the pushes
    are `op_type: commit_repo`, their `content` the JSON of the pushed commits."""
    pushes = []
    for where, entry in _entries(payload, source, "activities"):
        user = entry.get("act_user")
        login = _login(user)
        kind, moment = entry.get("op_type"), parse_time(entry.get("created"))
        checks = {
            "id": _is_id(entry.get("id")),
            "op_type": isinstance(kind, str),
            "created": moment is not None,
            "act_user.login": user is None or (isinstance(login, str) and LOGIN.fullmatch(login)),
        }
        if kind == GITEA_PUSH:
            checks["ref_name"] = isinstance(entry.get("ref_name"), str) and entry["ref_name"]
        _refuse_wrong(checks, where)
        if kind != GITEA_PUSH:
            continue
        pushes.append(
            ForgePush(
                forge="gitea",
                id=entry["id"],
                login=login or "",
                kind=kind,
                ref=branch_ref(entry["ref_name"]),
                time=moment,
                **_pushed_commits(entry.get("content"), where),
            )
        )
    return pushes


def _pushed_commits(content, where: str) -> dict:
    """Gitea's PushCommits JSON: `{"Commits": [{"Sha1": …}, …], "Len": n, …}`. Gitea keeps
    only the newest few commits of a long push (`Len` counts them all): the push is then
    incomplete, and may have brought any ancestor of its head that it does not list."""
    try:
        data = json.loads(content) if isinstance(content, str) and content else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("Commits"), list):
        raise PortalError(f"{where}: content: không phải JSON các commit đã đẩy (Commits)")
    listed = []
    for index, commit in enumerate(data["Commits"]):
        sha = commit.get("Sha1") if isinstance(commit, dict) else None
        if not is_sha(sha):
            raise PortalError(f"{where}: content.Commits[{index}].Sha1: thiếu hoặc sai kiểu")
        listed.append(sha.lower())
    count = data.get("Len")
    if count is not None and (not _is_id(count) or count < len(listed)):
        raise PortalError(f"{where}: content.Len: sai kiểu")
    return {"listed": tuple(listed), "complete": count == len(listed)}


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _refuse_wrong(checks: dict, where: str) -> None:
    wrong = [name for name, ok in checks.items() if not ok]
    if wrong:
        raise PortalError(f"{where}: {', '.join(wrong)}: thiếu hoặc sai kiểu")


# --- the HTTP adapter --------------------------------------------------------------------


def pull_request_branch(forge: str, api: str, repo: str, number: int, token: str | None) -> str:
    """The pull request's head branch, which must live in the repository itself: the push
    log of a fork is not this repository's, so a fork's commits prove nothing here."""
    url = f"{repo_url(api, repo)}/pulls/{number}"
    payload, _ = get_page(url, None, auth_headers(forge, token), "pull request")
    head = payload.get("head") if isinstance(payload, dict) else None
    branch = head.get("ref") if isinstance(head, dict) else None
    home = head.get("repo") if isinstance(head, dict) else None
    full_name = home.get("full_name") if isinstance(home, dict) else None
    if not isinstance(branch, str) or not branch or any(c in branch for c in " \t\n\\"):
        raise PortalError(f"{url}: head.ref: thiếu hoặc sai kiểu")
    if not isinstance(full_name, str):
        raise PortalError(f"{url}: head.repo.full_name: thiếu hoặc sai kiểu")
    if full_name.lower() != repo.lower():
        return ""  # a fork: no push log here
    return branch


def fetch_pull_request_pushes(
    forge: str, api: str, repo: str, number: int, token: str | None, since: datetime | None
) -> PushLog:
    """The repository's push log, for a pull request whose branch lives in the repository
    (empty for a fork's branch: its pushes are not logged here)."""
    branch = pull_request_branch(forge, api, repo, number, token)
    if not branch:
        log = PushLog(forge, "", [])
        log.notes.append(f"pull request #{number} đến từ một kho khác (fork): không có nhật ký đẩy")
        return log
    return fetch_push_log(forge, api, repo, branch, token, since)


def log_since(git: Git, base: str, head: str) -> datetime:
    """How far back the push log must be read: a day before the submission's merge base was
    made. Every commit the log is asked about descends from the merge base (`attribute`
    leaves any other unproven), so it was made, and first pushed anywhere in the repository,
    after the merge base existed: no push older than that can have introduced it. Main's
    commits passed the gate, which refuses a date in the future, so that date is not later
    than the truth; the day is for clocks."""
    merge_base = git.merge_base(git.resolve_base(base), git.commit_of(head))
    seconds = int(git.run("log", "-1", "--format=%ct", merge_base).strip())
    return datetime.fromtimestamp(seconds, VIETNAM) - timedelta(days=1)


def fetch_push_log(
    forge: str, api: str, repo: str, branch: str, token: str | None, since: datetime | None = None
) -> PushLog:
    """Every push to any branch of the repository the forge logged, newest first, back to
    `since` (all pages when None): reading stops at a page that reaches back before it.
    Any failure is an error; a log cut short by the page limit proves nothing."""
    if forge not in FORGES:
        raise PortalError(f"--forge: '{forge}' không hỗ trợ (chỉ: {', '.join(FORGES)})")
    ref = branch_ref(branch)
    base = repo_url(api, repo)
    if forge == "github":  # no `ref`: a commit may have reached the forge in another branch
        url, params = f"{base}/activity", {"per_page": 100, "direction": "desc"}
    else:  # Gitea's feed is the repository's already
        url, params = f"{base}/activities/feeds", {"limit": PAGE_SIZE, "page": 1}
    origin = urlsplit(url)[:2]
    headers = auth_headers(forge, token)
    parse = parse_github if forge == "github" else parse_gitea
    pushes: list[ForgePush] = []
    for page in range(1, MAX_PAGES + 1):
        payload, next_url = get_page(url, params, headers, "nhật ký đẩy (push)")
        pushes += parse(payload, f"{url} (trang {page})")
        if next_url is not None and urlsplit(next_url)[:2] != origin:
            raise PortalError(f"{url}: trang sau ở một máy khác ({next_url}); không đi theo")
        if _reaches(forge, payload, since):
            break
        if next_url is not None:
            url, params = next_url, None
        elif forge == "gitea" and len(payload) >= PAGE_SIZE:
            params = {**params, "page": page + 1}
        else:
            break
    else:
        log = PushLog(forge, ref, pushes)
        log.incomplete = f"quá {MAX_PAGES} trang nhật ký đẩy: cổng không đọc lùi được tới " + (
            f"{since:%d/%m/%Y}" if since else "lần đẩy đầu tiên"
        )
        return log
    return PushLog(forge, ref, pushes)


def _reaches(forge: str, payload: list, since: datetime | None) -> bool:
    """Does this page of the log (newest first) reach back before `since`?"""
    key = "timestamp" if forge == "github" else "created"
    times = [parse_time(entry.get(key)) for entry in payload if isinstance(entry, dict)]
    times = [t for t in times if t is not None]
    return since is not None and bool(times) and min(times) < since


def forge_authorship_on(git: Git, base: str) -> bool:
    """Does the base branch's policy let the push log prove authorship?"""
    text = git.show(git.resolve_base(base), REPO_POLICY)
    policy, _ = parse_policy(text, REPO_POLICY) if text is not None else (None, [])
    return bool(policy and policy.forge_authorship)


# --- who pushed what ---------------------------------------------------------------------


def attribute(git: Git, log: PushLog, commits: list, base: str, roster, merge_base: str) -> None:
    """Fill `log.proven` and `log.unproven` for `commits` (the submission's, from `base`,
    whose merge base with it is `merge_base`)."""
    wanted = {c.sha for c in commits}
    claims: dict[str, list[ForgePush]] = {sha: [] for sha in wanted}
    doubts: dict[str, list[ForgePush]] = {sha: [] for sha in wanted}
    for push in log.pushes:
        brought, maybe, why = introduced(git, push, base, wanted)
        for sha in brought:
            claims[sha].append(push)
        for sha in maybe:
            doubts[sha].append(push)
        if maybe:
            log.notes.append(f"{push.shown}: {why}")
    logins: dict[str, list[Person]] = {}
    for person in roster.people.values():
        if person.login:
            logins.setdefault(person.login.lower(), []).append(person)
    log.proven = {}
    for sha in wanted:
        if log.incomplete:
            verdict = f"nhật ký đẩy chưa đọc hết ({log.incomplete})"
        elif not git.ok("merge-base", "--is-ancestor", merge_base, sha):
            verdict = (
                "commit này không nối tiếp commit gốc chung của lần gửi; nhật ký đẩy chỉ được "
                "đọc lùi tới đó nên không biết ai đã đẩy nó lên trước"
            )
        else:
            verdict = _pusher(claims[sha], doubts[sha], logins)
        if isinstance(verdict, str):
            log.unproven[sha] = verdict
        else:
            log.proven[sha] = Attribution(
                sha, verdict.login, logins[verdict.login.lower()][0], verdict
            )


def introduced(git: Git, push: ForgePush, base: str, wanted: set) -> tuple[set, set, str]:
    """Which of `wanted` the push brought to the forge (reachable from `after`, not from
    `before`, nor from the base: they were there already; Gitea and the ledger list them),
    which it may have brought but cannot be judged, and why not."""
    if push.listed is not None:
        brought = set(push.listed) & wanted
        if push.complete:
            return brought, set(), ""
        why = "Gitea chỉ liệt kê vài commit mới nhất của lần đẩy này; không biết các commit khác"
        head = push.listed[0] if push.listed else ""
        if not head or not git.exists(head):
            return brought, wanted - brought, why
        return brought, (_reachable(git, head, [base]) & wanted) - brought, why
    if not push.after or not git.exists(push.after):
        why = "commit sau khi đẩy không có trong kho nên không biết lần đẩy mang commit nào lên"
        return set(), set(wanted), why
    if push.before and not git.exists(push.before):
        why = (
            f"commit trước khi đẩy ({push.before[:8]}) không có trong kho nên không biết "
            "lần đẩy mang commit nào lên"
        )
        return set(), _reachable(git, push.after, [base]) & wanted, why
    exclude = [push.before] if push.before else []
    return _reachable(git, push.after, [*exclude, base]) & wanted, set(), ""


def _reachable(git: Git, tip: str, excluded: list[str]) -> set[str]:
    return set(git.run("rev-list", tip, "--not", *excluded, "--").split())


def _pusher(pushes: list[ForgePush], doubts: list[ForgePush], logins: dict) -> ForgePush | str:
    """The earliest push that introduced the commit, if it proves a roster member."""
    if not pushes:
        if doubts:
            return f"{_earliest(doubts).shown} có thể đã mang commit này lên nhưng không kiểm được"
        return "không có lần đẩy nào trong nhật ký của forge mang commit này lên"
    first_time = min(p.time for p in pushes)
    earlier = [p for p in doubts if p.time <= first_time]
    if earlier:
        return (
            f"{_earliest(earlier).shown} (lúc {_clock(_earliest(earlier))}) có thể đã mang commit "
            "này lên trước nhưng không kiểm được: không biết ai đẩy nó lên đầu tiên"
        )
    firsts = [p for p in pushes if p.time == first_time]
    claimants = sorted({p.login.lower() for p in firsts})
    if len(claimants) > 1:
        shown = ", ".join(c or "(tài khoản đã xóa)" for c in claimants)
        return (
            f"nhiều tài khoản forge cùng đẩy commit này ({shown}) lần đầu cùng lúc: "
            "không biết ai là tác giả"
        )
    first = min(firsts, key=lambda p: p.id)
    if not first.login:
        return "tài khoản forge đã đẩy commit này lên đầu tiên đã bị xóa"
    people = logins.get(first.login.lower(), [])
    if len(people) != 1:
        return (
            f"login '{first.login}' đã đẩy commit này "
            + ("không có" if not people else "ghi cho nhiều người")
            + " trong reviews/roster.yml của nhánh gốc"
        )
    person, day = people[0], first.time.astimezone(VIETNAM).date()
    if not person.terms_on(day):
        return f"{person.name} (login '{first.login}') không giữ vai trò nào vào ngày đẩy {day}"
    return first


def _earliest(pushes: list[ForgePush]) -> ForgePush:
    return min(pushes, key=lambda p: (p.time, p.id))


def _clock(push: ForgePush) -> str:
    return f"{push.time.astimezone(VIETNAM):%H:%M %d/%m/%Y}"


def forge_pusher(git: Git, verdict, commit) -> tuple[Person | None, str]:
    """The chain's hook (`find_authors`): the proven pusher of a content commit that no
    roster key signed, and how they are described; (None, "") when the policy does not let
    the push log prove authorship, or the log does not prove this commit."""
    log: PushLog | None = verdict.push_log
    if log is None or not verdict.policy.forge_authorship:
        return None, ""
    if log.proven is None or log.judging is not verdict:
        log.proven, log.unproven, log.asked = None, {}, []
        attribute(
            git,
            log,
            verdict.commits,
            verdict.submission.base,
            verdict.roster,
            verdict.submission.merge_base,
        )
        log.judging = verdict
    log.asked.append(commit.sha)
    found = log.proven.get(commit.sha)
    if found is None:
        return None, ""
    return (
        found.person,
        f"người đẩy commit {commit.sha[:8]} trên forge (login {found.login}, không ký)",
    )


# --- in words, and in the forge ledger -----------------------------------------------------


def authorship_lines(verdict) -> list[str]:
    """For `status` and the job summary: who each unsigned content commit is by, by the
    push log, or why the log does not prove it."""
    log: PushLog | None = verdict.push_log
    if log is None or log.proven is None:
        return []
    lines = []
    for sha in log.asked:
        found = log.proven.get(sha)
        if found is None:
            why = log.unproven.get(sha, "")
            lines.append(f"commit {sha[:8]}: nhật ký đẩy của forge không chứng minh tác giả: {why}")
            continue
        when = found.push.time.astimezone(VIETNAM)
        lines.append(
            f"commit {sha[:8]}: tác giả: {found.person.name} (đẩy lên forge, không ký; "
            f"login {found.login}, lần đẩy #{found.push.id} lúc {when:%H:%M %d/%m/%Y})"
        )
    return lines + [f"nhật ký đẩy: {note}" for note in dict.fromkeys(log.notes)]


def authorship_entries(verdict) -> list[dict]:
    """The pushers the gate counted as the authors of unsigned commits, as ledger entries."""
    log: PushLog | None = verdict.push_log
    if log is None or log.proven is None:
        return []
    return [
        {
            "forge": found.push.forge,
            "push": found.push.id,
            "login": found.login,
            "person": found.person.id,
            "name": found.person.name,
            "commit": found.commit,
            "time": found.push.time.astimezone(VIETNAM).isoformat(timespec="seconds"),
        }
        for sha in dict.fromkeys(log.asked)
        if (found := log.proven.get(sha)) is not None
    ]


def recorded_log(entries: list[dict], submission_ref: str = "") -> PushLog:
    """The forge ledger's recorded pushers as a push log (each push lists its commit), so
    the audit judges them again by the same rules, without the forge."""
    pushes = [
        ForgePush(
            forge=e["forge"],
            id=e["push"],
            login=e["login"],
            kind="recorded",
            ref=submission_ref,
            time=datetime.fromisoformat(e["time"]),
            listed=(e["commit"],),
        )
        for e in entries
    ]
    return PushLog(pushes[0].forge if pushes else "github", submission_ref, pushes)


def attribution_disagrees(path: str, entries: list[dict], verdict) -> str | None:
    """Do the recorded pushers agree with what the chain makes of them today?"""
    judged = {(e["commit"], e["login"], e["person"]) for e in authorship_entries(verdict)}
    recorded = {(e["commit"], e["login"], e["person"]) for e in entries}
    if judged != recorded:
        wrong = sorted(r[0][:8] for r in judged ^ recorded)
        shown = ", ".join(wrong)
        return f"{path}: tác giả đẩy lên forge của commit {shown} không khớp khi kiểm lại"
    return None
