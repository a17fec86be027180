import pytest

from portal.vntext.syllable import is_acronym, is_syllable


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
