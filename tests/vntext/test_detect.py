"""The detector on the labelled corpus (the targets) and on hand-picked hard cases."""

import pytest

from portal.vntext.detect import detect_block
from portal.vntext.legacy import encode_vni, tcvn3_mojibake
from portal.vntext.report import LONG_BLOCK_WORDS, PASTED, evaluate, evaluate_words


def test_no_false_conversion_anywhere_in_the_corpus(corpus_blocks):
    assert len(corpus_blocks) >= 300
    whole = [b for b in corpus_blocks if b["lang"] != PASTED]
    pasted = [b for b in corpus_blocks if b["lang"] == PASTED]
    assert len(pasted) >= 30 and evaluate_words(pasted).wrong == 0
    evaluation = evaluate(whole)
    assert [row["id"] for row in evaluation.false_conversions] == []
    for encoding, tally in evaluation.tallies.items():
        assert tally.precision == 1.0 or encoding == "ambiguous", encoding


def test_recall_on_blocks_of_five_words_or_more(corpus_blocks):
    long_blocks = [
        b for b in corpus_blocks if b["words"] >= LONG_BLOCK_WORDS and b["lang"] != PASTED
    ]
    evaluation = evaluate(long_blocks)
    for encoding, tally in evaluation.tallies.items():
        if tally.labelled:
            assert tally.recall >= 0.98, (encoding, [m["id"] for m in evaluation.misses])


def test_foreign_text_is_never_touched(corpus_blocks):
    foreign = [b for b in corpus_blocks if not b["lang"].startswith("vi")]
    assert {b["lang"] for b in foreign} >= {"en", "fr", "es", "de", "pt", "pl", "cs"}
    for row in foreign:
        result = detect_block(row["text"])
        assert result.fixed == row["text"], row["id"]
        assert result.encoding in ("unicode-ok", "ambiguous"), row["id"]


@pytest.mark.parametrize(
    "text",
    ["Où ? Où ?", "El niño está aquí.", "Größe über München", "I'm here. I'm fine.", "Bà Bá Ba"],
)
def test_short_foreign_or_latin1_text_is_left_alone(text):
    assert detect_block(text).fixed == text


def test_precomposed_vietnamese_is_never_converted():
    text = "Sở Nội vụ có vài chữ giống mã cũ: Hµ và töùc"
    result = detect_block(text)
    assert result.fixed == text and result.encoding == "unicode-ok"


def test_short_fragment_is_reported_not_converted():
    result = detect_block(encode_vni("Tin tức"))
    assert result.encoding == "ambiguous"
    assert result.fixed == encode_vni("Tin tức")
    assert [f.kind for f in result.findings] == ["ambiguous"]
    assert not result.findings[0].fixed


def test_short_fragment_is_converted_when_the_file_says_so():
    result = detect_block(encode_vni("Tin tức"), prefer="vni")
    assert (result.encoding, result.fixed) == ("vni", "Tin tức")


def test_anchor_phrase_is_enough_for_a_heading():
    result = detect_block(tcvn3_mojibake("Độc lập - Tự do - Hạnh phúc"))
    assert (result.encoding, result.fixed) == ("tcvn3", "Độc lập - Tự do - Hạnh phúc")
    assert result.confidence >= 0.8


def test_urls_and_code_are_not_converted():
    text = encode_vni("Xem văn bản tại trang của Sở Nội vụ") + " https://x.vn/a?b=c`d` `a? b.`"
    result = detect_block(text)
    assert result.fixed.endswith(" https://x.vn/a?b=c`d` `a? b.`")
    assert result.fixed.startswith("Xem văn bản tại trang của Sở Nội vụ")


def test_findings_for_nfd_control_zero_width_and_remnants():
    result = detect_block("Tie\u0302\u0301n\u200b ba\u0300i\x07 nhà n\u2212ớc")
    kinds = {f.kind for f in result.findings}
    assert kinds == {"nfd", "control", "zero-width", "tcvn3"}  # n−ớc: the TCVN3 ư of a PDF
    assert result.fixed == "Tiến bài nhà nước"
    assert result.encoding == "nfd"


def test_zero_width_joiner_between_emoji_is_kept():
    text = "Chúc mừng 👩\u200d💻"
    assert detect_block(text).fixed == text
