"""Fingerprints of what a build's output depends on besides the content files themselves.

A fingerprint is a short hex digest. It must be the same in two processes given the
same inputs (no memory addresses, no set ordering) and must change whenever anything
that can change the output changes: the portal's code and schemas, the settings, the
data files and the roster, the theme, and the versions of the libraries that render.
"""

import hashlib
import importlib.metadata
import re
import sys
from pathlib import Path

import pelican

import portal
from portal.project import Project

PACKAGE = Path(portal.__file__).resolve().parent
LIBRARIES = ("pelican", "Jinja2", "Markdown", "MarkupSafe", "nh3", "pagefind", "pyromark", "PyYAML")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def files_digest(paths) -> str:
    """The names and bytes of `paths` (files), in a stable order."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(p) for p in paths):
        if path.is_file():
            hasher.update(str(path).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def tree_files(folder: Path, pattern: str = "*") -> list[Path]:
    folder = Path(folder)
    ignored = {"__pycache__", ".pytest_cache"}
    return [p for p in folder.rglob(pattern) if p.is_file() and not ignored & set(p.parts)]


def stable_repr(value) -> str:
    """A repr that does not vary between processes: sorted sets and dicts of sets,
    callables by name, object addresses removed."""
    if isinstance(value, dict):
        items = sorted((stable_repr(k), stable_repr(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return type(value).__name__ + "[" + ", ".join(map(stable_repr, value)) + "]"
    if isinstance(value, (set, frozenset)):
        return "set[" + ", ".join(sorted(map(stable_repr, value))) + "]"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<{getattr(value, '__module__', '')}.{value.__qualname__}>"
    return _ADDRESS.sub("", repr(value))


def versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return f"python={sys.version}; " + "; ".join(found)


def code() -> str:
    """The portal package: every module, schema and template (the reader, filters, checks
    and the pages it adds)."""
    files = tree_files(PACKAGE, "*.py") + tree_files(PACKAGE, "*.json")
    return files_digest(files + tree_files(PACKAGE, "*.html"))  # templates shipped as files


def settings_digest(settings) -> str:
    return digest(stable_repr(dict(settings)))


def data(content_root: Path) -> str:
    """The data files the reader validates items against (sections, units, the roster)."""
    project = Project.of_content(content_root)
    policies = project.roster.parent  # the roster, the review policy, the royalty rates
    paths = tree_files(project.data) + sorted(policies.glob("*.yml"))
    return files_digest(paths)


def theme(settings) -> str:
    """The theme's templates and Pelican's own fallback templates."""
    folders = [
        Path(settings["THEME"]) / "templates",
        Path(pelican.__file__).parent / "themes" / "simple" / "templates",
    ]
    folders += [Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    return files_digest(path for folder in folders for path in tree_files(folder))


def of_reading(settings) -> str:
    """Everything besides an item's own bytes that shapes what the reader returns."""
    return digest(versions(), code(), settings_digest(settings), data(Path(settings["PATH"])))


def of_rendering(settings, reading: str) -> str:
    """Everything besides the values a page reads that shapes how it is rendered."""
    return digest(reading, theme(settings))
