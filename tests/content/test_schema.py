"""The two validators of the content schema agree: jsonschema-rs (fast, says only
"valid") and jsonschema (full report). A value the fast one passes is never reported."""

from pathlib import Path

import pytest

from portal import yamlfile, schema

REPO = Path(__file__).resolve().parents[2]
ITEMS = [
    path
    for path in sorted((REPO / "content").rglob("*.md"))
    + sorted((REPO / "tests/content/bad").glob("*.md"))
    if path.name != "not-utf8.md"  # legacy bytes never reach the schema
]
DATA = sorted((REPO / "content/data").rglob("*.yml")) + [REPO / "reviews/roster.yml"]


def schema_name(data) -> str:
    kind = data.get("kind") if isinstance(data, dict) else None
    return kind if kind in schema.ITEM_KINDS else "common"


def agree(name: str, data) -> None:
    fast = schema.fast_validator(name).is_valid(data)
    full = not list(schema.validator(name).iter_errors(data))
    assert fast == full, (name, data)


@pytest.mark.parametrize("path", ITEMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_validators_agree_on_every_item_good_or_bad(path):
    data = yamlfile.parse(path.read_text(encoding="utf-8"), str(path)).data
    if isinstance(data, dict):
        agree(schema_name(data), data)


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.name)
def test_validators_agree_on_the_data_files(path):
    name = "data-roster" if path.name == "roster.yml" else f"data-{path.stem}"
    if path.parent.name == "schedule":
        name = "data-schedule"
    data = yamlfile.parse_yaml(
        path.read_text(encoding="utf-8"), 1, str(path), require_mapping=False
    ).data
    agree(name, data)


@pytest.mark.parametrize(
    "change",
    [
        {"number": "27/QĐ-SNV"},  # Vietnamese letters in a pattern
        {"number": "27 QĐ SNV"},
        {"file": "files/x.PDF"},
        {"issued": "2026-1-01"},
        {"tags": ["ab", "ab"]},
        {"source": {"name": "Bộ Nội vụ", "url": "ftp://x"}},
        {"origin": "quoted"},
        {"featured": 1},
        {"extra": True},
    ],
)
def test_validators_agree_on_edge_cases(change):
    data = {
        "title": "Quyết định ban hành Quy chế",
        "kind": "legal",
        "date": "2021-04-22 15:00",
        "section": "van-ban",
        "status": "published",
        "doc_type": "Quyết định",
        "number": "27/QĐ-SNV",
        "issuer": "Sở Nội vụ",
        "issued": "2021-04-22",
        "abstract": "Ban hành Quy chế Cổng thông tin điện tử.",
        "file": "files/27.pdf",
    }
    agree("legal", {**data, **change})
