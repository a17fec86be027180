"""The vendored Decap CMS bundle: which files, their checksums, and how to update them.

The bundle is kept in the repository (plugins/portal/desk/vendor/decap-cms/) so that
`make html` needs no Node. `make desk-bundle` copies it from node_modules after
`npm ci` (package.json pins the version) and rewrites the manifest; the build and the
tests refuse a file whose SHA-256 differs from the manifest.

    python -m portal.desk.bundle update node_modules/decap-cms   # after `npm ci`
    python -m portal.desk.bundle verify
"""

import hashlib
import json
import re
import sys
from importlib import resources
from pathlib import Path

from portal.errors import PortalError
from portal.files import write_atomically

PACKAGE = "decap-cms"
MANIFEST = "manifest.json"
# The entry script, its lazily loaded chunks, the WebAssembly they load, the licences.
_BUNDLE_FILE = re.compile(r"^(decap-cms\.js|[0-9]+\.decap-cms\.js|[0-9a-f]+\.wasm|.*LICENSE.*)$")


def vendor_dir() -> Path:
    return Path(str(resources.files("portal.desk") / "vendor" / PACKAGE))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(folder: Path | None = None) -> dict:
    folder = folder or vendor_dir()
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PortalError(
            f"{folder / MANIFEST}: không đọc được bảng kê gói Decap: {error}"
        ) from None


def verified_files(folder: Path | None = None) -> dict[str, Path]:
    """Name → path of every bundle file, each checked against the manifest's SHA-256.

    Fails closed: a missing, extra or altered file stops the caller."""
    folder = folder or vendor_dir()
    listed = manifest(folder)["files"]
    present = {p.name for p in folder.iterdir() if p.name != MANIFEST}
    problems = [f"{folder / n}: thiếu tệp (missing)" for n in sorted(set(listed) - present)]
    problems += [
        f"{folder / n}: tệp không có trong {MANIFEST} (unlisted)"
        for n in sorted(present - set(listed))
    ]
    for name in sorted(set(listed) & present):
        path = folder / name
        if path.is_symlink() or not path.is_file():
            problems.append(f"{path}: không phải tệp thường (not a regular file)")
        elif sha256(path) != listed[name]:
            problems.append(f"{path}: sha256 khác với {MANIFEST} (checksum mismatch)")
    if problems:
        raise PortalError("gói Decap CMS không khớp bảng kê:\n" + "\n".join(problems))
    return {name: folder / name for name in sorted(listed)}


def update(package_dir: Path, folder: Path | None = None) -> dict:
    """Copy the bundle from an installed npm package and write the manifest."""
    folder = folder or vendor_dir()
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    dist = package_dir / "dist"
    names = sorted(p.name for p in dist.iterdir() if _BUNDLE_FILE.match(p.name) and p.is_file())
    if "decap-cms.js" not in names:
        raise PortalError(f"{dist}: không có decap-cms.js")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    files = {}
    for name in names:
        data = (dist / name).read_bytes()
        write_atomically(folder / name, data, durable=False)
        files[name] = hashlib.sha256(data).hexdigest()
    result = {"package": PACKAGE, "version": meta["version"], "files": files}
    text = json.dumps(result, indent=2, sort_keys=True) + "\n"
    write_atomically(folder / MANIFEST, text)
    return result


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["update"] and len(argv) == 2:
            result = update(Path(argv[1]))
            print(f"{PACKAGE} {result['version']}: {len(result['files'])} tệp")
        elif argv == ["verify"]:
            files = verified_files()
            print(f"{PACKAGE} {manifest()['version']}: {len(files)} tệp khớp sha256")
        else:
            print("cách dùng: python -m portal.desk.bundle update node_modules/decap-cms | verify")
            return 2
    except PortalError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
