"""Build the labelled corpus from the Unicode sources with our own encoders.

    .venv/bin/python tests/vntext/build_corpus.py      # rewrites corpus/*.jsonl

Each Vietnamese source yields six blocks (correct, NFD, TCVN3, VNI, VIQR, UTF-8 read as
Windows-1252) and every third one a TCVN3 block as PDF text extraction leaves it (U+2212
for ư). Other-language sources are correct text that must stay as it is. Documents mix
encodings paragraph by paragraph.
"""

import json
import random
import re
import sys
import unicodedata
from pathlib import Path

from portal.vntext.legacy import encode_viqr, encode_vni, tcvn3_mojibake, utf8_mojibake

CORPUS = Path(__file__).parent / "corpus"
_NO_TCVN3_CAPITAL = re.compile(r"[^\W\d_a-zA-ZĂÂÊÔƠƯĐ]")  # toned capitals, upper case
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)$")


def read_sources(name: str) -> list[str]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def words(text: str) -> int:
    return sum(1 for chunk in text.split() if re.search(r"[^\W\d_]", chunk))


def tcvn3_expected(text: str) -> str:
    """What TCVN3 can give back: ABC has no toned capitals, so a capital survives only in an
    all-capital word or at a sentence start (the decoder restores those)."""

    def fix_word(match: re.Match) -> str:
        word = match.group()
        if len(word) >= 2 and word.isupper():
            return word
        at_start = bool(_SENTENCE_START.search(text[: match.start()]))
        chars = [
            ch.lower()
            if _NO_TCVN3_CAPITAL.match(ch) and ch.isupper() and not (i == 0 and at_start)
            else ch
            for i, ch in enumerate(word)
        ]
        return "".join(chars)

    return re.sub(r"[^\W\d_]+", fix_word, text)


def block(label: str, text: str, expected: str, source: int, lang: str = "vi", form: str = ""):
    return {
        "id": f"{lang}-{source:03d}-{form or label}",
        "label": label,
        "lang": lang,
        "words": words(expected),
        "text": text,
        "expected": expected,
    }


def vietnamese_blocks(sources: list[str]) -> list[dict]:
    blocks = []
    for n, source in enumerate(sources):
        blocks.append(block("unicode-ok", source, source, n))
        nfd = unicodedata.normalize("NFD", source)
        if nfd != source:
            blocks.append(block("nfd", nfd, source, n))
        if source.isascii():
            continue
        mojibake = tcvn3_mojibake(source)
        blocks.append(block("tcvn3", mojibake, tcvn3_expected(source), n))
        if n % 3 == 0 and "\u00ad" in mojibake:
            pdf = mojibake.replace("\u00ad", "\u2212")
            blocks.append(block("tcvn3", pdf, tcvn3_expected(source), n, form="tcvn3-pdf"))
        blocks.append(block("vni", encode_vni(source), source, n))
        blocks.append(block("viqr", encode_viqr(source), source, n))
        blocks.append(block("utf8-as-cp1252", utf8_mojibake(source), source, n))
    return blocks


def other_blocks(lines: list[str]) -> list[dict]:
    blocks = []
    for n, line in enumerate(lines):
        lang, text = line.split("\t", 1)
        blocks.append(block("unicode-ok", text, text, n, lang=lang))
    return blocks


def documents(blocks: list[dict], count: int = 16) -> list[dict]:
    """Files of 3-5 paragraphs, each in its own encoding, from blocks of 5 words or more."""
    rng = random.Random(6909)
    long_blocks = [b for b in blocks if b["words"] >= 5 and b["lang"] == "vi"]
    docs = []
    for n in range(count):
        chosen = rng.sample(long_blocks, rng.randint(3, 5))
        docs.append(
            {
                "id": f"doc-{n:02d}",
                "labels": [b["label"] for b in chosen],
                "text": "\n\n".join(b["text"] for b in chosen) + "\n",
                "expected": "\n\n".join(b["expected"] for b in chosen) + "\n",
            }
        )
    return docs


def build() -> dict[str, str]:
    blocks = vietnamese_blocks(read_sources("sources_vi.txt"))
    blocks += other_blocks(read_sources("sources_other.txt"))
    docs = documents(blocks)

    def dump(rows):
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)

    return {"blocks.jsonl": dump(blocks), "documents.jsonl": dump(docs)}


def main() -> int:
    for name, content in build().items():
        (CORPUS / name).write_text(content, encoding="utf-8")
        print(f"{name}: {content.count(chr(10))} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
