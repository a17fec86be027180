"""Benchmark of the merge gate: `python -m portal.bench.review [--items N]`.

Builds a throwaway repository with N items (default 10,000) on main, the project's
policy and a roster with fresh SSH keys, then a submission of one item approved through
the whole chain with real signed commits, and times `portal review verify` on it:
in-process (what the gate itself costs) and as the command CI runs (with Python's start).
Target: under one second.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

from portal import cli
from portal.git import Git
from portal.review.chain import evaluate

PROJECT = Path(__file__).resolve().parents[3]
SECTIONS = ("tin-tuc", "hoi-nghi-tap-huan", "dang-doan-the", "van-ban")
UNIT = "cong-chuc-vien-chuc"
PEOPLE = (  # id, role line; the contributor comes first
    ("ctv", "{role: contributor, from: 2024-01-01}"),
    ("truong-dv", f"{{role: unit_head, unit: {UNIT}, from: 2024-01-01}}"),
    ("uy-vien", "{role: member, sections: [tin-tuc], from: 2024-01-01}"),
    ("pho-ban", "{role: deputy, from: 2024-01-01}"),
    ("truong-ban", "{role: head, from: 2024-01-01}"),
)


def item(number: int, section: str) -> str:
    return (
        f"---\ntitle: Tin số {number} về hoạt động của Sở Nội vụ\nkind: news\n"
        f"date: 2026-01-01 08:00\nsection: {section}\nunit: {UNIT}\nstatus: published\n"
        f"summary: Tóm tắt tin số {number}.\nauthors:\n  - {{name: Cộng tác viên, id: ctv}}\n"
        f"---\n\nNội dung tin số {number}: cải cách hành chính, công chức, viên chức.\n"
    )


def make_keys(folder: Path) -> dict[str, Path]:
    keys = {}
    for person, _ in PEOPLE:
        keys[person] = folder / person
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys[person])], check=True
        )
    return keys


def roster(keys: dict[str, Path]) -> str:
    lines = ["people:"]
    for person, role in PEOPLE:
        public = " ".join(keys[person].with_suffix(".pub").read_text().split()[:2])
        lines += [
            f"  - id: {person}",
            f"    name: Người {person}",
            f"    email: {person}@snv.vn",
            f"    roles: [{role}]",
            f"    keys: [{{key: {public}, from: 2024-01-01}}]",
        ]
    return "\n".join(lines) + "\n"


def fast_import(repo: Path, files: dict[str, str], message: str) -> None:
    """One commit holding `files`, written with `git fast-import` (seconds, not minutes)."""
    chunks = [b"commit refs/heads/main\ncommitter Bench <bench@snv.vn> 1767225600 +0700\n"]
    chunks.append(b"data %d\n%s\n" % (len(message.encode()), message.encode()))
    for path, text in files.items():
        data = text.encode("utf-8")
        chunks.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
    Git(repo).run("fast-import", "--quiet", input=b"".join(chunks))


def git(repo: Path, *args: str) -> None:
    Git(repo).run(*args)


def build(repo: Path, count: int, keys: dict[str, Path]) -> None:
    git(repo, "init", "-q", "-b", "main")
    files = {"reviews/roster.yml": roster(keys)}
    files["reviews/policy.yml"] = (PROJECT / "reviews" / "policy.yml").read_text(encoding="utf-8")
    for number in range(count):
        section = SECTIONS[number % len(SECTIONS)]
        files[f"content/{section}/2026-01-01-tin-{number:05d}.md"] = item(number, section)
    fast_import(repo, files, f"{count} tin bài")
    git(repo, "reset", "-q", "--hard", "main")
    git(repo, "switch", "-q", "-c", "tin-moi")
    path = repo / "content" / "tin-tuc" / "2026-11-29-tin-moi.md"
    path.write_text(item(count + 1, "tin-tuc"), encoding="utf-8")
    as_person(repo, "ctv", keys)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Gửi tin mới")
    for person, _ in PEOPLE[1:]:
        as_person(repo, person, keys)
        run_quietly(repo, ["review", "approve", "--base", "main"])


def as_person(repo: Path, person: str, keys: dict[str, Path]) -> None:
    git(repo, "config", "user.email", f"{person}@snv.vn")
    git(repo, "config", "user.name", person)
    git(repo, "config", "user.signingkey", str(keys[person]))
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "commit.gpgsign", "true")  # content commits are signed (authorship)


def run_quietly(repo: Path, argv: list[str]) -> int:
    previous = os.getcwd()
    os.chdir(repo)
    try:
        with redirect_stdout(StringIO()):
            return cli.main(argv)
    finally:
        os.chdir(previous)


def timed(function, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo thời gian `portal review verify`.")
    parser.add_argument("--items", type=int, default=10_000, help="số tin bài trên main")
    parser.add_argument("--rounds", type=int, default=5, help="số lần đo")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="portal-review-bench-") as folder:
        folder = Path(folder)
        keys = make_keys(folder)
        repo = folder / "repo"
        repo.mkdir()
        start = time.perf_counter()
        build(repo, args.items, keys)
        built = time.perf_counter() - start
        print(f"Kho thử: {args.items} tin bài, 4 bước duyệt ký thật ({built:.1f} s)")
        if not evaluate(Git(repo), "main", "HEAD").ok:
            print("Lỗi: lần gửi mẫu lẽ ra phải đạt; kết quả đo không có giá trị.")
            return 2
        verify = ["review", "verify", "--base", "main", "--head", "HEAD"]
        inner = timed(lambda: run_quietly(repo, verify), args.rounds)
        portal = Path(sys.executable).parent / "portal"
        outer = timed(
            lambda: subprocess.run(
                [str(portal), *verify], cwd=repo, capture_output=True, check=True
            ),
            args.rounds,
        )
    for label, times in (
        ("trong tiến trình", inner),
        ("lệnh portal (kể cả khởi động Python)", outer),
    ):
        print(
            f"verify, {label}: trung vị {statistics.median(times):.3f} s, "
            f"nhanh nhất {min(times):.3f} s, chậm nhất {max(times):.3f} s"
        )
    target = statistics.median(outer) < 1.0
    print("Đạt mục tiêu dưới 1 giây." if target else "CHƯA đạt mục tiêu dưới 1 giây.")
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
