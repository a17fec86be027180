"""The forge's decisions kept in git: `reviews/ledger/forge/*.yml`, one file per merge.

When a submission merges, CI writes the forge decisions the gate counted (review ids and
URLs, who, role, stage, commit, content, time), and the pushers the forge's push log
proved as the authors of unsigned commits (`authorship`: commit, login, person, push id
and time; policy `forge_authorship`), to one file and commits it to main, signed
with a key the roster lists under `ci_keys` for the purpose `forge-ledger`. `portal
review audit` later takes those entries instead of asking the forge: it checks the
commit's signature against the roster's CI keys, then re-judges the merge with them.

Trust: such an entry is as good as the forge's accounts and the CI key (docs/review.md §9).
"""

import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from portal import schema, yamlfile
from portal.dates import VIETNAM
from portal.errors import Problem
from portal.git import Commit, Git
from portal.project import REPO_FORGE_LEDGER, REPO_ROSTER
from portal.review.chain import Verdict
from portal.review.forge import ForgeReview
from portal.review.forge_pushes import PushLog, attribution_disagrees, recorded_log
from portal.review.ledger import format_time
from portal.roster import CiKey, allowed_signer, parse_roster

MERGE_TRAILER = "Review-Forge-Merge"
PURPOSE = "forge-ledger"
HEADER = (
    "# Các quyết định trên forge (Approve / Request changes) được tính khi merge lần gửi này.\n"
    "# CI ghi và ký bằng khóa ci_keys (purpose: forge-ledger) trong reviews/roster.yml;\n"
    "# `portal review audit` kiểm lại không cần forge. Không sửa tay.\n"
)
STATE_OF = {"approve": "APPROVED", "request-changes": "REQUEST_CHANGES"}


def ci_keys(roster_text: str, purpose: str = PURPOSE) -> list[CiKey]:
    """The roster's CI keys for `purpose`; none when the roster is not valid (fail closed)."""
    roster, _ = parse_roster(roster_text, REPO_ROSTER)
    return [key for key in roster.ci_keys if key.purpose == purpose] if roster else []


def ci_signers(keys: list[CiKey]) -> str:
    """The CI keys as an SSH allowed-signers file, valid only within their dates."""
    return "".join(allowed_signer(k.email, k.key, k.start, k.end) for k in keys)


# --- writing, at merge -------------------------------------------------------------------


def forge_entries(verdict: Verdict) -> list[dict]:
    """The forge decisions the gate counted, as ledger entries."""
    counted = [d for r in verdict.stages for d in r.approvals if d.via_forge]
    blocking = [r.blocked_by for r in verdict.stages if r.blocked_by and r.blocked_by.via_forge]
    return [
        {
            "forge": d.review.forge,
            "review": d.review.id,
            "url": d.review.url,
            "login": d.review.login,
            "person": d.person_id,
            "name": d.who,
            "role": d.role,
            "stage": d.stage_id,
            "decision": d.kind,
            "commit": d.commit.sha,
            "content": d.content,
            "time": format_time(d.time),
        }
        for d in sorted(counted + blocking, key=lambda d: d.time)
    ]


def forge_ledger_path(merge: str, merged_at: datetime, pull_request: int | None) -> str:
    name = f"pr-{pull_request}" if pull_request else "merge"
    return f"{REPO_FORGE_LEDGER}/{merged_at.astimezone(VIETNAM):%Y-%m-%d}-{name}-{merge[:12]}.yml"


def render_forge_ledger(
    merge: str, submission: str, pull_request, entries: list, authorship: list | None = None
) -> str:
    data = {"merge": merge, "submission": submission}
    if pull_request:
        data["pull_request"] = pull_request
    data["entries"] = entries
    if authorship:
        data["authorship"] = authorship  # unsigned commits proven by the forge's push log
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


# --- reading, at audit -------------------------------------------------------------------


@dataclass
class ForgeLedger:
    path: str
    commit: str
    merge: str
    entries: list
    reviews: list
    authorship: list = field(default_factory=list)  # the recorded pushers of unsigned commits

    @property
    def pushes(self) -> PushLog | None:
        """The recorded pushers as a push log, for the chain to judge again (None: none)."""
        return recorded_log(self.authorship) if self.authorship else None


def parse_forge_ledger(text: str, shown: str) -> tuple[dict | None, list[Problem]]:
    parsed = yamlfile.parse_yaml(text, 1, shown)
    problems = parsed.problems or schema.validate(
        "data-forge-ledger", parsed.data, shown, parsed.line_of
    )
    return (None if problems else parsed.data), problems


def reviews_of(entries: list[dict]) -> list[ForgeReview]:
    """The recorded entries as the forge's reviews, for the chain to judge again."""
    return [
        ForgeReview(
            forge=e["forge"],
            id=e["review"],
            login=e["login"],
            state=STATE_OF[e["decision"]],
            decision=e["decision"],
            commit=e["commit"],
            time=datetime.fromisoformat(e["time"]),
            url=e["url"],
        )
        for e in entries
    ]


def read_forge_ledger(git: Git, commit: Commit, files: list[str]) -> ForgeLedger | str:
    """The forge ledger a commit on main adds, or why it is not a valid one."""
    shown = f"commit {commit.sha[:8]}"
    added = [p for p in files if p.startswith(REPO_FORGE_LEDGER + "/")]
    if len(commit.parents) != 1 or files != added or len(added) != 1:
        return (
            f"{shown}: commit sổ duyệt forge chỉ được thêm đúng một tệp trong {REPO_FORGE_LEDGER}/"
        )
    if git.show(commit.parents[0], added[0]) is not None:
        return f"{shown}: sửa sổ duyệt forge đã có {added[0]} (chỉ được thêm mới)"
    signature = ci_signature_problem(git, commit)
    if signature:
        return f"{shown}: {signature}"
    data, problems = parse_forge_ledger(git.show(commit.sha, added[0]) or "", added[0])
    if data is None:
        return "; ".join(str(p) for p in problems)
    if commit.trailer(MERGE_TRAILER) != data["merge"]:
        return f"{shown}: trailer {MERGE_TRAILER} khác trường merge của {added[0]}"
    return ForgeLedger(
        added[0],
        commit.sha,
        data["merge"],
        data["entries"],
        reviews_of(data["entries"]),
        data.get("authorship", []),
    )


def ci_signature_problem(git: Git, commit: Commit) -> str | None:
    """Is the commit signed by a CI key that the roster before it lists for the ledger?"""
    roster_text = git.show(commit.parents[0], REPO_ROSTER) or ""
    keys = ci_keys(roster_text)
    if not keys:
        return f"roster không có khóa ci_keys với purpose: {PURPOSE}"
    with tempfile.TemporaryDirectory(prefix="portal-forge-ledger-") as folder:
        signers = Path(folder) / "allowed_signers"
        signers.write_text(ci_signers(keys), encoding="utf-8")
        checked = git.log(["-1", commit.sha], signers)[0]
    if checked.signature != "G" or checked.signer.lower() not in {k.email for k in keys}:
        return (
            "không có chữ ký hợp lệ của khóa CI (ci_keys, purpose: forge-ledger) còn hiệu lực "
            f"vào ngày của commit (mã kiểm tra của git: {checked.signature})"
        )
    return None


def entries_disagree(ledger: ForgeLedger, verdict: Verdict) -> Problem | None:
    """Do the recorded who/role/stage agree with what the chain makes of them today?"""
    judged = {(e["review"], e["person"], e["stage"], e["role"]) for e in forge_entries(verdict)}
    recorded = {(e["review"], e["person"], e["stage"], e["role"]) for e in ledger.entries}
    if recorded != judged:
        wrong = sorted(str(r[0]) for r in recorded ^ judged)
        message = f"review {', '.join(wrong)} không khớp với chuỗi duyệt khi kiểm lại"
        return Problem.about(message, ledger.path)
    pushers = attribution_disagrees(ledger.path, ledger.authorship, verdict)
    return Problem.about(pushers) if pushers else None  # the text names the ledger already
