import pytest

from portal.vntext.legacy import tcvn3_mojibake
from portal.vntext.syllable import is_acronym, is_syllable, vietnamese_score


@pytest.mark.parametrize(
    "word", ["Sở", "nghiêng", "quyết", "gì", "giữa", "khuỷu", "người", "ĐỊNH", "Tháp", "ấy"]
)
def test_vietnamese_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["Néi", "hOa", "information", "Thàp", "â", "Đ", "wifi", "ka"])
def test_not_syllables(word):
    assert not is_syllable(word)


def test_acronyms():
    assert is_acronym("UBND") and is_acronym("QĐ") and not is_acronym("Sở")


def test_vietnamese_score_rises_with_a_repair_and_falls_with_damage():
    good = "Sở Nội vụ tỉnh Hà Tĩnh"
    assert vietnamese_score(good) == 6
    assert vietnamese_score(tcvn3_mojibake(good)) < vietnamese_score(good)
    assert vietnamese_score("LâÌn cuôìi") == -2
    assert vietnamese_score("Recode missing values") == 0  # ASCII words weigh nothing
