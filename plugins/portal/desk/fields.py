"""JSON Schema properties → Decap CMS fields: the form follows the schema `portal check` uses.

Labels and hints come from each property's Vietnamese `description`; required fields,
enumerations, patterns and lengths become Decap's `required`, `select` options and
`pattern` (a regular expression with a Vietnamese message). Lists the site knows
(units, roster people, royalty works) are passed in as `choices` by field name.
"""

from portal import schema

DATETIME_REF = "urn:portal:common#/$defs/datetime"
DATE_REF = "urn:portal:common#/$defs/date"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
DATE_FORMAT = "YYYY-MM-DD"
LONG_TEXT_MIN = 10  # a string that must hold a sentence or more gets a text area


def resolve(prop: dict) -> dict:
    """Merge a property with the definition it `$ref`s (the property's own keys win)."""
    ref = prop.get("$ref")
    if not ref:
        return prop
    target = _definition(ref)
    merged = {**resolve(target), **{k: v for k, v in prop.items() if k != "$ref"}}
    merged["$ref"] = ref
    return merged


def _definition(ref: str) -> dict:
    base, _, pointer = ref.partition("#")
    # Item kinds refer to common's definitions by id; common refers to its own by "#/...".
    document = _item_schemas_by_id()[base or "urn:portal:common"]
    for part in filter(None, pointer.split("/")):
        document = document[part]
    return document


def _item_schemas_by_id() -> dict[str, dict]:
    loaded = (schema.schema(name) for name in ("common", *schema.ITEM_KINDS))
    return {document["$id"]: document for document in loaded}


def label(name: str, prop: dict) -> str:
    """`tiêu đề` → `Tiêu đề`; the English name when the schema says nothing."""
    text = (prop.get("description") or name).split(":")[0].split(",")[0].strip()
    text = text.split(" (")[0].strip() or name
    return text[:1].upper() + text[1:]


def field(name: str, prop: dict, required: bool, choices: dict) -> dict:
    """One Decap field for property `name`."""
    prop = resolve(prop)
    result = {"name": name, "label": label(name, prop), "required": required}
    if prop.get("description") and _hint(prop) != result["label"]:
        result["hint"] = _hint(prop)
    result.update(_widget(name, prop, choices))
    if result["widget"] == "object" and not required:
        _optional_block(result)
    return result


def _optional_block(result: dict) -> None:
    """Decap enforces the required fields inside an object even when the object itself is
    optional, so an untouched optional block (source, royalty) would stop every save.
    Its fields are asked as optional, the hint names the ones the block needs, the
    block starts collapsed, and an empty block is dropped before saving (desk.js);
    a half-filled block is refused by `portal check`, with file, line and field."""
    needed = [f["label"] for f in result["fields"] if f["required"]]
    for sub in result["fields"]:
        sub["required"] = False
    result["collapsed"] = True
    if needed:
        note = f"Nếu điền khối này, cần: {', '.join(needed)}."
        result["hint"] = f"{result.get('hint', result['label'])}. {note}"


def _hint(prop: dict) -> str:
    text = prop["description"]
    return text[:1].upper() + text[1:]


def _widget(name: str, prop: dict, choices: dict) -> dict:
    if name in choices:
        return {"widget": "select", "options": choices[name]}
    if "enum" in prop:
        return {"widget": "select", "options": list(prop["enum"])}
    ref = prop.get("$ref", "")
    if ref.endswith("/datetime") or ref == DATETIME_REF:
        return {
            "widget": "datetime",
            "format": DATETIME_FORMAT,
            "date_format": "DD/MM/YYYY",
            "time_format": "HH:mm",
        }
    if ref.endswith("/date") or ref == DATE_REF:
        return {
            "widget": "datetime",
            "format": DATE_FORMAT,
            "date_format": "DD/MM/YYYY",
            "time_format": False,
        }
    kind = prop.get("type")
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind in ("number", "integer"):
        return _number(prop)
    if kind == "array":
        return _list(name, prop, choices)
    if kind == "object":
        return {"widget": "object", "fields": object_fields(prop, choices)}

    return _string(prop)


def _number(prop: dict) -> dict:
    result = {"widget": "number", "value_type": "int" if prop["type"] == "integer" else "float"}
    for bound in ("minimum", "maximum"):
        if bound in prop:
            result["min" if bound == "minimum" else "max"] = prop[bound]
    if "exclusiveMinimum" in prop:
        # Decap's `min` is inclusive; the pattern refuses the bound itself (Decap tests
        # patterns on the number's text).
        result["min"] = prop["exclusiveMinimum"]
        result["step"] = 0.1
        if prop["exclusiveMinimum"] == 0:
            result["pattern"] = [r"^(?![-+]?0*(\.0*)?$)", "Cần lớn hơn 0"]
    return result


def _list(name: str, prop: dict, choices: dict) -> dict:
    items = resolve(prop.get("items", {}))
    result = {"widget": "list"}
    if "minItems" in prop:
        result["min"] = prop["minItems"]
    if items.get("type") == "object":
        result["fields"] = object_fields(items, choices)
        result["summary"] = "{{fields." + _first_required(items) + "}}"
    else:
        result["field"] = field("value", items, True, choices) | {"label": label(name, prop)}
    return result


def _first_required(items: dict) -> str:
    return (items.get("required") or list(items.get("properties", {})) or ["name"])[0]


def _string(prop: dict) -> dict:
    long_text = prop.get("minLength", 0) >= LONG_TEXT_MIN or prop.get("maxLength", 0) > 300
    result = {"widget": "text" if long_text else "string"}
    pattern = _pattern(prop)
    if pattern:
        result["pattern"] = pattern
    return result


def _pattern(prop: dict) -> list | None:
    """Decap checks one regular expression: the schema's pattern and its lengths in one.

    JSON Schema patterns are ECMA 262 regular expressions, which Decap runs as is; a
    length rule becomes a lookahead so the form refuses what `portal check` refuses."""
    parts, notes = [], []
    low, high = prop.get("minLength"), prop.get("maxLength")
    if low or high:
        parts.append(rf"(?=[\s\S]{{{low or 0},{high or ''}}}$)")
        if low:
            notes.append(f"ít nhất {low} ký tự")
        if high:
            notes.append(f"tối đa {high} ký tự")
    if "pattern" in prop:
        parts.append(f"(?=[\\s\\S]*?(?:{prop['pattern']}))")
        notes.append(_hint(prop) if prop.get("description") else "sai định dạng")
    if not parts:
        return None
    return ["^" + "".join(parts), "Cần: " + "; ".join(notes)]


def object_fields(prop: dict, choices: dict, skip=()) -> list[dict]:
    required = set(prop.get("required", ()))
    return [
        field(name, sub, name in required, choices)
        for name, sub in prop.get("properties", {}).items()
        if name not in skip
    ]


def kind_properties(kind: str) -> tuple[dict, set]:
    """The properties and required names of an item kind: common ones, then the kind's."""
    common = schema.schema("common")
    own = schema.schema(kind)
    properties = {**common["properties"], **own.get("properties", {})}
    properties = {k: v for k, v in properties.items() if "const" not in v}
    required = set(common.get("required", ())) | set(own.get("required", ()))
    return properties, required
