"""Pelican's door to the portal (`PLUGINS = ["portal.pelican"]` in pelicanconf.py).

The site adapter reads, checks and writes the portal; the royalty page is an internal
page, off unless PORTAL_ROYALTY_PAGE = True; the desk writes /admin/ after the site's
own finalizer, which removes files the build did not write.
"""

from portal.desk import pelican as desk
from portal.royalties import pelican as royalty_page
from portal.site import plugin as site


def register() -> None:
    site.register()
    royalty_page.register()
    desk.register()
