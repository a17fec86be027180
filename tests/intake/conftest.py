"""A portal repository in tmp (real git, the repository's own data) for intake tests."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import make_site


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def portal(tmp_path, monkeypatch) -> Path:
    """A committed portal tree (sample content, roster, rates); the working directory."""
    root = tmp_path / "portal"
    root.mkdir()
    make_site(root, with_sample_content=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(
        root,
        "-c",
        "user.name=Thư ký",
        "-c",
        "user.email=thuky@hatinh.gov.vn",
        "commit",
        "-qm",
        "Sample portal",
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Thư ký")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "thuky@hatinh.gov.vn")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Thư ký")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "thuky@hatinh.gov.vn")
    return root
