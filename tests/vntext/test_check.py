"""`check_text_file`: the problems `portal check` and the build report, and its speed."""

import unicodedata
from pathlib import Path

from portal.vntext.check import check_text_file, looks_clean
from portal.vntext.legacy import encode_tcvn3, encode_vni

CLEAN = "---\ntitle: Sở Nội vụ Hà Tĩnh\n---\n\nCộng hòa xã hội chủ nghĩa Việt Nam, “hoà” – café.\n"


def test_clean_file_has_no_problem():
    assert check_text_file(Path("a.md"), CLEAN.encode("utf-8")) == []


def test_problems_name_line_field_and_column():
    text = "---\ntitle: Sở Nội vụ\nauthor: " + encode_vni("Nguyễn Văn Hùng") + "\n---\n\n"
    text += encode_vni("Sở Nội vụ Hà Tĩnh tổ chức hội nghị tổng kết.") + "\n"
    problems = check_text_file(Path("content/a.md"), text.encode("utf-8"))
    assert [(p.line, p.field, p.severity) for p in problems] == [
        (3, "author", "error"),
        (6, "body", "error"),
    ]
    assert "cột 9" in problems[0].message and "Nguyễn Văn Hùng" in problems[0].message
    assert str(problems[1]).startswith("content/a.md:6: body: cột 1: ")
    assert all(unicodedata.is_normalized("NFC", p.message) for p in problems)


def test_legacy_bytes_file_is_reported():
    problems = check_text_file(Path("a.md"), encode_tcvn3("Sở Nội vụ Hà Tĩnh tổ chức hội nghị."))
    assert {p.line for p in problems} == {1}
    assert any("không phải UTF-8" in p.message for p in problems)
    assert any("TCVN3" in p.message for p in problems)


def test_zero_width_in_title_is_an_error_in_body_a_warning():
    text = "---\ntitle: Sở Nội\u200b vụ\n---\n\nVăn bản\u200b đúng.\n"
    problems = check_text_file(Path("a.md"), text.encode("utf-8"))
    assert [(p.field, p.severity) for p in problems] == [("title", "error"), ("body", "warning")]


def test_binary_file_is_one_problem_not_an_exception():
    problems = check_text_file(Path("a.md"), b"\x00\x01")
    assert len(problems) == 1 and "nhị phân" in problems[0].message


def test_prescan_lets_clean_text_through_and_stops_suspicious_text():
    assert looks_clean(CLEAN.encode("utf-8"))
    assert looks_clean(b"Plain English text. Is it? Yes.")
    for bad in (
        encode_vni("Thông báo"),
        "HÃ\u00a0Nam",
        unicodedata.normalize("NFD", "Hà"),
        "Tho^ng ba'o",
        "a\u200bb",
    ):
        data = bad if isinstance(bad, bytes) else bad.encode("utf-8")
        assert not looks_clean(data), bad


def test_long_clean_file_is_decided_by_the_prescan_alone():
    # The speed itself is measured by benchmarks, not here; what keeps it low is that clean
    # text never reaches the detector.
    raw = (CLEAN * 1000).encode("utf-8")
    assert looks_clean(raw)
    assert check_text_file(Path("a.md"), raw) == []


def test_windows_1258_saved_as_utf8_is_caught_by_the_prescan_and_reported():
    # What an older fix-encoding wrote: no đ/ư/ơ here, so only the separate tone marks tell.
    damaged = "LâÌn cuôìi cùng tùy choòn thay lôÌi hoòp.\n"
    assert not looks_clean(damaged.encode("utf-8"))
    problems = check_text_file(Path("a.md"), damaged.encode("utf-8"))
    assert [(p.line, p.severity) for p in problems] == [(1, "error")]
    assert "Windows-1258" in problems[0].message


def test_unsure_legacy_file_is_an_error_naming_the_line():
    raw = b"---\ntitle: Tin\n---\n\n" + b"Tin t\xfd\xecc\n"  # Windows-1258 `Tin tức`
    problems = check_text_file(Path("a.md"), raw)
    assert (5, "error") in [(p.line, p.severity) for p in problems]
    assert any("không phải UTF-8" in p.message for p in problems if p.line == 5)
