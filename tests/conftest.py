"""Shared fixtures: temporary portal sites built from the repository's own data."""

import shutil
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def make_site(root: Path, with_sample_content: bool = False) -> Path:
    """A portal tree in `root` (pelicanconf.py, theme, reviews, content/data); returns content/."""
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    shutil.copy(REPO / "publishconf.py", root / "publishconf.py")
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copytree(REPO / "reviews", root / "reviews", ignore=shutil.ignore_patterns("ledger"))
    shutil.copytree(REPO / ".github", root / ".github")
    content = root / "content"
    if with_sample_content:
        shutil.copytree(REPO / "content", content)
    else:
        shutil.copytree(REPO / "content" / "data", content / "data")
        (content / "images").mkdir()
        (content / "files").mkdir()
        (content / "images" / "hoi-nghi.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8"
        )
        with zipfile.ZipFile(content / "files" / "van-ban.docx", "w") as docx:
            docx.writestr("[Content_Types].xml", "<Types/>")  # uploads are checked by type
    return content


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """An empty site (data files only); the working directory is its root."""
    monkeypatch.chdir(tmp_path)
    return make_site(tmp_path)
