"""The review policy (`reviews/policy.yml`): the ordered stages and which changes need which.

The secretary keeps it; its JSON Schema is `schemas/data-policy.json`. The gate reads
it from the base branch only, so a submission cannot weaken the rules it is judged by.
"""

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from portal import schema, yamlfile
from portal.errors import Problem
from portal.project import REPO_POLICY


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    roles: tuple[str, ...]
    scope: str = "any"  # any | unit | section
    approvals: int = 1
    basis: str = ""
    exempt_units: frozenset[str] = frozenset()
    forge: bool = False  # does an approval in the forge's review screen count? (else: signed)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.basis})" if self.basis else self.name


@dataclass(frozen=True)
class Rule:
    name: str
    patterns: tuple[str, ...]
    stages: tuple[str, ...]
    refuse: str = ""  # when set, the gate refuses any change this rule matches, saying why

    @cached_property
    def _regex(self) -> re.Pattern:
        return re.compile("|".join(f"(?:{glob_to_regex(p)})" for p in self.patterns))

    def matches(self, path: str) -> bool:
        return self._regex.fullmatch(path) is not None


@dataclass(frozen=True)
class Policy:
    stages: tuple[Stage, ...]
    rules: tuple[Rule, ...]
    # May the forge's push log prove who wrote a commit no roster key signed (the browser
    # desk's)? Off by default: then only signatures prove authorship (docs/review.md §9).
    forge_authorship: bool = False

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def rule_for(self, path: str) -> Rule | None:
        """The first rule whose patterns match `path`."""
        return next((r for r in self.rules if r.matches(path)), None)

    def order(self, stage_ids) -> list[Stage]:
        """The stages named in `stage_ids`, in the policy's order."""
        wanted = set(stage_ids)
        return [s for s in self.stages if s.id in wanted]


def glob_to_regex(pattern: str) -> str:
    """`content/**/*.md` → a regex: `**/` is any number of folders, `*` part of one name."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def parse_policy(text: str, shown: str) -> tuple[Policy | None, list[Problem]]:
    """Validate the policy's text (from git); the policy is None when anything is wrong."""
    return _validated(yamlfile.parse_yaml(text, 1, shown))


def load(project_root: Path, shown: str = REPO_POLICY) -> tuple[Policy | None, list[Problem]]:
    """The policy of the working tree at `project_root`, shown as its repository path."""
    return _validated(yamlfile.read_file(Path(project_root) / REPO_POLICY, shown))


def _validated(parsed: yamlfile.YamlDocument) -> tuple[Policy | None, list[Problem]]:
    problems = parsed.problems or schema.validate(
        "data-policy", parsed.data, parsed.shown, parsed.line_of
    )
    if problems:
        return None, problems
    data = parsed.data
    problems = _duplicate_stages(parsed) + _unknown_stages(parsed) + _rule_actions(parsed)
    if problems:
        return None, problems
    stages = tuple(
        Stage(
            id=s["id"],
            name=s["name"],
            roles=tuple(s["roles"]),
            scope=s.get("scope", "any"),
            approvals=s.get("approvals", 1),
            basis=s.get("basis", ""),
            exempt_units=frozenset(s.get("exempt_units", ())),
            forge=s.get("forge", False),
        )
        for s in data["stages"]
    )
    rules = tuple(
        Rule(
            name=r["name"],
            patterns=tuple(r["paths"]),
            stages=tuple(r.get("stages", ())),
            refuse=r.get("refuse", ""),
        )
        for r in data["rules"]
    )
    return Policy(stages, rules, data.get("forge_authorship", False)), []


def _duplicate_stages(parsed) -> list[Problem]:
    problems, seen = [], {}
    for index, stage in enumerate(parsed.data["stages"]):
        path = ("stages", index, "id")
        if stage["id"] in seen:
            message = f"mã bước '{stage['id']}' trùng với bước ở dòng {seen[stage['id']]}"
            problems.append(parsed.problem(path, message))
        seen.setdefault(stage["id"], parsed.line_of(path))
    return problems


def _rule_actions(parsed) -> list[Problem]:
    """Each rule either names its stages or refuses, never both, never neither."""
    problems = []
    for index, rule in enumerate(parsed.data["rules"]):
        has = [key for key in ("stages", "refuse") if key in rule]
        if len(has) != 1:
            message = (
                "quy tắc có cả stages lẫn refuse; chỉ giữ một trong hai"
                if has
                else "quy tắc cần stages (các bước duyệt) hoặc refuse (lý do từ chối)"
            )
            problems.append(parsed.problem(("rules", index), message))
    return problems


def _unknown_stages(parsed) -> list[Problem]:
    known = [s["id"] for s in parsed.data["stages"]]
    return [
        parsed.problem(
            ("rules", r_index, "stages", s_index),
            f"bước '{stage_id}' không có trong stages; các mã hợp lệ: {', '.join(known)}",
        )
        for r_index, rule in enumerate(parsed.data["rules"])
        for s_index, stage_id in enumerate(rule.get("stages", ()))
        if stage_id not in known
    ]
