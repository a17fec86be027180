"""The inputs named on the command line: .docx files, .eml messages, Maildir and mbox folders.

Nothing is followed through a symbolic link, and sizes are checked before reading.
Each input yields (shown name, kind, bytes) or an IntakeError that names it.
"""

import mailbox
from collections.abc import Iterator
from pathlib import Path

from portal.errors import display_path
from portal.intake.limits import MAX_ATTACHMENT, MAX_MESSAGE, IntakeError, size

DOCUMENT, MESSAGE = "document", "message"
DOCUMENT_SUFFIXES = {".docx", ".doc", ".docm", ".dotx", ".rtf", ".odt"}


def _read(path: Path, limit: int) -> bytes:
    shown = display_path(path)
    if path.is_symlink():
        raise IntakeError(shown, "là liên kết tượng trưng (symlink): không đọc, hãy chỉ tệp thật")
    try:
        length = path.stat().st_size
        if length > limit:
            raise IntakeError(shown, f"tệp lớn {size(length)}, vượt giới hạn {size(limit)}")
        return path.read_bytes()
    except OSError as error:
        raise IntakeError(shown, f"không đọc được tệp: {error.strerror}") from None


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() and not (path / sub).is_symlink() for sub in ("cur", "new"))


def _is_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def _maildir(path: Path) -> Iterator:
    """Every message file in new/ and cur/ (the Maildir layout), oldest name first."""
    for folder in ("new", "cur"):
        for file in sorted((path / folder).iterdir()):
            if file.name.startswith("."):
                continue
            shown = display_path(file)
            if file.is_symlink() or not file.is_file():
                yield IntakeError(shown, "không phải tệp thư thường (symlink?): bỏ qua")
                continue
            try:
                yield shown, MESSAGE, _read(file, MAX_MESSAGE)
            except IntakeError as error:
                yield error


def _mbox(path: Path) -> Iterator:
    box = mailbox.mbox(path, factory=None, create=False)
    for number, key in enumerate(box.keys(), start=1):
        shown = f"{display_path(path)}#{number}"
        data = box.get_bytes(key, from_=False)
        if len(data) > MAX_MESSAGE:
            yield IntakeError(
                shown, f"thư lớn {size(len(data))}, vượt giới hạn {size(MAX_MESSAGE)}"
            )
        else:
            yield shown, MESSAGE, data


MAX_MBOX = 50 * MAX_MESSAGE


def inputs(paths: list[Path]) -> Iterator:
    """(shown, kind, bytes) per input, or an IntakeError in its place."""
    for path in paths:
        shown = display_path(path)
        if path.is_symlink():
            yield IntakeError(shown, "là liên kết tượng trưng (symlink): không đọc")
        elif path.is_dir():
            if _is_maildir(path):
                yield from _maildir(path)
            else:
                yield IntakeError(shown, "thư mục không phải Maildir (cần có cur/ và new/)")
        elif not path.exists():
            yield IntakeError(shown, "không có tệp này")
        else:
            yield from _file(path)


def _file(path: Path) -> Iterator:
    shown = display_path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in DOCUMENT_SUFFIXES:
            yield shown, DOCUMENT, _read(path, MAX_ATTACHMENT)
        elif suffix == ".eml":
            yield shown, MESSAGE, _read(path, MAX_MESSAGE)
        elif _is_mbox(path):
            if path.stat().st_size > MAX_MBOX:
                raise IntakeError(shown, f"tệp mbox lớn hơn {size(MAX_MBOX)}: hãy chia nhỏ")
            yield from _mbox(path)
        else:
            raise IntakeError(
                shown,
                "không nhận dạng được: cần tệp .docx, thư .eml, thư mục Maildir hoặc tệp mbox",
            )
    except IntakeError as error:
        yield error
