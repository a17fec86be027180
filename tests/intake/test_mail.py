"""E-mails to submissions: attachments, legacy charsets, HTML-only, what is refused."""

import unicodedata

import pytest

from portal.content import sitedata
from portal.intake.limits import MAX_ATTACHMENT
from portal.intake.mail import from_message, safe_name
from tests.intake import documents as docs


@pytest.fixture
def site_data(portal):
    return sitedata.load(portal / "content")


def take(mail, site_data):
    return from_message(bytes(mail), "thu.eml", site_data, set())


def meta_of(draft) -> dict:
    import yaml

    return yaml.safe_load(draft.text.split("---\n")[1])


def test_word_attachment_and_photos_make_one_item_with_its_images(site_data):
    mail = docs.message(
        attachments=[
            ("Tin giao ban.docx", docs.news_docx(), *docs.DOCX_TYPE),
            ("anh-hoi-nghi.jpg", docs.jpeg(), "image", "jpeg"),
        ]
    )
    sub = take(mail, site_data)
    assert sub.problems == []
    [draft] = sub.drafts
    meta = meta_of(draft)
    assert meta["title"] == "Sở Nội vụ tổ chức hội nghị giao ban tháng 11"
    assert meta["status"] == "draft" and meta["kind"] == "news" and meta["section"] == "tin-tuc"
    assert meta["date"] == "2026-11-24 09:30"  # 02:30 UTC, in Vietnam time
    assert meta["unit"] == "van-phong"  # the sender is on the roster
    assert meta["authors"] == [{"name": "Lê Thị Minh Thu", "id": "thu-ltm", "unit": "van-phong"}]
    slug = "so-noi-vu-to-chuc-hoi-nghi-giao-ban-thang-11"
    assert [i["src"] for i in meta["images"]] == [f"images/{slug}-1.png", f"images/{slug}-2.jpg"]
    assert all(i["alt"] == "" for i in meta["images"])  # never invented
    assert "royalty" not in meta
    assert f"![]({{static}}/images/{slug}-1.png)" in draft.text
    assert set(draft.files) == {f"content/images/{slug}-1.png", f"content/images/{slug}-2.jpg"}
    assert any("alt" in t for t in draft.todo) and any("royalty" in t for t in draft.todo)


def test_legacy_charset_headers_and_body(site_data):
    raw = docs.legacy_message(
        "Hội nghị giao ban", "Phòng Công chức", "Sở Nội vụ tổ chức hội nghị giao ban tháng 11."
    )
    assert b"\xcc" not in raw and b"\xf2" in raw  # tones as Windows-1258 combining bytes
    sub = from_message(raw, "cu.eml", site_data, set())
    assert sub.subject == "Hội nghị giao ban"
    assert sub.sender.name == "Phòng Công chức"
    [draft] = sub.drafts
    assert "Sở Nội vụ tổ chức hội nghị giao ban tháng 11." in draft.text
    assert unicodedata.is_normalized("NFC", draft.text)
    meta = meta_of(draft)
    assert meta["title"] == "Hội nghị giao ban" and meta["kind"] == "event"
    assert meta["section"] == "hoi-nghi-tap-huan"
    assert "unit" not in meta and "authors" not in meta  # not on the roster: left to fill


def test_html_only_mail_keeps_text_and_drops_scripts_and_remote_images(site_data):
    html = (
        "<html><head><style>p{}</style></head><body><p>Chiều 20/11, Thanh tra Sở làm việc"
        " với các đơn vị.</p><script>alert(1)</script><p onclick='x()'>Đoạn <b>hai</b>"
        " <a href='javascript:alert(1)'>bấm</a> <a href='https://hatinh.gov.vn'>Cổng</a></p>"
        "<img src='https://tracker.example/p.gif'><img src='cid:anh1'></body></html>"
    )
    mail = docs.message(subject="Thanh tra làm việc với đơn vị", body=None, html=html)
    sub = take(mail, site_data)
    [draft] = sub.drafts
    body = draft.text.split("---\n", 2)[2]
    assert "Chiều 20/11, Thanh tra Sở làm việc với các đơn vị." in body
    assert "alert" not in body and "onclick" not in body and "tracker" not in body
    assert "Đoạn **hai** bấm [Cổng](https://hatinh.gov.vn)" in body
    assert meta_of(draft)["title"] == "Thanh tra làm việc với đơn vị"


def test_inline_cid_image_of_an_html_mail_is_kept(site_data):
    from email.message import EmailMessage

    related = EmailMessage()
    related.set_content(
        "<p>Hoạt động của đoàn viên trong tháng.</p><img src='cid:anh1'>", subtype="html"
    )
    related.add_related(docs.png(), maintype="image", subtype="png", cid="<anh1>")
    sub = from_message(bytes(related), "x.eml", site_data, set())
    [draft] = sub.drafts
    assert "{static}/images/" in draft.text and meta_of(draft)["images"][0]["alt"] == ""


def test_pdf_becomes_a_file_and_a_legal_stub(site_data):
    pdf = b"%PDF-1.4\n% van ban\n%%EOF\n"
    mail = docs.message(attachments=[("215-KH-SNV.pdf", pdf, "application", "pdf")])
    sub = take(mail, site_data)
    stub = next(d for d in sub.drafts if "van-ban" in d.path)
    assert stub.files == {"content/files/215-kh-snv.pdf": pdf}
    meta = meta_of(stub)
    assert meta["kind"] == "legal" and meta["file"] == "files/215-kh-snv.pdf"
    assert "number" not in meta and "doc_type" not in meta  # never invented
    assert any("number" in t for t in stub.todo)


def test_what_cannot_be_used_is_said_and_named(site_data):
    big = b"\0" * (MAX_ATTACHMENT + 1)
    mail = docs.message(
        attachments=[
            (
                "bao-cao.doc",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"),
                "application",
                "msword",
            ),
            ("video.mp4", big, "video", "mp4"),
            ("gia.pdf", b"not a pdf", "application", "pdf"),
            ("chay.exe", b"MZ", "application", "octet-stream"),
        ]
    )
    sub = take(mail, site_data)
    problems = "\n".join(sub.problems)
    assert "bao-cao.doc: tệp .doc (Word 97-2003)" in problems and "Lưu thành" in problems
    assert "video.mp4: tệp đính kèm lớn 50.0 MB, vượt giới hạn 50.0 MB" in problems
    assert "gia.pdf: không phải tệp PDF thật" in problems
    assert "chay.exe: loại tệp .exe không đăng được" in problems
    # the mail's own text still becomes a draft: nothing lost
    assert len(sub.drafts) == 1 and "Kính gửi Ban Biên tập" in sub.drafts[0].text


def test_empty_mail_without_attachment_is_said(site_data):
    mail = docs.message(body="   \n")
    sub = take(mail, site_data)
    assert sub.drafts == []
    assert sub.problems == ["thư không có tệp Word và không có nội dung: không có gì để đăng"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd.docx", "passwd.docx"),
        ("..\\..\\windows\\x.docx", "x.docx"),
        ("Ba\u0301o ca\u0301o tha\u0301ng 11.docx", "Báo cáo tháng 11.docx"),
        ("a\x00b\nc.docx", "a_b_c.docx"),
        ("..", "du-phong"),
        ("", "du-phong"),
    ],
)
def test_attachment_names_lose_paths_and_controls(name, expected):
    assert safe_name(name, "du-phong") == expected


def test_vietnamese_and_path_trick_attachment_names_never_reach_a_path(site_data):
    mail = docs.message(
        attachments=[
            (
                "../../../tmp/Báo cáo tuần.docx",
                docs.news_docx(title="Báo cáo công tác tuần 47"),
                *docs.DOCX_TYPE,
            ),
            ("../../../../etc/Quyết định.pdf", b"%PDF-1.4\n%%EOF", "application", "pdf"),
        ]
    )
    sub = take(mail, site_data)
    paths = [p for d in sub.drafts for p in [d.path, *d.files]]
    assert all(p.startswith("content/") and ".." not in p for p in paths)
    assert "content/files/quyet-dinh.pdf" in paths
