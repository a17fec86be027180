"""A scratch content repository served by decap-server (Decap's local git backend), the
site built from it with the desk, and the built site served on 127.0.0.1."""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO
from tests.site.sitebuild import build

DECAP_SERVER = REPO / "node_modules" / ".bin" / "decap-server"
AUTHOR = ("Hoàng Văn Đức", "ducvh.snv@hatinh.gov.vn")


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_repository(root: Path, port: int) -> Path:
    """The project's content, data, reviews and theme in a fresh git repository on main."""
    for name in ("pelicanconf.py", "publishconf.py", "desk.yml", ".gitignore"):
        shutil.copy(REPO / name, root / name)
    for name in ("theme", "content", ".github"):
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(REPO / "reviews", root / "reviews", ignore=shutil.ignore_patterns("ledger"))
    with open(root / "desk.yml", "a", encoding="utf-8") as settings:
        settings.write(f"local_backend: http://127.0.0.1:{port}/api/v1\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Admin", "-c", "user.email=admin@example.vn", "commit", "-qm", "init")
    git(root, "config", "user.name", AUTHOR[0])
    git(root, "config", "user.email", AUTHOR[1])
    return root


def build_site(root: Path) -> Path:
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "output" / "admin" / "index.html").is_file(), result.stdout + result.stderr
    return root / "output"


@contextmanager
def decap_server(repo: Path, port: int):
    """decap-server in git mode (editorial workflow) on 127.0.0.1:port."""
    assert DECAP_SERVER.exists(), "thiếu decap-server: chạy `npm ci` (xem README, docs/desk.md)"
    env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(repo), "PORT": str(port)}
    log = open(repo.parent / "decap-server.log", "w", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen([str(DECAP_SERVER)], env=env, stdout=log, stderr=log)
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait_for(port: int) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1",
        data=json.dumps({"action": "info", "params": {"branch": "main"}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if "editorial_workflow" in json.loads(response.read())["publish_modes"]:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"decap-server không trả lời ở cổng {port}")
