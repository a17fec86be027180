"""The reader converts every item with one Markdown converter, reset between items: the
HTML is the HTML a fresh converter makes, also for what carries state from one
document to the next (footnotes, abbreviations, heading ids)."""

import random
import runpy

from markdown import Markdown

from portal.site.plugin import PortalReader
from portal.yamlfile import split
from tests.conftest import REPO

SETTINGS = runpy.run_path(str(REPO / "pelicanconf.py"))
STATEFUL = [
    "Một[^1] hai[^1]\n\n[^1]: chú thích\n\n*[HĐND]: Hội đồng nhân dân\n\nHĐND họp.\n\n# Tiêu đề\n",
    "HĐND không định nghĩa ở đây.\n\n# Tiêu đề\n\n# Tiêu đề\n\nb[^1]\n\n[^1]: khác\n",
    '| a | b |\n|---|---|\n| 1 | 2 |\n\n<div markdown="1">*x*</div>\n\nThuật ngữ\n:   định nghĩa\n',
]


def test_one_reset_converter_gives_what_a_fresh_one_gives():
    bodies = [split(p.read_text(encoding="utf-8"))[2] for p in (REPO / "content").rglob("*.md")]
    bodies += STATEFUL * 3
    random.Random(15).shuffle(bodies)
    reader = PortalReader(SETTINGS)
    converted = [reader.markdown().convert(body) for body in bodies]
    assert reader.markdown() is reader.markdown()  # one converter for the reader
    assert converted == [Markdown(**SETTINGS["MARKDOWN"]).convert(body) for body in bodies]
    assert any('class="footnote"' in html for html in converted)
    assert any("<abbr" in html for html in converted)
