"""The data files the secretary edits: each bad edit is reported at its line."""

import pytest

from portal.content import sitedata


def write(site, name, text):
    path = site / "data" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def problems(site):
    return [str(p) for p in sitedata.load(site).problems]


def test_sample_data_is_valid(site):
    loaded = sitedata.load(site)
    assert loaded.problems == []
    assert "van-phong" in loaded.units and "van-ban" in loaded.sections
    assert loaded.roster is not None and "hung-nv" in loaded.roster.people


def test_unquoted_schedule_time_is_a_yaml_trap(site):
    write(
        site,
        "schedule/2026-W50.yml",
        "week: 2026-W50\nentries:\n  - date: 2026-12-07\n    time: 14:00\n"
        "    leader: Giám đốc Sở\n    content: Giao ban đầu tuần\n",
    )
    assert problems(site) == [
        "content/data/schedule/2026-W50.yml:4: entries[0].time: giá trị 14:00 không có ngoặc kép "
        'bị YAML đọc thành số (cơ số 60); hãy viết "14:00"'
    ]


def test_schedule_week_must_match_file_name(site):
    write(
        site,
        "schedule/2026-W51.yml",
        'week: 2026-W50\nentries:\n  - date: 2026-12-07\n    time: "07:30"\n'
        "    leader: Giám đốc Sở\n    content: Giao ban đầu tuần\n",
    )
    assert problems(site) == [
        "content/data/schedule/2026-W51.yml:1: week: tuần '2026-W50' khác tên tệp '2026-W51'"
    ]


def test_duplicate_unit_code(site):
    units = (site / "data/units.yml").read_text(encoding="utf-8")
    write(site, "units.yml", units + "- code: van-phong\n  name: Văn phòng 2\n  type: phong\n")
    line = units.count("\n") + 1
    assert problems(site) == [
        f"content/data/units.yml:{line}: code: mã 'van-phong' bị trùng với mục ở dòng 3"
    ]


def test_directory_names_unknown_unit(site):
    write(site, "directory.yml", 'units:\n  - unit: phong-la\n    phone: "0239 3855 512"\n')
    assert problems(site) == [
        "content/data/directory.yml:2: unit: đơn vị 'phong-la' không có trong"
        " content/data/units.yml"
    ]


def test_service_level_must_be_2_3_or_4(site):
    write(
        site,
        "services.yml",
        "services:\n  - code: '1.1'\n    name: Thi tuyển công chức\n    field: Công chức\n"
        "    level: 5\n    url: https://dichvucong.hatinh.gov.vn/x\n",
    )
    assert problems(site) == [
        "content/data/services.yml:5: services[0].level: giá trị 5 không hợp lệ; chỉ nhận: 2, 3, 4"
        " — mức độ 2, 3 hoặc 4"
    ]


def test_missing_units_file_is_an_error(site):
    (site / "data/units.yml").unlink()
    assert "content/data/units.yml: thiếu tệp dữ liệu bắt buộc units.yml" in problems(site)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"units:\n  - unit: v\xe9n-phong\n", "content/data/directory.yml:2: tệp không phải UTF-8"),
        (b"units: [\n", "content/data/directory.yml:2: YAML không hợp lệ"),
    ],
)
def test_unreadable_data_file(site, raw, expected):
    (site / "data/directory.yml").write_bytes(raw)
    assert any(p.startswith(expected) for p in problems(site)), problems(site)
