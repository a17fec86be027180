"""The chain end to end, and one test per attack, each rejected with its reason.

Real git repositories, real ssh-keygen keys and signatures; decisions are made with the
real `portal review` commands, and attacks with plain git around them.
"""

import yaml

from tests.review.conftest import (
    BRANCH,
    CHAIN,
    ITEM,
    OLD_ITEM,
    act_as,
    approve,
    commit_all,
    git,
    hand_decision,
    item_text,
    portal,
    roster_yaml,
    run_chain,
    verdict_of,
    write,
)


def reasons(verdict) -> str:
    """Everything the gate says against a submission, as one text."""
    notes = [r for d in verdict.decisions for r in d.reasons] + [str(p) for p in verdict.problems]
    return "\n".join(notes)


def verify(root, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = portal(root, "review", "verify", "--base", "main", "--head", "HEAD")
    return code, capsys.readouterr().out


def test_happy_path_from_contributor_to_merge(repo, people, capsys, tmp_path):
    code, out = verify(repo, capsys)
    assert code == 1
    assert "chờ Phạm Thị Lan <lanpt@snv.vn>" in out  # the unit head is asked first

    for number, (pid, _) in enumerate(CHAIN, 1):
        assert approve(repo, people[pid]) == 0
        done = [r.stage.id for r in verdict_of(repo).stages if r.done]
        assert done == [s for _, s in CHAIN[:number]]

    summary = tmp_path / "summary.md"
    capsys.readouterr()
    assert portal(repo, "review", "verify", "--base", "main", "--markdown", str(summary)) == 0
    assert "Kết quả: ĐẠT" in capsys.readouterr().out
    table = summary.read_text(encoding="utf-8")
    assert "| 4 | Trưởng Ban phê duyệt đăng (Điều 13.1) | xong | Nguyễn Văn Hùng" in table

    ledger_file = next((repo / "reviews" / "ledger").glob("*-tin-hoi-nghi.yml"))
    entries = yaml.safe_load(ledger_file.read_text(encoding="utf-8"))["entries"]
    assert [(e["person"], e["stage"], e["decision"]) for e in entries] == [
        (pid, stage, "approve") for pid, stage in CHAIN
    ]
    assert len({e["content"] for e in entries}) == 1

    act_as(repo, people["quan-tri"])  # the administrator publishes: merges
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Đăng tin hội nghị", BRANCH)
    capsys.readouterr()
    assert portal(repo, "review", "audit", "--since", "2026-01-01") == 0
    assert "đều đủ chuỗi duyệt" in capsys.readouterr().out


def test_approver_not_on_the_roster(repo, people, capsys):
    hand_decision(repo, people["la"], "unit_head", "unit_head")
    code, out = verify(repo, capsys)
    assert code == 1
    assert "người 'la' không có trong reviews/roster.yml của nhánh gốc" in out


def test_not_on_the_roster_cannot_use_the_command(repo, people, capsys):
    assert approve(repo, people["la"]) == 2
    assert "email 'outsider@example.vn'" in capsys.readouterr().err


def test_approver_without_the_stage_role(repo, people, capsys):
    run_chain(repo, people, upto=2)
    hand_decision(repo, people["thu-ky"], "deputy", "deputy")
    verdict = verdict_of(repo)
    assert "Lê Thị Minh Thu không giữ vai trò Phó Trưởng Ban Biên tập" in reasons(verdict)
    assert not verdict.ok
    assert approve(repo, people["thu-ky"]) == 2  # the command refuses before writing anything


def test_member_outside_their_sections(repo, people, capsys):
    run_chain(repo, people, upto=1)
    hand_decision(repo, people["uy-vien-vb"], "member", "member")
    verdict = verdict_of(repo)
    assert "Nguyễn Đình Phúc (Ủy viên Ban Biên tập) không phụ trách chuyên mục tin-tuc" in reasons(
        verdict
    )
    assert [r.stage.id for r in verdict.stages if r.done] == ["unit_head"]


def test_unit_head_of_another_unit(repo, people):
    hand_decision(repo, people["truong-dv-khac"], "unit_head", "unit_head")
    verdict = verdict_of(repo)
    assert "Bùi Thanh Hải (Trưởng đơn vị) không phụ trách đơn vị cong-chuc-vien-chuc" in reasons(
        verdict
    )
    assert not verdict.ok


def test_listed_author_cannot_approve(repo, people, capsys):
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(author="truong-dv"))
    commit_all(repo, "Ghi tác giả là trưởng đơn vị")
    assert approve(repo, people["truong-dv"]) == 2
    assert "tác giả không được tự duyệt" in capsys.readouterr().err
    hand_decision(repo, people["truong-dv"], "unit_head", "unit_head")
    verdict = verdict_of(repo)
    assert f"Phạm Thị Lan là tác giả ghi trong {ITEM}" in reasons(verdict)
    assert not verdict.stages[0].done


def test_commit_author_cannot_approve(repo, people):
    act_as(repo, people["pho-ban"])  # the deputy edits the text herself...
    write(repo, ITEM, item_text(body="Nội dung đã biên tập."))
    commit_all(repo, "Biên tập")
    run_chain(repo, people, upto=2)
    hand_decision(repo, people["pho-ban"], "deputy", "deputy")  # ...then approves it
    verdict = verdict_of(repo)
    assert "Trần Thị Hương là người ký commit sửa nội dung" in reasons(verdict)
    assert not verdict.ok


def test_one_person_cannot_satisfy_two_stages(repo, people):
    run_chain(repo, people, upto=1)
    assert approve(repo, people["pho-ban"], "--stage", "member") == 0  # member of tin-tuc too
    hand_decision(repo, people["pho-ban"], "deputy", "deputy")
    verdict = verdict_of(repo)
    assert "một người không được duyệt hai bước" in reasons(verdict)
    assert [r.stage.id for r in verdict.stages if r.done] == ["unit_head", "member"]


def test_unsigned_approval(repo, people, capsys):
    hand_decision(repo, people["truong-dv"], "unit_head", "unit_head", sign=False)
    code, out = verify(repo, capsys)
    assert code == 1
    assert "commit không có chữ ký (unsigned)" in out


def test_signed_with_another_persons_key(repo, people, capsys):
    hand_decision(
        repo, people["truong-dv"], "unit_head", "unit_head", sign_with=people["uy-vien"].key
    )
    code, out = verify(repo, capsys)
    assert code == 1
    assert "ký bằng khóa của Đặng Quốc Bảo, không phải của Phạm Thị Lan" in out


def test_signed_with_a_key_outside_the_roster(repo, people, capsys):
    hand_decision(repo, people["truong-dv"], "unit_head", "unit_head", sign_with=people["la"].key)
    code, out = verify(repo, capsys)
    assert code == 1
    assert "ký bằng một khóa không có trong reviews/roster.yml" in out


def test_approval_outside_the_persons_term(repo, people, capsys):
    run_chain(repo, people, upto=2)
    assert approve(repo, people["pho-ban-cu"]) == 2
    assert "không giữ vai trò Phó Trưởng Ban Biên tập" in capsys.readouterr().err
    hand_decision(repo, people["pho-ban-cu"], "deputy", "deputy")
    verdict = verdict_of(repo)
    assert "Lê Quang Vinh không giữ vai trò Phó Trưởng Ban Biên tập vào ngày" in reasons(verdict)
    assert not verdict.ok


def test_submission_adding_its_author_to_the_roster(repo, people, capsys):
    act_as(repo, people["ctv"])
    promoted = roster_yaml(people).replace(
        "{role: contributor, from: 2024-01-01}",
        "{role: contributor, from: 2024-01-01}\n      - {role: head, from: 2024-01-01}",
    )
    write(repo, "reviews/roster.yml", promoted)
    commit_all(repo, "Thêm vai trò")
    hand_decision(repo, people["ctv"], "head", "head")
    verdict = verdict_of(repo)
    assert "Hoàng Văn Cường không giữ vai trò Trưởng Ban Biên tập" in reasons(verdict)
    stages = [r.stage.id for r in verdict.stages]
    assert stages == ["unit_head", "member", "deputy", "head"]
    assert verdict.rules_used["Danh sách người và quy trình duyệt"] == ["reviews/roster.yml"]
    assert verify(repo, capsys)[0] == 1


def test_submission_weakening_the_policy(repo, people, capsys):
    act_as(repo, people["ctv"])
    policy = (repo / "reviews/policy.yml").read_text(encoding="utf-8")
    weak = policy.replace("stages: [unit_head, member, deputy, head]", "stages: [head]")
    assert weak != policy
    write(repo, "reviews/policy.yml", weak)
    commit_all(repo, "Rút gọn quy trình")
    assert approve(repo, people["truong-ban"]) == 2  # the base policy still starts elsewhere
    hand_decision(repo, people["truong-ban"], "head", "head")
    verdict = verdict_of(repo)
    assert [r.stage.id for r in verdict.stages] == ["unit_head", "member", "deputy", "head"]
    assert "duyệt vượt bước" in reasons(verdict)
    code, out = verify(repo, capsys)
    assert code == 1
    assert "Quy tắc «Danh sách người và quy trình duyệt»: 1 tệp" in out


def test_stale_after_an_edit(repo, people, capsys):
    run_chain(repo, people)
    assert verdict_of(repo).ok
    act_as(repo, people["ctv"])
    write(repo, ITEM, item_text(body="Sửa thêm một câu sau khi đã duyệt."))
    commit_all(repo, "Sửa sau khi duyệt")
    code, out = verify(repo, capsys)
    assert code == 1
    assert out.count("không được tính: đã cũ") == 4
    assert "chờ Phạm Thị Lan" in out  # the chain starts again at the first stage


def edit_published_item(repo, people, body: str) -> None:
    act_as(repo, people["ctv"])
    write(repo, OLD_ITEM, item_text(title="Tin đã đăng từ trước", body=body))
    commit_all(repo, "Sửa tin đã đăng")


def change_old_item_on_main(repo, people, title: str) -> None:
    act_as(repo, people["quan-tri"])
    git(repo, "switch", "-q", "main")
    write(repo, OLD_ITEM, item_text(title=title, body="Cũ."))
    commit_all(repo, "Sửa tiêu đề trên main")
    git(repo, "switch", "-q", BRANCH)


def test_merging_main_keeps_approvals_when_it_does_not_touch_the_files(repo, people):
    run_chain(repo, people)
    act_as(repo, people["quan-tri"])
    git(repo, "switch", "-q", "main")
    write(repo, "content/tin-tuc/khac.md", item_text(title="Tin khác"))
    commit_all(repo, "Tin khác")
    git(repo, "switch", "-q", BRANCH)
    git(repo, "merge", "-q", "--no-edit", "main")
    assert verdict_of(repo).ok


def test_stale_after_merging_main_into_the_branch(repo, people, capsys):
    edit_published_item(repo, people, body="Cũ.\n\nThêm đoạn mới.")
    run_chain(repo, people)
    assert verdict_of(repo).ok
    change_old_item_on_main(repo, people, "Tin đã đăng (tiêu đề mới)")
    git(repo, "merge", "-q", "--no-edit", "main")
    code, out = verify(repo, capsys)
    assert code == 1
    assert out.count("không được tính: đã cũ") == 4


def test_stale_after_a_rebase(repo, people, capsys):
    edit_published_item(repo, people, body="Cũ.\n\nThêm đoạn mới.")
    run_chain(repo, people)
    change_old_item_on_main(repo, people, "Tin đã đăng (tiêu đề mới)")
    act_as(repo, people["ctv"])
    git(repo, "-c", "commit.gpgsign=false", "rebase", "-q", "main")
    code, out = verify(repo, capsys)
    assert code == 1
    assert "đã cũ: nội dung đã thay đổi" in out
    assert "commit không có chữ ký (unsigned); rebase" in out


def test_skipped_stage(repo, people, capsys):
    run_chain(repo, people, upto=1)
    assert approve(repo, people["pho-ban"], "--stage", "deputy") == 2
    assert "duyệt vượt bước" in capsys.readouterr().err
    hand_decision(repo, people["pho-ban"], "deputy", "deputy")
    verdict = verdict_of(repo)
    assert "duyệt vượt bước: bước 'Ủy viên biên tập và kiểm duyệt theo lĩnh vực' chưa xong" in (
        reasons(verdict)
    )
    assert [r.stage.id for r in verdict.stages if r.done] == ["unit_head"]


def test_ledger_entry_without_a_signed_commit(repo, people, capsys):
    run_chain(repo, people, upto=3)
    ledger_file = next((repo / "reviews" / "ledger").glob("*.yml"))
    data = yaml.safe_load(ledger_file.read_text(encoding="utf-8"))
    forged = dict(data["entries"][-1], stage="head", role="head", person="truong-ban")
    data["entries"].append(forged)
    ledger_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    commit_all(repo, "Thêm dòng duyệt")
    code, out = verify(repo, capsys)
    assert code == 1
    assert "mục #4 (truong-ban, bước head, approve) không có commit quyết định có chữ ký" in out
    assert "thiếu trailer Review-Decision" in out


def test_edited_ledger_entry_is_caught(repo, people, capsys):
    run_chain(repo, people, upto=2)
    ledger_file = next((repo / "reviews" / "ledger").glob("*.yml"))
    text = ledger_file.read_text(encoding="utf-8")
    ledger_file.write_text(text.replace("person: uy-vien", "person: pho-ban"))
    commit_all(repo, "Sửa sổ")
    code, out = verify(repo, capsys)
    assert code == 1
    assert "mục #2 (pho-ban, bước member, approve) không có commit" in out


def test_request_for_changes_blocks_later_stages_until_that_stage_approves(repo, people, capsys):
    run_chain(repo, people, upto=1)
    act_as(repo, people["uy-vien"])
    assert portal(repo, "review", "request-changes", "--base", "main", "-m", "Thiếu nguồn ảnh") == 0
    hand_decision(repo, people["pho-ban"], "deputy", "deputy")
    verdict = verdict_of(repo)
    assert "đang bị Đặng Quốc Bảo yêu cầu sửa" in reasons(verdict)
    capsys.readouterr()
    portal(repo, "review", "status", "--base", "main")
    assert "Đặng Quốc Bảo yêu cầu sửa lúc" in capsys.readouterr().out
    assert verdict.stages[1].blocked_by.entry["message"] == "Thiếu nguồn ảnh"
    assert [r.stage.id for r in verdict.stages if r.done] == ["unit_head"]

    assert approve(repo, people["uy-vien"]) == 0  # the chain resumes at the member's stage
    assert approve(repo, people["pho-ban"]) == 0
    assert approve(repo, people["truong-ban"]) == 0
    assert verdict_of(repo).ok
