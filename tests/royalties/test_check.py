"""`check_item_royalty`: the royalty rule `portal check` and the review gate call."""

from pathlib import Path

import yaml

from portal.content import sitedata
from portal.content.items import load_item
from portal.project import REPO_RATES
from portal.royalties.check import check_item_royalty

HEADER = {
    "title": "Tin kiểm thử nhuận bút",
    "kind": "news",
    "date": "2026-11-20 09:00",
    "section": "tin-tuc",
    "unit": "van-phong",
    "status": "published",
}


def item_with(site_root: Path, **fields):
    path = site_root / "tin-tuc" / "tin.md"
    path.parent.mkdir(exist_ok=True)
    meta = {**HEADER, **fields}
    path.write_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nNội dung.\n",
        encoding="utf-8",
    )
    site = sitedata.load(site_root)
    return load_item(path, site), site


def problems(site, **fields) -> list:
    item, data = item_with(site, **fields)
    return check_item_royalty(item, data)


LAN = {"name": "Phạm Thị Lan", "id": "lan-pt", "unit": "cong-chuc-vien-chuc"}
DUC = {"name": "Hoàng Văn Đức", "id": "duc-hv"}


def test_a_correct_item_has_no_problem(site):
    assert problems(site, authors=[LAN], royalty={"work": "tin", "coefficient": 0.5}) == []


def test_item_without_royalty_is_not_checked(site):
    assert problems(site, authors=[{"name": "Không có trong danh sách"}]) == []


def test_coefficient_out_of_range_is_reported_at_its_line(site):
    (problem,) = problems(site, authors=[LAN], royalty={"work": "tin", "coefficient": 1.5})
    assert problem.field == "royalty.coefficient"
    assert problem.message == "hệ số 1.5 ngoài khung của loại 'tin' (Tin): cần từ 0.3 đến 1.0"
    lines = (site / "tin-tuc" / "tin.md").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].strip() == "coefficient: 1.5"


def test_unknown_work_lists_the_valid_codes(site):
    (problem,) = problems(site, authors=[LAN], royalty={"work": "phong-su", "coefficient": 1})
    assert problem.field == "royalty.work"
    assert "loại tác phẩm 'phong-su' không có trong reviews/royalty-rates.yml" in problem.message
    assert "anh, bai, dich, phong-van, tin, tra-loi, video" in problem.message


def test_missing_coefficient_takes_the_default(site):
    assert problems(site, authors=[LAN], royalty={"work": "bai"}) == []


def test_units_over_the_cap(site):
    (problem,) = problems(site, authors=[LAN], royalty={"work": "anh", "units": 6})
    assert problem.field == "royalty.units" and "tối đa 5" in problem.message


def test_shares_must_add_up_to_100(site):
    authors = [{**LAN, "share": 50}, {**DUC, "share": 30}]
    (problem,) = problems(site, authors=authors, royalty={"work": "tin", "coefficient": 0.5})
    assert problem.field == "authors[0].share"
    assert "là 80%, cần đúng 100%" in problem.message


def test_shares_either_all_or_none(site):
    authors = [{**LAN, "share": 100}, DUC]
    (problem,) = problems(site, authors=authors, royalty={"work": "tin", "coefficient": 0.5})
    assert problem.field == "authors[1]"
    assert "hoặc bỏ hết để chia đều" in problem.message


def test_photographers_are_a_group_of_their_own(site):
    authors = [{**LAN, "share": 100}, {**DUC, "role": "photo"}]
    assert problems(site, authors=authors, royalty={"work": "tin", "coefficient": 0.5}) == []


def test_every_author_must_be_on_the_roster(site):
    stranger = {"name": "Người Lạ", "id": "nguoi-la"}
    (problem,) = problems(site, authors=[stranger], royalty={"work": "tin", "coefficient": 0.5})
    assert problem.field == "authors[0].id"
    assert "không có trong reviews/roster.yml" in problem.message


def test_an_outside_contributor_on_the_roster_is_accepted(site):
    son = {"name": "Phan Văn Sơn", "id": "son-pv", "pen_name": "Sơn Phan"}
    assert problems(site, authors=[son], royalty={"work": "bai", "coefficient": 1}) == []


def test_royalty_without_authors(site):
    (problem,) = problems(site, royalty={"work": "tin", "coefficient": 0.5})
    assert problem.field == "royalty" and "không có tác giả" in problem.message


def test_missing_rates_file_fails_closed(site):
    (site.parent / REPO_RATES).unlink()
    (problem,) = problems(site, authors=[LAN], royalty={"work": "tin", "coefficient": 0.5})
    assert problem.is_error and "thiếu tệp bảng nhuận bút" in problem.message


def test_rates_are_reread_when_the_file_changes(site):
    fields = {"authors": [LAN], "royalty": {"work": "tin", "coefficient": 1.2}}
    assert len(problems(site, **fields)) == 1
    rates = site.parent / REPO_RATES
    text = rates.read_text(encoding="utf-8").replace("min: 0.3, max: 1.0", "min: 0.3, max: 1.5")
    rates.write_text(text, encoding="utf-8")
    assert problems(site, **fields) == []


def test_sample_items_pass(tmp_path):
    from tests.conftest import make_site

    content = make_site(tmp_path, with_sample_content=True)
    site = sitedata.load(content)
    found = []
    for path in sorted(content.rglob("*.md")):
        item = load_item(path, site)
        if "royalty" in item.meta:
            found.append(path.name)
            assert check_item_royalty(item, site) == [], path
    assert len(found) >= 7
