from portal.vntext.legacy import (
    decode_tcvn3_text,
    decode_viqr,
    encode_viqr,
    repair_utf8_mojibake,
    tcvn3_mojibake,
    utf8_mojibake,
)


def test_tcvn3_mojibake_and_pdf_remnants():
    assert decode_tcvn3_text("Së Néi vô Hµ TÜnh") == "Sở Nội vụ Hà Tĩnh"
    assert decode_tcvn3_text("nhµ n\u2212íc") == "nhà nước"
    assert decode_tcvn3_text("x\u2219 héi") == "xã hội"


def test_tcvn3_restores_capitals_where_it_can():
    assert decode_tcvn3_text(tcvn3_mojibake("CỘNG HÒA XÃ HỘI")) == "CỘNG HÒA XÃ HỘI"
    assert decode_tcvn3_text(tcvn3_mojibake("Ủy ban. Ủy ban")) == "Ủy ban. Ủy ban"
    assert decode_tcvn3_text(tcvn3_mojibake("theo Ủy ban")) == "theo ủy ban"  # ABC lost it


def test_viqr_escapes_and_sentence_ends():
    text = "Ha` No^.i la` thu? ddo^ cu?a Vie^.t Nam. Ba.n co' kho?e kho^ng?"
    assert decode_viqr(text) == "Hà Nội là thủ đô của Việt Nam. Bạn có khỏe không?"
    assert decode_viqr("Anh ddi ddi\\.") == "Anh đi đi."
    assert encode_viqr("Đi đi.") == "DDi ddi\\."
    assert decode_viqr("NDD-CP va` HDDND") == "NĐ-CP và HĐND"
    assert decode_viqr(encode_viqr("Sở Nội vụ")) == "Sở Nội vụ"  # a title: the mark at the end


def test_utf8_mojibake_repair_including_undefined_cp1252_bytes():
    for text in ("Sở Nội vụ Hà Tĩnh", "về đề điều Ố", "café"):
        assert repair_utf8_mojibake(utf8_mojibake(text)) == text
    assert repair_utf8_mojibake("Sá»Ÿ") == "Sở"
    assert repair_utf8_mojibake("Crème brûlée") == "Crème brûlée"
