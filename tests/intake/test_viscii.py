"""The VISCII codec, byte for byte against glibc iconv (an independent implementation)."""

import codecs
import shutil
import subprocess

import pytest

from portal.intake import viscii

pytestmark = pytest.mark.skipif(not shutil.which("iconv"), reason="iconv (glibc) không có")


def iconv(data: bytes) -> str:
    done = subprocess.run(
        ["iconv", "-f", "VISCII", "-t", "UTF-8"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_every_byte_decodes_as_iconv_does():
    viscii.register()
    table = bytes(range(256))
    assert table.decode("viscii") == iconv(table)


def test_every_vietnamese_letter_round_trips():
    viscii.register()
    letters = "".join(ch for ch in bytes(range(256)).decode("viscii") if ch.isalpha())
    assert letters.encode("viscii").decode("viscii") == letters
    assert len({ch.lower() for ch in letters if not ch.isascii()}) >= 67  # all toned vowels, đ


def test_registered_under_the_names_mail_programs_use():
    viscii.register()
    for name in ("VISCII", "viscii1.1-1", "csVISCII"):
        assert codecs.lookup(name).name == "viscii"
