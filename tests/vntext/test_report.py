from portal.vntext import report


def test_report_prints_the_tables_and_meets_the_targets(capsys):
    assert report.main([]) == 0
    out = capsys.readouterr().out
    assert "Blocks of 5 words or more" in out and "false conversions: 0" in out
    assert "Targets (precision 100%, recall >= 98% per encoding on long blocks): met" in out


def test_report_on_a_missing_corpus_says_so(tmp_path, capsys):
    assert report.main(["--corpus", str(tmp_path / "none.jsonl")]) == 2
    assert "Không đọc được bộ ngữ liệu" in capsys.readouterr().err
