"""The ledger: one readable YAML file per submission in `reviews/ledger/`.

Each decision (`portal review approve` / `request-changes`) appends one entry and is
committed, signed, with the same facts as commit trailers. After the merge the file
is the secretary's audit trail; the gate checks that it agrees with the signed commits.
"""

import re
from datetime import datetime

import yaml

from portal import schema, yamlfile
from portal.dates import VIETNAM
from portal.errors import Problem
from portal.project import REPO_LEDGER
from portal.vntext import slugify

# Facts an entry shares with its commit's trailers (time is the commit's own time).
TRAILERS = {
    "decision": "Review-Decision",
    "stage": "Review-Stage",
    "role": "Review-Role",
    "person": "Review-Person",
    "content": "Review-Content",
}
LEDGER_TRAILER = "Review-Ledger"
DECISIONS = ("approve", "request-changes")
DECISION_NAMES = {"approve": "duyệt", "request-changes": "yêu cầu sửa"}
HEADER = (
    "# Sổ duyệt của một lần gửi tin bài (Quy chế 27/QĐ-SNV, Điều 13).\n"
    "# Do lệnh `portal review approve` / `request-changes` ghi, mỗi mục kèm một commit có chữ ký;\n"
    "# không sửa tay: cổng kiểm tra (`portal review verify`) so từng mục với commit đã ký.\n"
)


def ledger_path(branch: str, day: datetime) -> str:
    """`reviews/ledger/2026-11-29-tin-giao-ban.yml` for branch `tin-giao-ban`."""
    name = slugify(re.sub(r"[/_.]+", "-", branch)) or "submission"
    return f"{REPO_LEDGER}/{day:%Y-%m-%d}-{name[:60].strip('-')}.yml"


def submission_id(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yml")


def format_time(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def time_of(timestamp: int) -> str:
    return format_time(datetime.fromtimestamp(timestamp, VIETNAM))


def parse_ledger(text: str, shown: str) -> tuple[list[dict] | None, list[Problem]]:
    """The entries of a ledger file; None with problems when it is not a valid ledger."""
    parsed = yamlfile.parse_yaml(text, 1, shown)
    problems = parsed.problems or schema.validate("data-ledger", parsed.data, shown, parsed.line_of)
    if problems:
        return None, problems
    if parsed.data["submission"] != submission_id(shown):
        message = f"mã '{parsed.data['submission']}' khác tên tệp '{submission_id(shown)}'"
        return None, [parsed.problem(("submission",), message)]
    return parsed.data["entries"], []


def render_ledger(path: str, entries: list[dict]) -> str:
    body = yaml.safe_dump(
        {"submission": submission_id(path), "entries": entries},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body


def entry_trailers(entry: dict, path: str) -> list[str]:
    """`Key: value` trailers a decision commit carries for its ledger entry."""
    return [f"{TRAILERS[key]}: {entry[key]}" for key in TRAILERS] + [f"{LEDGER_TRAILER}: {path}"]
