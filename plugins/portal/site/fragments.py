"""Parts of a page rendered once per build and reused: `{% fragment key… %}…{% endfragment %}`.

Most of a page's markup does not depend on the page: the header and its section menu,
the footer, an item's summary in a listing. A template marks such a part with the values
it depends on as the key:

    {% fragment page_lang, SITEURL, active_section %} …the menu… {% endfragment %}

The first page with a given key renders the body; the next ones reuse its HTML. The key
must name every per-page value the body reads (template variables, `SITEURL`, which
differs with the page's depth, the item shown); values that are the same for every page
of a build (settings, data files) need not be in it.

What the body read while it was first rendered (`tracking.py`'s access paths: `SECTIONS`,
`UNITS["so-noi-vu"]`…) is recorded again on every page that reuses it, so an incremental
build sees the same dependencies as if the body had been rendered on each page.

The cache lives on the extension, one per Jinja environment: Pelican makes new
environments for each build, so nothing outlives a build (nor `make devserver`'s rebuilds).
"""

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.runtime import Undefined

from portal.site.tracking import TRACKER, Recorder

_PLAIN = (str, int, float, bool, type(None))
_UNDEFINED = ("<undefined>",)


class FragmentCache(Extension):
    """The `fragment` tag: its body's HTML, and what the body read, by key."""

    tags = {"fragment"}

    def __init__(self, environment):
        super().__init__(environment)
        self.fragments: dict[tuple, tuple] = {}  # key → (HTML, paths, complete, values kept)
        self.hits = 0

    def parse(self, parser):
        token = next(parser.stream)
        where = nodes.Const(f"{parser.name}:{token.lineno}")  # one body per tag
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements(("name:endfragment",), drop_needle=True)
        call = self.call_method("_render", [where, nodes.List(parts), nodes.ContextReference()])
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

    def _render(self, where: str, parts: list, context, caller):
        key = (where, *map(_key_part, parts))
        tracker = context.parent.get(TRACKER)
        known = self.fragments.get(key)
        if known is None:
            known = self.fragments[key] = (*_recorded(caller, tracker), parts)
        else:
            self.hits += 1
        html, paths, complete = known[:3]
        if tracker is not None and tracker.current is not None:
            for path in paths:
                tracker.current.add(path)
            tracker.current.complete &= complete
        return html


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
    """A hashable stand-in for a key value: plain values as they are, an undefined name
    as one marker, any other object by identity (the entry keeps the object alive, so
    its id is not reused during the build)."""
    if isinstance(value, Undefined):
        return _UNDEFINED
    if isinstance(value, _PLAIN):
        return (type(value).__name__, value)
    return ("id", id(value))
