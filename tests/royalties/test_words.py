"""Amounts in Vietnamese words (the line under a statement's total)."""

import pytest

from portal.royalties.words import amount_in_words, number_in_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),  # "một" after mười, never "mốt"
        (14, "mười bốn"),  # "bốn" after mười, "tư" only after hai mươi and above
        (15, "mười lăm"),  # lăm after mười
        (20, "hai mươi"),  # mươi, not mười
        (21, "hai mươi mốt"),  # mốt after a tens digit ≥ 2
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (90, "chín mươi"),
        (100, "một trăm"),
        (101, "một trăm linh một"),  # linh before a lone unit
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),  # năm after linh, not lăm
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1_000, "một nghìn"),
        (1_005, "một nghìn không trăm linh năm"),  # later groups keep "không trăm"
        (1_010, "một nghìn không trăm mười"),
        (1_100, "một nghìn một trăm"),
        (15_000, "mười lăm nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (2_340_000, "hai triệu ba trăm bốn mươi nghìn"),
        (1_000_001, "một triệu không trăm linh một"),  # an empty group is skipped
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (3_111_900, "ba triệu một trăm mười một nghìn chín trăm"),
        (1_000_000_000, "một tỷ"),
        (1_000_005_000, "một tỷ không trăm linh năm nghìn"),
        (2_500_000_000, "hai tỷ năm trăm triệu"),
        (1_001_000_000_000, "một nghìn không trăm linh một tỷ"),  # tỷ closes what is above
        (10**15, "một triệu tỷ"),
    ],
)
def test_numbers(number, words):
    assert number_in_words(number) == words


def test_amount_is_capitalised_with_the_currency():
    assert amount_in_words(2_340_000) == "Hai triệu ba trăm bốn mươi nghìn đồng"
    assert amount_in_words(0) == "Không đồng"


def test_southern_le_and_ngan_are_options():
    assert number_in_words(105, odd="lẻ") == "một trăm lẻ năm"
    assert number_in_words(2_000, thousand="ngàn") == "hai ngàn"


def test_negative_numbers_say_am():
    assert number_in_words(-21) == "âm hai mươi mốt"


def test_every_number_below_a_thousand_reads_back_uniquely():
    readings = {number_in_words(n) for n in range(1000)}
    assert len(readings) == 1000
    assert all("  " not in text and text == text.strip() for text in readings)
