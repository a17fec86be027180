"""The build writes the desk into the site: output/admin/ (page, config.yml, bundle).

Settings (pelicanconf.py, all optional): `PORTAL_DESK` (default True; False leaves the
desk out), `PORTAL_DESK_SETTINGS` (default desk.yml beside the content folder). A site
without desk.yml has no desk; an invalid desk.yml or bundle stops the build.
"""

import logging
from pathlib import Path

from pelican import signals

from portal.desk import admin, config
from portal.errors import PortalError

logger = logging.getLogger(__name__)


def settings_path(settings: dict) -> Path:
    root = Path(settings["PATH"]).resolve().parent
    return Path(settings.get("PORTAL_DESK_SETTINGS") or root / config.SETTINGS_PATH)


def write_desk(pelican) -> None:
    settings = pelican.settings
    if not settings.get("PORTAL_DESK", True):
        return
    path = settings_path(settings)
    if not path.is_file():
        logger.info("Không có %s: bỏ qua bàn biên tập /admin/", path)
        return
    root = Path(settings["PATH"]).resolve().parent
    try:
        desk_config = config.build_config(root, config.load_settings(root, path))
        written = admin.write_admin(Path(pelican.output_path), desk_config)
    except PortalError as error:
        logger.error("Bàn biên tập /admin/: %s", error)
        return
    logger.info("Bàn biên tập /admin/: %d tệp được ghi", len(written))


def register() -> None:
    signals.finalized.connect(write_desk)
