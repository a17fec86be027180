"""Parts of a page rendered once per build and reused: `{% fragment key… %}…{% endfragment %}`.

Most of a page's markup does not depend on the page: the header and its section menu,
the footer, an item's summary in a listing. A template marks such a part with the values
it depends on as the key:

    {% fragment page_lang, SITEURL, active_section %} …the menu… {% endfragment %}

The first page with a given key renders the body; the next ones reuse its HTML. The key
must name every per-page value the body reads (template variables, `SITEURL`, which
differs with the page's depth, the item shown); values that are the same for every page
of a build (settings, data files) need not be in it.

A value that only changes where the body prints it, such as `SITEURL`, can instead follow
`with`: `{% fragment item with SITEURL %}`. The body is then rendered once with a stand-in
for it, and each page puts its own value, escaped, where the stand-in was. The body must
only print such a value (alone or joined with `~`), never test or filter it.

What the body read while it was first rendered (`tracking.py`'s access paths: `SECTIONS`,
`UNITS["van-phong"]`…) is recorded again on every page that reuses it, so an incremental
build sees the same dependencies as if the body had been rendered on each page.

The cache lives on the extension, one per Jinja environment: Pelican makes new
environments for each build, so nothing outlives a build (nor `make devserver`'s rebuilds).
"""

import functools
import secrets

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.runtime import Undefined
from markupsafe import Markup, escape

from portal.site.tracking import TRACKER, Recorder

_PLAIN = frozenset((str, Markup, int, float, bool, type(None)))
_UNDEFINED = ("<undefined>",)


class FragmentCache(Extension):
    """The `fragment` tag: its body's HTML, and what the body read, by key."""

    tags = {"fragment"}

    def __init__(self, environment):
        super().__init__(environment)
        self.fragments: dict[tuple, tuple] = {}  # key → (HTML, paths, complete, stand-ins, key)
        self.hits = 0

    def parse(self, parser):
        token = next(parser.stream)
        where = nodes.Const(f"{parser.name}:{token.lineno}")  # one body per tag
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        stand_ins = []  # names the body is rendered with stand-ins for (`with SITEURL`)
        if parser.stream.skip_if("name:with"):
            stand_ins.append(parser.parse_assign_target(name_only=True))
            while parser.stream.skip_if("comma"):
                stand_ins.append(parser.parse_assign_target(name_only=True))
        body = parser.parse_statements(("name:endfragment",), drop_needle=True)
        values = [nodes.Name(name.name, "load") for name in stand_ins]
        arguments = [where, nodes.List(parts), nodes.List(values), nodes.ContextReference()]
        call = self.call_method("_render", arguments)
        params = [nodes.Name(name.name, "param") for name in stand_ins]
        return nodes.CallBlock(call, params, [], body).set_lineno(token.lineno)

    def _render(self, where: str, parts: list, values: list, context, caller):
        key = (where, *map(_key_part, parts))
        tracker = context.parent.get(TRACKER)
        known = self.fragments.get(key)
        if known is None:
            stand_ins = [f"\x00{secrets.token_hex(8)}\x00" for _ in values]
            body = functools.partial(caller, *stand_ins)
            known = self.fragments[key] = (*_recorded(body, tracker), stand_ins, parts)
        else:
            self.hits += 1
        html, paths, complete, stand_ins = known[:4]
        page = tracker.current if tracker is not None else None
        if page is not None:
            page.paths.update(paths)  # paths a recorder kept once, so valid
            page.complete = page.complete and complete
        for stand_in, value in zip(stand_ins, values, strict=True):
            html = Markup(str.replace(html, stand_in, escape(value)))
        return html


def forget(environment) -> None:
    """Drop the fragments an environment's pages rendered (once they are written)."""
    for extension in environment.extensions.values():
        if isinstance(extension, FragmentCache):
            extension.fragments.clear()


def _recorded(caller, tracker) -> tuple:
    """The body's HTML, with the access paths it read (in a recorder of its own, whose
    paths are then added to the page's)."""
    page = tracker.current if tracker is not None else None
    if page is None:
        return caller(), (), True
    own = tracker.current = Recorder()
    try:
        html = caller()
    finally:
        tracker.current = page
    return html, tuple(own.paths), own.complete


def _key_part(value):
    """A hashable stand-in for a key value: plain values with their type (True is not 1),
    an undefined name as one marker, any other object by identity (the entry keeps the
    object alive, so its id is not reused during the build)."""
    kind = type(value)
    if kind in _PLAIN:
        return (kind, value)
    if isinstance(value, Undefined):
        return _UNDEFINED
    return (id, id(value))
