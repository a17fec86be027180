"""Is the merge gate running the base branch's own code?

`.venv` is an editable install of `plugins/`: whoever runs `portal review verify` in a
checkout of the submission runs the submission's code, which could simply say yes. The
gate's verdict is only worth something when its code is the base's, so `verify` compares
the package it is running from with `plugins/portal/` at the base commit and refuses
when they differ. (Code that removes this check is still the submission's code: that is
why CI and `make review` run the base's package, see docs/review.md.)
"""

import hashlib
from pathlib import Path

import portal
from portal.errors import Problem
from portal.git import Git

PACKAGE = "plugins/portal"


def running_code_problem(git: Git, base: str) -> Problem | None:
    """Why the running package is not the base's (None when it is, or when the repository
    does not carry the portal's code at all)."""
    expected = git.tree_blobs(base, PACKAGE)
    if not expected:
        return None
    folder = Path(portal.__file__).resolve().parent
    running = running_blobs(folder, len(next(iter(expected.values()))))
    paths = expected.keys() | running.keys()
    differ = sorted(p for p in paths if expected.get(p) != running.get(p))
    if not differ:
        return None
    shown = ", ".join(differ[:5]) + (f" và {len(differ) - 5} tệp khác" if len(differ) > 5 else "")
    return Problem.about(
        f"mã cổng kiểm tra đang chạy ({folder}) khác mã của nhánh "
        f"gốc ở {shown}; kết quả không có giá trị. Chạy `make review` (dùng mã của nhánh gốc) "
        "từ nhánh main, không từ nhánh đang duyệt"
    )


def running_blobs(folder: Path, id_length: int) -> dict[str, str]:
    """`plugins/portal/...` → git blob id of every file of the running package."""
    blobs = {}
    for path in folder.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            relative = path.relative_to(folder).as_posix()
            blobs[f"{PACKAGE}/{relative}"] = blob_id(path.read_bytes(), id_length)
    return blobs


def blob_id(data: bytes, id_length: int) -> str:
    """The id git gives these bytes as a blob (SHA-1, or SHA-256 repositories)."""
    algorithm = hashlib.sha1 if id_length == 40 else hashlib.sha256
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest()
