"""Split a Markdown file into its YAML front matter and body, keeping line numbers.

The YAML is read with libyaml (CSafeLoader) but without YAML 1.1's implicit
timestamps, so dates stay text and are parsed by `portal.content.dates` with
clear errors. The YAML 1.1 traps (`12:30` read as 750, `no` as false, `0123`
as 83) are reported, not silently accepted.
"""

import re
from dataclasses import dataclass, field

import yaml

from portal.errors import Problem

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same result
    _BaseLoader = yaml.SafeLoader


class FrontMatterLoader(_BaseLoader):
    """Safe YAML loader that keeps dates and times as strings."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

FENCE = "---"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
_YAML11_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}


@dataclass
class FrontMatter:
    data: object = None
    body: str = ""
    body_line: int = 1  # file line where the body starts
    lines: dict = field(default_factory=dict)  # data path -> file line (1-based)
    problems: list = field(default_factory=list)

    def line_of(self, path) -> int:
        """Line of the nearest key on `path` that has one (the header's first line if none)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def split(text: str) -> tuple[str | None, int, str, int]:
    """Return (yaml_text, yaml_first_line, body, body_first_line); yaml_text None if absent.

    Raises ValueError when the opening fence has no closing fence.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != FENCE:
        return None, 0, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in (FENCE, "..."):
            return "".join(lines[1:index]), 2, "".join(lines[index + 1 :]), index + 2
    raise ValueError("unclosed")


def parse(text: str, path: str) -> FrontMatter:
    """Parse the front matter of `text`; problems are collected, never raised."""
    result = FrontMatter(body=text)
    try:
        yaml_text, first_line, body, body_line = split(text)
    except ValueError:
        result.problems.append(
            Problem(path, 1, "", "phần đầu YAML mở bằng '---' nhưng không có dòng '---' đóng lại")
        )
        return result
    if yaml_text is None:
        result.problems.append(
            Problem(path, 1, "", "thiếu phần đầu YAML (front matter) giữa hai dòng '---' ở đầu tệp")
        )
        return result
    result.body, result.body_line = body, body_line
    parse_yaml(yaml_text, first_line, path, result)
    return result


def parse_yaml(
    yaml_text: str,
    first_line: int,
    path: str,
    result: FrontMatter | None = None,
    require_mapping: bool = True,
) -> FrontMatter:
    """Parse YAML that starts at file line `first_line` (into `result` if given)."""
    result = result if result is not None else FrontMatter()
    result.lines[()] = max(first_line - 1, 1)
    try:
        loader = FrontMatterLoader(yaml_text)
        try:
            node = loader.get_single_node()
            result.data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        result.problems.append(_yaml_error_problem(error, path, first_line, yaml_text))
        return result
    if node is not None:
        _index_nodes(node, (), first_line - 1, result, path)
    if require_mapping and not isinstance(result.data, dict):
        kind = "trống" if result.data is None else f"là kiểu {type(result.data).__name__}"
        result.problems.append(
            Problem(
                path,
                result.lines[()],
                "",
                f"phần đầu YAML phải là các cặp 'trường: giá trị' (mapping), nhưng đang {kind}",
            )
        )
        result.data = None
    return result


_YAML_PROBLEMS = {
    "mapping values are not allowed": (
        "giá trị có dấu ':' theo sau là khoảng trắng; hãy đặt cả giá trị trong ngoặc kép"
    ),
    "found character '\\t'": "dùng phím Tab để thụt lề; YAML chỉ nhận dấu cách",
    "did not find expected key": "thụt lề không đều hoặc thiếu dấu ':' sau tên trường",
    "found undefined alias": "dấu '*' ở đầu giá trị; hãy đặt giá trị trong ngoặc kép",
    "found duplicate anchor": "dấu '&' ở đầu giá trị; hãy đặt giá trị trong ngoặc kép",
    "did not find expected ',' or ']'": "thiếu dấu ']' đóng danh sách hoặc dấu ',' giữa các mục",
    "did not find expected ',' or '}'": "thiếu dấu '}' đóng nhóm hoặc dấu ',' giữa các mục",
    "found unexpected end of stream": "thiếu dấu ngoặc kép đóng",
    "found a tab character": "dùng phím Tab để thụt lề; YAML chỉ nhận dấu cách",
}
_KEY_AT_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:")


_PLAIN_SCALAR = re.compile(r"^[^\s'\"&*!|>%@`\[\]{},#?:-][^#]*$")


def quick_fields(text: str, wanted: tuple[str, ...]) -> dict | None:
    """The one-line scalar values of some top-level keys, as text, without a YAML parser.

    For reading thousands of headers fast (cross-file rules, the history of main).
    Returns None whenever a wanted value is not a simple plain or quoted scalar on
    one line, or appears twice: the caller then asks the YAML parser.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None
    found, last_key = {}, None
    for line in lines[1:]:
        line = line.rstrip("\r")
        if line.rstrip() in (FENCE, "..."):
            return found
        if line[:1] in (" ", "\t"):
            if last_key in wanted:
                return None  # a value continued on the next line
            continue
        key, sep, value = line.partition(":")
        last_key = key if sep else None
        if sep and key in wanted:
            value = _one_line_scalar(value.strip())
            if value is None or key in found:
                return None
            found[key] = value
    return None


def _one_line_scalar(value: str) -> str | None:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        inner = value[1:-1]
        return inner.replace("''", "'") if "'" not in inner.replace("''", "") else None
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        return inner if "\\" not in inner and '"' not in inner else None
    return value if _PLAIN_SCALAR.match(value) and ": " not in value else None


def _yaml_error_problem(error: yaml.YAMLError, path: str, first_line: int, text: str) -> Problem:
    # Where the broken construct began (an unclosed '[' or quote) is what the user must fix;
    # libyaml notices only later, at the problem mark.
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    index = mark.line if mark is not None else 0
    what = getattr(error, "problem", None) or str(error)
    hint = next((vi for en, vi in _YAML_PROBLEMS.items() if en in what), None)
    message = (
        f"YAML không hợp lệ: {hint}"
        if hint
        else (f"YAML không hợp lệ ({what}); kiểm tra dấu ':', thụt lề và ngoặc kép")
    )
    lines = text.splitlines()
    key = _KEY_AT_LINE.match(lines[index]) if index < len(lines) else None
    return Problem(path, first_line + index, key.group(1) if key else "", message)


def _index_nodes(node, data_path, offset, result: FrontMatter, path: str) -> None:
    """Record the file line of every key and list item; report YAML 1.1 traps."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*data_path, key)
            result.lines[child] = offset + key_node.start_mark.line + 1
            _index_nodes(value_node, child, offset, result, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*data_path, index)
            result.lines[child] = offset + item.start_mark.line + 1
            _index_nodes(item, child, offset, result, path)
    elif isinstance(node, yaml.ScalarNode) and not node.style:  # plain (unquoted)
        hint = _trap_hint(node)
        if hint:
            line = offset + node.start_mark.line + 1
            result.problems.append(Problem(path, line, _dotted(data_path), hint))


def _trap_hint(node: yaml.ScalarNode) -> str | None:
    raw = node.value
    quoted = f'"{raw}"'
    if node.tag in (_INT, _FLOAT) and _SEXAGESIMAL.match(raw):
        return (
            f"giá trị {raw} không có ngoặc kép bị YAML đọc thành số (cơ số 60); hãy viết {quoted}"
        )
    if node.tag == _INT and _LEADING_ZERO.match(raw):
        return (
            f"giá trị {raw} bắt đầu bằng số 0 bị YAML đọc thành số (bát phân, mất số 0); "
            f"hãy viết {quoted}"
        )
    if node.tag == _BOOL and raw.lower() in _YAML11_BOOL_WORDS:
        return (
            f"giá trị {raw} bị YAML đọc thành đúng/sai (true/false); "
            f"nếu là chữ hãy viết {quoted}, nếu là đúng/sai hãy viết true hoặc false"
        )
    return None


def _dotted(data_path) -> str:
    text = ""
    for part in data_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


dotted = _dotted
