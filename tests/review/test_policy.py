"""The policy file: its schema's messages, its rules, and the allowed-signers lines."""

import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from portal.content.uploads import PUBLISHED
from portal.review.policy import glob_to_regex, parse_policy
from portal.roster import allowed_signers, parse_roster

REPO = Path(__file__).resolve().parents[2]
SHOWN = "reviews/policy.yml"


def problems_of(text: str) -> list[str]:
    policy, problems = parse_policy(text, SHOWN)
    assert policy is None
    return [str(p) for p in problems]


def test_shipped_policy_is_valid_and_orders_the_chain():
    policy, problems = parse_policy((REPO / SHOWN).read_text(encoding="utf-8"), SHOWN)
    assert problems == []
    item_rule = policy.rule_for("content/tin-tuc/2026-11-29-tin.md")
    assert [s.id for s in policy.order(item_rule.stages)] == [
        "unit_head",
        "member",
        "deputy",
        "head",
    ]
    assert policy.rule_for("reviews/roster.yml").stages == ("deputy", "head")
    assert policy.rule_for("content/data/units.yml").name.startswith("Dữ liệu")
    assert policy.rule_for("plugins/portal/review/chain.py").stages == ("administrator", "head")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "version: 1\nstages:\n  - {id: head, name: Trưởng Ban, roles: [heed]}\n"
            "rules:\n  - {name: Mọi tệp, paths: ['**'], stages: [head]}\n",
            "reviews/policy.yml:3: stages[0].roles[0]: giá trị 'heed' không hợp lệ; chỉ nhận:",
        ),
        (
            "version: 1\nstages:\n  - {id: head, name: Trưởng Ban, roles: [head]}\n"
            "rules:\n  - {name: Mọi tệp, paths: ['**'], stages: [deputy]}\n",
            "reviews/policy.yml:5: rules[0].stages[0]: bước 'deputy' không có trong stages",
        ),
        (
            "version: 1\nstages:\n  - {id: head, name: Trưởng Ban, roles: [head]}\n"
            "rules:\n  - {name: Mọi tệp, paths: ['**'], stages: []}\n",
            "reviews/policy.yml:5: rules[0].stages: cần ít nhất 1 mục",
        ),
        (
            "version: 1\nstages:\n  - {id: head, name: Trưởng Ban, roles: [head]}\n"
            "  - {id: head, name: Trưởng Ban 2, roles: [deputy]}\n"
            "rules:\n  - {name: Mọi tệp, paths: ['**'], stages: [head]}\n",
            "reviews/policy.yml:4: stages[1].id: mã bước 'head' trùng với bước ở dòng 3",
        ),
        (
            "version: 1\nstages:\n  - {id: head, name: Trưởng Ban, roles: [head], approvals: 0}\n"
            "rules:\n  - {name: Mọi tệp, paths: ['**'], stages: [head]}\n",
            "reviews/policy.yml:3: stages[0].approvals: giá trị 0 phải ≥ 1",
        ),
        (
            "version: 1\nstages:\n  - {id: head, name: Trưởng Ban, roles: [head]}\n",
            "reviews/policy.yml:1: rules: thiếu trường bắt buộc 'rules'",
        ),
        ("version: 1\nstages: [\n", "reviews/policy.yml:3: YAML không hợp lệ"),
    ],
)
def test_policy_errors_name_line_field_and_expectation(text, expected):
    assert any(p.startswith(expected) for p in problems_of(text)), problems_of(text)


def test_globs():
    import re

    assert re.fullmatch(glob_to_regex("content/**/*.md"), "content/a/b/c.md")
    assert re.fullmatch(glob_to_regex("content/**/*.md"), "content/c.md")
    assert not re.fullmatch(glob_to_regex("content/*.md"), "content/a/c.md")
    assert re.fullmatch(glob_to_regex(".github/**"), ".github/workflows/review.yml")


def test_allowed_signers_lines_verify_with_ssh_keygen(tmp_path):
    key = tmp_path / "k"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    public = " ".join(key.with_suffix(".pub").read_text().split()[:2])
    roster, problems = parse_roster(
        "people:\n  - id: a\n    name: Nguyễn A\n    email: A@snv.vn\n"
        "    roles: [{role: head, from: 2024-01-01}]\n"
        f"    keys: [{{key: {public}, from: 2024-01-01, until: 2024-06-30}}]\n",
        "reviews/roster.yml",
    )
    assert problems == []
    line = allowed_signers(roster)
    # Vietnam midnight is 17:00 UTC the day before; `until` is inclusive.
    assert line == (
        'a@snv.vn namespaces="git",valid-after="20231231170000Z",'
        f'valid-before="20240630170000Z" {public}\n'
    )
    signers = tmp_path / "signers"
    signers.write_text(line)
    (tmp_path / "msg").write_text("x")
    subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-n", "git", "-f", key, tmp_path / "msg"],
        check=True,
        capture_output=True,
    )

    def verifies(moment: str) -> bool:
        with open(tmp_path / "msg", "rb") as message:
            return (
                subprocess.run(
                    [
                        "ssh-keygen",
                        "-Y",
                        "verify",
                        "-f",
                        signers,
                        "-I",
                        "a@snv.vn",
                        "-n",
                        "git",
                        "-s",
                        tmp_path / "msg.sig",
                        f"-Overify-time={moment}",
                    ],
                    stdin=message,
                    capture_output=True,
                ).returncode
                == 0
            )

    assert verifies("20240630165900Z")  # 23:59 on the key's last day, Vietnam time
    assert not verifies("20240630170100Z")  # 00:01 the next day
    assert not verifies("20231231165900Z")  # 23:59 the day before its first day
    assert date(2024, 1, 1) == roster.people["a"].keys[0].start


def test_item_path_agrees_with_pathlib():
    """The string-only `is_item_path` against an oracle written with pathlib."""
    from itertools import product
    from pathlib import PurePosixPath

    from portal.project import ITEM_SUFFIX, NOT_ITEMS, is_item_path

    def oracle(path: str) -> bool:
        parts = PurePosixPath(path).parts
        return (
            len(parts) >= 2
            and parts[0] == "content"
            and PurePosixPath(path).suffix == ITEM_SUFFIX
            and parts[1] not in NOT_ITEMS
        )

    tops = ["content", "contents", "x/content"]
    middles = ["", "tin-tuc/", "images/", "data/a/", "tin-tuc/con/", "files/"]
    names = ["a.md", ".md", "a.b.md", "a.MD", "a.markdown", "md", "a.md.txt", "images"]
    for top, middle, name in product(tops, middles, names):
        path = f"{top}/{middle}{name}"
        assert is_item_path(path) == oracle(path), path


def test_a_rule_names_stages_or_refuses_never_both_nor_neither():
    text = (REPO / "reviews/policy.yml").read_text(encoding="utf-8")
    names = [rule["name"] for rule in yaml.safe_load(text)["rules"]]
    strange_files = names.index("Tệp lạ trong content/")
    both = text.replace(
        "    refuse: >-\n      loại tệp", "    stages: [head]\n    refuse: >-\n      loại tệp"
    )
    policy, problems = parse_policy(both, "reviews/policy.yml")
    assert policy is None
    assert [p.field for p in problems] == [f"rules[{strange_files}]"]
    assert "có cả stages lẫn refuse" in str(problems[0])
    neither = text.replace(
        "    paths: [reviews/roster.yml, reviews/policy.yml]\n    stages: [deputy, head]\n",
        "    paths: [reviews/roster.yml, reviews/policy.yml]\n",
    )
    policy, problems = parse_policy(neither, "reviews/policy.yml")
    assert policy is None
    assert str(problems[0]).startswith("reviews/policy.yml:")
    assert "cần stages (các bước duyệt) hoặc refuse" in str(problems[0])


@pytest.mark.parametrize("folder", sorted(PUBLISHED))
def test_every_upload_type_the_build_publishes_has_the_data_rule(folder):
    """The build (content/uploads.py) and the gate agree on what may be uploaded: each
    published extension needs deputy and head, never a refusal or the code rule."""
    policy, _ = parse_policy((REPO / SHOWN).read_text(encoding="utf-8"), SHOWN)
    for extension in PUBLISHED[folder]:
        rule = policy.rule_for(f"content/{folder}/2026/tep{extension}")
        assert not rule.refuse and list(rule.stages) == ["deputy", "head"], extension
        upper = policy.rule_for(f"content/{folder}/tep{extension.upper()}")
        assert upper.refuse, extension  # refused by the gate, as by the build


def test_intake_evidence_needs_deputy_and_head():
    policy, _ = parse_policy((REPO / SHOWN).read_text(encoding="utf-8"), SHOWN)
    rule = policy.rule_for("reviews/intake/2026-11-30-tin/goc.eml")
    assert list(rule.stages) == ["deputy", "head"]
