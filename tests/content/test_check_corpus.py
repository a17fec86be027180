"""The corpus of bad items: one file each, each with the exact messages expected.

Each file is checked alone in a fresh site (the duplicate-slug pair together),
through the real `portal check` command; expected.yml holds the lines it must print.
"""

import shutil
from pathlib import Path

import pytest
import yaml

from portal.cli import main

BAD = Path(__file__).parent / "bad"
EXPECTED = yaml.safe_load((BAD / "expected.yml").read_text(encoding="utf-8"))
GROUPS = {"duplicate-slug-a.md": ["duplicate-slug-a.md", "duplicate-slug-b.md"]}


def test_every_bad_file_has_expectations():
    assert sorted(EXPECTED) == sorted(p.name for p in BAD.glob("*.md"))


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - {"duplicate-slug-b.md"}))
def test_bad_item_reports_exact_problems(name, site, capsys):
    (site / "tin-tuc").mkdir()
    for member in GROUPS.get(name, [name]):
        shutil.copy(BAD / member, site / "tin-tuc" / member)
    code = main(["check", "content"])
    out = capsys.readouterr()
    assert code == 1, out.out
    assert "Traceback" not in out.out + out.err
    printed = [line for line in out.out.splitlines() if line.startswith("content/")]
    expected = [
        f"content/tin-tuc/{member}:{line}"
        for member in GROUPS.get(name, [name])
        for line in EXPECTED[member]
    ]
    assert printed == sorted(expected)


def test_good_sample_content_passes(tmp_path, monkeypatch, capsys):
    from tests.conftest import make_site

    monkeypatch.chdir(tmp_path)
    make_site(tmp_path, with_sample_content=True)
    assert main(["check"]) == 0, capsys.readouterr().out
