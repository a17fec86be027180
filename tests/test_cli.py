"""The `portal` command as a user runs it: the installed console script, in a real site."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import make_site

PORTAL = Path(sys.executable).parent / "portal"


def run(cwd, *args):
    return subprocess.run([str(PORTAL), *args], cwd=cwd, capture_output=True, text=True)


def test_check_passes_the_sample_portal(tmp_path):
    make_site(tmp_path, with_sample_content=True)
    result = run(tmp_path, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "không có lỗi" in result.stdout


def test_broken_field_exits_1_with_file_line_and_field(tmp_path):
    content = make_site(tmp_path, with_sample_content=True)
    item = content / "tin-tuc" / "2026-11-20-tuyen-dung-cong-chuc.md"
    item.write_text(
        item.read_text(encoding="utf-8").replace("section: tin-tuc", "section: [tin-tuc"),
        encoding="utf-8",
    )
    result = run(tmp_path, "check", str(item))
    assert result.returncode == 1
    assert result.stdout.startswith(
        "content/tin-tuc/2026-11-20-tuyen-dung-cong-chuc.md:5: section: YAML không hợp lệ"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_path_and_folder_outside_a_portal_are_clear_errors(tmp_path):
    result = run(tmp_path, "check", "khong-co.md")
    assert result.returncode == 2
    assert result.stderr == "Lỗi: không có tệp hay thư mục 'khong-co.md'\n"
    result = run(tmp_path, "check", ".")
    assert result.returncode == 2
    assert "không tìm thấy thư mục content/ của Cổng" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_is_vietnamese():
    result = subprocess.run([str(PORTAL), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "kiểm tra nội dung" in result.stdout


def test_argument_errors_are_vietnamese():
    result = subprocess.run([str(PORTAL), "report"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "portal report: lỗi: thiếu tham số bắt buộc: --period" in result.stderr
    result = subprocess.run([str(PORTAL), "bao-cao"], capture_output=True, text=True)
    assert "lựa chọn 'bao-cao' không hợp lệ" in result.stderr
