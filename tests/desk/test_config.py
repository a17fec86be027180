"""config.yml generated from the schemas: the form asks what `portal check` asks."""

import copy
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from jsonschema import Draft202012Validator

from portal import schema
from portal.desk import admin, bundle, config, fields
from portal.errors import PortalError
from tests.conftest import REPO, make_site
from tests.site.sitebuild import build


def generated(root=REPO, settings=None) -> dict:
    settings = settings or {"backend": {"name": "github", "repo": "so/cong"}}
    return config.build_config(root, settings)


def collection(desk: dict, name: str) -> dict:
    return next(c for c in desk["collections"] if c["name"] == name)


def by_name(form: list[dict]) -> dict:
    return {f["name"]: f for f in form}


@pytest.mark.parametrize("kind", [k for k in schema.ITEM_KINDS if k != "page"])
def test_each_kind_asks_for_exactly_what_its_schema_requires(kind):
    desk = generated()
    names = [c["name"] for c in desk["collections"] if c.get("filter", {}).get("value") == kind]
    assert names, kind
    _, required = fields.kind_properties(kind)
    for name in names:
        form = by_name(collection(desk, name)["fields"])
        asked = {n for n, f in form.items() if f["required"]} - {"body", "kind", "section"}
        assert asked == required - {"kind", "section"}, name
        assert form["kind"] == {
            "name": "kind",
            "label": "kind",
            "widget": "hidden",
            "default": kind,
            "required": True,
        }


def test_enumerations_and_site_lists_become_choices():
    desk = generated()
    form = by_name(collection(desk, "van-ban--legal")["fields"])
    assert form["doc_type"]["options"] == schema.schema("legal")["properties"]["doc_type"]["enum"]
    units = yaml.safe_load((REPO / "content/data/units.yml").read_text(encoding="utf-8"))
    assert [o["value"] for o in form["unit"]["options"]] == [u["code"] for u in units]
    authors = by_name(form["authors"]["fields"])
    roster = yaml.safe_load((REPO / "reviews/roster.yml").read_text(encoding="utf-8"))
    assert sorted(o["value"] for o in authors["id"]["options"]) == sorted(
        p["id"] for p in roster["people"]
    )
    rates = yaml.safe_load((REPO / "reviews/royalty-rates.yml").read_text(encoding="utf-8"))
    work = by_name(form["royalty"]["fields"])["work"]
    assert [o["value"] for o in work["options"]] == [w["code"] for w in rates["works"]]
    pages = by_name(collection(desk, "pages")["fields"])
    sections = yaml.safe_load((REPO / "content/data/sections.yml").read_text(encoding="utf-8"))
    assert [o["value"] for o in pages["section"]["options"]] == [
        s["code"] for s in sections if "page" in s.get("kinds", [])
    ]


def test_images_need_alt_text_and_go_to_content_images():
    desk = generated()
    assert desk["media_folder"] == "content/images" and desk["public_folder"] == "images"
    images = by_name(collection(desk, "tin-tuc--news")["fields"])["images"]
    parts = by_name(images["fields"])
    assert parts["src"]["widget"] == "image" and parts["src"]["required"]
    assert parts["alt"]["required"] and parts["alt"]["pattern"]
    legal = by_name(collection(desk, "van-ban--legal")["fields"])
    assert legal["file"]["widget"] == "file"
    assert legal["file"]["media_folder"] == "/content/files"
    assert legal["file"]["public_folder"] == "files"


def _string_fields(form, props):
    for field in form:
        prop = props.get(field["name"])
        if prop is None:
            continue
        prop = fields.resolve(prop)
        if "pattern" in field and prop.get("type") == "string":
            yield field, prop
        if field.get("widget") == "object":
            yield from _string_fields(field["fields"], prop.get("properties", {}))
        if field.get("widget") == "list" and "fields" in field:
            items = fields.resolve(prop["items"])
            yield from _string_fields(field["fields"], items.get("properties", {}))


SAMPLES = [
    "",
    "ab",
    "abc",
    "a" * 301,
    "27/QĐ-SNV",
    "27 QĐ SNV",
    "Quyết định",
    "tin-tuc",
    "Tin-Tuc",
    "tin--tuc",
    "https://hatinh.gov.vn",
    "javascript:alert(1)",
    "ftp://x.vn",
    "files/van-ban.pdf",
    "files/van-ban.exe",
    "../files/x.pdf",
    "2026-11-30",
    "30/11/2026",
    "2026-11-30 08:30",
    "0239 3855 123",
    "a@b.vn",
    "Sở Nội vụ Hà Tĩnh tổ chức hội nghị",
]


def test_the_forms_patterns_accept_what_the_schema_accepts():
    """Oracle: jsonschema on the property itself, against Decap's regular expression."""
    desk = generated()
    checked = 0
    for coll in desk["collections"]:
        kind = coll.get("filter", {}).get("value")
        if kind is None:
            continue
        props, _ = fields.kind_properties(kind)
        for field, prop in _string_fields(coll["fields"], props):
            regex = re.compile(field["pattern"][0])
            prop_schema = {k: v for k, v in prop.items() if k != "$ref"}
            validator = Draft202012Validator(prop_schema)
            for value in SAMPLES:
                if value == "":
                    continue  # an empty optional field is not written (desk.js)
                expected = validator.is_valid(value)
                assert bool(regex.search(value)) == expected, (coll["name"], field["name"], value)
                checked += 1
    assert checked > 500


def test_a_changed_schema_changes_the_form(monkeypatch):
    original = schema.schema

    def changed(name):
        document = copy.deepcopy(original(name))
        if name == "news":
            document["properties"]["location"] = {
                "type": "string",
                "pattern": "^[A-ZĐ]",
                "description": "địa điểm đưa tin",
            }
            document["required"] = ["authors", "unit", "location"]  # summary no longer
        return document

    monkeypatch.setattr(schema, "schema", changed)
    form = by_name(collection(generated(), "tin-tuc--news")["fields"])
    assert form["location"]["required"] and form["location"]["label"] == "Địa điểm đưa tin"
    assert re.search(form["location"]["pattern"][0], "Đà Nẵng")
    assert not re.search(form["location"]["pattern"][0], "đà nẵng")
    assert form["summary"]["required"] is False
    article = by_name(collection(generated(), "tin-tuc--article")["fields"])
    assert "location" not in article


def test_optional_blocks_do_not_stop_a_save_but_say_what_they_need():
    form = by_name(collection(generated(), "tin-tuc--news")["fields"])
    for name in ("source", "royalty"):
        block = form[name]
        assert block["required"] is False and block["collapsed"] is True
        assert not any(f["required"] for f in block["fields"])
        assert "Nếu điền khối này, cần:" in block["hint"]


def test_workflow_locale_slugs_and_commit_messages():
    desk = generated()
    assert desk["locale"] == "vi" and desk["publish_mode"] == "editorial_workflow"
    assert desk["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    assert all(
        "{{slug}}" in m or "{{path}}" in m for m in desk["backend"]["commit_messages"].values()
    )


def test_the_secretarys_data_files_are_forms():
    desk = generated()
    data = collection(desk, "data")
    files = {f["name"]: f for f in data["files"]}
    assert set(files) == {"directory", "services", "links"}
    services = by_name(files["services"]["fields"])["services"]
    level = by_name(services["fields"])["level"]
    assert level["options"] == [2, 3, 4]
    schedule = collection(desk, "schedule")
    assert schedule["folder"] == "content/data/schedule"
    assert by_name(schedule["fields"])["week"]["required"]


@pytest.mark.parametrize(
    "text, field",
    [
        (
            "backend: {name: github, repo: a/b, base_url: http://auth.example.vn}\n",
            "backend.base_url",
        ),
        ("backend: {name: bitbucket, repo: a/b}\n", "backend.name"),
        (
            "backend: {name: github, repo: a/b}\nlocal_backend: http://10.0.0.5:8081/api/v1\n",
            "local_backend",
        ),
        (
            "backend: {name: github, repo: a/b, api_root: 'https://x.vn\" onload=\"'}\n",
            "backend.api_root",
        ),
        ("backend: {name: github, repo: a/b, token: abc}\n", "backend.token"),
        ("site_url: https://x.vn\n", "backend"),
        # a final newline: Python's `$` would let it through, the full match does not
        ('backend: {name: github, repo: "a/b\\n"}\n', "backend.repo"),
    ],
)
def test_bad_settings_are_refused_with_file_line_and_field(tmp_path, text, field):
    (tmp_path / "desk.yml").write_text(text, encoding="utf-8")
    with pytest.raises(PortalError) as raised:
        config.load_settings(tmp_path)
    assert any(p.field == field and p.path.endswith("desk.yml") for p in raised.value.problems), (
        raised.value.problems
    )


def test_the_admin_page_calls_only_the_forge_and_runs_only_the_sites_scripts():
    desk = generated(
        settings={
            "backend": {
                "name": "gitea",
                "repo": "so/cong",
                "base_url": "https://git.sonoivu.vn",
                "api_root": "https://git.sonoivu.vn/api/v1",
                "app_id": "abc",
            }
        }
    )
    policy = dict(part.split(" ", 1) for part in admin.content_security_policy(desk).split("; "))
    assert policy["connect-src"] == "'self' https://git.sonoivu.vn blob:"
    assert policy["script-src"] == "'self' 'unsafe-eval' 'wasm-unsafe-eval'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    page = admin.admin_page(desk)
    assert "https://" not in page.split("Content-Security-Policy", 1)[0]
    assert re.findall(r'<script src="([^"]+)"', page) == ["decap-cms/decap-cms.js", "desk.js"]


def test_the_vendored_bundle_matches_its_manifest(tmp_path):
    files = bundle.verified_files()
    assert "decap-cms.js" in files
    assert bundle.manifest()["version"] == "3.16.3"
    package = yaml.safe_load((REPO / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["decap-cms"] == bundle.manifest()["version"]
    copy_dir = tmp_path / "decap-cms"
    shutil.copytree(bundle.vendor_dir(), copy_dir)
    with open(copy_dir / "decap-cms.js", "ab") as script:
        script.write(b"\nfetch('https://evil.example/');\n")
    with pytest.raises(PortalError, match="sha256"):
        bundle.verified_files(copy_dir)
    (copy_dir / "decap-cms.js").unlink()
    (copy_dir / "extra.js").write_text("x")
    with pytest.raises(PortalError) as raised:
        bundle.verified_files(copy_dir)
    assert "missing" in str(raised.value) and "unlisted" in str(raised.value)


def test_config_check_reports_a_stale_file(tmp_path):
    target = tmp_path / "config.yml"
    run = [sys.executable, "-m", "portal.cli", "desk", "config", "--output", str(target)]
    assert subprocess.run(run, cwd=REPO, capture_output=True).returncode == 0
    check = subprocess.run([*run, "--check"], cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    target.write_text(target.read_text(encoding="utf-8").replace("locale: vi", "locale: en"))
    check = subprocess.run([*run, "--check"], cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 1 and "cũ" in check.stdout


def test_a_bad_desk_yml_is_a_clear_error_not_a_traceback(tmp_path):
    settings = tmp_path / "desk.yml"
    settings.write_text("backend:\n  name: github\n  repo: a/b\n  base_url: http://x.vn\n")
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "desk", "config", "--settings", str(settings)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "desk.yml:4: backend.base_url:" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_build_writes_the_desk_and_a_bad_desk_yml_stops_it(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    make_site(root, with_sample_content=True)
    shutil.copy(REPO / "desk.yml", root / "desk.yml")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    admin_dir = root / "output" / "admin"
    expected = config.to_yaml(config.build_config(root, config.load_settings(root)))
    assert (admin_dir / "config.yml").read_text(encoding="utf-8") == expected
    assert "decap-cms/decap-cms.js" in (admin_dir / "index.html").read_text(encoding="utf-8")
    (root / "desk.yml").write_text("backend: {name: github, repo: a/b, base_url: http://x}\n")
    result = build(root)
    assert result.returncode != 0
    assert "desk.yml:1: backend.base_url:" in result.stdout + result.stderr


def test_the_desk_is_never_written_through_a_symlink(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    output = tmp_path / "output"
    (output / "admin").mkdir(parents=True)
    (output / "admin" / "decap-cms").symlink_to(outside, target_is_directory=True)
    with pytest.raises(PortalError, match="symlink"):
        admin.write_admin(output, generated())
    assert list(outside.iterdir()) == []


def test_items_behind_a_symlinked_folder_are_not_read(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    make_site(root, with_sample_content=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for index in range(50):  # more than the real folder holds: it would win if read
        item = elsewhere / f"x{index}.md"
        item.write_text("---\nsection: tin-tuc\nkind: news\n---\n", encoding="utf-8")
    (root / "content" / "aaa-link").symlink_to(elsewhere, target_is_directory=True)
    desk = generated(root)
    assert collection(desk, "tin-tuc--news")["folder"] == "content/tin-tuc"


def test_the_web_servers_header_for_admin_adds_frame_ancestors():
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "desk", "csp"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    desk = config.build_config(REPO, config.load_settings(REPO))
    expected = admin.content_security_policy(desk) + "; frame-ancestors 'none'"
    assert result.stdout.strip() == expected


def test_numbers_above_zero_refuse_zero_on_the_form():
    form = by_name(collection(generated(), "tin-tuc--news")["fields"])
    royalty = by_name(form["royalty"]["fields"])
    share = by_name(form["authors"]["fields"])
    for field in (royalty["coefficient"], royalty["units"], share["share"]):
        regex = re.compile(field["pattern"][0])
        assert field["min"] == 0
        for text in ("0", "0.0", "00", "-0"):
            assert not regex.search(text), (field["name"], text)
        for text in ("0.5", "1", "10", "0.05"):
            assert regex.search(text), (field["name"], text)
