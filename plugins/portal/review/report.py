"""A verdict in words: plain text for the terminal, a Markdown table for GitHub's summary."""

from portal.dates import vietnamese_date
from portal.review.chain import Decision, StageResult, Verdict
from portal.review.forge_pushes import authorship_lines
from portal.review.ledger import DECISION_NAMES
from portal.roster import ROLE_NAMES

STATE_DONE, STATE_WAITING, STATE_BLOCKED, STATE_IMPOSSIBLE = (
    "xong",
    "đang chờ",
    "bị yêu cầu sửa",
    "không thể duyệt",
)


def state(result: StageResult) -> str:
    if result.done:
        return STATE_DONE
    if result.problem:
        return STATE_IMPOSSIBLE
    return STATE_BLOCKED if result.blocked_by else STATE_WAITING


def when(decision: Decision) -> str:
    return f"{vietnamese_date(decision.time, False)} {decision.time:%H:%M}"


def short(content_hash: str) -> str:
    return content_hash.removeprefix("sha256:")[:12]


def by_whom(result: StageResult) -> str:
    return "; ".join(
        f"{d.who} ({ROLE_NAMES.get(d.role, d.role)}), {how(d)}, {when(d)}, "
        f"nội dung {short(d.content)}"
        for d in result.approvals
    )


def how(decision: Decision) -> str:
    """Signed (proven by the person's key) or in the forge (as good as the forge's accounts)."""
    review = decision.review
    if review is None:
        return "ký SSH"
    return f"trên forge, review #{review.id} của {review.login}" + (
        f" {review.url}" if review.url else ""
    )


def waiting_for(result: StageResult) -> str:
    if result.problem:
        return result.problem
    parts = []
    if result.blocked_by:
        d = result.blocked_by
        message = f": «{d.entry['message']}»" if d.entry and d.entry.get("message") else ""
        parts.append(f"{d.who} yêu cầu sửa lúc {when(d)}{message}; chờ bước này duyệt lại")
    if result.missing:
        what = "chuyên mục" if result.stage.scope == "section" else "đơn vị"
        parts.append(f"còn thiếu {what}: {', '.join(sorted(result.missing))}")
    names = ", ".join(f"{p.name} <{p.email}>" if p.email else p.name for p in result.candidates)
    parts.append(
        f"chờ {names}" if names else "không có ai đủ điều kiện duyệt: cần Thư ký xem roster"
    )
    return "; ".join(parts)


def not_counted(verdict: Verdict, result: StageResult) -> list[str]:
    return [
        f"{d.who} {DECISION_NAMES.get(d.kind, d.kind)} ({how(d)}) lúc {when(d)} "
        "không được tính: " + "; ".join(d.reasons)
        for d in verdict.decisions
        if d.stage_id == result.stage.id and not d.counted and not d.forged
    ]


def unplaced(verdict: Verdict) -> list[str]:
    """Forge reviews that are no decision of any stage here, and why."""
    stages = {r.stage.id for r in verdict.stages}
    return verdict.ignored + [
        f"{d.who} {DECISION_NAMES.get(d.kind, d.kind)} ({how(d)}) không được tính: "
        + "; ".join(d.reasons)
        for d in verdict.decisions
        if d.via_forge and d.stage_id not in stages
    ]


def render_text(verdict: Verdict) -> str:
    lines = [f"Lần gửi: nhánh {verdict.head_name} so với {verdict.base_name}"]
    submission = verdict.submission
    if submission is not None:
        lines.append(
            f"Nội dung: sha256:{short(submission.content_hash)}… ({len(submission.changes)} tệp)"
        )
        lines += [f"  {line}" for line in describe_changes(verdict)]
        for rule, paths in verdict.rules_used.items():
            lines.append(f"Quy tắc «{rule}»: {len(paths)} tệp")
    if verdict.stages:
        lines.append("Các bước duyệt:")
    for number, result in enumerate(verdict.stages, 1):
        detail = by_whom(result) if result.done else waiting_for(result)
        lines.append(f"  {number}. [{state(result)}] {result.stage.label}: {detail}")
        lines += [f"     - {note}" for note in not_counted(verdict, result)]
    ignored = unplaced(verdict)
    if ignored:
        lines.append("Review trên forge không được tính:")
        lines += [f"  - {note}" for note in ignored]
    if verdict.authors:
        people = verdict.roster.people
        authors = ", ".join(
            f"{people[i].name if i in people else i} ({why})" for i, why in verdict.authors.items()
        )
        lines.append(f"Tác giả (không được tự duyệt): {authors}")
    pushed = authorship_lines(verdict)
    if pushed:
        lines.append("Commit không ký, theo nhật ký đẩy (push) của forge:")
        lines += [f"  - {line}" for line in pushed]
    if verdict.problems:
        lines.append("Cổng từ chối vì:")
        lines += [f"  - {problem}" for problem in verdict.problems]
    lines += [f"Cảnh báo: {warning}" for warning in verdict.warnings]
    lines.append(summary(verdict))
    return "\n".join(lines)


def describe_changes(verdict: Verdict) -> list[str]:
    items = {i.change.path: i for i in verdict.submission.items}
    lines = []
    for change in verdict.submission.changes:
        item = items.get(change.path)
        if item is None:
            lines.append(f"{change.status} {change.path}")
            continue
        where = ", ".join(
            [f"chuyên mục {s}" for s in sorted(item.sections)]
            + [f"đơn vị {u}" for u in sorted(item.units)]
        )
        title = f" «{item.title}»" if item.title else ""
        lines.append(f"{item.action}: {change.path}{title}" + (f" ({where})" if where else ""))
    return lines


def summary(verdict: Verdict) -> str:
    if verdict.ok:
        return "Kết quả: ĐẠT — đủ các bước duyệt; Quản trị Cổng có thể merge."
    current = verdict.current
    where = f"; đang ở bước «{current.stage.name}»" if current else ""
    return f"Kết quả: CHƯA ĐẠT — chưa được merge{where}."


def render_markdown(verdict: Verdict) -> str:
    lines = [
        f"### Chuỗi duyệt: `{verdict.head_name}` → `{verdict.base_name}`",
        "",
        "| # | Bước | Trạng thái | Người quyết định | Chờ / lý do |",
        "|---|---|---|---|---|",
    ]
    for number, result in enumerate(verdict.stages, 1):
        notes = not_counted(verdict, result)
        reason = "" if result.done else waiting_for(result)
        reason = "<br>".join(filter(None, [reason, *notes]))
        lines.append(
            f"| {number} | {_cell(result.stage.label)} | {state(result)} | "
            f"{_cell(by_whom(result))} | {_cell(reason)} |"
        )
    ignored = unplaced(verdict)
    if ignored:
        lines += ["", "**Review trên forge không được tính:**", ""]
        lines += [f"- {_cell(note)}" for note in ignored]
    pushed = authorship_lines(verdict)
    if pushed:
        lines += ["", "**Commit không ký, theo nhật ký đẩy (push) của forge:**", ""]
        lines += [f"- {_cell(line)}" for line in pushed]
    if verdict.problems:
        lines += ["", "**Cổng từ chối vì:**", ""] + [f"- {_cell(str(p))}" for p in verdict.problems]
    lines += [f"> Cảnh báo: {_cell(str(w))}" for w in verdict.warnings]
    lines += ["", f"**{summary(verdict)}**", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
