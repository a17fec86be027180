"""The portal's data as it stood on main at a moment: what a closed month is computed from.

A month's statement depends only on what was in force then: the rates
(`reviews/royalty-rates.yml`), the roster and the data files are read from the
last commit of main that landed before the month's cutoff, never from the
working tree. So a closed month re-run after any later change gives the same
bytes, and a change to the rates takes effect from the month it lands in.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from portal.content import sitedata
from portal.errors import PortalError, Problem
from portal.git import Git
from portal.project import DATA, REPO_RATES, REPO_ROSTER
from portal.royalties.history import History
from portal.royalties.rates import Rates, read_rates


@dataclass(frozen=True)
class State:
    commit: str
    site: sitedata.SiteData
    rates: Rates


@contextmanager
def state_at(history: History, moment: datetime) -> Iterator[State]:
    """The data files, roster and rates of main's commit in force at `moment`."""
    commit = history.commit_at(moment)
    if commit is None:
        raise PortalError(
            f"lịch sử nhánh {history.ref} không có commit nào đến {moment:%d/%m/%Y %H:%M}: "
            "không có số liệu"
        )
    content = PurePosixPath(history.content_prefix or ".")
    project = content.parent
    wanted = [
        (content / DATA).as_posix(),
        (project / REPO_ROSTER).as_posix(),
        (project / REPO_RATES).as_posix(),
    ]
    with tempfile.TemporaryDirectory(prefix="portal-royalties-") as folder:
        root = Path(folder)
        _extract(history.repo_root, commit, [p.removeprefix("./") for p in wanted], root)
        shown = f"{history.ref}@{commit[:12]}"
        site = sitedata.load(root / content)
        errors = [_shown(p, root, shown) for p in site.problems if p.is_error]
        if errors:
            raise PortalError(f"dữ liệu của Cổng tại {shown} có lỗi, sửa trước khi tính:", errors)
        rates, problems = read_rates(root / project / REPO_RATES)
        if rates is None:
            problems = [_shown(p, root, shown) for p in problems]
            raise PortalError(f"{REPO_RATES} tại {shown} không hợp lệ:", problems)
        yield State(commit, site, replace(rates, path=f"{shown}:{REPO_RATES}"))


def _shown(problem: Problem, root: Path, shown: str) -> Problem:
    """Problems name the file as `main@commit:path`, not the temporary copy."""
    text = problem.path
    for prefix in (str(root), str(root.resolve())):
        if text.startswith(prefix + "/"):
            return replace(problem, path=f"{shown}:{text[len(prefix) + 1 :]}")
    return problem


def _extract(repo_root: Path, commit: str, paths: list[str], target: Path) -> None:
    """Regular files under `paths` at `commit`; links and anything else are not copied."""
    repo = Git(repo_root)
    try:
        files = repo.tree_files(commit, paths)
    finally:
        repo.close()
    for path, data in files.items():
        if any(part in ("", ".", "..") for part in path.split("/")):
            continue  # a crafted tree's name: never written outside `target`
        file = target / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
