"""Benchmark of mail intake: `python -m portal.bench.intake [--messages N]`.

Builds a throwaway portal repository (the project's own content and roster) and a
Maildir of N messages (default 50), each a real .docx written by python-docx (a heading,
a .VnTime paragraph, a list, a table and a photo) with a JPEG beside it, then times
`portal intake MAILDIR` in-process: conversion, front matter and one branch per message.
Prints the time per message and in total.
"""

import argparse
import io
import mailbox
import shutil
import sys
import tempfile
import time
from contextlib import redirect_stdout
from email.message import EmailMessage
from pathlib import Path

import docx
from docx.shared import Inches
from PIL import Image

from portal import cli
from portal.git import Git

PROJECT = Path(__file__).resolve().parents[3]
VNTIME = "Së Néi vô tØnh Hµ TÜnh tæ chøc héi nghÞ giao ban"  # TCVN3 as Word stores it


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), "steelblue").save(out, kind)
    return out.getvalue()


def document(number: int) -> bytes:
    page = docx.Document()
    page.add_heading(f"Tin số {number}: hoạt động của đơn vị trong tuần", 1)
    page.add_paragraph("Sáng nay, đơn vị tổ chức họp triển khai nhiệm vụ trọng tâm. " * 5)
    page.add_paragraph().add_run(VNTIME).font.name = ".VnTime"
    page.add_paragraph("Hoàn thành kế hoạch", style="List Bullet")
    table = page.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "Chỉ tiêu", "120"
    page.add_picture(io.BytesIO(_image("PNG")), width=Inches(2))
    out = io.BytesIO()
    page.save(out)
    return out.getvalue()


def message(number: int) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Lê Thị Minh Thu <thultm.snv@hatinh.gov.vn>"
    mail["Subject"] = f"Tin số {number}"
    mail["Date"] = "Tue, 24 Nov 2026 09:30:00 +0700"
    mail.set_content("Kính gửi Ban Biên tập.")
    word = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
    mail.add_attachment(document(number), *word, filename=f"tin-{number}.docx")
    mail.add_attachment(_image("JPEG"), "image", "jpeg", filename="anh.jpg")
    return bytes(mail)


def _portal(root: Path) -> None:
    for name in ("content", "reviews", ".github"):
        shutil.copytree(PROJECT / name, root / name, ignore=shutil.ignore_patterns("ledger"))
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.vn"}
    env.update(GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.vn")
    git = Git(root)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "portal"]):
        git.run(*args, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="portal-intake-bench-") as temp:
        root = Path(temp) / "portal"
        root.mkdir()
        _portal(root)
        box = mailbox.Maildir(Path(temp) / "Maildir", create=True)
        for number in range(1, args.messages + 1):
            box.add(message(number))
        start = time.perf_counter()
        with redirect_stdout(io.StringIO()):
            code = cli.main(["intake", "--root", str(root), str(Path(temp) / "Maildir")])
        elapsed = time.perf_counter() - start
    print(
        f"{args.messages} thư (mỗi thư một .docx có ảnh, bảng, đoạn .VnTime, kèm một ảnh JPEG): "
        f"{elapsed:.1f} s, {elapsed / args.messages * 1000:.0f} ms mỗi thư (mã thoát {code})"
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
