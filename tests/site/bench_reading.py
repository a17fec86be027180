"""Benchmark (not a test): what a cold read costs an item, step by step.

    cd CORPUS && PYTHONPATH=$PWD/plugins:WORKTREE WORKTREE/.venv/bin/python \
        -m tests.site.bench_reading .

CORPUS is a copy of a benchmark corpus (`content/`, `pelicanconf.py`, `theme/`,
`reviews/`) whose `plugins` links to the code to measure (this branch's or another's:
the steps are found by name). Runs `prefetch`'s work (`load_item`, then `entry_for`)
over every item in this one process and prints each step's CPU time
(`time.process_time()`) in ms an item; an indented step is also counted in the step
above it.
"""

import functools
import sys
import time
from collections import Counter
from pathlib import Path

from pelican.settings import read_settings

from portal import checks, yamlfile
from portal.content import items
from portal.site import plugin, readcache, sanitize

try:
    from portal.site import markdown_engine
except ImportError:  # code from before the compiled engine
    markdown_engine = None

SPENT: Counter = Counter()


def measured(function, label: str):
    @functools.wraps(function)
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - start

    return run


def patch(owner, name: str, label: str) -> None:
    setattr(owner, name, measured(getattr(owner, name), label))


class _TimedConverter:
    def __init__(self, converter):
        self.convert = measured(converter.convert, "  Python-Markdown")


def main(corpus: Path) -> None:
    settings = read_settings(str(corpus / "pelicanconf.py"))
    patch(items, "_text_problems", "  Vietnamese text checks")
    patch(yamlfile, "parse", "  YAML front matter")
    patch(items, "_schema_problems", "  content schema")
    patch(sanitize, "unsafe_markup", "sanitiser warning scan")
    patch(sanitize, "clean", "nh3 sanitiser")
    patch(plugin.PortalReader, "metadata_for", "Pelican metadata")
    if markdown_engine is not None:
        patch(markdown_engine, "to_html", "Markdown to HTML (guard, engine)")
    converter = plugin.PortalReader.markdown
    plugin.PortalReader.markdown = lambda reader: _TimedConverter(converter(reader))
    rules = [measured(rule, f"  rule {rule.__name__}") for rule in checks.ITEM_RULES]

    build = plugin.Build.of(settings)
    site = build.site_data(settings)
    reader = plugin.PortalReader(settings)
    sources = [Path(path) for path in build.content_tree(settings).items]
    started = time.process_time()
    for source in sources:
        start = time.process_time()
        data = source.read_bytes()
        digest = readcache.raw_digest(data)
        SPENT["reading the file, its digest"] += time.process_time() - start
        start = time.process_time()
        item = items.load_item(source, site, raw=data, rules=rules)
        SPENT["load_item (the steps indented below)"] += time.process_time() - start
        if item.ok:
            reader.entry_for(item, digest)
    whole = time.process_time() - started
    print(f"{len(sources)} items: {1000 * whole / len(sources):.3f} ms an item")
    for label, seconds in sorted(SPENT.items(), key=lambda pair: -pair[1]):
        print(f"{label:45s} {1000 * seconds / len(sources):7.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
