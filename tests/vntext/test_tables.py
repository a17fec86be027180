"""The conversion tables, checked letter by letter; TCVN3 against glibc iconv as an oracle."""

import shutil
import subprocess
import unicodedata

import pytest

from portal.vntext.legacy import (
    decode_tcvn3_bytes,
    decode_viqr,
    decode_vni_bytes,
    decode_vni_text,
    encode_tcvn3,
    encode_viqr,
    encode_vni,
)
from portal.vntext.tables import (
    TCVN3_DECODE,
    TCVN3_NOT_LETTERS,
    VIETNAMESE_LETTERS,
    VIETNAMESE_LETTERS_LOWER,
    VNI_ENCODE,
    viqr_of,
)

LETTER_BYTES = [b for b in range(0xA1, 0xFF) if b not in TCVN3_NOT_LETTERS]


def iconv_tcvn(data: bytes) -> str:
    if not shutil.which("iconv"):
        pytest.skip("iconv is not installed")
    done = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_there_are_134_letters_beyond_ascii():
    assert len(VIETNAMESE_LETTERS_LOWER) == 67  # 72 vowel forms - 6 ASCII + đ
    assert len(set(VIETNAMESE_LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", ch) and len(ch) == 1 for ch in VIETNAMESE_LETTERS)


def test_every_tcvn3_letter_byte_decodes_as_iconv_does():
    oracle = iconv_tcvn(b"\n".join(bytes([b]) for b in LETTER_BYTES)).split("\n")
    ours = [TCVN3_DECODE[b] for b in LETTER_BYTES]
    mismatches = [
        (hex(b), o, i) for b, o, i in zip(LETTER_BYTES, ours, oracle, strict=True) if o != i
    ]
    assert mismatches == []


def test_every_tcvn3_letter_byte_of_a_raw_file_matches_iconv():
    data = b" ".join(b"x" + bytes([b]) for b in LETTER_BYTES)  # lower-case context: no capitals
    expected = iconv_tcvn(data)
    ours = decode_tcvn3_bytes(data)
    assert ours.lower() == expected.lower()
    assert [w[1:] for w in ours.split()] == [w[1:] for w in expected.split()]


def test_tcvn3_encoder_agrees_with_iconv_for_every_lower_case_letter():
    letters = [ch for ch in VIETNAMESE_LETTERS_LOWER] + list("ĂÂÊÔƠƯĐ")
    for letter in letters:
        assert iconv_tcvn(encode_tcvn3(letter)) == letter
        assert decode_tcvn3_bytes(b"x" + encode_tcvn3(letter))[1:] == letter


def test_tcvn3_writes_toned_capitals_in_lower_case_like_abc():
    assert encode_tcvn3("Ấ") == encode_tcvn3("ấ")
    assert decode_tcvn3_bytes(encode_tcvn3("CỘNG HÒA")) == "CỘNG HÒA"


def test_tcvn3_bytes_0x80_to_0x9f_are_windows_1252_punctuation():
    assert decode_tcvn3_bytes(b"\x93H\xb5\x94 \x96 x") == "“Hà” – x"
    assert iconv_tcvn(b"\x93") != "“"  # the oracle reads them as VN1 capitals: not used there


def test_tcvn3_soft_hyphen_is_u_horn():
    assert decode_tcvn3_bytes("nhµ n\xadíc".encode("latin-1")) == "nhà nước"


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_vni_round_trip(letter):
    encoded = encode_vni(letter)
    assert decode_vni_text(encoded) == letter
    assert decode_vni_bytes(encoded.encode("cp1252")) == letter


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_viqr_round_trip(letter):
    assert decode_viqr(encode_viqr(letter) + "n") == letter + "n"
    assert encode_viqr(letter).isascii()


def test_vni_table_entries_that_others_get_wrong():
    assert VNI_ENCODE["ỷ"] == "yû" and VNI_ENCODE["ỹ"] == "yõ" and VNI_ENCODE["ỵ"] == "î"
    assert VNI_ENCODE["Ỷ"] == "YÛ" and VNI_ENCODE["Ỹ"] == "YÕ" and VNI_ENCODE["Ỵ"] == "Î"
    assert [VNI_ENCODE[c] for c in "áâấớựơưđ"] == ["aù", "aâ", "aá", "ôù", "öï", "ô", "ö", "ñ"]


def test_domain_reference_examples():
    assert encode_vni("Sở Nội vụ Hà Tĩnh") == "Sôû Noäi vuï Haø Tónh"
    assert encode_tcvn3("Sở Nội vụ Hà Tĩnh").decode("cp1252") == "Së Néi vô Hµ TÜnh"
    assert (
        encode_tcvn3("Độc lập - Tự do - Hạnh phúc").decode("cp1252")
        == "§éc lËp - Tù do - H¹nh phóc"
    )
    assert encode_vni("Quyết định") == "Quyeát ñònh"
    assert viqr_of("ộ") == "o^." and viqr_of("đ") == "dd"
