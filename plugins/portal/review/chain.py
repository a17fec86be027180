"""The chain of responsibility for one submission, judged from git alone.

`evaluate` reads the roster and policy from the base branch, the submission's changes,
and the decision commits on the branch, and says for every required stage whether it
is done (by whom, when, on which content) or waiting (for whom, and why). It fails
closed: whatever it cannot verify is a rejection with its reason.

Two kinds of rejection:
- forged: a decision that cannot be verified (unsigned, another person's key, not on
  the roster, ledger and commits disagree). The gate fails whatever else happens, since
  the ledger would carry a false record into the audit trail.
- refused: a genuine, signed decision that does not count (no role for the stage, an
  author approving, out of order, stale, dated outside what the verification time allows).
  The stage keeps waiting for a valid one.

Time: a commit's date is the signer's word. So an approval's key and role must be valid
both on its own date and at the moment of verification (`at`: now for the merge gate, the
merge commit's date for `audit`); it may not be dated in the future of `at`, nor before any
commit it has in its history (the content it approves), beyond CLOCK_SKEW. A request for
changes only holds the chain back, so it is judged on its own date alone.

Order is the commit graph's, not the dates': an approval counts only when the earlier
stages' approvals (and any request for changes it answers) are among its ancestors.

Authorship is proven by signatures: every commit that changes content (a merge: what it
changes that neither parent had) must be signed by a roster key, and its signer is an
author. Names in the author and committer fields, and the item's `authors`, only ever add
authors. See docs/review.md, "Các cách đi vòng cổng kiểm tra".
"""

import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from portal.dates import VIETNAM, vietnamese_date
from portal.errors import Problem
from portal.git import Change, Commit, Git
from portal.project import REPO_POLICY, REPO_ROSTER, is_ledger_path
from portal.review.forge import ForgeReview
from portal.review.forge_pushes import PushLog, forge_pusher
from portal.review.ledger import (
    DECISIONS,
    LEDGER_TRAILER,
    TRAILERS,
    parse_ledger,
    time_of,
)
from portal.review.policy import Policy, Stage, parse_policy
from portal.review.submission import Submission, content_hash, is_contributor, load_submission
from portal.roster import (
    ROLE_NAMES,
    Person,
    Roster,
    allowed_signers,
    key_fingerprint,
    key_owners,
    parse_roster,
)

# How far a decision's date may be ahead of the verification time, or behind a commit in
# its history, before it is refused: clocks of different machines disagree a little.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass
class Decision:
    kind: str  # approve | request-changes
    stage_id: str
    role: str
    person_id: str
    content: str
    time: datetime
    commit: Commit | None = None  # None for a decision not yet committed (approve's pre-check)
    person: Person | None = None
    entry: dict | None = None  # its ledger entry
    forged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    stale: bool = False
    covers: set = field(default_factory=set)
    review: ForgeReview | None = None  # set for a decision made in the forge's review screen

    @property
    def via_forge(self) -> bool:
        return self.review is not None

    @property
    def counted(self) -> bool:
        return not (self.forged or self.refused or self.stale)

    @property
    def who(self) -> str:
        return self.person.name if self.person else self.person_id

    @property
    def reasons(self) -> list[str]:
        stale = ["đã cũ: nội dung đã thay đổi sau khi quyết định (sửa, merge hoặc rebase)"]
        return self.forged + self.refused + (stale if self.stale else [])


@dataclass
class StageResult:
    stage: Stage
    scope: set = field(default_factory=set)  # units or sections that need an approver
    problem: str | None = None  # why the stage cannot be satisfied at all
    approvals: list[Decision] = field(default_factory=list)
    blocked_by: Decision | None = None
    candidates: list[Person] = field(default_factory=list)

    @property
    def covered(self) -> set:
        return set().union(*(d.covers for d in self.approvals)) if self.approvals else set()

    @property
    def missing(self) -> set:
        return self.scope - self.covered

    @property
    def done(self) -> bool:
        return self.blocked_by is None and self.done_with(self.approvals)

    def done_with(self, approvals: list) -> bool:
        """Would these approvals alone satisfy the stage?"""
        covered = set().union(*(d.covers for d in approvals)) if approvals else set()
        return (
            self.problem is None
            and len({d.person_id for d in approvals}) >= self.stage.approvals
            and not (self.scope - covered)
        )


@dataclass
class Verdict:
    base_name: str
    head_name: str
    submission: Submission | None = None
    roster: Roster | None = None
    policy: Policy | None = None
    stages: list[StageResult] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    authors: dict = field(default_factory=dict)  # person id → why they count as an author
    problems: list[Problem] = field(default_factory=list)  # why the gate refuses
    warnings: list[Problem] = field(default_factory=list)
    ledger_path: str | None = None
    commits: list = field(default_factory=list)  # the branch's commits, signatures checked
    files: dict = field(default_factory=dict)  # commit → paths it changes
    rules_used: dict = field(default_factory=dict)  # rule name → paths
    at: datetime | None = None  # the moment of verification: validity is judged then too
    ancestors: dict = field(default_factory=dict)  # commit → its ancestors in the submission
    writers: dict = field(default_factory=dict)  # id → contributor who signed content commits
    ignored: list = field(default_factory=list)  # forge reviews that are no decision, and why
    push_log: PushLog | None = None  # the forge's pushes to the branch (policy: forge_authorship)

    @property
    def ok(self) -> bool:
        return bool(self.stages) and not self.problems and all(s.done for s in self.stages)

    @property
    def current(self) -> StageResult | None:
        """The first stage not done: where the chain stands."""
        return next((s for s in self.stages if not s.done), None)


def now() -> datetime:
    return datetime.now(VIETNAM)


def evaluate(
    git: Git,
    base_name: str,
    head_name: str,
    today: date | None = None,
    candidate: Decision | None = None,
    at: datetime | None = None,
    reviews: list[ForgeReview] | None = None,
    pushes: PushLog | None = None,
) -> Verdict:
    """Judge the submission `head_name` against `base_name` (roster and policy from base),
    as of the moment `at` (now unless given: `audit` gives the merge commit's date)."""
    verdict = Verdict(base_name, git.branch_name(head_name), at=at or now(), push_log=pushes)
    base, head = git.resolve_base(base_name), git.commit_of(head_name)
    verdict.roster, verdict.policy = load_rules(git, base, base_name, verdict.problems)
    if verdict.roster is None or verdict.policy is None:
        return verdict
    submission = load_submission(git, base, head, verdict.roster)
    verdict.submission = submission
    if not submission.changes:
        verdict.problems.append(
            Problem.about(
                f"nhánh '{verdict.head_name}' không thay đổi nội dung nào so với nhánh gốc"
            )
        )
    refuse_special_files(submission, verdict.problems)
    decisions = read_decisions(git, verdict)
    refuse_unseen_content(git, verdict, decisions)
    refuse_future_commits(verdict)
    verdict.authors = find_authors(git, verdict, decisions)
    verdict.stages = required_stages(submission, verdict)
    decisions = in_graph_order(decisions + forge_decisions(git, verdict, reviews or []), verdict)
    verdict.decisions = decisions + ([candidate] if candidate else [])
    run_chain(verdict)
    report_forged(verdict)
    for result in verdict.stages:
        if not result.done:
            result.candidates = candidates(result, verdict, today or verdict.at.date())
    return verdict


# --- decisions made in the forge's review screen --------------------------------------


def forge_decisions(git: Git, verdict: Verdict, reviews: list[ForgeReview]) -> list[Decision]:
    """The forge's reviews as decisions: the person by forge login, the content the
    submission had at the reviewed commit. What cannot be a decision is ignored, with why."""
    logins: dict[str, list[Person]] = {}
    for person in verdict.roster.people.values():
        if person.login:
            logins.setdefault(person.login.lower(), []).append(person)
    commits = {c.sha: c for c in verdict.commits}
    contents: dict[str, str] = {}
    decisions = []
    for review in reviews:
        reason = ignore_reason(review, logins, commits)
        if reason:
            if review.decision is not None or review.dismissed:
                verdict.ignored.append(f"{review.shown} {review.url}: {reason}".replace("  ", " "))
            continue
        commit, when = anchor(review, verdict)
        if commit.sha not in contents:
            contents[commit.sha] = content_at(git, verdict, commit.sha)
        person = logins[review.login.lower()][0]
        decisions.append(
            Decision(
                kind=review.decision,
                stage_id="",  # the chain gives it the stage the person's role fills
                role="",
                person_id=person.id,
                content=contents[commit.sha],
                time=when,
                commit=commit,
                person=person,
                review=review,
            )
        )
    return decisions


def ignore_reason(review: ForgeReview, logins: dict, commits: dict) -> str | None:
    if review.dismissed:
        return "đã bị gỡ (dismissed) trên forge: không tính"
    if review.decision is None:
        return f"trạng thái {review.state} không phải quyết định"
    if not review.login:
        return "tài khoản forge đã bị xóa (user rỗng): không tính"
    people = logins.get(review.login.lower(), [])
    if len(people) != 1:
        return (
            f"login '{review.login}' không có trong reviews/roster.yml của nhánh gốc: không tính"
            if not people
            else f"login '{review.login}' ghi cho nhiều người trong roster: không tính"
        )
    if review.decision == "request-changes" and commits:
        return None  # a request holds the chain back even when its commit is gone (anchor)
    if review.time is None:
        return "forge không ghi thời điểm (submitted_at): không tính"
    if review.commit not in commits:
        return (
            f"commit {review.commit[:8]} không thuộc lần gửi này (nhánh đã bị ghi đè hay "
            "rebase sau khi duyệt): không tính"
        )
    return None


def anchor(review: ForgeReview, verdict: Verdict) -> tuple[Commit, datetime]:
    """The commit and time a review stands at. A request for changes whose commit the
    submission no longer has (force-push) or without a time still holds the chain back:
    it stands at the submission's first commit and, with no time, at the verification."""
    commit = next((c for c in verdict.commits if c.sha == review.commit), verdict.commits[0])
    when = review.time.astimezone(VIETNAM) if review.time else verdict.at
    return commit, when


def content_at(git: Git, verdict: Verdict, sha: str) -> str:
    """The submission's content hash as it stood at commit `sha`."""
    merge_base = git.merge_base(verdict.submission.base, sha)
    changes = [c for c in git.changes(merge_base, sha) if not is_ledger_path(c.path)]
    return content_hash(changes)


def in_graph_order(decisions: list[Decision], verdict: Verdict) -> list[Decision]:
    """Signed and forge decisions together, in the commit graph's order: a forge review
    comes after the commit it reviewed (and the signed decision that commit may be),
    reviews on one commit in the forge's time order."""
    position = {c.sha: index for index, c in enumerate(verdict.commits)}
    return sorted(
        decisions,
        key=lambda d: (position.get(d.commit.sha, -1), d.via_forge, d.time if d.via_forge else 0),
    )


def refuse_unseen_content(git: Git, verdict: Verdict, decisions: list) -> None:
    """A decision's Review-Content is its signer's claim: it counts only for the content the
    submission had at the decision's own commit, not for content that came after it."""
    for decision in decisions:
        if decision.forged or decision.kind != "approve":
            continue  # a request for changes only holds back, whatever content it names
        if content_at(git, verdict, decision.commit.sha) != decision.content:
            decision.refused.append(
                "Review-Content của quyết định khác nội dung lần gửi có tại chính commit quyết "
                "định; chỉ duyệt được nội dung đã có trong lịch sử của quyết định"
            )


def refuse_future_commits(verdict: Verdict) -> None:
    """A commit dated after the verification is a false claim about time: fail closed."""
    for commit in verdict.commits:
        when = datetime.fromtimestamp(commit.time, VIETNAM)
        if when > verdict.at + CLOCK_SKEW:
            verdict.problems.append(
                Problem.about(
                    f"commit {commit.sha[:8]} ghi thời điểm {moment(when)}, sau thời điểm kiểm "
                    "tra: không nhận commit ghi ngày trong tương lai"
                )
            )


def refuse_special_files(submission: Submission, problems: list) -> None:
    """No symlink or gitlink may enter the repository through a submission: the build
    would follow a symlink out of the repository, and a gitlink's content is elsewhere."""
    for change in submission.special_files:
        problems.append(
            Problem.about(
                f"lần gửi biến tệp này thành {change.new_kind}; cổng kiểm tra không nhận "
                "symlink hay submodule ở bất cứ đâu trong kho",
                change.path,
            )
        )


def load_rules(git: Git, base: str, base_name: str, problems: list) -> tuple:
    """Roster and policy as the base branch has them; None with problems when unusable."""
    found = []
    for path, parse in ((REPO_ROSTER, parse_roster), (REPO_POLICY, parse_policy)):
        shown = f"{base_name}:{path}"
        text = git.show(base, path)
        if text is None:
            message = "nhánh gốc không có tệp này; không thể xác định ai được duyệt"
            problems.append(Problem.about(message, shown))
            found.append(None)
            continue
        value, file_problems = parse(text, shown)
        problems.extend(file_problems)
        found.append(value)
    roster = found[0]
    if roster is not None:
        for fingerprint, people in key_owners(roster).items():
            if len(people) > 1:
                names = ", ".join(p.id for p in people)
                message = (
                    f"một khóa ({fingerprint}) ghi cho nhiều người ({names}); "
                    "mỗi khóa chỉ thuộc một người"
                )
                problems.append(Problem.about(message, f"{base_name}:{REPO_ROSTER}", "keys"))
                found[0] = None
    return found[0], found[1]


# --- what the submission needs -----------------------------------------------------------


def required_stages(submission: Submission, verdict: Verdict) -> list[StageResult]:
    policy, wanted = verdict.policy, set()
    for change in submission.changes:
        rule = policy.rule_for(change.path)
        if rule is None:
            message = (
                "không có quy tắc nào trong reviews/policy.yml (rules) áp dụng "
                "cho tệp này; Thư ký cần bổ sung quy tắc"
            )
            verdict.problems.append(Problem.about(message, change.path))
            continue
        if rule.refuse:
            verdict.problems.append(
                Problem.about(f"quy tắc «{rule.name}»: {rule.refuse}", change.path)
            )
            continue
        verdict.rules_used.setdefault(rule.name, []).append(change.path)
        wanted.update(rule.stages)
    results = []
    for stage in policy.order(wanted):
        result = stage_scope(stage, submission, verdict)
        if stage.scope == "unit" and not result.scope and result.problem is None:
            continue  # only the board's own items: no unit head answers for them
        results.append(result)
    return results


def stage_scope(stage: Stage, submission: Submission, verdict: Verdict) -> StageResult:
    result = StageResult(stage)
    if stage.scope == "any":
        return result
    unreadable = [i.change.path for i in submission.items if i.unreadable]
    if unreadable:
        result.problem = (
            f"không đọc được phần đầu YAML (section, unit) của {', '.join(unreadable)}; "
            "chạy `portal check` và sửa trước khi duyệt"
        )
        return result
    if stage.scope == "unit":
        writers = list(verdict.writers.values()) if submission.items else []
        units = {u for i in submission.items for u in i.units} | {w.unit for w in writers if w.unit}
        result.scope = units - stage.exempt_units
        result.problem = exemption_problem(stage, submission, writers, verdict.roster)
    else:
        result.scope = {s for i in submission.items for s in i.sections}
        if not result.scope:
            result.problem = (
                "không xác định được chuyên mục (section) của thay đổi, nên không biết "
                "ủy viên nào phụ trách"
            )
    return result


def exemption_problem(stage: Stage, submission, writers: list, roster: Roster) -> str | None:
    """An item may claim an exempt unit (the board's own) only when every contributor who
    wrote it has a unit on the roster: theirs then needs its unit head anyway. A writer the
    roster cannot place (unknown, or a contributor without a unit) makes the claim unproven."""
    claimed = {u for i in submission.items for u in i.units} & stage.exempt_units
    if not claimed:
        return None
    unplaced = {w.name for w in writers if not w.unit}
    for item in submission.items:
        for person_id in item.authors:
            person = roster.people.get(person_id)
            if person is None or (is_contributor(person) and not person.unit):
                unplaced.add(person.name if person else person_id)
    if not unplaced:
        return None
    return (
        f"tin bài khai đơn vị {', '.join(sorted(claimed))} (không cần bước này) nhưng roster "
        f"không cho biết đơn vị của {', '.join(sorted(unplaced))}; ghi đơn vị thật của tin bài "
        "(unit), hoặc nhờ Thư ký ghi unit cho người đó trong reviews/roster.yml"
    )


def find_authors(git: Git, verdict: Verdict, decisions: list[Decision]) -> dict[str, str]:
    """People who may not approve: the signers of content commits, anyone the commits name
    as author or committer, and the items' listed authors. A content commit not signed by
    a roster key has an unproven author, and the gate refuses the submission, unless the
    policy lets the forge's push log prove who pushed it (`forge_pushes.forge_pusher`)."""
    roster, authors = verdict.roster, {}
    decision_commits = {d.commit.sha for d in decisions if d.commit}
    owners = key_owners(roster)
    for commit in verdict.commits:
        if commit.sha in decision_commits:
            continue  # checked to touch only the ledger
        paths = content_paths(git, commit, verdict)
        if not paths:
            continue
        for email in (commit.author_email, commit.committer_email, *co_authors(commit)):
            named = roster.by_email(email)
            if named:
                authors.setdefault(named.id, f"người được ghi tên trong commit {commit.sha[:8]}")
        signer = proven_signer(commit, owners)
        why = f"người ký commit sửa nội dung {commit.sha[:8]}"
        if signer is None:  # unsigned (the browser desk's): its pusher, if the forge proves it
            signer, why = forge_pusher(git, verdict, commit)
        if signer is None:
            verdict.problems.append(unproven_author(commit, paths))
            continue
        authors[signer.id] = why
        if is_contributor(signer):
            verdict.writers[signer.id] = signer
    for item in verdict.submission.items:
        for person_id in item.authors:
            authors.setdefault(person_id, f"tác giả ghi trong {item.change.path}")
    return authors


def co_authors(commit: Commit) -> list[str]:
    """E-mails of `Co-authored-by: Name <email>` trailers (claims: they only add authors)."""
    values = [v for k, v in commit.trailers if k.lower() == "co-authored-by"]
    return [v.rpartition("<")[2].rstrip(">").strip() for v in values if "<" in v]


def content_paths(git: Git, commit: Commit, verdict: Verdict) -> list[str]:
    """What a commit changes of the content; for a merge, what neither parent had."""
    if len(commit.parents) < 2:
        return [p for p in verdict.files.get(commit.sha, []) if not is_ledger_path(p)]
    introduced: list[Change] = git.introduced_by_merge(commit.sha, commit.parents)
    ledger = [c.path for c in introduced if is_ledger_path(c.path)]
    if ledger:
        verdict.problems.append(
            Problem.about(
                f"merge commit {commit.sha[:8]} tự sửa sổ duyệt {', '.join(ledger)} (khác cả hai "
                "nhánh được merge); sổ duyệt chỉ được thêm bằng các commit quyết định, nối tiếp "
                "nhau"
            )
        )
    return [c.path for c in introduced if not is_ledger_path(c.path)]


def proven_signer(commit: Commit, owners: dict) -> Person | None:
    """The roster person whose key made the commit's signature (whatever its dates say)."""
    if commit.signature not in ("G", "U") or not commit.key:
        return None
    people = owners.get(commit.key, [])
    return people[0] if len(people) == 1 else None


def unproven_author(commit: Commit, paths: list[str]) -> Problem:
    shown = ", ".join(paths[:3]) + (" …" if len(paths) > 3 else "")
    return Problem.about(
        f"commit {commit.sha[:8]} sửa nội dung ({shown}) nhưng không có chữ ký của một khóa "
        "trong reviews/roster.yml, nên không chứng minh được ai đã sửa (tên tác giả trong commit "
        "ai cũng ghi được); người sửa cần ký commit (`git commit -S`, xem docs/review.md) "
        "rồi gửi lại"
    )


# --- the decisions on the branch ---------------------------------------------------------


def read_decisions(git: Git, verdict: Verdict) -> list[Decision]:
    submission, roster = verdict.submission, verdict.roster
    verdict.ledger_path = _own_ledger(submission, verdict.problems)
    rev = f"{submission.base}..{submission.head}"
    with tempfile.TemporaryDirectory(prefix="portal-review-") as folder:
        signers = Path(folder) / "allowed_signers"
        signers.write_text(allowed_signers(roster), encoding="utf-8")
        commits = git.log([rev], signers)
    verdict.commits, verdict.files = commits, git.files_by_commit([rev])
    verdict.ancestors = ancestry(commits)
    owners = key_owners(roster)
    decisions = []
    for commit in commits:
        touched = verdict.files.get(commit.sha, [])
        if commit.trailer(TRAILERS["decision"]) is None:
            if any(is_ledger_path(p) for p in touched):
                verdict.problems.append(
                    Problem.about(
                        f"commit {commit.sha[:8]} sửa sổ duyệt reviews/ledger/ nhưng không phải "
                        "một quyết định có chữ ký (thiếu trailer Review-Decision)"
                    )
                )
            continue
        decision = _decision(commit, roster)
        decision.forged += _verification_problems(decision, commit, touched, owners, verdict)
        decisions.append(decision)
    _check_entries(git, verdict, decisions)
    return decisions


def ancestry(commits: list[Commit]) -> dict[str, frozenset]:
    """Each commit → its ancestors among `commits` (given parents first, as git log
    --topo-order --reverse lists them)."""
    ancestors: dict[str, frozenset] = {}
    for commit in commits:
        inside = [p for p in commit.parents if p in ancestors]
        ancestors[commit.sha] = frozenset().union(*(ancestors[p] | {p} for p in inside))
    return ancestors


def report_forged(verdict: Verdict) -> None:
    for decision in verdict.decisions:
        if decision.forged and decision.commit is not None:
            verdict.problems.append(
                Problem.about(
                    f"quyết định ở commit {decision.commit.sha[:8]} ({decision.who}, bước "
                    f"'{decision.stage_id}') không được chấp nhận: {'; '.join(decision.reasons)}"
                )
            )


def _own_ledger(submission: Submission, problems: list) -> str | None:
    """The one ledger file this submission adds; existing ledgers are never changed."""
    for change in submission.ledger_changes:
        if change.status != "A":
            message = (
                "sổ duyệt đã có trên nhánh gốc không được sửa hay xóa "
                "(mỗi lần gửi chỉ thêm sổ duyệt của chính nó)"
            )
            problems.append(Problem.about(message, change.path))
    added = [c.path for c in submission.ledger_changes if c.status == "A"]
    if len(added) > 1:
        message = f"một lần gửi chỉ có một sổ duyệt, nhưng nhánh thêm {', '.join(added)}"
        problems.append(Problem.about(message))
    return added[0] if len(added) == 1 else None


def _decision(commit: Commit, roster: Roster) -> Decision:
    values = {key: (commit.trailer(name) or "") for key, name in TRAILERS.items()}
    decision = Decision(
        kind=values["decision"],
        stage_id=values["stage"],
        role=values["role"],
        person_id=values["person"],
        content=values["content"],
        time=datetime.fromtimestamp(commit.time, VIETNAM),
        commit=commit,
        person=roster.people.get(values["person"]),
    )
    missing = [TRAILERS[k] for k, v in values.items() if not v]
    if missing:
        decision.forged.append(f"thiếu trailer {', '.join(missing)}")
    elif decision.kind not in DECISIONS:
        decision.forged.append(f"Review-Decision '{decision.kind}' không hợp lệ")
    return decision


def _verification_problems(decision, commit, touched, owners, verdict) -> list[str]:
    if decision.forged:
        return []
    person = decision.person
    if person is None:
        return [f"người '{decision.person_id}' không có trong reviews/roster.yml của nhánh gốc"]
    problems = []
    signature = signature_problem(commit, person, owners)
    if signature:
        problems.append(signature)
    ledger = commit.trailer(LEDGER_TRAILER)
    if ledger != verdict.ledger_path or touched != [verdict.ledger_path]:
        others = ", ".join(p for p in touched if p != verdict.ledger_path) or "không có"
        problems.append(
            f"commit quyết định chỉ được thêm một mục vào sổ duyệt {verdict.ledger_path}; "
            f"Review-Ledger là '{ledger}', tệp khác bị sửa: {others}"
        )
    return problems


def signature_problem(commit: Commit, person: Person, owners: dict) -> str | None:
    """Why the commit is not signed by `person`'s key valid at the commit's time (None if it is)."""
    email = (person.email or "").lower()
    if not email:
        return f"{person.name} không có email trong reviews/roster.yml nên không thể kiểm chữ ký"
    if commit.signature == "N":
        return (
            "commit không có chữ ký (unsigned); rebase hay cherry-pick cũng làm mất chữ ký: "
            "người duyệt cần chạy lại `portal review approve`"
        )
    if commit.signature == "G" and commit.signer.lower() == email:
        return None
    key_people = owners.get(commit.key, [])
    if key_people and person not in key_people:
        names = ", ".join(p.name for p in key_people)
        return f"ký bằng khóa của {names}, không phải của {person.name}"
    if key_people:
        return (
            f"khóa của {person.name} không có hiệu lực vào thời điểm ký "
            f"({vietnamese_date(datetime.fromtimestamp(commit.time, VIETNAM), False)}); "
            "xem keys[].from/until trong reviews/roster.yml"
        )
    if commit.signature in ("G", "U"):
        return "ký bằng một khóa không có trong reviews/roster.yml của nhánh gốc"
    return f"chữ ký không hợp lệ (mã kiểm tra của git: {commit.signature})"


def _check_entries(git: Git, verdict: Verdict, decisions: list[Decision]) -> None:
    """Each decision commit appends exactly its own entry; the ledger holds nothing else."""
    path = verdict.ledger_path
    if path is None:
        if decisions:
            message = "có commit quyết định nhưng nhánh không thêm sổ duyệt nào"
            verdict.problems.append(Problem.about(message))
        return
    wanted = [f"{verdict.submission.head}:{path}"]
    for d in decisions:
        wanted += [f"{d.commit.sha}:{path}", f"{d.commit.sha}^:{path}"]
    texts = git.blobs(wanted)
    head_entries = _entries(texts.get(wanted[0]), path, verdict.problems)
    for decision in decisions:
        after = _entries(texts.get(f"{decision.commit.sha}:{path}"), path, [])
        before = _entries(texts.get(f"{decision.commit.sha}^:{path}"), path, []) or []
        if after is None or after[:-1] != before or not after:
            decision.forged.append("commit không thêm đúng một mục vào cuối sổ duyệt")
            continue
        decision.entry = after[-1]
        mismatch = _entry_mismatch(decision, decision.entry)
        if mismatch:
            decision.forged.append(mismatch)
    if head_entries is None:
        return
    signed = [d.entry for d in decisions if d.entry is not None]
    for index, entry in enumerate(head_entries):
        if index >= len(signed) or entry != signed[index]:
            message = (
                f"mục #{index + 1} ({entry.get('person')}, bước {entry.get('stage')}, "
                f"{entry.get('decision')}) không có commit quyết định có chữ ký tương ứng"
            )
            verdict.problems.append(Problem.about(message, path))
    if len(signed) > len(head_entries):
        message = "sổ duyệt thiếu mục của các commit quyết định đã ký"
        verdict.problems.append(Problem.about(message, path))


def _entries(text: str | None, path: str, problems: list) -> list | None:
    if text is None:
        return None
    entries, file_problems = parse_ledger(text, path)
    problems.extend(file_problems)
    return entries


def _entry_mismatch(decision: Decision, entry: dict) -> str | None:
    expected = {
        "decision": decision.kind,
        "stage": decision.stage_id,
        "role": decision.role,
        "person": decision.person_id,
        "content": decision.content,
        "time": time_of(decision.commit.time),
    }
    wrong = [k for k, v in expected.items() if str(entry.get(k)) != v]
    if wrong:
        return f"mục sổ duyệt khác commit ở trường {', '.join(wrong)}"
    return None


# --- the chain itself --------------------------------------------------------------------


def run_chain(verdict: Verdict) -> None:
    """Walk the decisions oldest first; stages happen in order, requests for changes block."""
    results = {r.stage.id: r for r in verdict.stages}
    order = [r.stage.id for r in verdict.stages]
    current_hash = verdict.submission.content_hash
    for decision in verdict.decisions:
        decision.stale = decision.kind == "approve" and decision.content != current_hash
        if decision.forged or decision.refused:
            continue
        refusal = assign_forge_stage(decision, verdict) if decision.via_forge else None
        if refusal:
            decision.refused.append(refusal)
            continue
        result = results.get(decision.stage_id)
        if result is None:
            decision.refused.append(f"lần gửi này không cần bước '{decision.stage_id}'")
            continue
        # A request for changes only ever holds the chain back: judged on its own date only.
        timing = time_problem(decision, verdict) if decision.kind == "approve" else None
        refusal = timing or permission_problem(decision, result, verdict)
        if refusal:
            decision.refused.append(refusal)
            continue
        position = order.index(decision.stage_id)
        if decision.kind == "request-changes":
            result.blocked_by = decision
            for later in order[position:]:  # the chain resumes at this stage
                results[later].approvals.clear()
            continue
        if decision.stale:
            continue
        refusal = order_problem(decision, results, order[:position], verdict)
        refusal = refusal or answer_problem(decision, result, verdict)
        if refusal:
            decision.refused.append(refusal)
            continue
        result.approvals.append(decision)
        result.blocked_by = None


def assign_forge_stage(decision: Decision, verdict: Verdict) -> str | None:
    """A forge review names no stage: it is for the first stage not yet done that one of
    the reviewer's roles fills (for this submission's units or sections, on the review's
    day), or failing that the first they fill. The policy must accept forge decisions there."""
    person, day = decision.person, decision.time.date()
    fillable = [
        (result, role)
        for result in verdict.stages
        for role in result.stage.roles
        if person.terms_on(day, role)
        and (
            result.stage.scope == "any"
            or any(_holds_for(person, role, day, result.stage, v) for v in result.scope)
        )
    ]
    if not fillable:
        return (
            f"{person.name} không giữ vai trò nào mà các bước của lần gửi này cần "
            f"vào ngày {vietnamese_date(day, False)}"
        )
    result, role = next(((r, role) for r, role in fillable if not r.done), fillable[0])
    decision.stage_id, decision.role = result.stage.id, role
    if not result.stage.forge:
        return (
            f"bước '{result.stage.name}' chỉ nhận quyết định có chữ ký SSH "
            "(reviews/policy.yml: forge không bật); duyệt bằng `portal review approve`"
        )
    return None


def is_before(earlier: Decision, decision: Decision, verdict: Verdict) -> bool:
    """Is `earlier` in the history of `decision`? (A decision not yet committed has all.)
    A forge review's history is its reviewed commit and that commit's ancestors; when a
    forge review is involved it must also come first in time (the forge's time)."""
    if decision.commit is None:
        return True
    history = verdict.ancestors.get(decision.commit.sha, frozenset())
    same_commit = decision.via_forge and earlier.commit.sha == decision.commit.sha
    if not (same_commit or earlier.commit.sha in history):
        return False
    return not (earlier.via_forge or decision.via_forge) or earlier.time <= decision.time


def time_problem(decision: Decision, verdict: Verdict) -> str | None:
    """A decision's date is its signer's claim: it may not be in the future of the
    verification, before the content it approves, and the key must still be valid."""
    shown = moment(decision.time)
    if decision.time > verdict.at + CLOCK_SKEW:
        return (
            f"quyết định ghi thời điểm {shown}, sau thời điểm kiểm tra "
            f"{moment(verdict.at)}: không nhận quyết định ghi ngày trong tương lai"
        )
    if decision.commit is not None and not decision.via_forge:  # no key; time is the forge's
        history = verdict.ancestors.get(decision.commit.sha, frozenset())
        times = {c.sha: c.time for c in verdict.commits}
        latest = max((times[sha] for sha in history), default=None)
        if latest is not None and decision.commit.time < latest - CLOCK_SKEW.total_seconds():
            before = datetime.fromtimestamp(latest, VIETNAM)
            return (
                f"quyết định ghi thời điểm {shown}, trước commit mà nó duyệt "
                f"({moment(before)}): không nhận quyết định lùi ngày"
            )
        if not key_valid_at(decision, verdict.at.date()):
            return (
                f"khóa ký của {decision.who} không có hiệu lực vào lúc kiểm tra "
                f"({vietnamese_date(verdict.at.date(), False)}); xem keys[].from/until"
            )
    return None


def moment(when: datetime) -> str:
    return when.astimezone(VIETNAM).strftime("%H:%M:%S %d/%m/%Y (giờ Việt Nam)")


def key_valid_at(decision: Decision, day: date) -> bool:
    return any(
        key_fingerprint(key.key) == decision.commit.key
        and key.start <= day
        and (key.end is None or day <= key.end)
        for key in decision.person.keys
    )


def permission_problem(decision: Decision, result: StageResult, verdict: Verdict) -> str | None:
    """Whether this person may decide at this stage for this submission, on that day."""
    person, stage = decision.person, result.stage
    if decision.role not in stage.roles:
        allowed = ", ".join(ROLE_NAMES[r] for r in stage.roles)
        return f"vai trò '{decision.role}' không được quyết định ở bước này (chỉ: {allowed})"
    days = [decision.time.date()]  # when it was signed, and for an approval: now too
    if decision.kind == "approve":
        days.append(verdict.at.date())
    role_name = ROLE_NAMES.get(decision.role, decision.role)
    for day in days:
        if not person.terms_on(day, decision.role):
            when = vietnamese_date(day, False)
            return f"{person.name} không giữ vai trò {role_name} vào ngày {when}"
    if stage.scope != "any":
        decision.covers = {
            v
            for v in result.scope
            if all(_holds_for(person, decision.role, day, stage, v) for day in days)
        }
        if not decision.covers:
            what = "chuyên mục" if stage.scope == "section" else "đơn vị"
            scope = ", ".join(sorted(result.scope))
            return f"{person.name} ({role_name}) không phụ trách {what} {scope}"
    if decision.person_id in verdict.authors:
        why = verdict.authors[decision.person_id]
        return f"{person.name} là {why}; tác giả không được tự duyệt tin bài của mình"
    if decision.kind == "approve":
        for other in verdict.stages:
            if other is not result and any(d.person_id == person.id for d in other.approvals):
                return (
                    f"{person.name} đã duyệt bước '{other.stage.name}'; "
                    "một người không được duyệt hai bước của cùng một lần gửi"
                )
    return None


def _holds_for(person: Person, role: str, day: date, stage: Stage, value: str) -> bool:
    if stage.scope == "section":
        return person.holds(role, day, section=value)
    return person.holds(role, day, unit=value)


def order_problem(decision: Decision, results: dict, earlier: list[str], verdict) -> str | None:
    """Every earlier stage must be done by approvals in this decision's own history."""
    for stage_id in earlier:
        result = results[stage_id]
        if result.blocked_by is not None:
            return (
                f"bước '{result.stage.name}' đang bị {result.blocked_by.who} yêu cầu sửa; "
                "chuỗi duyệt dừng cho đến khi bước đó duyệt lại"
            )
        if not result.done:
            return f"duyệt vượt bước: bước '{result.stage.name}' chưa xong"
        seen = [d for d in result.approvals if is_before(d, decision, verdict)]
        if not result.done_with(seen):
            return (
                f"duyệt vượt bước: quyết định của bước '{result.stage.name}' không có trong "
                "lịch sử (các commit cha) của quyết định này; bước sau phải được quyết định "
                "sau và trên cơ sở các bước trước"
            )
    return None


def answer_problem(decision: Decision, result: StageResult, verdict: Verdict) -> str | None:
    """An approval that lifts a request for changes must have that request in its history."""
    request = result.blocked_by
    if request is None or is_before(request, decision, verdict):
        return None
    return (
        f"yêu cầu sửa của {request.who} ở bước này không có trong lịch sử của quyết định "
        "này; duyệt lại phải được làm sau yêu cầu sửa"
    )


def candidates(result: StageResult, verdict: Verdict, today: date) -> list[Person]:
    """Who could still satisfy a waiting stage today."""
    busy = {d.person_id for r in verdict.stages if r is not result for d in r.approvals}
    values = sorted(result.missing) or [None]
    found = {}
    for role in result.stage.roles:
        for value in values:
            kwargs = {"section": value} if result.stage.scope == "section" else {"unit": value}
            for person in verdict.roster.holders(role, today, **kwargs):
                if person.id not in verdict.authors and person.id not in busy:
                    found[person.id] = person
    return sorted(found.values(), key=lambda p: p.name)
