"""The roster: who holds which role, for which section or unit, and when."""

from datetime import date

from portal.project import Project
from portal.roster import allowed_signer, load, parse_roster

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPekTfG2KmaLebs2kvPCplK2fF+B4L0piFyoZK5PeklU"
ROSTER = f"""people:
  - id: bao-dq
    name: Đặng Quốc Bảo
    email: baodq.snv@hatinh.gov.vn
    unit: thi-dua-khen-thuong
    roles:
      - {{role: member, sections: [tin-tuc], from: 2024-01-01, until: 2026-06-30}}
      - {{role: unit_head, unit: thi-dua-khen-thuong, from: 2023-03-01}}
    keys:
      - {{key: {KEY}, from: 2024-01-01}}
  - id: son-pv
    name: Phan Văn Sơn
    external: true
    roles:
      - {{role: contributor, from: 2025-06-01}}
"""


def test_roles_hold_within_term_section_and_unit():
    roster, problems = parse_roster(ROSTER, "reviews/roster.yml")
    assert problems == []
    bao = roster.people["bao-dq"]
    assert bao.holds("member", date(2026, 6, 30), section="tin-tuc")
    assert not bao.holds("member", date(2026, 7, 1), section="tin-tuc"), "term ended"
    assert not bao.holds("member", date(2025, 1, 1), section="van-ban"), "not his section"
    assert bao.holds("unit_head", date(2025, 1, 1), unit="thi-dua-khen-thuong")
    assert not bao.holds("unit_head", date(2025, 1, 1), unit="van-phong")
    assert not bao.holds("head", date(2025, 1, 1))
    assert roster.by_email("BaoDQ.snv@hatinh.gov.vn") is bao
    assert roster.resolve_author({"name": "Phan Văn Sơn"}).external


def test_member_without_sections_is_reported():
    text = ROSTER.replace("role: member, sections: [tin-tuc], ", "role: member, ")
    roster, problems = parse_roster(text, "reviews/roster.yml")
    assert roster is None
    assert [str(p) for p in problems] == [
        "reviews/roster.yml:7: people[0].roles[0].sections: thiếu trường bắt buộc 'sections'"
        " — chuyên mục phụ trách (ủy viên)",
    ]


def test_duplicate_id_is_reported():
    text = ROSTER + "  - id: bao-dq\n    name: Người khác\n    roles:\n"
    text += "      - {role: contributor, from: 2025-01-01}\n"
    roster, problems = parse_roster(text, "reviews/roster.yml")
    assert roster is None
    assert [str(p) for p in problems] == [
        "reviews/roster.yml:16: people[2].id: 'bao-dq' trùng với người ở dòng 2"
    ]


def test_unknown_section_and_reversed_term():
    text = ROSTER.replace("until: 2026-06-30", "until: 2023-06-30").replace(
        "sections: [tin-tuc]", "sections: [tin-moi]"
    )
    roster, problems = parse_roster(text, "reviews/roster.yml", sections={"tin-tuc": {}})
    assert roster is None
    assert [str(p) for p in problems] == [
        "reviews/roster.yml:7: people[0].roles[0].sections[0]: 'tin-moi' không có trong"
        " content/data/sections.yml",
        "reviews/roster.yml:7: people[0].roles[0].until: ngày kết thúc nhiệm kỳ trước ngày bắt đầu",
    ]


def test_the_working_tree_roster_is_read_as_git_s_text_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews/roster.yml").write_text(ROSTER, encoding="utf-8")
    roster, problems = load(tmp_path)
    assert problems == [] and sorted(roster.people) == ["bao-dq", "son-pv"]
    (tmp_path / "reviews/roster.yml").write_bytes(ROSTER.encode("utf-8") + b"  - id: \xe0\n")
    roster, problems = load(Project.at(tmp_path))
    assert roster is None
    assert [(p.path, p.line) for p in problems] == [("reviews/roster.yml", 16)]
    assert "không phải UTF-8 (byte 0xE0)" in problems[0].message


def test_a_symlinked_roster_is_never_followed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere.yml").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews/roster.yml").symlink_to(tmp_path / "elsewhere.yml")
    roster, problems = load(tmp_path)
    assert roster is None
    assert [str(p) for p in problems] == [
        "reviews/roster.yml: là liên kết tượng trưng (symlink): Cổng không đọc liên kết"
    ]


def test_allowed_signers_lines_are_valid_from_vietnam_midnight():
    line = allowed_signer("a@snv.vn", KEY, date(2024, 1, 1), date(2024, 12, 31))
    assert line == (
        'a@snv.vn namespaces="git",valid-after="20231231170000Z",'
        f'valid-before="20241231170000Z" {KEY}\n'
    )
