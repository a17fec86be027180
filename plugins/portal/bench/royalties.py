"""Benchmark: tally a month from a history of 10,000 merged items.

    python -m portal.bench.royalties [--items 10000]

Run from the project (it copies content/data and reviews/ into a temporary
repository). The history is written with `git fast-import`: one submission
commit and one `--no-ff` merge per item, plus an edit of every tenth item,
spread over two years (2025–2026). Timed: the last month, first with nothing kept
from earlier runs (cold), then as at a month end, after last month's statement was
made (main's log up to then is kept in .git, see `logcache`): that one must take
under 3 seconds.
"""

import argparse
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from portal.dates import VIETNAM
from portal.git import Git
from portal.project import Project
from portal.royalties.history import read_history
from portal.royalties.logcache import CACHE_NAME
from portal.royalties.tally import month_bounds, month_statement

AUTHORS = (
    ("lan-pt", "Phạm Thị Lan", "cong-chuc-vien-chuc"),
    ("duc-hv", "Hoàng Văn Đức", "cai-cach-hanh-chinh"),
    ("thu-ltm", "Lê Thị Minh Thu", "van-phong"),
    ("hai-bt", "Bùi Thanh Hải", "to-chuc-bien-che"),
    ("anh-vtn", "Võ Thị Ngọc Ánh", "van-phong"),
)
START = datetime(2025, 1, 1, 8, 0, tzinfo=VIETNAM)
LIMIT_SECONDS = 3.0
LAST_MONTH, PREVIOUS_MONTH = "2026-12", "2026-11"  # the history ends on 31/12/2026
AS_OF = datetime(2027, 1, 5, tzinfo=VIETNAM)
DATA_COMMIT_TIME = {
    "GIT_AUTHOR_DATE": "2024-12-01T08:00:00+07:00",
    "GIT_COMMITTER_DATE": "2024-12-01T08:00:00+07:00",
}


def item_text(number: int, moment: datetime, coefficient: str) -> bytes:
    person, name, unit = AUTHORS[number % len(AUTHORS)]
    kind = "article" if number % 3 == 0 else "news"
    work = "bai" if kind == "article" else "tin"
    return (
        "---\n"
        f"title: Tin thử nghiệm số {number} về hoạt động của Sở Nội vụ\n"
        f"kind: {kind}\n"
        f"date: {moment:%Y-%m-%d %H:%M}\n"
        "section: tin-tuc\n"
        f"unit: {unit}\n"
        "status: published\n"
        "summary: Tin tạo tự động để đo thời gian tính nhuận bút.\n"
        "authors:\n"
        f"  - {{name: {name}, unit: {unit}, id: {person}}}\n"
        f"royalty: {{work: {work}, coefficient: {coefficient}}}\n"
        "---\n\nNội dung tin thử nghiệm.\n"
    ).encode()


def fast_import_stream(count: int) -> bytes:
    """Commands for `git fast-import`: submissions merged one by one into main."""
    parts, step = [], timedelta(days=730) / count
    main_mark = "refs/heads/main^0"
    for number in range(count):
        moment = START + step * number
        stamp = f"{int(moment.timestamp())} +0700"
        path = f"content/tin-tuc/tin-{number:05d}.md"
        data = item_text(number, moment, "0.5")
        blob, side, merge = 3 * number + 1, 3 * number + 2, 3 * number + 3
        parts.append(b"blob\nmark :%d\ndata %d\n%s\n" % (blob, len(data), data))
        parts.append(_commit("refs/heads/side", side, stamp, f"Submit {number}", main_mark))
        parts.append(b"M 100644 :%d %s\n\n" % (blob, path.encode()))
        parts.append(_commit("refs/heads/main", merge, stamp, f"Merge {number}", main_mark))
        parts.append(b"merge :%d\nM 100644 :%d %s\n\n" % (side, blob, path.encode()))
        main_mark = merge
        if number % 10 == 9:  # an edit after publication, straight on main
            edited = item_text(number, moment, "0.7")
            edit_stamp = f"{int((moment + step / 2).timestamp())} +0700"
            edit = 3 * count + number + 1
            parts.append(_commit("refs/heads/main", edit, edit_stamp, f"Edit {number}", main_mark))
            main_mark = edit
            parts.append(
                b"M 100644 inline %s\ndata %d\n%s\n\n" % (path.encode(), len(edited), edited)
            )
    return b"".join(parts)


def _commit(ref: str, mark, stamp: str, message: str, parent) -> bytes:
    text = f"commit {ref}\n"
    if mark is not None:
        text += f"mark :{mark}\n"
    text += f"committer Bench <bench@example.vn> {stamp}\n"
    text += f"data {len(message.encode())}\n{message}\n"
    if parent is not None:
        text += f"from {parent}\n" if str(parent).startswith("refs/") else f"from :{parent}\n"
    return text.encode()


def build_repository(root: Path, project: Path, count: int) -> Path:
    """The data files and rates committed first (a month is computed from main's state),
    then the items."""
    shutil.copytree(project / "content" / "data", root / "content" / "data")
    shutil.copytree(project / "reviews", root / "reviews")
    (root / "pelicanconf.py").write_text("", encoding="utf-8")
    git = Git(root)
    git.run("init", "-q", "-b", "main")
    git.run("add", "-A")
    git.run(
        "commit",
        "-q",
        "-m",
        "Portal data",
        config={"user.name": "Bench", "user.email": "bench@example.vn"},
        env=DATA_COMMIT_TIME,
    )
    git.run("fast-import", "--quiet", input=fast_import_stream(count))
    git.run("checkout", "-q", "-f", "main")
    return root / "content"


def timed_month(content: Path, month: str) -> tuple[float, object]:
    """Seconds to read main's history as far as `month` needs and tally it, as
    `portal royalties --month` does."""
    started = time.perf_counter()
    until = min(AS_OF, month_bounds(month)[1])
    statement = month_statement(read_history(content, until=until), month, AS_OF)
    return time.perf_counter() - started, statement


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args(argv)
    project = Project.find(Path.cwd()).root
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        content = build_repository(Path(folder), project, args.items)
        print(
            f"Lịch sử {args.items} tin bài (git fast-import): {time.perf_counter() - started:.1f} s"
        )
        cache = Path(folder) / ".git" / CACHE_NAME
        cold, statement = timed_month(content, LAST_MONTH)
        cache.unlink()
        timed_month(content, PREVIOUS_MONTH)  # last month's run, not timed
        monthly, again = timed_month(content, LAST_MONTH)
    assert again.royalty_total == statement.royalty_total
    print(
        f"Tháng {LAST_MONTH} ({statement.line_count} dòng, trên {args.items} tin bài): "
        f"lần đầu (chưa có bộ nhớ log) {cold:.2f} s; cuối tháng, sau lần chạy tháng "
        f"{PREVIOUS_MONTH}: {monthly:.2f} s (giới hạn {LIMIT_SECONDS:.0f} s)"
    )
    return 0 if monthly < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
