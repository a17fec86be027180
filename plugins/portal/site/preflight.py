"""Before the build reads anything: refuse what it must not read or copy, and make sure
it can write what it will write.

The content tree (`portal.content.tree`: links, file types, uploads, unreadable items)
and the theme (links) are checked as `portal check` checks them; the output and cache
folders must be folders the build can write to. Any problem stops the build with a
Vietnamese message naming the path and what to do, before a single file is written.
"""

import os
import tempfile
from pathlib import Path

from portal.content import tree, uploads
from portal.errors import Problem, display_path
from portal.project import CACHE


def problems(settings, content: tree.Tree | None = None) -> list[Problem]:
    """The errors that stop the build; `content` is the content folder's scan, if made."""
    found = static_path_problems(settings)
    found += (content or tree.scan(settings["PATH"])).problems
    found += tree.link_problems(Path(settings["THEME"]))
    found += writable_folder(Path(settings["OUTPUT_PATH"]), "thư mục kết quả (output)")
    found += writable_folder(Path(settings.get("CACHE_PATH", CACHE)), "bộ nhớ đệm (cache)")
    return [p for p in found if p.is_error]


def static_path_problems(settings) -> list[Problem]:
    """Pelican copies STATIC_PATHS as they are: only the folders whose uploads are checked."""
    extra = sorted(set(settings.get("STATIC_PATHS", [])) - set(uploads.UPLOAD_DIRS))
    return [
        Problem(
            "pelicanconf.py",
            0,
            "STATIC_PATHS",
            f"thư mục '{name}' được chép nguyên vào Cổng mà không được kiểm tra; chỉ dùng "
            f"{', '.join(uploads.UPLOAD_DIRS)}",
        )
        for name in extra
    ]


def writable_folder(path: Path, what: str) -> list[Problem]:
    """`path` is (or can be made) a folder the build can create files in."""
    shown = display_path(path)
    if path.is_symlink() and not path.is_dir():
        return [Problem(shown, 0, "", f"{what} là liên kết hỏng; xóa liên kết rồi dựng lại")]
    if path.exists() and not path.is_dir():
        return [
            Problem(
                shown,
                0,
                "",
                f"{what} là một tệp, không phải thư mục; xóa hoặc đổi tên tệp này rồi dựng lại",
            )
        ]
    folder = path.absolute()
    while not folder.exists():  # the build creates it: its nearest existing parent must allow
        folder = folder.parent
    try:
        handle, probe = tempfile.mkstemp(prefix=".portal-probe-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        return [
            Problem(
                shown,
                0,
                "",
                f"không ghi được vào {what} ({error.strerror}); cấp quyền ghi cho thư mục "
                "(chmod u+w), giải phóng chỗ trên đĩa hoặc chọn thư mục khác",
            )
        ]
    return []
