"""The /admin/ folder of the built site: the admin page, config.yml, the desk's own
script and the vendored Decap bundle (checked against its manifest)."""

import json
from html import escape
from importlib import resources
from pathlib import Path

from portal.desk import bundle, config
from portal.errors import PortalError
from portal.files import write_atomically

ADMIN_DIR = "admin"
BUNDLE_DIR = "decap-cms"
PORTAL_STYLESHEET = "../theme/css/portal.css"


def content_security_policy(desk_config: dict) -> str:
    """The admin page's own policy: everything from the site, calls only to the forge.

    Decap injects its styles at run time (CSS-in-JS), hence 'unsafe-inline' for styles
    only; it checks config.yml with Ajv, which compiles its checks with `new Function`,
    hence 'unsafe-eval' (scripts still come only from the site: an attacker needs a
    script already running to use it); its editor loads WebAssembly. This page only:
    the portal's pages keep their own stricter policy."""
    connect = " ".join(["'self'", *config.connect_origins(desk_config)])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            f"connect-src {connect} blob:",
            "frame-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
        ]
    )


def admin_page(desk_config: dict) -> str:
    template = (resources.files("portal.desk") / "static" / "admin.html").read_text("utf-8")
    return template.replace("{{ csp }}", escape(content_security_policy(desk_config)))


def previews(desk_config: dict) -> dict:
    """What desk.js needs: the item collections that get the portal's preview."""
    items = [c["name"] for c in desk_config["collections"] if _is_item(c)]
    return {"items": items, "stylesheet": PORTAL_STYLESHEET}


def _is_item(collection: dict) -> bool:
    return any(f["name"] == "body" for f in collection.get("fields", []))


def admin_files(desk_config: dict) -> dict[str, bytes]:
    """Relative path under admin/ → bytes, for the whole desk."""
    static = resources.files("portal.desk") / "static"
    files = {
        "index.html": admin_page(desk_config).encode("utf-8"),
        "config.yml": config.to_yaml(desk_config).encode("utf-8"),
        "desk.json": (json.dumps(previews(desk_config), ensure_ascii=False) + "\n").encode(),
        "desk.js": (static / "desk.js").read_bytes(),
    }
    for name, path in bundle.verified_files().items():
        files[f"{BUNDLE_DIR}/{name}"] = path.read_bytes()
    return files


def _refuse_links(output: Path, target: Path) -> None:
    """Never write through a symbolic link planted in the output (file or folder)."""
    path = target
    while path != output and path != path.parent:
        if path.is_symlink():
            raise PortalError(f"{path}: là liên kết tượng trưng (symlink), không ghi qua nó")
        path = path.parent


def write_admin(output: Path, desk_config: dict) -> list[str]:
    """Write admin/ under `output`; files already identical are left alone. Returns
    the paths written, relative to `output`."""
    written = []
    for name, data in admin_files(desk_config).items():
        target = Path(output) / ADMIN_DIR / name
        _refuse_links(Path(output), target)
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data, durable=False)
        written.append(f"{ADMIN_DIR}/{name}")
    return written
