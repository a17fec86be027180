"""The cases of issue 18: what editors really paste.

Legacy bytes come from independent oracles wherever one exists: Python's cp1258 codec for
Windows-1258 (through `build_corpus.cp1258_bytes`) and glibc `iconv -t TCVN5712-1` for TCVN3.
"""

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from portal.vntext.detect import detect_block
from portal.vntext.fix import fix_bytes, fix_text
from portal.vntext.legacy import cp1252_decode, decode_cp1258_bytes, decode_viqr
from portal.vntext.tables import VIETNAMESE_LETTERS

sys.path.insert(0, str(Path(__file__).parent))

from build_corpus import cp1258_bytes, cp1258_mojibake  # noqa: E402

NOTICE = "Lần cuối cùng, Ủy ban nhân dân tỉnh đã tùy chọn thay đổi lịch họp của Sở Nội vụ."


def iconv_tcvn3(text: str) -> bytes:
    """TCVN3 bytes by glibc (the oracle), for lower-case text iconv writes as ABC does."""
    done = subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return done.stdout


needs_iconv = pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")


# --- 1. Windows-1258 ---------------------------------------------------------------------------


@pytest.mark.parametrize("precomposed", [True, False])
def test_every_vietnamese_letter_survives_windows_1258(precomposed):
    for letter in VIETNAMESE_LETTERS:
        data = cp1258_bytes(letter, precomposed)
        assert decode_cp1258_bytes(data) == letter, (letter, data)


def test_the_issue_example_is_recognised_as_windows_1258():
    damaged = cp1258_mojibake("Lần cuối cùng tùy chọn thay đổi")
    assert damaged == "LâÌn cuôìi cùng tùy choòn thay ðôÒi"  # as the issue shows it
    result = detect_block(damaged)
    assert (result.encoding, result.fixed) == ("cp1258", "Lần cuối cùng tùy chọn thay đổi")


@pytest.mark.parametrize("precomposed", [True, False])
def test_windows_1258_file_is_rewritten_as_nfc_utf8(precomposed):
    raw = cp1258_bytes(f"---\ntitle: Thông báo lịch họp\n---\n\n{NOTICE}\n", precomposed)
    fixed = fix_bytes(Path("a.md"), raw)
    assert fixed.refusals == []
    assert fixed.after == f"---\ntitle: Thông báo lịch họp\n---\n\n{NOTICE}\n"
    assert unicodedata.is_normalized("NFC", fixed.after)


def test_a_non_utf8_line_no_reading_explains_is_never_written():
    # A Windows-1258 line too short to be sure of, in a file that is otherwise ASCII.
    raw = b"---\ntitle: Tin\n---\n\n" + cp1258_bytes("Tin tức") + b"\n"
    fixed = fix_bytes(Path("a.md"), raw)
    assert fixed.changed and not fixed.writable
    assert [(i.line, i.kind) for i in fixed.refusals] == [(5, "unsure")]
    assert "không ghi lại tệp" in fixed.refusals[0].message


def test_french_windows_1252_file_is_not_guessed_at():
    raw = "Où est la salle de réunion ? Là-bas, près de l'hôtel.\n".encode("cp1252")
    fixed = fix_bytes(Path("fr.md"), raw)
    assert not fixed.writable and fixed.refusals


def test_punctuation_every_reading_agrees_on_is_written_without_fuss():
    raw = "“Hello” – said the editor…\n".encode("cp1252")
    fixed = fix_bytes(Path("en.md"), raw)
    assert fixed.writable and fixed.after == "“Hello” – said the editor…\n"


def test_a_rewritten_windows_1258_file_is_flagged_by_the_check():
    # What the old tool wrote: Windows-1258 bytes read as Windows-1252, saved as UTF-8.
    text = cp1258_mojibake(NOTICE)
    new, changes, _ = fix_text(text)
    assert new == NOTICE and [c.kind for c in changes] == ["cp1258"]


# --- 2. "®" for đ in Unicode words --------------------------------------------------------------


def test_registered_sign_for_d_is_flagged_with_position_and_fix():
    text = "Quyết ®ịnh số 15 về việc ®iều chỉnh"
    result = detect_block(text)
    assert result.fixed == "Quyết định số 15 về việc điều chỉnh"
    found = [(f.offset, f.preview) for f in result.findings if f.fixed]
    assert found == [(text.index("®ịnh"), "định"), (text.index("®iều"), "điều")]
    assert all("«®»" in f.message for f in result.findings)


def test_registered_sign_in_a_line_no_reading_settles_is_a_hint_only():
    text = "Nghị định số 15 về ®iều chỉnh: liều 5 µg"
    result = detect_block(text)
    assert result.fixed == text
    assert [(f.kind, f.preview, f.fixed) for f in result.findings] == [("ambiguous", "điều", False)]


# --- 3. legacy words among English words -------------------------------------------------------


def test_tcvn3_note_with_english_terms_is_judged_by_its_legacy_words():
    result = detect_block("Recode gi¸ trÞ missing b»ng 99 vµ g¸n nh·n cho biÕn")
    assert result.encoding == "tcvn3"
    assert result.fixed == "Recode giá trị missing bằng 99 và gán nhãn cho biến"


def test_english_with_symbols_stays_english():
    for text in (
        "Home · News · Documents · Contact",
        "© 2024 Acme™ Ltd — all rights reserved; prices in € and £ include VAT.",
        "Dose: 5 µg ± 0.2 µg per kg; store at 25 °C.",
    ):
        assert detect_block(text).fixed == text


# --- 4. VIQR variants ----------------------------------------------------------------------------


def test_viqr_d_dash_for_d_with_stroke():
    assert decode_viqr("Ngu+o+`i d-a~ ta.o") == "Người đã tạo"
    assert decode_viqr("D-o^.c la^.p") == "Độc lập"
    assert decode_viqr("D-Day, e-mail, end-of-line") == "D-Day, e-mail, end-of-line"


def test_viqr_block_with_a_loanword_is_judged_by_its_proportion_of_syllables():
    text = "Ky~ thua^.t vie^n d-a~ la('p d-a(.t A(ngten mo+'i cho pho`ng ho.p tru+.c tuye^'n."
    result = detect_block(text)
    assert result.encoding == "viqr"
    assert result.fixed == "Kỹ thuật viên đã lắp đặt Ăngten mới cho phòng họp trực tuyến."


def test_english_with_d_dash_is_not_viqr():
    text = "D-Day was the start; the e-mail said d-day is near. So? Then we go."
    assert detect_block(text).fixed == text


# --- 5. a legacy sentence inside a Unicode line --------------------------------------------------


@needs_iconv
def test_tcvn3_sentence_pasted_after_a_unicode_one_is_repaired_whole():
    pasted = "Hồ sơ đã được số hóa và lưu trữ theo quy định."
    legacy = cp1252_decode(iconv_tcvn3(pasted))
    line = f"Sở Nội vụ đã hoàn thành kế hoạch năm 2024. {legacy}"
    result = detect_block(line)
    assert result.fixed == f"Sở Nội vụ đã hoàn thành kế hoạch năm 2024. {pasted}"
    assert result.encoding == "tcvn3"


def test_word_before_a_pasted_run_is_asked_about_never_half_repaired():
    line = "Quyết định số 15 về việc sè l\u00adîng hµng hãa nhËp khÈu"
    result = detect_block(line)
    assert "lượng hàng hóa nhập khẩu" in result.fixed
    assert "lưîng" not in result.fixed + "".join(f.preview for f in result.findings)
    hint = [f for f in result.findings if not f.fixed]
    assert [(f.kind, f.preview) for f in hint] == [("ambiguous", "số")]
    assert "sè" in result.fixed  # unsure: left as it was, reported


def test_unfixable_remnant_shows_the_word_not_a_guess():
    result = detect_block("Số l\u00adxyzîng hàng")
    assert all("ư" not in f.preview or f.fixed for f in result.findings)


@pytest.mark.parametrize(
    "name", ["Müller", "Besançon", "Ñandú", "Kraków", "Dvořák", "Ångström", "Pokémon", "Þór"]
)
def test_foreign_names_in_vietnamese_lines_are_left_alone(name):
    text = f"Đoàn công tác của Sở đã gặp ông {name} và bà Hélène tại Genève."
    assert detect_block(text).fixed == text


# --- 6. lost bytes in VNI ------------------------------------------------------------------------


def test_vni_with_lost_bytes_is_ambiguous_not_converted():
    result = detect_block("Vieät Na")
    assert result.encoding == "ambiguous" and result.fixed == "Vieät Na"


def test_viqr_star_for_the_horn_but_not_markdown_emphasis():
    assert decode_viqr("Ngu*o*`i d-a~ d-e^'n") == "Người đã đến"
    text = "Use *bold* and **strong** text; the *do* loop runs *until* done."
    assert detect_block(text).fixed == text
    note = "Lu*u y': file pha?i d-u'ng d-i.nh da.ng."
    assert detect_block(note).fixed == "Lưu ý: file phải đúng định dạng."


@pytest.mark.parametrize(
    "text",
    [
        "Kích thước hạt từ 5 µm đến 10 µm.",  # a repeated unit is one piece of evidence
        "Điện trở 5 kΩ, tụ 10 µF, dòng 2 µA.",
        "Mã số: Ñ-12, ñ-13 và Ð-14.",  # codes, not words
        "Trang chủ · Tin tức · Văn bản · Liên hệ",
        "Tiếng Việt có dấu: à á ả ã ạ, còn tiếng Pháp có ç, œ, æ, ø, å và ï.",
        "Sản phẩm Microsoft® Windows® được cài đặt trên máy chủ của Sở.",
        "Giá: 100.000 ₫ (đã gồm VAT); mã: A¹B²C³; nhiệt độ ±5 °C.",
        "Cô ấy nói «où est la gare ?» bằng tiếng Pháp rất chuẩn.",
    ],
)
def test_symbols_and_foreign_letters_in_unicode_lines_are_left_alone(text):
    assert detect_block(text).fixed == text


def test_section_sign_for_capital_d_with_stroke_is_repaired():
    text = "Quyết định: §iều 1 và §iều 2 quy định rõ."
    assert detect_block(text).fixed == "Quyết định: Điều 1 và Điều 2 quy định rõ."


def test_an_unsure_front_matter_line_is_refused_naming_its_field():
    raw = b"---\ntitle: " + cp1258_bytes("Tin tức") + b"\n---\n\nPlain ASCII body.\n"
    fixed = fix_bytes(Path("a.md"), raw)
    assert [(i.line, i.field, i.kind) for i in fixed.refusals] == [(2, "title", "unsure")]
    assert fixed.refusals[0].describe().startswith("title: dòng này không phải UTF-8")


def test_viqr_ui_sentence_keeps_its_final_full_stop():
    text = "Lo^~i: kho^ng ke^'t no^'i d-u+o+.c vo+'i server, vui lo`ng thu+? la.i sau."
    assert detect_block(text).fixed == ("Lỗi: không kết nối được với server, vui lòng thử lại sau.")
    assert decode_viqr("So+? No^.i vu.") == "Sở Nội vụ"  # a title: the dot is the tone


def test_stata_label_in_tcvn3_is_judged_by_its_legacy_words():
    text = 'label var hhsize "Sè nh©n khÈu trong hé"'
    assert detect_block(text).fixed == 'label var hhsize "Số nhân khẩu trong hộ"'


def test_a_repeated_contraction_is_not_viqr_evidence():
    text = "I'm here. I'm fine. I'm ok. Yes I am, and you're fine."
    assert detect_block(text).fixed == text
