"""The stored corpus is what the builder makes from the sources with our encoders."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import build_corpus  # noqa: E402


def test_stored_corpus_is_up_to_date():
    for name, content in build_corpus.build().items():
        stored = (build_corpus.CORPUS / name).read_text(encoding="utf-8")
        assert stored == content, f"run tests/vntext/build_corpus.py to refresh {name}"


def test_corpus_covers_every_form(corpus_blocks):
    labels = {row["label"] for row in corpus_blocks}
    assert labels == {"unicode-ok", "nfd", "tcvn3", "vni", "viqr", "cp1258", "utf8-as-cp1252"}
    langs = {row["lang"] for row in corpus_blocks}
    assert {"vi", "vi-mixed", "vi-inline", "en", "fr", "es", "pt", "de", "pl", "cs"} <= langs
    assert any("\u2212" in row["text"] for row in corpus_blocks)  # TCVN3 out of a PDF


def test_tcvn3_expected_loses_only_what_abc_cannot_write():
    assert build_corpus.tcvn3_expected("Ủy ban. Theo Ủy ban, CỘNG HÒA") == (
        "Ủy ban. Theo ủy ban, CỘNG HÒA"
    )
