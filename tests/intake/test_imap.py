"""`portal intake --imap` against a real Dovecot on 127.0.0.1, and the whole way to a build.

A mailbox with three messages becomes three branches; a second run takes nothing twice;
a message arriving later is taken then. Each branch's items pass `portal check` once the
editor writes the alt text, and the portal builds with them.
"""

import imaplib
import re

import pytest

from portal.checks import check
from portal.cli import main
from portal.errors import PortalError
from portal.intake import imap
from tests.intake import documents as docs
from tests.intake import dovecot
from tests.intake.conftest import git
from tests.site.sitebuild import build

ALT = "Ảnh hoạt động của đơn vị"


@pytest.fixture
def server(monkeypatch):
    reason = dovecot.available()
    if reason:
        pytest.skip(reason)
    running = dovecot.start()
    monkeypatch.setenv("PORTAL_IMAP_HOST", "127.0.0.1")
    monkeypatch.setenv("PORTAL_IMAP_PORT", str(running.port))
    monkeypatch.setenv("PORTAL_IMAP_USER", running.user)
    monkeypatch.setenv("PORTAL_IMAP_PASSWORD", running.password)
    monkeypatch.setenv("PORTAL_IMAP_TLS", "false")
    yield running
    running.stop()


def deliver(server, *messages) -> None:
    client = imaplib.IMAP4("127.0.0.1", server.port, timeout=30)
    client.login(server.user, server.password)
    for message in messages:
        client.append(
            "INBOX", None, None, bytes(message).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        )
    client.logout()


def three_messages():
    word = docs.message(
        subject="Tin giao ban",
        attachments=[("Tin giao ban.docx", docs.news_docx(), *docs.DOCX_TYPE)],
    )
    html_only = docs.message(
        subject="Chi đoàn Sở ra quân Chủ nhật xanh",
        sender="Trần Thị Hương <huongtt.snv@hatinh.gov.vn>",
        body=None,
        html="<p>Sáng Chủ nhật, Chi đoàn Sở Nội vụ ra quân dọn vệ sinh môi trường.</p>",
    )
    vntime = docs.message(
        subject="Bai cu go bang VnTime",
        sender="Đặng Quốc Bảo <baodq.snv@hatinh.gov.vn>",
        attachments=[
            ("tong-ket.docx", docs.vntime_docx(), *docs.DOCX_TYPE),
            ("anh.jpg", docs.jpeg(), "image", "jpeg"),
        ],
    )
    return word, html_only, vntime


def branches(root) -> list[str]:
    return git(root, "for-each-ref", "--format=%(refname:short)", "refs/heads/intake/").split()


def fill_alt_text(root) -> None:
    """What the editor does: describe each image, in the front matter and in the body."""
    for item in (root / "content").rglob("*.md"):
        text = item.read_text(encoding="utf-8")
        if "alt: ''" in text:
            text = text.replace("alt: ''", f"alt: {ALT}").replace("![](", f"![{ALT}](")
            item.write_text(text, encoding="utf-8")


def test_three_messages_three_branches_none_twice_none_lost_then_build(server, portal, capsys):
    deliver(server, *three_messages())
    assert main(["intake", "--imap"]) == 0
    taken = branches(portal)
    assert len(taken) == 3, capsys.readouterr()
    out = capsys.readouterr().out
    assert "3 thư" in out

    assert main(["intake", "--imap"]) == 0  # none twice
    assert branches(portal) == taken
    assert "3 thư đã nhận trước đây: bỏ qua, không tải lại" in capsys.readouterr().out

    late = docs.message(subject="Tin đến sau", body="Thanh tra Sở làm việc với các phòng.")
    deliver(server, late)
    assert main(["intake", "--imap"]) == 0  # none lost
    assert len(branches(portal)) == 4

    vntime_branch = next(b for b in taken if "bao-cao-tong-ket" in b)
    item = next(
        p
        for p in git(portal, "diff", "--name-only", "main", vntime_branch).split()
        if p.startswith("content/") and p.endswith(".md")
    )
    assert "Sở Nội vụ tỉnh Hà Tĩnh tổ chức hội nghị" in git(
        portal, "show", f"{vntime_branch}:{item}"
    )

    for branch in taken:
        git(portal, "checkout", "-q", branch)
        fill_alt_text(portal)
        errors = [str(p) for p in check(portal / "content").problems if p.is_error]
        assert errors == [], (branch, errors)
        git(portal, "commit", "-qam", "Alt text written by the editor", "--allow-empty")
        git(portal, "checkout", "-q", "main")
        git(portal, "merge", "-q", "--no-edit", branch)

    for item in (portal / "content").rglob("*.md"):  # approved: the chain publishes them
        text = item.read_text(encoding="utf-8")
        item.write_text(text.replace("status: draft", "status: published"), encoding="utf-8")
    result = build(portal)
    assert result.returncode == 0, result.stderr[-3000:]
    [path] = [
        p for p in (portal / "output").rglob("*.html") if "bao-cao-tong-ket-cong-tac" in str(p)
    ]
    page = path.read_text(encoding="utf-8")
    assert docs.VNTIME_TITLE in page
    assert "Sở Nội vụ tỉnh Hà Tĩnh tổ chức hội nghị" in page
    assert re.search(rf'<img[^>]+alt="{ALT}"', page)
    assert list((portal / "output").rglob("bao-cao-tong-ket-cong-tac-nam-2026-1.jpg"))


def test_wrong_password_is_a_clear_error(server, portal, monkeypatch, capsys):
    monkeypatch.setenv("PORTAL_IMAP_PASSWORD", "sai")
    assert main(["intake", "--imap"]) == 2
    err = capsys.readouterr().err
    assert "không kết nối được hộp thư sonoivu@hatinh.gov.vn@127.0.0.1" in err
    assert "Traceback" not in err and "sai" not in err.split("hộp thư")[0]


def test_password_only_from_the_environment(portal, monkeypatch):
    monkeypatch.delenv("PORTAL_IMAP_PASSWORD", raising=False)
    (portal / "reviews" / "intake.yml").write_text(
        "imap:\n  host: mail.hatinh.gov.vn\n  user: sonoivu@hatinh.gov.vn\n  password: lo\n"
    )
    with pytest.raises(PortalError, match="PORTAL_IMAP_PASSWORD") as error:
        imap.settings(portal, {})
    assert "reviews/intake.yml:4: imap.password: " in str(error.value)
    (portal / "reviews" / "intake.yml").write_text(
        "imap:\n  host: mail.hatinh.gov.vn\n  user: sonoivu@hatinh.gov.vn\n  folder: Tin bai\n"
    )
    with pytest.raises(PortalError, match="thiếu mật khẩu"):
        imap.settings(portal, {})
    config = imap.settings(portal, {"PORTAL_IMAP_PASSWORD": "x"})
    assert (config.host, config.port, config.tls, config.folder) == (
        "mail.hatinh.gov.vn",
        993,
        True,
        "Tin bai",
    )


def test_plain_imap_only_to_this_machine(portal):
    environ = {
        "PORTAL_IMAP_HOST": "mail.hatinh.gov.vn",
        "PORTAL_IMAP_USER": "u",
        "PORTAL_IMAP_PASSWORD": "p",
        "PORTAL_IMAP_TLS": "false",
    }
    with pytest.raises(PortalError, match="127.0.0.1"):
        imap.settings(portal, environ)
    with pytest.raises(PortalError, match="PORTAL_IMAP_HOST"):
        imap.settings(portal, {"PORTAL_IMAP_PASSWORD": "p"})


def test_modified_utf7_folder_names_match_rfc_3501():
    assert imap.modified_utf7("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
    # Oracle: Python's UTF-7 decoder, after undoing IMAP's two changes (`&` for `+`, `,`
    # for `/`) and its escape `&-` for `&`.
    for word in ("bài", "ảnh", "Thư mục Tin bài đã nhận", "A&B ~/x", "Đ"):
        encoded = imap.modified_utf7(word)
        assert encoded.isascii()
        standard = encoded.replace("&-", "\0").replace(",", "/").replace("&", "+")
        assert standard.encode("ascii").decode("utf-7").replace("\0", "&") == word


def test_a_folder_with_a_vietnamese_name(server, portal, monkeypatch):
    client = imaplib.IMAP4("127.0.0.1", server.port, timeout=30)
    client.login(server.user, server.password)
    folder = '"' + imap.modified_utf7("Tin bài") + '"'
    assert client.create(folder)[0] == "OK"
    message = bytes(docs.message(subject="Tin trong thư mục riêng", body="Nội dung tin bài."))
    client.append(folder, None, None, message.replace(b"\n", b"\r\n"))
    client.logout()
    monkeypatch.setenv("PORTAL_IMAP_FOLDER", "Tin bài")
    assert main(["intake", "--imap"]) == 0
    assert [b for b in branches(portal) if "tin-trong-thu-muc-rieng" in b]
