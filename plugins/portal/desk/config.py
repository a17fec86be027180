"""Decap CMS's config.yml, generated from the schemas and the site's data.

One collection per (section, kind) a section publishes, one for pages, one per data
file the secretary keeps. Every field comes from the kind's JSON Schema (fields.py);
units, roster people, sections and royalty works are the site's own lists, so the
form offers only what `portal check` accepts.
"""

import json
import os
from collections import Counter
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from portal import schema, yamlfile
from portal.content import sitedata
from portal.content.items import DATETIME_FIELDS
from portal.desk import fields
from portal.errors import PortalError, Problem, display_path
from portal.project import CONTENT, REPO_DESK, REPO_RATES

SETTINGS_PATH = Path(REPO_DESK)  # desk/pelican.py reads it
IMAGES = f"{CONTENT}/images"
FILES = f"{CONTENT}/files"
# Fields the collection fixes or the form handles itself.
FIXED = ("kind", "section")
DATA_FORMS = {
    "directory": ("data/directory.yml", "Danh bạ"),
    "services": ("data/services.yml", "Dịch vụ công"),
    "links": ("data/links.yml", "Liên kết"),
}
COMMIT_MESSAGES = {
    "create": "Gửi tin bài mới: {{collection}} «{{slug}}»\n\nDesk-Login: {{author-login}}",
    "update": "Sửa tin bài: {{collection}} «{{slug}}»\n\nDesk-Login: {{author-login}}",
    "delete": "Xóa tin bài: {{collection}} «{{slug}}»\n\nDesk-Login: {{author-login}}",
    "uploadMedia": "Tải lên tệp «{{path}}»\n\nDesk-Login: {{author-login}}",
    "deleteMedia": "Xóa tệp «{{path}}»\n\nDesk-Login: {{author-login}}",
}


def load_settings(root: Path, path: Path | None = None) -> dict:
    """desk.yml, validated; PortalError names file, line and field."""
    path = Path(path) if path else Path(root) / SETTINGS_PATH
    shown = display_path(path)
    if not (path.exists() or path.is_symlink()):
        raise PortalError(f"{shown}: không đọc được cài đặt bàn biên tập: chưa có tệp này")
    parsed = yamlfile.read_file(path, shown)
    problems = parsed.problems or settings_problems(parsed.data, shown, parsed.line_of)
    if problems:
        raise PortalError(f"{shown} không hợp lệ:", problems)
    return parsed.data


def settings_problems(data, shown: str, line_of=lambda path: 0) -> list[Problem]:
    validator = schema.validator_for(_settings_schema())
    problems = set()
    for error in validator.iter_errors(data):
        for data_path, message in _describe(error):
            problems.add(Problem(shown, line_of(data_path), yamlfile.dotted(data_path), message))
    return sorted(problems)


def _describe(error):
    """(data path, Vietnamese message); `required` here, the rest as the content schema says."""
    path = tuple(error.absolute_path)
    if error.validator == "required":
        for missing in error.validator_value:
            if isinstance(error.instance, dict) and missing not in error.instance:
                yield (*path, missing), f"thiếu trường bắt buộc '{missing}'"
        return
    yield from schema.describe(error, "desk-settings")


def _settings_schema() -> dict:
    text = (resources.files("portal.desk") / "settings.json").read_text(encoding="utf-8")
    return json.loads(text)


def build_config(root: Path, settings: dict) -> dict:
    """The whole config.yml for the repository at `root`, as a mapping."""
    site = sitedata.load(Path(root) / CONTENT)
    errors = [p for p in site.problems if p.is_error]
    if errors:
        raise PortalError("dữ liệu của Cổng không hợp lệ, chưa tạo được cấu hình:", errors)
    choices = _choices(root, site)
    config = {
        "locale": "vi",
        "backend": _backend(settings),
        "publish_mode": "editorial_workflow",
        "media_folder": IMAGES,
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": _item_collections(root, site, choices) + _data_collections(),
    }
    if settings.get("local_backend"):
        config["local_backend"] = {"url": settings["local_backend"]}
    if settings.get("site_url"):
        config["site_url"] = settings["site_url"]
    return config


def _backend(settings: dict) -> dict:
    backend = {"branch": "main", **settings["backend"]}
    backend["commit_messages"] = COMMIT_MESSAGES
    backend["squash_merges"] = False
    return backend


def connect_origins(config: dict) -> list[str]:
    """The hosts the admin page may call (its CSP connect-src): the forge, its auth, the
    local server. Nothing else: the bundle and the styles come from the site."""
    backend = config["backend"]
    urls = [backend.get("api_root"), backend.get("base_url")]
    if backend["name"] == "github" and not backend.get("api_root"):
        urls.append("https://api.github.com")
    if "local_backend" in config:
        urls.append(config["local_backend"]["url"])
    origins = []
    for url in filter(None, urls):
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


def _choices(root: Path, site) -> dict:
    """Select options by field name: the site's own lists."""
    units = [{"label": u["name"], "value": code} for code, u in site.units.items()]
    people = []
    if site.roster is not None:
        people = [
            {"label": f"{p.name} ({p.id})", "value": p.id}
            for p in sorted(site.roster.people.values(), key=lambda p: p.id)
        ]
    choices = {"unit": units}
    if people:
        choices["id"] = people
    works = _royalty_works(root)
    if works:
        choices["work"] = works
    return choices


def _royalty_works(root: Path) -> list[dict]:
    rates = yamlfile.read_file(Path(root) / REPO_RATES).data
    if not isinstance(rates, dict):
        return []  # no table: the form takes any code and `portal check` judges it
    return [
        {"label": f"{w['name']} ({w['code']})", "value": w["code"]}
        for w in rates.get("works", [])
        if isinstance(w, dict) and "code" in w and "name" in w
    ]


def _item_collections(root: Path, site, choices: dict) -> list[dict]:
    homes = _existing_folders(Path(root) / CONTENT)
    collections, taken = [], set()
    page_sections = [code for code, s in site.sections.items() if "page" in s.get("kinds", [])]
    for code, section in site.sections.items():
        for kind in section.get("kinds", []):
            if kind == "page":
                continue
            folder = _folder_for(homes, code, kind, taken)
            collections.append(_item_collection(code, section, kind, folder, choices))
    if page_sections:
        collections.append(_page_collection(site, page_sections, choices))
    return collections


def _existing_folders(content: Path) -> dict:
    """(section, kind) → Counter of the folders its items live in today."""
    homes: dict = {}
    for path in _markdown_files(content):
        found = yamlfile.quick_fields(
            path.read_text(encoding="utf-8", errors="replace"), ("section", "kind")
        )
        if found and found.get("section") and found.get("kind"):
            folder = path.parent.relative_to(content.parent).as_posix()
            homes.setdefault((found["section"], found["kind"]), Counter())[folder] += 1
    return homes


def _markdown_files(content: Path) -> list[Path]:
    """The items under `content`, never through a symbolic link (file or folder)."""
    found = []
    for folder, subfolders, names in os.walk(content, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not (Path(folder) / d).is_symlink())
        for name in sorted(names):
            path = Path(folder) / name
            if name.endswith(".md") and not path.is_symlink() and path.is_file():
                found.append(path)
    return found


def _folder_for(homes: dict, code: str, kind: str, taken: set) -> str:
    """Where items of this section and kind live; a folder no other section shares for
    the same kind (a collection filters its folder by kind only)."""
    counts = homes.get((code, kind), Counter())
    for folder, _ in counts.most_common():
        if (folder, kind) not in taken:
            taken.add((folder, kind))
            return folder
    for folders in (c for (s, _), c in homes.items() if s == code):
        for folder, _ in folders.most_common():
            if (folder, kind) not in taken:
                taken.add((folder, kind))
                return folder
    folder = f"{CONTENT}/{code}"
    taken.add((folder, kind))
    return folder


def collection_name(code: str, kind: str) -> str:
    return f"{code}--{kind}"


def _item_collection(code: str, section: dict, kind: str, folder: str, choices: dict) -> dict:
    dated = "{{year}}-{{month}}-{{day}}-{{slug}}"
    return {
        "name": collection_name(code, kind),
        "label": f"{section['title']}: {schema.KIND_NAMES.get(kind, kind)}",
        "label_singular": schema.KIND_NAMES.get(kind, kind),
        "description": f"{schema.schema(kind).get('title', kind)}: «{section['title']}».",
        "folder": folder,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "filter": {"field": "kind", "value": kind},
        "slug": "{{fields.doc_type}}-{{fields.number}}" if kind == "legal" else dated,
        "identifier_field": "title",
        "summary": "{{title}}",
        "sortable_fields": ["date", "title"],
        "fields": item_fields(kind, choices, section=code),
    }


def _page_collection(site, page_sections: list[str], choices: dict) -> dict:
    options = [{"label": site.sections[c]["title"], "value": c} for c in page_sections]
    return {
        "name": "pages",
        "label": "Trang",
        "label_singular": "Trang",
        "description": schema.schema("page").get("title", "page"),
        "folder": f"{CONTENT}/pages",
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "filter": {"field": "kind", "value": "page"},
        "slug": "{{slug}}",
        "identifier_field": "title",
        "summary": "{{title}}",
        "fields": item_fields("page", {**choices, "section": options}),
    }


def item_fields(kind: str, choices: dict, section: str | None = None) -> list[dict]:
    """The form of one kind of item: kind and section fixed, then the schema's fields
    in the schema's order, then the body."""
    properties, required = fields.kind_properties(kind)
    form = [_hidden("kind", kind)]
    if section is not None:
        form.append(_hidden("section", section))
    else:
        form.append(fields.field("section", properties["section"], True, choices))
    for name, prop in properties.items():
        if name in FIXED:
            continue
        form.append(_item_field(name, prop, name in required, choices))
    form.append(_body(kind))
    return form


def _item_field(name: str, prop: dict, required: bool, choices: dict) -> dict:
    if name == "images":
        return _images_field(prop, required, choices)
    if name == "file":
        return _attachment_field(prop, required)
    result = fields.field(name, prop, required, choices)
    if name == "date":
        result["default"] = "{{now}}"
    if name == "status":
        result["default"] = "published"
    if name in DATETIME_FIELDS:
        result["picker_utc"] = False
    return result


def _hidden(name: str, value: str) -> dict:
    return {"name": name, "label": name, "widget": "hidden", "default": value, "required": True}


def _images_field(prop: dict, required: bool, choices: dict) -> dict:
    """Images go to content/images; the alt text is required (for screen readers)."""
    result = fields.field("images", prop, required, choices)
    for sub in result["fields"]:
        if sub["name"] == "src":
            sub.update(
                {"widget": "image", "label": "Ảnh", "choose_url": False, "media_library": {}}
            )
            sub.pop("pattern", None)
    result["summary"] = "{{fields.alt}}"
    return result


def _attachment_field(prop: dict, required: bool) -> dict:
    """A legal document's file goes to content/files (`files/…` in the front matter).

    No `pattern` here: Decap tests it against the widget's internal value, which refused
    a correct `files/….pdf` in Chromium; the type is in the hint and `portal check`
    refuses any other (docs/desk.md)."""
    result = fields.field("file", prop, required, {})
    result.pop("pattern", None)
    result.update(
        {
            "widget": "file",
            "media_folder": f"/{FILES}",
            "public_folder": "files",
            "choose_url": False,
        }
    )
    return result


def _body(kind: str) -> dict:
    return {
        "name": "body",
        "label": "Nội dung",
        "widget": "markdown",
        "required": kind != "legal",
        "sanitize_preview": True,
        "buttons": [
            "bold",
            "italic",
            "link",
            "heading-two",
            "heading-three",
            "quote",
            "bulleted-list",
            "numbered-list",
        ],
        "editor_components": ["image"],
        "hint": "Viết nội dung tin bài; ảnh trong bài cần mô tả (alt).",
    }


def _data_collections() -> list[dict]:
    """The secretary's data files as forms: directory, services, links, the weekly schedule."""
    files = []
    for name, (path, title) in DATA_FORMS.items():
        data_schema = schema.schema(f"data-{name}")
        files.append(
            {
                "name": name,
                "label": title,
                "file": f"{CONTENT}/{path}",
                "description": data_schema.get("title", name),
                "fields": fields.object_fields(data_schema, {}),
            }
        )
    schedule_schema = schema.schema("data-schedule")
    return [
        {
            "name": "data",
            "label": "Dữ liệu (Thư ký)",
            "description": "Danh bạ, dịch vụ công, liên kết: Thư ký Ban Biên tập cập nhật.",
            "extension": "yml",
            "format": "yml",
            "files": files,
        },
        {
            "name": "schedule",
            "label": "Lịch công tác tuần",
            "label_singular": "Lịch tuần",
            "description": schedule_schema.get("title", "schedule"),
            "folder": f"{CONTENT}/data/schedule",
            "extension": "yml",
            "format": "yml",
            "create": True,
            "slug": "{{fields.week}}",
            "identifier_field": "week",
            "summary": "{{week}}",
            "fields": fields.object_fields(schedule_schema, {}),
        },
    ]


def to_yaml(config: dict) -> str:
    header = (
        "# Tạo tự động bởi `portal desk config` từ plugins/portal/schemas/*.json,\n"
        "# content/data/sections.yml, units.yml và reviews/roster.yml. Không sửa tay.\n"
    )
    return header + yaml.dump(
        config, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100
    )


class _PlainDumper(yaml.SafeDumper):
    """No `&id001` anchors: every list is written where it is used."""

    def ignore_aliases(self, data):
        return True
