"""`portal intake` end to end on a real git repository: branches, evidence, memory, inputs."""

import mailbox
import subprocess

import pytest

from portal.checks import check
from portal.cli import main
from tests.intake import documents as docs
from tests.intake.conftest import git


def branches(root) -> list[str]:
    return git(root, "for-each-ref", "--format=%(refname:short)", "refs/heads/intake/").split()


def files_on(root, branch) -> list[str]:
    return git(root, "ls-tree", "-r", "--name-only", branch).split()


def test_docx_becomes_a_branch_with_evidence_and_the_working_tree_is_untouched(portal, capsys):
    (portal / "tin.docx").write_bytes(docs.vntime_docx())
    status_before = git(portal, "status", "--porcelain")
    assert main(["intake", "tin.docx"]) == 0
    [branch] = branches(portal)
    assert branch.startswith("intake/") and "bao-cao-tong-ket-cong-tac-nam-2026" in branch
    assert git(portal, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(portal, "status", "--porcelain") == status_before  # only tin.docx, untracked
    added = set(files_on(portal, branch)) - set(files_on(portal, "main"))
    evidence = [p for p in added if p.startswith("reviews/intake/")]
    assert any(p.endswith("/goc.docx") for p in evidence) and any(
        p.endswith("/TOM-TAT.md") for p in evidence
    )
    original = next(p for p in evidence if p.endswith("goc.docx"))
    assert git(portal, "cat-file", "-s", f"{branch}:{original}").strip() == str(
        len(docs.vntime_docx())
    )
    summary = git(
        portal, "show", f"{branch}:{next(p for p in evidence if p.endswith('TOM-TAT.md'))}"
    )
    assert "3 đoạn chữ phông .VnTime đã chuyển sang Unicode" in summary
    assert "royalty" in summary
    item = next(p for p in added if p.startswith("content/"))
    assert "Sở Nội vụ tỉnh Hà Tĩnh tổ chức hội nghị" in git(portal, "show", f"{branch}:{item}")
    out = capsys.readouterr().out
    assert branch in out


def test_the_same_input_is_never_taken_twice(portal, capsys):
    (portal / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", "tin.docx"]) == 0
    assert main(["intake", "tin.docx"]) == 0
    assert len(branches(portal)) == 1
    assert "đã nhận trước đây" in capsys.readouterr().out


def test_two_messages_with_the_same_title_get_two_branches(portal):
    one = docs.message(body="Nội dung thứ nhất của tin giao ban tháng 11.")
    two = docs.message(body="Nội dung thứ hai, khác hẳn, của tin giao ban.")
    (portal / "a.eml").write_bytes(bytes(one))
    (portal / "b.eml").write_bytes(bytes(two))
    assert main(["intake", "a.eml", "b.eml"]) == 0
    assert len(branches(portal)) == 2


def test_maildir_and_mbox(portal, tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(bytes(docs.message(subject="Tin thứ nhất", body="Nội dung tin thứ nhất tháng 11.")))
    box.add(bytes(docs.message(subject="Tin thứ hai", body="Nội dung tin thứ hai tháng 11.")))
    mbox = mailbox.mbox(tmp_path / "thu.mbox", create=True)
    mbox.add(bytes(docs.message(subject="Tin thứ ba", body="Nội dung tin thứ ba tháng 11.")))
    mbox.flush()
    assert main(["intake", str(tmp_path / "Maildir"), str(tmp_path / "thu.mbox")]) == 0
    names = " ".join(branches(portal))
    assert all(n in names for n in ("tin-thu-nhat", "tin-thu-hai", "tin-thu-ba"))


def test_refused_inputs_are_named_and_the_others_still_taken(portal, capsys, tmp_path):
    (portal / "cu.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le")
    )
    (portal / "tot.docx").write_bytes(docs.news_docx())
    (tmp_path / "bi-mat.docx").write_bytes(docs.news_docx(title="Không được đọc qua liên kết"))
    (portal / "lien-ket.docx").symlink_to(tmp_path / "bi-mat.docx")
    (portal / "ghi-chu.txt").write_text("xin chào")
    code = main(["intake", "cu.doc", "lien-ket.docx", "ghi-chu.txt", "khong-co.docx", "tot.docx"])
    err = capsys.readouterr().err
    assert code == 1
    assert "cu.doc: tệp .doc (Word 97-2003)" in err
    assert "lien-ket.docx: là liên kết tượng trưng (symlink)" in err
    assert "ghi-chu.txt: không nhận dạng được" in err
    assert "khong-co.docx: không có tệp này" in err
    assert "Traceback" not in err
    assert len(branches(portal)) == 1  # tot.docx; the .doc stays where it is


def test_message_with_nothing_usable_still_keeps_its_evidence(portal):
    (portal / "rong.eml").write_bytes(bytes(docs.message(body="  ")))
    assert main(["intake", "rong.eml"]) == 1
    [branch] = branches(portal)
    added = set(files_on(portal, branch)) - set(files_on(portal, "main"))
    assert {p.rsplit("/", 1)[1] for p in added} == {"goc.eml", "TOM-TAT.md"}


def test_large_file_on_the_command_line_is_refused_before_reading(portal, capsys):
    with open(portal / "lon.docx", "wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    assert main(["intake", "lon.docx"]) == 1
    assert "lon.docx: tệp lớn 50.0 MB, vượt giới hạn 50.0 MB" in capsys.readouterr().err


def test_dry_run_creates_nothing(portal, capsys):
    (portal / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", "--dry-run", "tin.docx"]) == 0
    assert branches(portal) == []
    assert "sẽ tạo content/tin-tuc/" in capsys.readouterr().out


def test_here_writes_the_files_and_check_flags_only_what_the_editor_must_fill(portal):
    mail = docs.message(attachments=[("tin.docx", docs.news_docx(), *docs.DOCX_TYPE)])
    (portal / "tin.eml").write_bytes(bytes(mail))
    assert main(["intake", "--here", "tin.eml"]) == 0
    item = portal / "content/tin-tuc/2026-11-24-so-noi-vu-to-chuc-hoi-nghi-giao-ban-thang-11.md"
    assert errors(portal) == [f"{item.relative_to(portal)}:15: images[0].alt"]
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("alt: ''", "alt: Quang cảnh hội nghị"), encoding="utf-8")
    [body] = errors(portal)
    assert body.endswith(": body")
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("![](", "![Quang cảnh hội nghị]("), encoding="utf-8")
    assert errors(portal) == []


def errors(root) -> list[str]:
    result = check(root / "content")
    return [f"{p.path}:{p.line}: {p.field}" for p in result.problems if p.is_error]


def test_outside_a_git_repository_the_command_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", "tin.docx"]) == 2
    assert "không nằm trong một kho git" in capsys.readouterr().err


def test_no_input_is_a_usage_error(portal, capsys):
    assert main(["intake"]) == 2
    assert "cần ít nhất một ĐƯỜNG_DẪN" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--push"])
def test_push_sends_the_branch_to_the_remote(portal, tmp_path, flag):
    remote = tmp_path / "forge.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(portal, "remote", "add", "origin", str(remote))
    (portal / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", flag, "origin", "tin.docx"]) == 0
    [branch] = branches(portal)
    assert git(remote, "rev-parse", branch) == git(portal, "rev-parse", branch)


def test_outside_the_portal_folder_with_here_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", "--here", "tin.docx"]) == 2
    assert "content/data/sections.yml" in capsys.readouterr().err
    assert not (tmp_path / "content").exists()


def test_a_legal_stub_is_flagged_by_check_for_what_only_the_editor_knows(portal):
    pdf = b"%PDF-1.4\n% ke hoach\n%%EOF\n"
    mail = docs.message(attachments=[("Kế hoạch 215.pdf", pdf, "application", "pdf")])
    (portal / "vb.eml").write_bytes(bytes(mail))
    assert main(["intake", "--here", "vb.eml"]) == 0
    assert (portal / "content/files/ke-hoach-215.pdf").read_bytes() == pdf
    stub = [e for e in errors(portal) if "van-ban/ke-hoach-215.md" in e]
    assert {e.rsplit(": ", 1)[1] for e in stub} == {
        "doc_type",
        "number",
        "issuer",
        "issued",
        "abstract",
    }


def test_several_documents_in_one_message_are_items_of_one_branch(portal):
    mail = docs.message(
        attachments=[
            ("a.docx", docs.news_docx(title="Tin thứ nhất của đơn vị"), *docs.DOCX_TYPE),
            ("b.docx", docs.news_docx(title="Tin thứ hai của đơn vị"), *docs.DOCX_TYPE),
        ]
    )
    (portal / "hai.eml").write_bytes(bytes(mail))
    assert main(["intake", "hai.eml"]) == 0
    [branch] = branches(portal)
    added = set(files_on(portal, branch)) - set(files_on(portal, "main"))
    items = sorted(p for p in added if p.startswith("content/tin-tuc/"))
    assert [p.split("2026-11-24-")[1] for p in items] == [
        "tin-thu-hai-cua-don-vi.md",
        "tin-thu-nhat-cua-don-vi.md",
    ]


def test_the_commit_names_the_sender_and_the_original(portal):
    (portal / "tin.eml").write_bytes(bytes(docs.message()))
    assert main(["intake", "tin.eml"]) == 0
    [branch] = branches(portal)
    author = git(portal, "log", "-1", "--format=%an <%ae>", branch).strip()
    assert author == "Lê Thị Minh Thu <thultm.snv@hatinh.gov.vn>"
    trailers = git(portal, "log", "-1", "--format=%(trailers:only)", branch)
    assert "Intake-From: thultm.snv@hatinh.gov.vn" in trailers
    assert "Intake-Sha256: " in trailers


def test_a_failure_before_the_commit_loses_nothing(portal, monkeypatch, capsys):
    """Fault injection: the first commit fails (as a full disk would); nothing is
    remembered, so the next run takes the message."""
    from portal.errors import PortalError
    from portal.intake import chain

    (portal / "tin.eml").write_bytes(bytes(docs.message()))
    real = chain.commit_branch

    def failing(*args, **kwargs):
        raise PortalError("lệnh git write-tree thất bại: No space left on device")

    monkeypatch.setattr(chain, "commit_branch", failing)
    assert main(["intake", "tin.eml"]) == 2
    assert branches(portal) == [] and git(portal, "for-each-ref", "refs/intake-taken/") == ""
    monkeypatch.setattr(chain, "commit_branch", real)
    assert main(["intake", "tin.eml"]) == 0
    assert len(branches(portal)) == 1


def test_branches_start_from_the_base_given(portal):
    git(portal, "switch", "-q", "-c", "viec-khac")
    (portal / "rieng.txt").write_text("x")
    git(portal, "add", "rieng.txt")
    git(portal, "commit", "-qm", "Other work")
    (portal / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", "--base", "main", "tin.docx"]) == 0
    [branch] = branches(portal)
    assert git(portal, "rev-parse", f"{branch}~1") == git(portal, "rev-parse", "main")


def test_intake_commit_is_signed_with_the_secretarys_key(portal, tmp_path, capsys):
    """The gate accepts only signed content commits: intake signs with user.signingkey."""
    key = tmp_path / "thuky"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key), "-C", "thuky"], check=True
    )
    git(portal, "config", "gpg.format", "ssh")
    git(portal, "config", "user.signingkey", str(key))
    (portal / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", "tin.docx"]) == 0
    [branch] = branches(portal)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"thuky@hatinh.gov.vn {(tmp_path / 'thuky.pub').read_text()}")
    status = git(
        portal, "-c", f"gpg.ssh.allowedSignersFile={signers}", "log", "-1", "--format=%G?", branch
    )
    assert status.strip() == "G"
    assert "commit chưa ký" not in capsys.readouterr().out


def test_an_unsigned_intake_commit_is_announced(portal, capsys):
    (portal / "tin.docx").write_bytes(docs.news_docx())
    assert main(["intake", "tin.docx"]) == 0
    [branch] = branches(portal)
    assert git(portal, "log", "-1", "--format=%G?", branch).strip() == "N"
    assert "commit chưa ký" in capsys.readouterr().out
