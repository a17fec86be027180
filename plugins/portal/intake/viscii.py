"""VISCII (RFC 1456), the 8-bit Vietnamese charset some old mail programs still label
headers and bodies with. Python has no codec for it; this registers one as `viscii`
so the standard e-mail package decodes `=?VISCII?Q?...?=` like any other charset.

The table is checked byte for byte against glibc `iconv -f VISCII` in the tests.
"""

import codecs

# Six control positions hold capitals; 0x80-0xFF hold the rest of the Vietnamese letters.
_LOW = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"  # 0x80-0x9F
    "ÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ"  # 0xA0-0xBF
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡư"  # 0xC0-0xDF
    "àáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ"  # 0xE0-0xFF
)
DECODING_TABLE = "".join(_LOW.get(b, chr(b)) for b in range(128)) + _HIGH
_ENCODING_TABLE = codecs.charmap_build(DECODING_TABLE)


class _Codec(codecs.Codec):
    def encode(self, text, errors="strict"):
        return codecs.charmap_encode(text, errors, _ENCODING_TABLE)

    def decode(self, data, errors="strict"):
        return codecs.charmap_decode(data, errors, DECODING_TABLE)


class _IncrementalDecoder(codecs.IncrementalDecoder):
    def decode(self, data, final=False):
        return codecs.charmap_decode(data, self.errors, DECODING_TABLE)[0]


class _IncrementalEncoder(codecs.IncrementalEncoder):
    def encode(self, text, final=False):
        return codecs.charmap_encode(text, self.errors, _ENCODING_TABLE)[0]


_INFO = codecs.CodecInfo(
    name="viscii",
    encode=_Codec().encode,
    decode=_Codec().decode,
    incrementalencoder=_IncrementalEncoder,
    incrementaldecoder=_IncrementalDecoder,
)
_NAMES = {"viscii", "viscii1.1_1", "csviscii", "x_viet_viscii"}


def _search(name: str):
    return _INFO if name.replace("-", "_").lower() in _NAMES else None


def register() -> None:
    """Make `viscii` known to codecs (and so to the e-mail package); safe to call twice."""
    try:
        codecs.lookup("viscii")
    except LookupError:
        codecs.register(_search)
