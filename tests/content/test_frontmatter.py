"""Front matter and YAML files: line numbers, the YAML 1.1 traps, the fast path for unchanged
files, and the problems placed at a value's line."""

from pathlib import Path

import pytest

from portal import yamlfile
from portal.errors import Problem

REPO = Path(__file__).resolve().parents[2]


def test_line_numbers_of_nested_keys():
    parsed = yamlfile.parse(
        "---\ntitle: Tin\nauthors:\n  - name: A\n    unit: van-phong\n---\n\nThân bài\n", "x.md"
    )
    assert parsed.problems == []
    assert parsed.line_of(("authors", 0, "unit")) == 5
    assert parsed.line_of(("authors", 0, "missing")) == 4  # falls back to the parent
    assert parsed.body_line == 7 and parsed.body.strip() == "Thân bài"


def test_dates_stay_text_for_our_own_parser():
    parsed = yamlfile.parse("---\ndate: 2026-11-20 08:30:00\nissued: 2026-11-20\n---\n", "x")
    assert parsed.data == {"date": "2026-11-20 08:30:00", "issued": "2026-11-20"}


@pytest.mark.parametrize(
    "value, hint",
    [("12:30", 'hãy viết "12:30"'), ("0123", 'hãy viết "0123"'), ("no", "true hoặc false")],
)
def test_yaml_11_traps_are_reported_at_their_line(value, hint):
    parsed = yamlfile.parse(f"---\ntitle: Tin\nx: {value}\n---\n", "x.md")
    [problem] = parsed.problems
    assert (problem.line, problem.field) == (3, "x") and hint in problem.message


def test_quoted_values_are_not_traps():
    parsed = yamlfile.parse('---\nx: "12:30"\ny: "no"\nz: "0123"\n---\n', "x.md")
    assert parsed.problems == [] and parsed.data == {"x": "12:30", "y": "no", "z": "0123"}


@pytest.mark.parametrize("path", sorted((REPO / "content").rglob("*.md")), ids=lambda p: p.name)
def test_quick_fields_agree_with_yaml_on_the_sample_content(path):
    text = path.read_text(encoding="utf-8")
    wanted = ("title", "slug", "kind", "doc_type", "number")
    quick = yamlfile.quick_fields(text, wanted)
    full = yamlfile.parse(text, str(path)).data
    expected = {key: str(full[key]) for key in wanted if key in full}
    assert quick is None or quick == expected


def test_quick_fields_read_quoted_scalars():
    text = "---\ntitle: \"Có: dấu hai chấm\"\nslug: 'it''s'\n---\n"
    assert yamlfile.quick_fields(text, ("title", "slug")) == {
        "title": "Có: dấu hai chấm",
        "slug": "it's",
    }


@pytest.mark.parametrize(
    "header",
    [
        'title: "Có \\"ngoặc\\" bên trong"',
        "title: Dòng một\n  dòng hai",
        "title: C # chú thích",
        "title: Có: dấu hai chấm",
        "title:",
        "title: A\ntitle: B",
    ],
)
def test_quick_fields_give_up_on_anything_unusual(header):
    assert yamlfile.quick_fields(f"---\n{header}\n---\n", ("title",)) is None


def test_a_problem_on_no_line_or_no_file_prints_only_what_it_has():
    assert str(Problem("a.yml", 3, "title", "sai")) == "a.yml:3: title: sai"
    assert str(Problem.about("sai", "a.yml")) == "a.yml: sai"
    assert str(Problem.about("sai", "main:reviews/roster.yml", "keys")) == (
        "main:reviews/roster.yml: keys: sai"
    )
    assert str(Problem.about("nhánh không thay đổi gì")) == "nhánh không thay đổi gì"
    assert str(Problem("a.md", 0, "", "xem lại", "warning")) == "a.md: cảnh báo (warning): xem lại"


def test_a_parsed_document_places_a_problem_at_its_value():
    parsed = yamlfile.parse_yaml("people:\n  - id: a\n    roles: []\n", 1, "roster.yml")
    problem = parsed.problem(("people", 0, "roles"), "trống")
    assert str(problem) == "roster.yml:3: people[0].roles: trống"
    assert str(parsed.problem(("people", 0, "roles"), "trống", field="roles")) == (
        "roster.yml:3: roles: trống"
    )


def test_read_file_names_the_line_of_a_byte_that_is_not_utf8(tmp_path):
    path = tmp_path / "units.yml"
    path.write_bytes(b"- code: a\n  name: \xd0\xb5 ok\n- code: b\n  name: S\xf4 N\xe9i\n")
    parsed = yamlfile.read_file(path, "units.yml", require_mapping=False)
    assert parsed.data is None
    assert [(p.path, p.line) for p in parsed.problems] == [("units.yml", 4)]
    path.write_text("- code: a\n", encoding="utf-8")
    assert yamlfile.read_file(path, "units.yml", require_mapping=False).data == [{"code": "a"}]
    assert yamlfile.read_file(path, "units.yml").problems[0].message.startswith(
        "phần đầu YAML phải là các cặp"
    )
