"""What the build may read and copy from content/ (and theme/): the folder tree itself.

Walked once, never following a link. Refused, each with a `path: message` in Vietnamese:
- any symbolic link (file or folder, dangling or not): the build would publish its target,
  which may be any file of the server (`ln -s /etc/passwd content/images/x.svg`);
- anything that is not a regular file or folder (a FIFO, a device), a folder named `x.md`;
- outside data/, images/ and files/: any file but a `.md` item (Pelican's other readers
  would publish `.html`, `.rst` or `.markdown` files that no rule checks);
- in data/: anything but `.yml`;
- in images/ and files/: any type the portal does not publish (uploads.py), any file whose
  content is not what its extension says, any SVG that could run script;
- an item or upload that cannot be read.
Hidden names (`.git`, `.gitkeep`, an editor's or fix-encoding's temporary file) are
skipped here as Pelican's IGNORE_FILES skips them: they are neither read nor published.
"""

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from portal.content import uploads
from portal.errors import Problem, display_path
from portal.project import DATA, DATA_SUFFIX, ITEM_SUFFIX

MAX_ITEM_BYTES = 5_000_000  # a long legal text is well below; more is a mistake or an attack


@dataclass
class Tree:
    root: Path
    items: list = field(default_factory=list)  # absolute paths of the `.md` items
    problems: list = field(default_factory=list)


def scan(content_root: Path) -> Tree:
    """Walk content/ without following links: its items and what it must refuse."""
    root = Path(os.path.abspath(content_root))
    tree = Tree(root=root)
    if root.is_symlink():  # content/ itself a link: everything read would be elsewhere
        tree.problems.append(_problem(root, _link_message(root)))
        return tree
    base = str(root)
    for folder, name, info in _entries(root, tree.problems):
        # Strings, not Paths, for the 10,000 entries of a large site (a third of the
        # walk's time went to pathlib). Hidden names are skipped, so `name` has a stem:
        # it ends with a suffix exactly when that is its Path's suffix.
        at_root = folder == base
        top = name if at_root else folder[len(base) + 1 :].split(os.sep, 1)[0]
        path = os.path.join(folder, name)
        if stat.S_ISDIR(info.st_mode):
            if name.endswith(ITEM_SUFFIX) and top not in uploads.UPLOAD_DIRS:
                tree.problems.append(_problem(path, _DIR_NAMED_ITEM))
            continue
        if top in uploads.UPLOAD_DIRS and not at_root:
            found = uploads.upload_problems(Path(path), top)
            tree.problems += [_problem(path, m) for m in found]
        elif top == DATA and not at_root:
            if not name.endswith(DATA_SUFFIX):
                tree.problems.append(_problem(path, _NOT_DATA))
        elif not name.endswith(ITEM_SUFFIX):
            tree.problems.append(_problem(path, _not_item(Path(path))))
        elif info.st_size > MAX_ITEM_BYTES:
            tree.problems.append(_problem(path, _TOO_LARGE))
        elif _readable(path, tree.problems):
            tree.items.append(Path(path))
    tree.items.sort()
    return tree


def link_problems(folder: Path) -> list[Problem]:
    """Symbolic links (and special files) anywhere below `folder`: for the theme."""
    folder = Path(os.path.abspath(folder))
    if folder.is_symlink():
        return [_problem(folder, _link_message(folder))]
    problems: list[Problem] = []
    for _entry in _entries(folder, problems):
        pass  # only the problems are wanted
    return problems


def _entries(root: Path, problems: list):
    """(folder, name, lstat) of every regular file and folder below `root`, hidden names
    skipped; links and special files become problems instead."""
    for folder, dirs, files in os.walk(root, onerror=lambda e: problems.append(_walk_error(e))):
        for name in sorted(dirs + files):
            if name.startswith("."):
                if name in dirs:
                    dirs.remove(name)
                continue
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError as error:
                problems.append(_problem(path, f"không đọc được: {error.strerror}"))
                continue
            if stat.S_ISLNK(info.st_mode):
                problems.append(_problem(path, _link_message(path)))
                if name in dirs:
                    dirs.remove(name)  # os.walk does not enter it anyway; be explicit
            elif not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
                problems.append(_problem(path, _SPECIAL))
            else:
                yield folder, name, info


def _readable(path: str, problems: list) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError as error:
        problems.append(
            _problem(path, f"không đọc được tệp ({error.strerror}); kiểm tra quyền đọc của tệp")
        )
        return False


def _problem(path: Path | str, message: str) -> Problem:
    return Problem.about(message, display_path(Path(path)))


def _walk_error(error: OSError) -> Problem:
    return _problem(Path(error.filename or ""), f"không đọc được thư mục: {error.strerror}")


def _link_message(path: Path | str) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return (
        f"là liên kết tượng trưng (symlink) tới '{target}': Cổng không đọc, không đăng liên kết "
        "(có thể lộ tệp ngoài kho); hãy chép chính tệp vào đây thay cho liên kết"
    )


def _not_item(path: Path) -> str:
    kind = path.suffix or "không có đuôi"
    return (
        f"loại tệp '{kind}' không được dùng ngoài content/images/ và content/files/: mỗi tin "
        "bài là một tệp .md (Markdown có phần đầu YAML); đổi tên thành .md hoặc chuyển tệp đính "
        "kèm vào content/files/"
    )


_DIR_NAMED_ITEM = "là thư mục nhưng tên có đuôi .md; đổi tên thư mục (bỏ đuôi .md)"
_TOO_LARGE = (
    f"tệp quá lớn (trên {MAX_ITEM_BYTES // 1_000_000} MB) cho một tin bài; "
    "tách thành nhiều bài hoặc đưa văn bản dài vào content/files/ (PDF)"
)
_NOT_DATA = "thư mục content/data/ chỉ chứa tệp dữ liệu .yml"
_SPECIAL = "không phải tệp thường (FIFO, thiết bị...): Cổng không đọc; hãy xóa"
