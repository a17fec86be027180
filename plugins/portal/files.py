"""Writing files so that nothing is ever half-written or lost.

Every command that rewrites a user's file (fix-encoding, review decisions, CODEOWNERS,
royalty statements) and the build's output go through `write_atomically`.
"""

import itertools
import os
import tempfile
from pathlib import Path

from portal.errors import PortalError, write_failure

NEW_FILE_MODE = 0o644


def write_atomically(path: Path, data: bytes | str, durable: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`.

    Readers see the old file or the new one, never a mixture. An existing file keeps its
    permissions; a new one is readable by all (the web server serves the output).
    `durable` flushes to disk first: wanted for the user's own files, not for output
    that a build can make again.
    """
    path = Path(path)
    data = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = NEW_FILE_MODE
    temp = None
    try:
        handle, temp = _temporary_beside(path)
        try:
            _write_all(handle, data)
            if durable:
                os.fsync(handle)
            os.fchmod(handle, mode)
        finally:
            os.close(handle)
        os.replace(temp, path)
    except OSError as error:
        _remove(temp)
        raise PortalError(write_failure(path, error)) from None
    except BaseException:  # Ctrl-C or a signal mid-write: leave no temporary file behind
        _remove(temp)
        raise


# A build writes thousands of files: the temporary file is opened with plain `os` calls
# (no buffered file object, no random name, the folder made only when it is missing),
# half the CPU of `tempfile.mkstemp` and `os.fdopen` a file.
_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_written = itertools.count()  # with the process id, a name no other writer uses


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new file, readable only by its owner until renamed: (descriptor, name)."""
    temp = f"{path.parent}/.{path.name}.{os.getpid()}-{next(_written)}.tmp"
    try:
        return os.open(temp, _TEMPORARY_FLAGS, 0o600), temp
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(temp, _TEMPORARY_FLAGS, 0o600), temp
    except FileExistsError:  # left by a process of the same id that was killed
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _remove(temp: str | None) -> None:
    if temp is not None:
        Path(temp).unlink(missing_ok=True)
