"""The site: Pelican adapter (reader, template context, filters) and search."""

import sys
from pathlib import Path

from portal.project import CONFIG, CONTENT

PELICAN = Path(sys.executable).parent / "pelican"


def build_command(*extra: str) -> list[str]:
    """`pelican content -o output` as `make html` runs it (in the project's folder)."""
    return [
        str(PELICAN),
        "--fatal",
        "errors",
        "--log-handler",
        "plain",
        CONTENT,
        "-o",
        "output",
        "-s",
        CONFIG,
        *extra,
    ]
