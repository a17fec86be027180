"""The content schema: JSON Schemas (Draft 2020-12) per kind of item and per data file.

Validation errors become `Problem`s whose message is Vietnamese and names the
English field, at the line of the offending key.
"""

import difflib
import json
import re
from functools import cache
from importlib import resources

import jsonschema_rs

from portal.errors import Problem
from portal.yamlfile import dotted

ITEM_KINDS = ("news", "article", "legal", "event", "press", "answer", "consultation", "page")
# Short Vietnamese names of the kinds, for tables, reports and the desk's menus.
KIND_NAMES = {
    "news": "Tin",
    "article": "Bài viết",
    "legal": "Văn bản",
    "event": "Hội nghị, tập huấn",
    "press": "Thông cáo, phát ngôn",
    "answer": "Trả lời công dân",
    "consultation": "Lấy ý kiến dự thảo",
    "page": "Trang",
}
DATA_FILES = (
    "units",
    "sections",
    "leaders",
    "directory",
    "services",
    "schedule",
    "software",
    "links",
)


@cache
def _schemas() -> dict[str, dict]:
    folder = resources.files("portal") / "schemas"
    return {
        entry.name.removesuffix(".json"): json.loads(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


@cache
def _without_dialect(name: str) -> dict:
    """The schema without `$schema`: jsonschema would otherwise validate a `$ref`'d schema
    with the stock Draft 2020-12 validator, not with the full-match `pattern` below."""
    return {key: value for key, value in _schemas()[name].items() if key != "$schema"}


@cache
def _jsonschema():
    """jsonschema and referencing, imported on first use: a valid document never needs
    them (jsonschema-rs says so), and a build that reads only valid items starts 0.08 s
    sooner without them."""
    import jsonschema  # noqa: PLC0415 -- heavy libraries, loaded where they are used
    import referencing  # noqa: PLC0415
    import referencing.jsonschema  # noqa: PLC0415

    return jsonschema, referencing


@cache
def _registry():
    referencing = _jsonschema()[1]
    draft = referencing.jsonschema.DRAFT202012
    return referencing.Registry().with_resources(
        (schema["$id"], draft.create_resource(_without_dialect(name)))
        for name, schema in _schemas().items()
    )


@cache
def _full_match(pattern: str) -> re.Pattern:
    """A schema pattern `^...$` as a full match: Python's `$` also matches before a final
    newline (`slug: "tin-thu\\n"` would pass), the Rust validator's does not."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _full_match(pattern).search(instance):
        yield _jsonschema()[0].ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _portal_validator():
    """Draft 2020-12 with the full-match `pattern`."""
    jsonschema = _jsonschema()[0]
    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


def validator_for(document: dict):
    """A validator (jsonschema's Draft202012Validator) with the project's full-match
    `pattern` for a schema kept elsewhere (the desk's settings): every schema of the
    project judges patterns the same way."""
    return _portal_validator()(document)


@cache
def validator(name: str):
    """Validator (jsonschema's Draft202012Validator) for an item kind (`news`) or a data
    file (`data-units`)."""
    return _portal_validator()(_without_dialect(name), registry=_registry())


@cache
def fast_validator(name: str):
    """The same schema compiled by jsonschema-rs: about 200 times faster, used only to say
    "valid"; whatever it rejects goes through `validator` for the full Vietnamese report."""
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in _schemas().values()])
    return jsonschema_rs.validator_for(_schemas()[name], registry=registry)


def schema(name: str) -> dict:
    return _schemas()[name]


def validate(name: str, data, path: str, line_of) -> list[Problem]:
    """Validate `data` against schema `name`; `line_of(data_path)` gives the file line."""
    if fast_validator(name).is_valid(data):
        return []
    problems = []
    for error in sorted(validator(name).iter_errors(data), key=lambda e: list(map(str, e.path))):
        for leaf in _leaves(error):
            for field_path, message in describe(leaf, name):
                problems.append(Problem(path, line_of(field_path), dotted(field_path), message))
    if not problems:  # the two validators disagree: fail closed rather than publish
        problems.append(Problem(path, line_of(()), "", "giá trị không hợp lệ theo lược đồ"))
    return sorted(set(problems))


def _leaves(error):
    """The most specific errors: `allOf`/`$ref` wrappers hide the useful one."""
    if error.context and error.validator in ("allOf", "anyOf", "oneOf", "$ref"):
        for child in error.context:
            yield from _leaves(child)
    else:
        yield error


def describe(error, schema_name: str):
    """Yield (data path, Vietnamese message) for one jsonschema error.

    A missing key has no line of its own: `line_of` falls back to its parent's.
    """
    path = tuple(error.absolute_path)
    label = _label(error.schema)
    value = error.instance
    match error.validator:
        case "required":
            for missing in error.validator_value:
                if isinstance(value, dict) and missing not in value:
                    desc = _property_description(error, missing, schema_name)
                    yield (
                        (*path, missing),
                        (f"thiếu trường bắt buộc '{missing}'{_paren(desc)}"),
                    )
        case "type":
            expected = _TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
            yield path, f"cần {expected}, nhưng đang là {_show(value)}{_paren(label)}"
        case "enum" | "const":
            allowed = error.validator_value
            allowed = allowed if isinstance(allowed, list) else [allowed]
            yield (
                path,
                (
                    f"giá trị {_show(value)} không hợp lệ; "
                    f"chỉ nhận: {', '.join(map(str, allowed))}{_paren(label)}"
                ),
            )
        case "pattern":
            yield path, f"giá trị {_show(value)} sai định dạng{_paren(label)}"
        case "minLength":
            yield path, f"quá ngắn: cần ít nhất {error.validator_value} ký tự{_paren(label)}"
        case "maxLength":
            yield path, f"quá dài: tối đa {error.validator_value} ký tự{_paren(label)}"
        case "minItems":
            yield path, f"cần ít nhất {error.validator_value} mục{_paren(label)}"
        case "uniqueItems":
            yield path, f"có mục bị lặp lại{_paren(label)}"
        case "minimum" | "exclusiveMinimum" | "maximum" | "exclusiveMaximum":
            word = _BOUND_WORDS[error.validator]
            yield path, f"giá trị {_show(value)} phải {word} {error.validator_value}{_paren(label)}"
        case "additionalProperties" | "unevaluatedProperties":
            known = list((error.schema.get("properties") or {}).keys())
            if error.validator == "unevaluatedProperties":
                known = _all_item_fields(schema_name)
            for extra in sorted(set(value) - set(known)) if isinstance(value, dict) else []:
                guess = difflib.get_close_matches(str(extra), known, n=1)
                hint = f"; có phải ý bạn là '{guess[0]}'?" if guess else ""
                yield (*path, extra), f"trường '{extra}' không được dùng ở đây{hint}"
        case _:
            yield path, f"không hợp lệ: {error.message}"


_BOUND_WORDS = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}


def _all_item_fields(schema_name: str) -> list[str]:
    own = schema(schema_name).get("properties", {})
    return [*schema("common")["properties"].keys(), *own.keys()]


def _property_description(error, key: str, schema_name: str) -> str:
    """Description of property `key`, looked up in the schemas enclosing the error
    (a `required` inside an if/then has no properties of its own)."""
    node = schema(schema_name)
    found = (error.schema.get("properties") or {}).get(key)
    for part in error.absolute_schema_path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):  # crossed a $ref: the path leaves this file
            break
        if isinstance(node, dict) and key in (node.get("properties") or {}):
            found = node["properties"][key]
    found = found or schema("common")["properties"].get(key, {})
    return _label(found)


def _label(sub_schema: dict) -> str:
    if "description" in sub_schema:
        return sub_schema["description"]
    ref = sub_schema.get("$ref", "")
    if ref.startswith("#/$defs/") or "#/$defs/" in ref:
        definition = schema("common")["$defs"].get(ref.rsplit("/", 1)[-1], {})
        return definition.get("description", "")
    return ""


def _paren(text: str) -> str:
    """The field's description after a message: `…; cần: tiêu đề`."""
    return f" — {text}" if text else ""


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "rỗng (null)"
    if isinstance(value, (dict, list)):
        return "một danh sách" if isinstance(value, list) else "một nhóm trường"
    return f"'{_visible(value)}'" if isinstance(value, str) else str(value)


_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _visible(text: str) -> str:
    """A value as one line, its control and invisible characters shown as `\\u202e`."""
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_TYPE_NAMES = {
    "string": "chữ (string)",
    "integer": "số nguyên (integer)",
    "number": "số (number)",
    "boolean": "true hoặc false (boolean)",
    "array": "danh sách (list)",
    "object": "nhóm trường (mapping)",
}
