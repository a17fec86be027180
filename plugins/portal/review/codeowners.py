"""`.github/CODEOWNERS`, generated from the roster and the policy.

GitHub asks any one code owner per path for a review, so CODEOWNERS only routes
review requests to the right people; the gate (`portal review verify`) is what
requires one approval per stage. The file is generated, never edited by hand,
and `check_review_files` says when it is out of date.
"""

import re
from datetime import date
from pathlib import Path

from portal.content.check import item_files
from portal.dates import now
from portal.errors import Problem
from portal.git import Git
from portal.project import (
    CONTENT,
    REPO_CODEOWNERS,
    REPO_LEDGER,
    REPO_POLICY,
    REPO_ROSTER,
    is_item_path,
)
from portal.review.policy import Policy, Rule, parse_policy
from portal.review.policy import load as load_policy
from portal.roster import Roster, parse_roster
from portal.roster import load as load_roster

_SECTION_LINE = re.compile(r"^section:\s*['\"]?([a-z0-9-]+)", re.MULTILINE)
HEADER = """\
# Tệp này do lệnh `portal review codeowners` tạo từ reviews/roster.yml và reviews/policy.yml.
# Đừng sửa tay: sửa roster/policy rồi chạy lại lệnh. GitHub chỉ dùng tệp này để mời người
# xem xét; chuỗi duyệt đủ các bước do `portal review verify` kiểm tra (xem docs/review.md).
# Trưởng đơn vị không có dòng riêng: đơn vị của tin bài nằm trong tệp, không trong đường dẫn.
"""


def render(roster: Roster, policy: Policy, folders: dict[str, set], day: date) -> str:
    """CODEOWNERS text: policy rules reversed (GitHub's last match wins, the policy's first)."""
    lines = [HEADER]
    for rule in reversed(policy.rules):
        if rule.refuse:
            continue  # the gate refuses these paths; the catch-all owners are asked meanwhile
        owners = _owners(roster, policy, rule, day, None)
        lines += [_line(_pattern(p), owners) for p in rule.patterns]
        for folder, sections in sorted(folders.items()):
            if policy.rule_for(f"{folder}/x.md") is rule:
                owners = _owners(roster, policy, rule, day, sections)
                lines.append(_line(f"/{folder}/**/*.md", owners))
    lines.append(_line(f"/{REPO_LEDGER}/", []))  # decisions: the gate checks them, not GitHub
    return "\n".join(lines) + "\n"


def _owners(roster, policy, rule: Rule, day, sections: set | None) -> list[str]:
    logins = set()
    for stage in policy.order(rule.stages):
        if stage.scope == "unit" or (stage.scope == "section" and sections is None):
            continue
        for role in stage.roles:
            for value in sorted(sections) if stage.scope == "section" else [None]:
                logins.update(p.login for p in roster.holders(role, day, section=value) if p.login)
    return sorted(logins, key=str.lower)


def _pattern(pattern: str) -> str:
    return "*" if pattern in ("**", "**/*") else "/" + pattern


def _line(pattern: str, owners: list[str]) -> str:
    return f"{pattern} {' '.join('@' + o for o in owners)}".rstrip()


# --- sources: the working tree, or a commit -----------------------------------------------


def folder_sections(pairs) -> dict[str, set]:
    """(item path, text) pairs → content folder → the sections of its items."""
    folders: dict[str, set] = {}
    for path, text in pairs:
        match = _SECTION_LINE.search(text)
        if match and is_item_path(path):
            folders.setdefault(path.rsplit("/", 1)[0], set()).add(match.group(1))
    return folders


def worktree_folders(project_root: Path) -> dict[str, set]:
    content = Path(project_root) / CONTENT
    if not content.is_dir():
        return {}
    return folder_sections(
        (p.relative_to(project_root).as_posix(), _head_of(p)) for p in item_files(content)
    )


def commit_folders(git: Git, rev: str) -> dict[str, set]:
    out = git.output("grep", "-z", "-I", "--max-count=1", "-e", "^section:", rev, "--", CONTENT)
    pairs = []
    for line in out.splitlines():
        where, _, text = line.partition("\0")
        pairs.append((where.split(":", 1)[-1], text))
    return folder_sections(pairs)


def _head_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return handle.read(4096).decode("utf-8", errors="replace")


# --- freshness ----------------------------------------------------------------------------


def expected(roster_text, policy_text, folders, day, shown_root="") -> tuple[str | None, list]:
    """The CODEOWNERS text a commit's roster and policy give; None with problems if either
    is invalid."""
    return _expected(
        parse_roster(roster_text, f"{shown_root}{REPO_ROSTER}"),
        parse_policy(policy_text, f"{shown_root}{REPO_POLICY}"),
        folders,
        day,
    )


def worktree_expected(project_root: Path, day: date) -> tuple[str | None, list]:
    """The CODEOWNERS text the working tree's roster and policy give (as `expected`)."""
    root = Path(project_root)
    return _expected(load_roster(root), load_policy(root), worktree_folders(root), day)


def _expected(roster_found: tuple, policy_found: tuple, folders, day) -> tuple[str | None, list]:
    (roster, problems), (policy, policy_problems) = roster_found, policy_found
    if roster is None or policy is None:
        return None, problems + policy_problems
    return render(roster, policy, folders, day), []


def freshness(current: str | None, wanted: str, severity: str = "error") -> list[Problem]:
    if current == wanted:
        return []
    if current is None:
        message = "chưa có tệp; chạy `portal review codeowners` để tạo từ reviews/roster.yml"
        return [Problem(REPO_CODEOWNERS, 0, "", message, severity)]
    line = _first_difference(current, wanted)
    return [
        Problem(
            REPO_CODEOWNERS,
            line,
            "",
            "tệp đã cũ so với reviews/roster.yml và reviews/policy.yml (người, vai trò hay "
            "nhiệm kỳ đã đổi); chạy `portal review codeowners` rồi commit tệp mới",
            severity,
        )
    ]


def _first_difference(current: str, wanted: str) -> int:
    old, new = current.splitlines(), wanted.splitlines()
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return index + 1
    return min(len(old), len(new)) + 1


def check_review_files(
    project_root: Path, today: date | None = None, severity: str = "error"
) -> list[Problem]:
    """For `portal check`: reviews/policy.yml is valid and .github/CODEOWNERS is up to date.

    Roster problems are left to `portal check`'s own roster check (reported once).
    """
    root = Path(project_root)
    if not (root / REPO_POLICY).exists():
        return [Problem.about("thiếu tệp quy trình duyệt hoặc không đọc được", REPO_POLICY)]
    policy, problems = load_policy(root)
    if policy is None or not (root / REPO_ROSTER).exists():
        return problems
    day = today or now().date()
    wanted, invalid = _expected(load_roster(root), (policy, []), worktree_folders(root), day)
    if wanted is None:
        return [p for p in invalid if not p.path.endswith(REPO_ROSTER)]
    try:
        current = (root / REPO_CODEOWNERS).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = None
    return freshness(current, wanted, severity)
