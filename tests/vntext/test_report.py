import json

from portal.vntext import report
from portal.vntext.legacy import encode_vni


def test_report_prints_the_tables_and_meets_the_targets(capsys):
    assert report.main([]) == 0
    out = capsys.readouterr().out
    assert "Blocks of 5 words or more" in out and "false conversions: 0" in out
    assert out.rstrip().endswith("no pasted word changed wrongly): met")
    assert "Legacy sentences pasted inside Unicode lines (word by word)" in out
    assert "  cp1258 " in out  # Windows-1258 has its own row
    assert "Vietnamese notes with English terms or loanwords" in out
    for lang in ("fr", "es", "pt", "de", "pl", "cs", "en"):
        assert f"  {lang}: correct text in another language" in out


def test_a_false_conversion_fails_the_targets(tmp_path):
    # Labelled as correct text, but the detector converts it: the report must say NOT MET.
    text = encode_vni("Sở Nội vụ Hà Tĩnh tổ chức hội nghị tổng kết công tác năm 2024.")
    row = {"id": "x", "label": "unicode-ok", "lang": "fr", "words": 12, "text": text}
    corpus = tmp_path / "blocks.jsonl"
    corpus.write_text(json.dumps({**row, "expected": text}) + "\n", encoding="utf-8")
    out, met = report.render(report.load_blocks(corpus))
    assert not met and "false conversions: 1" in out


def test_report_on_a_missing_corpus_says_so(tmp_path, capsys):
    assert report.main(["--corpus", str(tmp_path / "none.jsonl")]) == 2
    assert "Không đọc được bộ ngữ liệu" in capsys.readouterr().err


def test_pasted_blocks_are_judged_word_by_word():
    text = "Sở Nội vụ thông báo: sè l\u00adîng hµng hãa nhËp khÈu"
    right = {"id": "p1", "lang": report.PASTED, "text": text}
    right["expected"] = "Sở Nội vụ thông báo: số lượng hàng hóa nhập khẩu"
    tally = report.evaluate_words([right])
    assert (tally.legacy_words, tally.repaired, tally.left, tally.wrong) == (6, 5, 1, 0)
    wrong = {**right, "id": "p2", "expected": right["expected"].replace("hàng", "hằng")}
    assert report.evaluate_words([wrong]).wrong_rows == ["p2"]
