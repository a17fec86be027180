"""Cổng TTĐT Sở Nội vụ Hà Tĩnh: the regulation (Quy chế 27/QĐ-SNV) made executable.

Modules, one per concern: `content` (schema and checks), `vntext` (Vietnamese
text), `review` (the editorial chain), `royalties`, `reports`, `site` (Pelican),
`desk` (the editorial desk in the browser, Decap CMS at /admin/).
Pelican loads this package as a plugin: `register()` is its entry point.
"""


def register():
    from portal.desk import pelican as desk
    from portal.royalties import pelican as royalty_page
    from portal.site import plugin

    plugin.register()
    royalty_page.register()  # an internal page, off unless PORTAL_ROYALTY_PAGE = True
    desk.register()  # after the site's own finalizer, which removes files it did not write
