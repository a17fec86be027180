"""Print the sample legal documents' and drafts' PDFs (content/files/*.pdf) from their items
with the real Chromium: a one-page A4 document with the national motto, issuer, number, date, title,
abstract and signer, marked as a sample, with Vietnamese text a reader can select and search.

    .venv/bin/python tools/make_sample_pdfs.py [--missing] [--full-text 27/QĐ-SNV=PATH.txt]

A full text given for a number (the regulation, Quy chế 27/QĐ-SNV, is public) is printed
after the header instead of the abstract.
"""

import argparse
import html
from datetime import date
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CENTRAL_ISSUERS = ("Quốc hội", "Chính phủ", "Bộ Nội vụ")  # sit in Hà Nội
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm 20mm 20mm 30mm; }}
body {{ font-family: "DejaVu Serif", serif; font-size: 12.5pt; line-height: 1.45; }}
.head {{ font-size: 11pt; display: flex; justify-content: space-between; text-align: center; }}
.head > div:first-child {{ width: 36%; }} .head > div:last-child {{ width: 63%; }}
.nw {{ white-space: nowrap; }}
p.h {{ font-weight: bold; text-align: center; }}
.b {{ font-weight: bold; }} .c {{ text-align: center; }}
h1 {{ font-size: 14pt; text-align: center; margin: 18pt 0 4pt; }}
.sample {{ border: 1px solid #888; padding: 6pt; font-size: 10pt; margin-top: 18pt; }}
.sign {{ margin: 24pt 0 0 55%; text-align: center; }} p {{ text-align: justify; margin: 4pt 0; }}
</style></head><body>
<div class="head"><div><div>{issuer_upper}</div><div class="b nw">Số: {number}</div></div>
<div><div class="b">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>
<div class="b">Độc lập - Tự do - Hạnh phúc</div><div><i>{place_date}</i></div></div></div>
<h1>{doc_type_upper}</h1><p class="c b">{title}</p>
{body}
<div class="sign"><div class="b">{signer_upper}</div><br><br><br><div>(đã ký)</div></div>
<div class="sample">Bản mẫu minh họa của Cổng thông tin điện tử Sở Nội vụ Hà Tĩnh, in từ thông tin
của văn bản trên Cổng; không phải bản chính. Văn bản gốc được lưu tại cơ quan ban hành.</div>
</body></html>"""


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def _has_file(path: Path) -> bool:
    """A legal document or a draft for comment, whose attached file this tool prints."""
    return front_matter(path).get("kind") in ("legal", "consultation")


def as_document(meta: dict) -> dict:
    """A draft for comment printed as its document: "DỰ THẢO", no number yet, unsigned."""
    if meta.get("kind") != "consultation":
        return meta
    return {
        **meta,
        "number": "      /SNV",
        "issuer": "Sở Nội vụ Hà Tĩnh",
        "issued": str(meta["date"])[:10],
        "doc_type": f"Dự thảo {meta['doc_type'].lower()}",
        "signer": "Giám đốc Sở Nội vụ",
    }


def paragraph(line: str) -> str:
    """Chapter and article headings of a full text in bold, centred like the original."""
    heading = line.startswith(("Chương ", "Điều ")) or (line.isupper() and len(line) > 3)
    return f'<p class="{"h" if heading else ""}">{html.escape(line)}</p>'


def document_html(meta: dict, full_text: str | None) -> str:
    issued = date.fromisoformat(str(meta["issued"]))
    place = "Hà Nội" if meta["issuer"] in CENTRAL_ISSUERS else "Hà Tĩnh"
    lines = (full_text or meta["abstract"]).splitlines()
    body = "\n".join(paragraph(line.strip()) for line in lines if line.strip())
    return PAGE.format(
        issuer_upper=html.escape(meta["issuer"].upper()),
        number=html.escape(meta["number"]),
        place_date=f"{place}, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}",
        doc_type_upper=html.escape(meta["doc_type"].upper()),
        title=html.escape(meta["title"]),
        body=body,
        signer_upper=html.escape(meta["signer"].upper()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-text", action="append", default=[], metavar="SỐ=TỆP")
    parser.add_argument(
        "--missing", action="store_true", help="print only the files that do not exist yet"
    )
    args = parser.parse_args()
    full_texts = dict(item.split("=", 1) for item in args.full_text)
    items = [path for path in sorted((REPO / "content").glob("*/*.md")) if _has_file(path)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        for item in items:
            meta = as_document(front_matter(item))
            target = REPO / "content" / meta["file"]
            if args.missing and target.exists():
                continue
            text_path = full_texts.get(meta["number"])
            text = Path(text_path).read_text(encoding="utf-8") if text_path else None
            page.set_content(document_html(meta, text))
            page.pdf(path=str(target), format="A4", print_background=True)
            print(f"{target.relative_to(REPO)}: {target.stat().st_size} byte")
        browser.close()


if __name__ == "__main__":
    main()
