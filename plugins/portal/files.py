"""Writing files so that nothing is ever half-written or lost.

Every command that rewrites a user's file (fix-encoding, review decisions, CODEOWNERS,
royalty statements) and the build's output go through `write_atomically`.
"""

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
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as error:
        _remove(temp)
        raise PortalError(write_failure(path, error)) from None
    except BaseException:  # Ctrl-C or a signal mid-write: leave no temporary file behind
        _remove(temp)
        raise


def _remove(temp: str | None) -> None:
    if temp is not None:
        Path(temp).unlink(missing_ok=True)
