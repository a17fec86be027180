"""Compiled templates kept between builds: Jinja's bytecode cache, in CACHE_PATH.

Each build's generators parse and compile every template they load (about 0.1 s of a
one-item rebuild's CPU with the portal's theme). Jinja's bytecode cache keeps each
template's compiled code with a checksum of its source and compiles it again when the
source changed. It does not check how the environment compiles (autoescaping,
extensions, the syntax settings, Jinja's version): the reading fingerprint covers those
(the portal's code, every setting, the libraries' versions), so the code compiled under
one fingerprint is kept in a folder of its own, and the folders of the others go.
"""

import shutil
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

TEMPLATES_FOLDER = "portal-templates"


def opened(cache_path: Path, fingerprint: str) -> FileSystemBytecodeCache:
    """The compiled templates of this fingerprint, in `cache_path`/portal-templates/."""
    root = Path(cache_path) / TEMPLATES_FOLDER
    folder = root / fingerprint
    if root.is_dir():
        for other in root.iterdir():
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))
