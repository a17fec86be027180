"""Settings for publishing the portal (`make publish`): absolute URLs, feeds, no relative links."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://sonoivu.hatinh.gov.vn")
FEED_DOMAIN = SITEURL
PUBLIC_URL = SITEURL
RELATIVE_URLS = False
# The build removes the files it no longer produces itself, so the output folder is kept
# and unchanged pages are not written again (docs/performance.md).
DELETE_OUTPUT_DIRECTORY = False
