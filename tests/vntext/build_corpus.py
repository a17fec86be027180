"""Build the labelled corpus from the Unicode sources with our own encoders.

    .venv/bin/python tests/vntext/build_corpus.py      # rewrites corpus/*.jsonl

Each Vietnamese source yields seven blocks (correct, NFD, TCVN3, VNI, VIQR, Windows-1258,
UTF-8 read as Windows-1252), every third one a TCVN3 block as PDF text extraction leaves it
(U+2212 for ư), every second one a Windows-1258 block with every tone mark separate and
every fourth one a VIQR block written with `d-` for đ. Windows-1258 bytes come from
Python's own cp1258 codec, not from the converter under test. `sources_mixed.txt` (notes
with English terms, loanwords) gives the same legacy forms. Other-language sources are
correct text that must stay as it is. Documents mix encodings paragraph by paragraph.
"""

import functools
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

from portal.vntext.legacy import (
    cp1252_decode,
    encode_viqr,
    encode_vni,
    tcvn3_mojibake,
    utf8_mojibake,
)

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


def cp1258_bytes(text: str, precomposed: bool = True) -> bytes | None:
    """Windows-1258 bytes by Python's codec (the oracle): a letter the code page holds is one
    byte when `precomposed` (as Windows writes it), else its base letter and modifier,
    then the tone as a combining mark. None when some character has no Windows-1258 form."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)  # ộ is o, dot below, circumflex
        tone = "".join(mark for mark in parts if mark in _TONES)
        try:
            if precomposed or not tone:
                out += ch.encode("cp1258")
                continue
        except UnicodeEncodeError:
            pass
        try:
            toneless = "".join(mark for mark in parts if mark not in _TONES)
            out += unicodedata.normalize("NFC", toneless).encode("cp1258")
            out += tone.encode("cp1258")
        except UnicodeEncodeError:
            return None
    return bytes(out)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_mojibake(text: str, precomposed: bool = True) -> str | None:
    """A Windows-1258 file as the tools see it: its bytes read as Windows-1252."""
    data = cp1258_bytes(text, precomposed)
    return None if data is None else cp1252_decode(data)


def viqr_dash(text: str) -> str:
    """VIQR as newsgroups wrote it: `d-` for đ."""
    return encode_viqr(text).replace("dd", "d-").replace("DD", "D-")


def make_block(
    label: str, text: str, expected: str, source: int, lang: str = "vi", form: str = ""
) -> dict:
    return {
        "id": f"{lang}-{source:03d}-{form or label}",
        "label": label,
        "lang": lang,
        "words": words(expected),
        "text": text,
        "expected": expected,
    }


def vietnamese_blocks(sources: list[str], lang: str = "vi") -> list[dict]:
    blocks, block = [], functools.partial(make_block, lang=lang)
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
        if n % 4 == 0 and "đ" in source.lower():
            blocks.append(block("viqr", viqr_dash(source), source, n, form="viqr-dash"))
        blocks.append(block("utf8-as-cp1252", utf8_mojibake(source), source, n))
        blocks.append(block("cp1258", cp1258_mojibake(source), source, n))
        if n % 2 == 0:
            separate = cp1258_mojibake(source, precomposed=False)
            blocks.append(block("cp1258", separate, source, n, form="cp1258-tones"))
    # A legacy form identical to the text (Windows-1258 `Thông báo`) is correct text, not a case.
    return [
        b
        for b in blocks
        if b["text"] is not None and (b["label"] == "unicode-ok" or b["text"] != b["expected"])
    ]


# Legacy forms of a sentence pasted after a Unicode one, on the same line.
_PASTED = {
    "tcvn3": (tcvn3_mojibake, tcvn3_expected),
    "vni": (encode_vni, lambda text: text),
    "cp1258": (cp1258_mojibake, lambda text: text),
}


def pasted_blocks(sources: list[str]) -> list[dict]:
    """A Unicode sentence, then a legacy one pasted on the same line (`lang` vi-inline)."""
    blocks = []
    pairs = [(a, b) for a, b in zip(sources, sources[1:], strict=False) if not b.isascii()]
    for n, (unicode_part, pasted) in enumerate(pairs[::3]):
        label = list(_PASTED)[n % len(_PASTED)]
        encode, expected = _PASTED[label]
        text = f"{unicode_part} {encode(pasted)}"
        if encode(pasted) is None:
            continue
        blocks.append(make_block(label, text, f"{unicode_part} {expected(pasted)}", n, "vi-inline"))
    return blocks


def other_blocks(lines: list[str]) -> list[dict]:
    blocks = []
    for n, line in enumerate(lines):
        lang, text = line.split("\t", 1)
        blocks.append(make_block("unicode-ok", text, text, n, lang=lang))
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
    blocks += vietnamese_blocks(read_sources("sources_mixed.txt"), lang="vi-mixed")
    blocks += pasted_blocks(read_sources("sources_vi.txt"))
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
