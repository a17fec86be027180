"""Recording a decision: `portal review approve` and `request-changes`.

The person is whoever git knows as `user.email`, looked up in the base branch's roster.
The decision is checked with the gate's own rules before anything is written, then it
becomes one ledger entry and one commit signed with the person's SSH key, carrying the
same facts as trailers and bound to the content hash of the submission.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from portal.errors import PortalError
from portal.files import write_atomically
from portal.git import Git
from portal.review.chain import Decision, Verdict, evaluate, now, permission_problem
from portal.review.ledger import (
    DECISION_NAMES,
    entry_trailers,
    format_time,
    ledger_path,
    parse_ledger,
    render_ledger,
)
from portal.roster import ROLE_NAMES, Person, key_fingerprint


@dataclass
class Plan:
    """What a decision will write, shown before it is written."""

    path: str
    entry: dict
    text: str  # the whole ledger file afterwards
    subject: str
    trailers: list[str]


def decide(
    git: Git,
    kind: str,
    base: str,
    stage_id: str | None = None,
    message: str = "",
    dry_run: bool = False,
    say=print,
    reviews: list | None = None,
    pushes=None,  # the forge's push log (forge_pushes.PushLog), when the policy lets it count
) -> Verdict:
    branch = _branch(git)
    _require_clean(git)
    verdict = evaluate(git, base, "HEAD", reviews=reviews, pushes=pushes)
    if verdict.roster is None or verdict.policy is None or verdict.problems:
        raise PortalError(
            "lần gửi chưa thể duyệt vì cổng kiểm tra đang từ chối:\n"
            + "\n".join(f"  - {p}" for p in verdict.problems)
        )
    me = _me(git, verdict)
    key = _my_signing_key(git, me)
    decision = _candidate(verdict, me, kind, stage_id, message)
    trial = evaluate(git, base, "HEAD", candidate=decision, reviews=reviews, pushes=pushes)
    if decision.reasons:
        raise PortalError(
            f"{me.name} không thể {DECISION_NAMES[kind]} ở bước '{decision.stage_id}': "
            + "; ".join(decision.reasons)
        )
    plan = _plan(git, trial, decision, branch, message)
    say(f"Sẽ thêm vào {plan.path} mục sau, rồi tạo một commit ký bằng khóa {key}:")
    say(render_ledger(plan.path, [plan.entry]).split("entries:\n", 1)[1].rstrip())
    say("Trailer của commit:\n" + "\n".join(f"  {t}" for t in plan.trailers))
    if dry_run:
        say("(chạy thử --dry-run: chưa ghi gì)")
        return trial
    _commit(git, plan, decision)
    say(f"Đã ghi: {DECISION_NAMES[kind]} ở bước «{trial.policy.stage(decision.stage_id).name}».")
    return evaluate(git, base, "HEAD")


def _branch(git: Git) -> str:
    branch = git.current_branch()
    if not branch:
        raise PortalError(
            "HEAD không ở trên nhánh nào (detached): hãy `git switch <nhánh gửi tin>`"
        )
    return branch


def _require_clean(git: Git) -> None:
    dirty = git.run("status", "--porcelain", "--untracked-files=no").strip()
    if dirty:
        raise PortalError(
            "còn thay đổi chưa commit; quyết định chỉ áp dụng cho nội dung đã commit:\n" + dirty
        )


def _me(git: Git, verdict: Verdict) -> Person:
    email = git.config("user.email")
    if not email:
        raise PortalError("chưa đặt email: chạy `git config user.email <email công vụ>`")
    person = verdict.roster.by_email(email)
    if person is None:
        raise PortalError(
            f"email '{email}' (git config user.email) không có trong reviews/roster.yml của "
            f"nhánh {verdict.base_name}; nhờ Thư ký bổ sung"
        )
    return person


def _candidate(verdict, me: Person, kind, stage_id, message) -> Decision:
    """The decision as the gate will see it: the stage it is for and the role used."""
    results = verdict.stages
    if stage_id is not None:
        results = [r for r in results if r.stage.id == stage_id]
        if not results:
            known = ", ".join(r.stage.id for r in verdict.stages)
            raise PortalError(f"lần gửi này không có bước '{stage_id}'; các bước: {known}")
    elif kind == "approve":
        results = [verdict.current] if verdict.current else []
        if not results:
            raise PortalError("mọi bước đã xong; không còn gì để duyệt")
    moment = now().replace(microsecond=0)
    first = None
    for result in results:
        for role in result.stage.roles:
            decision = Decision(
                kind=kind,
                stage_id=result.stage.id,
                role=role,
                person_id=me.id,
                content=verdict.submission.content_hash,
                time=moment,
                person=me,
            )
            if permission_problem(decision, result, verdict) is None:
                return decision
            first = first or decision
    if first is None:
        raise PortalError("lần gửi này không có bước duyệt nào")
    return first


def _plan(git: Git, verdict: Verdict, decision: Decision, branch: str, message: str) -> Plan:
    path = verdict.ledger_path or ledger_path(branch, decision.time)
    entries = []
    existing = git.show("HEAD", path)
    if existing is not None:
        entries, problems = parse_ledger(existing, path)
        if entries is None:
            raise PortalError(f"sổ duyệt {path} không hợp lệ:", problems)
    entry = {
        "decision": decision.kind,
        "stage": decision.stage_id,
        "role": decision.role,
        "person": decision.person_id,
        "name": decision.person.name,
        "content": decision.content,
        "time": format_time(decision.time),
        "files": verdict.submission.paths,
    }
    if message:
        entry["message"] = message
    stage = verdict.policy.stage(decision.stage_id)
    titles = ", ".join(i.title for i in verdict.submission.items if i.title) or branch
    subject = (
        f"{DECISION_NAMES[decision.kind].capitalize()}: {stage.name} "
        f"({ROLE_NAMES.get(decision.role, decision.role)} {decision.person.name}) — {titles}"
    )
    return Plan(
        path, entry, render_ledger(path, [*entries, entry]), subject, entry_trailers(entry, path)
    )


def _my_signing_key(git: Git, me: Person) -> str:
    """The configured signing key, which must be one of mine on the roster and valid today."""
    configured = git.config("user.signingkey")
    if not configured:
        raise PortalError(
            "chưa đặt khóa ký: chạy `git config user.signingkey ~/.ssh/id_ed25519.pub` "
            "(khóa SSH có trong reviews/roster.yml)"
        )
    public = _public_key(configured)
    today = now().date()
    mine = {
        key_fingerprint(k.key)
        for k in me.keys
        if k.start <= today and (k.end is None or today <= k.end)
    }
    if public is None or key_fingerprint(public) not in mine:
        raise PortalError(
            f"khóa ký '{configured}' (git config user.signingkey) không phải khóa còn hiệu lực "
            f"của {me.name} trong reviews/roster.yml"
        )
    return configured


def _public_key(configured: str) -> str | None:
    if configured.startswith("key::"):
        configured = configured[5:]
    if configured.startswith(("ssh-", "ecdsa-", "sk-")):
        return " ".join(configured.split()[:2])
    path = Path(configured).expanduser()
    public = path if path.suffix == ".pub" else path.with_name(path.name + ".pub")
    try:
        text = public.read_text(encoding="utf-8")
    except OSError:  # a private key's file: ssh-keygen (not git) gives its public half
        completed = subprocess.run(
            ["ssh-keygen", "-y", "-f", str(path)], capture_output=True, text=True
        )
        text = completed.stdout if completed.returncode == 0 else ""
    fields = text.split()
    return " ".join(fields[:2]) if len(fields) >= 2 else None


def _commit(git: Git, plan: Plan, decision: Decision) -> None:
    target = git.root / plan.path
    before = target.read_bytes() if target.exists() else None
    write_atomically(target, plan.text.encode("utf-8"))
    stamp = format_time(decision.time)
    env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    trailers = [arg for t in plan.trailers for arg in ("--trailer", t)]
    body = ["-m", plan.entry["message"]] if plan.entry.get("message") else []
    try:
        git.run("add", "--", plan.path)
        git.run(
            "commit",
            "-q",
            "-S",
            "-m",
            plan.subject,
            *body,
            *trailers,
            "--",
            plan.path,
            config={"gpg.format": "ssh"},
            env=env,
        )
    except PortalError:
        git.output("reset", "-q", "--", plan.path)  # unstage only our own ledger file
        if before is None:
            target.unlink(missing_ok=True)
        else:
            write_atomically(target, before)
        raise
