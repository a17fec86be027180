"""The portal's data files (YAML in content/data/): units, sections, directory,
online public services, the leaders' weekly schedules, software and links.

The secretary edits these; each is validated by its JSON Schema.
"""

from dataclasses import dataclass, field
from pathlib import Path

from portal import yamlfile, schema
from portal.errors import Problem, display_path
from portal.roster import ROSTER_PATH, parse_roster

DATA_DIR = "data"
SCHEDULE_DIR = "schedule"


@dataclass
class SiteData:
    root: Path  # the content folder
    units: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    leaders: dict = field(default_factory=dict)
    directory: dict = field(default_factory=dict)
    services: dict = field(default_factory=dict)
    software: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    schedules: list = field(default_factory=list)  # one mapping per week, newest first
    roster: object = None  # portal.roster.Roster, when reviews/roster.yml exists and is valid
    problems: list = field(default_factory=list)
    files: list = field(default_factory=list)  # the data files read

    @property
    def data_dir(self) -> Path:
        return self.root / DATA_DIR


def load(content_root: Path) -> SiteData:
    """Read and validate every data file; problems are collected, not raised."""
    site = SiteData(root=Path(content_root))
    for name in schema.DATA_FILES:
        if name == "schedule":
            continue
        path = site.data_dir / f"{name}.yml"
        data = _read(path, name, site, required=name in ("units", "sections"))
        if data is None:
            continue
        if name in ("units", "sections"):
            setattr(site, name, {entry["code"]: entry for entry in data})
        else:
            setattr(site, name, data)
    for path in sorted((site.data_dir / SCHEDULE_DIR).glob("*.yml"), reverse=True):
        data = _read(path, "schedule", site, required=False)
        if data is not None:
            site.schedules.append(data)
    _load_roster(site)
    return site


def _load_roster(site: SiteData) -> None:
    path = site.root.parent / ROSTER_PATH
    if not path.exists():
        return
    site.files.append(path)
    shown = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        site.problems.append(Problem(shown, utf8_line(error), "", utf8_message(error)))
        return
    site.roster, problems = parse_roster(text, shown, site.units or None, site.sections or None)
    site.problems.extend(problems)


def _read(path: Path, name: str, site: SiteData, required: bool):
    shown = display_path(path)
    if path.is_symlink():  # never read: its target may be any file of the server
        site.problems.append(
            Problem(shown, 0, "", "là liên kết tượng trưng (symlink): Cổng không đọc liên kết")
        )
        return None
    if not path.exists():
        if required:
            site.problems.append(Problem(shown, 0, "", f"thiếu tệp dữ liệu bắt buộc {name}.yml"))
        return None
    site.files.append(path)
    parsed = parse_yaml_file(path, shown)
    problems = parsed.problems or schema.validate(
        f"data-{name}", parsed.data, shown, parsed.line_of
    )
    if not problems and name in ("units", "sections"):
        problems = _duplicate_codes(parsed, shown)
    if not problems and name == "sections":
        problems = _bad_parents(parsed, shown)
    if not problems and name == "directory":
        problems = _unknown_directory_units(parsed, shown, site)
    if not problems and name == "leaders":
        problems = _unknown_leader_units(parsed, shown, site)
    if name == "schedule" and not problems and parsed.data["week"] != path.stem:
        problems = [
            Problem(
                shown,
                parsed.line_of(("week",)),
                "week",
                f"tuần '{parsed.data['week']}' khác tên tệp '{path.stem}'",
            )
        ]
    site.problems.extend(problems)
    return None if any(p.is_error for p in problems) else parsed.data


def parse_yaml_file(path: Path, shown: str) -> yamlfile.YamlDocument:
    """A whole YAML file, with line numbers (the same reader as the front matter)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        result = yamlfile.YamlDocument()
        result.problems.append(Problem(shown, utf8_line(error), "", utf8_message(error)))
        return result
    except OSError as error:
        result = yamlfile.YamlDocument()
        result.problems.append(Problem(shown, 0, "", f"không đọc được tệp: {error.strerror}"))
        return result
    return yamlfile.parse_yaml(text, 1, shown, require_mapping=False)


def utf8_line(error: UnicodeDecodeError) -> int:
    return error.object[: error.start].count(b"\n") + 1


def utf8_message(error: UnicodeDecodeError) -> str:
    return (
        f"tệp không phải UTF-8 (byte 0x{error.object[error.start]:02X}); "
        "văn bản phải dùng Unicode TCVN 6909:2001 — chạy 'portal fix-encoding' để chuyển đổi"
    )


def _bad_parents(parsed, shown: str) -> list[Problem]:
    """A section's parent is another top-level section: the menu has one level below it."""
    top_level = {entry["code"] for entry in parsed.data if "parent" not in entry}
    return [
        Problem(
            shown,
            parsed.line_of((index, "parent")),
            "parent",
            f"chuyên mục cha '{entry['parent']}' không phải một chuyên mục cấp trên trong tệp "
            f"này; các mã hợp lệ: {', '.join(sorted(top_level - {entry['code']}))}",
        )
        for index, entry in enumerate(parsed.data)
        if "parent" in entry and entry["parent"] not in top_level - {entry["code"]}
    ]


def _duplicate_codes(parsed, shown: str) -> list[Problem]:
    seen, problems = {}, []
    for index, entry in enumerate(parsed.data):
        code = entry["code"]
        if code in seen:
            problems.append(
                Problem(
                    shown,
                    parsed.line_of((index, "code")),
                    "code",
                    f"mã '{code}' bị trùng với mục ở dòng {seen[code]}",
                )
            )
        seen.setdefault(code, parsed.line_of((index, "code")))
    return problems


def _unknown_directory_units(parsed, shown: str, site: SiteData) -> list[Problem]:
    return [
        Problem(
            shown,
            parsed.line_of(("units", index, "unit")),
            "unit",
            f"đơn vị '{entry['unit']}' không có trong content/data/units.yml",
        )
        for index, entry in enumerate(parsed.data["units"])
        if site.units and entry["unit"] not in site.units
    ]


def _unknown_leader_units(parsed, shown: str, site: SiteData) -> list[Problem]:
    return [
        Problem(
            shown,
            parsed.line_of(("leaders", index, "units", u_index)),
            "units",
            f"đơn vị '{code}' không có trong content/data/units.yml",
        )
        for index, leader in enumerate(parsed.data["leaders"])
        for u_index, code in enumerate(leader.get("units", []))
        if site.units and code not in site.units
    ]
