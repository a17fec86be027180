"""The portal's data files (YAML in content/data/): units, sections, directory,
online public services, the leaders' weekly schedules, software and links.

The secretary edits these; each is validated by its JSON Schema.
"""

from dataclasses import dataclass, field
from pathlib import Path

from portal import roster, schema, yamlfile
from portal.errors import Problem, display_path
from portal.project import DATA, DATA_SUFFIX, REPO_ROSTER, SCHEDULE


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
        return self.root / DATA


def load(content_root: Path) -> SiteData:
    """Read and validate every data file; problems are collected, not raised."""
    site = SiteData(root=Path(content_root))
    for name in schema.DATA_FILES:
        if name == "schedule":
            continue
        path = site.data_dir / f"{name}{DATA_SUFFIX}"
        data = _read(path, name, site, required=name in ("units", "sections"))
        if data is None:
            continue
        if name in ("units", "sections"):
            setattr(site, name, {entry["code"]: entry for entry in data})
        else:
            setattr(site, name, data)
    for path in sorted((site.data_dir / SCHEDULE).glob(f"*{DATA_SUFFIX}"), reverse=True):
        data = _read(path, "schedule", site, required=False)
        if data is not None:
            site.schedules.append(data)
    _load_roster(site)
    return site


def _load_roster(site: SiteData) -> None:
    top = site.root.parent
    path = top / REPO_ROSTER
    if not (path.exists() or path.is_symlink()):
        return
    site.files.append(path)
    site.roster, problems = roster.load(top, site.units or None, site.sections or None)
    site.problems.extend(problems)


def _read(path: Path, name: str, site: SiteData, required: bool):
    if not (path.exists() or path.is_symlink()):
        if required:
            message = f"thiếu tệp dữ liệu bắt buộc {name}{DATA_SUFFIX}"
            site.problems.append(Problem.about(message, display_path(path)))
        return None
    parsed = yamlfile.read_file(path, require_mapping=False)
    if not path.is_symlink():
        site.files.append(path)
    problems = parsed.problems or schema.validate(
        f"data-{name}", parsed.data, parsed.shown, parsed.line_of
    )
    if not problems and name in ("units", "sections"):
        problems = _duplicate_codes(parsed)
    if not problems and name == "sections":
        problems = _bad_parents(parsed)
    if not problems and name == "directory":
        problems = _unknown_directory_units(parsed, site)
    if not problems and name == "leaders":
        problems = _unknown_leader_units(parsed, site)
    if name == "schedule" and not problems and parsed.data["week"] != path.stem:
        message = f"tuần '{parsed.data['week']}' khác tên tệp '{path.stem}'"
        problems = [parsed.problem(("week",), message)]
    site.problems.extend(problems)
    return None if any(p.is_error for p in problems) else parsed.data


def _bad_parents(parsed) -> list[Problem]:
    """A section's parent is another top-level section: the menu has one level below it."""
    top_level = {entry["code"] for entry in parsed.data if "parent" not in entry}
    return [
        parsed.problem(
            (index, "parent"),
            f"chuyên mục cha '{entry['parent']}' không phải một chuyên mục cấp trên trong tệp "
            f"này; các mã hợp lệ: {', '.join(sorted(top_level - {entry['code']}))}",
            field="parent",
        )
        for index, entry in enumerate(parsed.data)
        if "parent" in entry and entry["parent"] not in top_level - {entry["code"]}
    ]


def _duplicate_codes(parsed) -> list[Problem]:
    seen, problems = {}, []
    for index, entry in enumerate(parsed.data):
        code = entry["code"]
        if code in seen:
            message = f"mã '{code}' bị trùng với mục ở dòng {seen[code]}"
            problems.append(parsed.problem((index, "code"), message, field="code"))
        seen.setdefault(code, parsed.line_of((index, "code")))
    return problems


def _unknown_directory_units(parsed, site: SiteData) -> list[Problem]:
    return [
        parsed.problem(
            ("units", index, "unit"),
            f"đơn vị '{entry['unit']}' không có trong content/data/units.yml",
            field="unit",
        )
        for index, entry in enumerate(parsed.data["units"])
        if site.units and entry["unit"] not in site.units
    ]


def _unknown_leader_units(parsed, site: SiteData) -> list[Problem]:
    return [
        parsed.problem(
            ("leaders", index, "units", u_index),
            f"đơn vị '{code}' không có trong content/data/units.yml",
            field="units",
        )
        for index, leader in enumerate(parsed.data["leaders"])
        for u_index, code in enumerate(leader.get("units", []))
        if site.units and code not in site.units
    ]
