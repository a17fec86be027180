"""Benchmark (not a test): build the sample portal plus N synthetic items, with search.

    .venv/bin/python -m tests.site.bench_build 2000

Prints the wall time of a cold build (no cache) and of a warm one (Pelican's cache).
"""

import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import make_site
from tests.site.sitebuild import build

SECTIONS = ("tin-tuc", "hoi-nghi-tap-huan", "dang-doan-the", "thong-tin-khac")
PARAGRAPH = (
    "Sở Nội vụ Hà Tĩnh triển khai nhiệm vụ cải cách hành chính, xây dựng chính quyền số, "
    "đào tạo, bồi dưỡng cán bộ, công chức, viên chức tại Đức Thọ, Đà Nẵng và các địa phương."
)


def synthetic_item(number: int) -> str:
    section = SECTIONS[number % len(SECTIONS)]
    day = 1 + number % 28
    return (
        f"---\ntitle: Tin thử nghiệm số {number} về công tác nội vụ\nkind: news\n"
        f"date: 2025-{1 + number % 12:02d}-{day:02d} 08:{number % 60:02d}\nsection: {section}\n"
        "unit: van-phong\nstatus: published\nsummary: Tin tạo ra để đo thời gian dựng Cổng.\n"
        "authors:\n  - name: Lê Văn Tùng\n    id: tung-lv\n---\n\n"
        + "\n\n".join([PARAGRAPH] * 6)
        + "\n"
    )


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = make_site(root, with_sample_content=True)
        bench = content / "tin-tuc" / "bench"
        bench.mkdir()
        for number in range(count):
            (bench / f"tin-{number}.md").write_text(synthetic_item(number), encoding="utf-8")
        for label in ("cold", "warm"):
            started = time.perf_counter()
            result = build(root)
            elapsed = time.perf_counter() - started
            if result.returncode:
                sys.exit(result.stdout + result.stderr)
            pages = sum(1 for _ in (root / "output").rglob("*.html"))
            print(f"{label}: {count} items, {pages} HTML files, {elapsed:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
