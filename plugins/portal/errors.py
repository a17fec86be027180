"""Problems found in a user's files, and the error a command reports to its user.

Every problem a user can cause is reported as ``path:line: field: message``;
the message is Vietnamese and names the English field. `Problem.about` makes one that
concerns no file line (a submission, a commit).
"""

import errno
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, as `path:line: field: message`.

    A problem about a whole file leaves `line` 0; one about no file (a submission, a
    commit) leaves `path` empty too. Empty parts are not printed.
    """

    path: str
    line: int
    field: str
    message: str
    severity: str = "error"  # "error" fails the check, "warning" only informs

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.path and self.line else self.path
        prefix = "" if self.severity == "error" else "cảnh báo (warning): "
        return ": ".join(part for part in (where, self.field, prefix + self.message) if part)

    @classmethod
    def about(cls, message: str, path: str = "", field: str = "") -> "Problem":
        """A problem on no line: about a whole file (`path`), or about no file at all."""
        return cls(path, 0, field, message)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class PortalError(Exception):
    """An error the user can fix; the CLI prints it without a traceback."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [self.args[0], *(str(p) for p in self.problems)]
        return "\n".join(lines)


def display_path(path: Path, root: Path | None = None) -> str:
    """Path as the user knows it: relative to the working folder when possible."""
    text, cwd = str(path), os.getcwd()
    if root is None and text.startswith(cwd + os.sep):  # the common case, without lstat calls
        return text[len(cwd) + 1 :]
    path = Path(path)
    for base in filter(None, (root, Path.cwd())):
        base = Path(base).resolve()
        for candidate in (path, path.resolve()) if path.is_absolute() else (path.resolve(),):
            try:
                return str(candidate.relative_to(base))
            except ValueError:
                continue
    return str(path)


_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def write_failure(path, error: OSError, action: str = "ghi") -> str:
    """Why `path` could not be written (or read: `action="đọc/ghi"`) and what to do."""
    reason = error.strerror or type(error).__name__
    if error.errno in _FULL:
        hint = "đĩa đầy hoặc tệp vượt giới hạn kích thước: giải phóng chỗ trống rồi chạy lại"
    elif error.errno in _DENIED:
        hint = "không có quyền ghi: cấp quyền ghi (chmod u+w) cho thư mục hoặc chọn thư mục khác"
    elif error.errno in (errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
        hint = "một tệp nằm ở chỗ cần thư mục (hoặc ngược lại): xóa hoặc đổi tên nó"
    else:
        hint = "kiểm tra thư mục và đĩa rồi chạy lại"
    return f"không {action} được {display_path(Path(path))} ({reason}); {hint}"
