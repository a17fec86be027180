"""The benchmark's probe: each phase's peak of summed PSS, split by kind of process."""

import sys

from portal.bench.site import generate, memory_line, timed

COMMAND = r"""
import os, sys, time
time.sleep(0.4)
print("  một: 0.40 s", file=sys.stderr, flush=True)
child = os.fork()
if child == 0:
    block = bytearray(os.urandom(1024)) * (60 * 1024)  # 60 MB of the child's own
    time.sleep(0.6)
    os._exit(0)
os.waitpid(child, 0)
print("  hai: 0.60 s", file=sys.stderr, flush=True)
time.sleep(0.3)
"""


def test_each_phase_has_its_peak_split_into_main_forked_and_pagefind(tmp_path):
    elapsed, peak, stderr, memory = timed([sys.executable, "-c", COMMAND], tmp_path)
    phases = dict(memory)
    assert list(phases) == ["một", "hai", "(end)"]
    total, main, forked, pagefind = phases["hai"]
    assert forked > 50 and pagefind == 0  # the forked child's 60 MB, in its phase only
    assert phases["một"][2] == 0 and phases["(end)"][2] == 0
    assert abs(total - (main + forked + pagefind)) < 0.01
    assert peak >= total and elapsed > 1.2
    assert "  hai: 0.60 s" in stderr
    assert memory_line(memory)[1].startswith(f"hai: {total:.0f} ({main:.0f} + {forked:.0f} + 0)")


def test_the_corpus_carries_its_plugin_compiled_like_an_installed_package(tmp_path):
    # Pelican's own modules come compiled by pip; the corpus's copy of the plugin must
    # not be compiled again by every timed build (PYTHONDONTWRITEBYTECODE on some machines).
    generate(tmp_path, 3)
    sources = list((tmp_path / "plugins" / "portal" / "site").glob("*.py"))
    compiled = {p.name.split(".")[0] for p in (sources[0].parent / "__pycache__").glob("*.pyc")}
    assert sources and {p.stem for p in sources} <= compiled
    assert len(list((tmp_path / "content").rglob("*.md"))) >= 3
