"""Split a Markdown file into its YAML front matter and body, keeping line numbers.

The YAML is read with libyaml (CSafeLoader) but without YAML 1.1's implicit
timestamps, so dates stay text and are parsed by `portal.dates` with
clear errors. The YAML 1.1 traps (`12:30` read as 750, `no` as false, `0123`
as 83) are reported, not silently accepted.

A contributor's YAML is hostile. Before anything is built from it, its events are
counted (`_bounds_problems`): at most MAX_DEPTH levels, MAX_NODES values once every
alias is expanded (a "billion laughs" stops here, not in memory), no alias to itself,
no explicit tag (`!!binary`, `!!set`, `!!python/...`). Then its nodes are checked
(`_node_problems`): every key a string and given once (both lines named), no `.nan`,
`.inf` or oversized number, no control, bidirectional or zero-width character in a
key or value. Only then is it constructed.

`read_file` is the one reader of a whole YAML file on disk (a data file, a policy): bytes,
then UTF-8 (a bad byte is named with its line), then the parser above; a symbolic link
is never followed. A `YamlDocument` knows the path it is shown as, so a rule reports
`parsed.problem(data_path, message)` at the line of that value.
"""

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from portal.errors import Problem, display_path

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same result
    _BaseLoader = yaml.SafeLoader


class YamlLoader(_BaseLoader):
    """Safe YAML loader that keeps dates and times as strings."""


YamlLoader.yaml_implicit_resolvers = {
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
class YamlDocument:
    data: object = None
    body: str = ""
    body_line: int = 1  # file line where the body starts
    lines: dict = field(default_factory=dict)  # data path -> file line (1-based)
    problems: list = field(default_factory=list)
    shown: str = ""  # the file as the user knows it, in every problem

    def problem(
        self, data_path, message: str, severity: str = "error", field: str | None = None
    ) -> Problem:
        """A problem with the value at `data_path`, at its line, named by its dotted path
        (or by `field`, when the rule names it otherwise)."""
        data_path = tuple(data_path)
        name = dotted(data_path) if field is None else field
        return Problem(self.shown, self.line_of(data_path), name, message, severity)

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


def parse(text: str, path: str) -> YamlDocument:
    """Parse the front matter of `text`; problems are collected, never raised."""
    result = YamlDocument(body=text, shown=path)
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
    result: YamlDocument | None = None,
    require_mapping: bool = True,
) -> YamlDocument:
    """Parse YAML that starts at file line `first_line` (into `result` if given)."""
    result = result if result is not None else YamlDocument()
    result.shown = path
    result.lines[()] = max(first_line - 1, 1)
    if len(yaml_text) > MAX_CHARS:
        result.problems.append(Problem(path, first_line, "", _TOO_LONG))
        return result
    try:
        result.problems += _bounds_problems(yaml_text, first_line, path)
        if result.problems:
            return result
        loader = YamlLoader(yaml_text)
        try:
            node = loader.get_single_node()
            blocking: list[Problem] = []  # what must not be built (traps are only reported)
            if node is not None:
                _index_nodes(node, (), first_line - 1, result, path, blocking)
            if blocking:
                result.problems += blocking
                return result
            result.data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        result.problems.append(_yaml_error_problem(error, path, first_line, yaml_text))
        return result
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as error:
        result.problems.append(
            Problem(path, first_line, "", f"YAML không đọc được ({type(error).__name__})")
        )
        result.data = None
        return result
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


SYMLINK = "là liên kết tượng trưng (symlink): Cổng không đọc liên kết"


def read_file(path: Path, shown: str | None = None, require_mapping: bool = True) -> YamlDocument:
    """A whole YAML file with line numbers; problems are collected, never raised.

    A symbolic link is refused unread (its target may be any file of the server)."""
    path = Path(path)
    shown = shown if shown is not None else display_path(path)
    result = YamlDocument(shown=shown)
    if path.is_symlink():
        result.problems.append(Problem(shown, 0, "", SYMLINK))
        return result
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        result.problems.append(utf8_problem(error, shown))
        return result
    except OSError as error:
        result.problems.append(Problem(shown, 0, "", f"không đọc được tệp: {error.strerror}"))
        return result
    return parse_yaml(text, 1, shown, result, require_mapping)


def utf8_problem(error: UnicodeDecodeError, shown: str) -> Problem:
    """Bytes that are not UTF-8, at their line, with the command that converts them."""
    line = error.object[: error.start].count(b"\n") + 1
    message = (
        f"tệp không phải UTF-8 (byte 0x{error.object[error.start]:02X}); "
        "văn bản phải dùng Unicode TCVN 6909:2001 — chạy 'portal fix-encoding' để chuyển đổi"
    )
    return Problem(shown, line, "", message)


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


def _index_nodes(node, data_path, offset, result: YamlDocument, path: str, blocking) -> None:
    """Record the file line of every key and list item; report YAML 1.1 traps and
    values that must not be built (`_node_problems`)."""
    blocking += _node_problems(node, data_path, offset, path)
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*data_path, key)
            line = offset + key_node.start_mark.line + 1
            if not _is_string_key(key_node):
                blocking.append(_key_problem(key_node, data_path, line, path))
                continue
            key_problems = _node_problems(key_node, data_path, offset, path)
            if key_problems:  # an invisible character in a key: never shown as a field
                blocking += key_problems
                continue
            if key in seen:
                blocking.append(
                    Problem(
                        path,
                        line,
                        _dotted(child),
                        f"trường '{_visible(key)}' xuất hiện hai lần (dòng {seen[key]} và dòng "
                        f"{line}); giữ một dòng, xóa dòng kia",
                    )
                )
                continue
            seen[key] = line
            result.lines[child] = line
            _index_nodes(value_node, child, offset, result, path, blocking)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*data_path, index)
            result.lines[child] = offset + item.start_mark.line + 1
            _index_nodes(item, child, offset, result, path, blocking)
    elif isinstance(node, yaml.ScalarNode) and not node.style:  # plain (unquoted)
        hint = _trap_hint(node)
        if hint:
            line = offset + node.start_mark.line + 1
            result.problems.append(Problem(path, line, _dotted(data_path), hint))


MAX_CHARS = 1_000_000  # a front matter or a data file; larger is refused unread
MAX_DEPTH = 16  # nesting of lists and mappings
MAX_NODES = 20_000  # values once every alias is expanded
_STR = "tag:yaml.org,2002:str"
_TOO_LONG = f"phần YAML quá lớn (trên {MAX_CHARS:,} ký tự); hãy chia nhỏ tệp"
# Control characters (tab and newline aside), bidirectional controls and zero-width
# characters: invisible, they make a title or a name read differently from what it is.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_MAX_INT_DIGITS = 15


def _bounds_problems(text: str, first_line: int, path: str) -> list[Problem]:
    """Depth, expanded size, self-reference and tags, from the event stream (flat: no
    recursion, nothing built). Stops at the first problem."""
    loader = YamlLoader(text)
    stack: list[list] = []  # per open collection: [anchor, expanded size]
    sizes: dict[str, int] = {}  # anchor → expanded size, once its node is complete
    total = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if _plain_value(event):  # most events: nothing to refuse, one more value
                problem, size = None, 1
                if stack:
                    stack[-1][1] += 1
            else:
                problem = _event_problem(event, stack, sizes)
                counted = isinstance(event, (yaml.NodeEvent, yaml.CollectionEndEvent))
                size = _event_size(event, stack, sizes) if problem is None and counted else 0
            if problem is None:
                total += size
                if total > MAX_NODES:
                    problem = (
                        f"YAML mở rộng quá lớn (trên {MAX_NODES:,} giá trị khi thay các bí danh "
                        "'*'); không dùng bí danh (alias) để nhân bản dữ liệu"
                    )
            if problem:
                line = first_line + event.start_mark.line
                return [Problem(path, line, _key_on_line(text, event.start_mark.line), problem)]
    finally:
        loader.dispose()
    return []


def _plain_value(event) -> bool:
    """A scalar without anchor or tag (`!!str` aside): what `_event_problem` never refuses
    and `_event_size` counts as one value; checked first, since it is most of the events."""
    return (
        type(event) is yaml.ScalarEvent
        and event.anchor is None
        and (event.tag is None or event.tag == _STR)
    )


def _event_problem(event, stack: list, sizes: dict) -> str | None:
    tag = getattr(event, "tag", None)
    if tag is not None and tag != _STR and isinstance(event, yaml.NodeEvent):
        return (
            f"thẻ YAML '{tag.replace('tag:yaml.org,2002:', '!!')}' không được dùng; "
            "bỏ thẻ, ghi giá trị thường (đặt trong ngoặc kép nếu là chữ)"
        )
    if isinstance(event, yaml.CollectionStartEvent) and len(stack) >= MAX_DEPTH:
        return f"YAML lồng quá sâu (trên {MAX_DEPTH} cấp)"
    if isinstance(event, yaml.AliasEvent) and event.anchor not in sizes:
        return f"bí danh '*{event.anchor}' trỏ vào chính giá trị chứa nó (vòng lặp)"
    return None


def _event_size(event, stack: list, sizes: dict) -> int:
    """Values this event adds once aliases are expanded; keeps anchors' sizes."""
    if isinstance(event, yaml.CollectionStartEvent):
        stack.append([event.anchor, 1])
        return 1
    if isinstance(event, yaml.CollectionEndEvent):
        anchor, size = stack.pop()
        if stack:
            stack[-1][1] += size
        if anchor is not None:
            sizes[anchor] = size
        return 0
    size = sizes[event.anchor] if isinstance(event, yaml.AliasEvent) else 1
    if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
        sizes[event.anchor] = 1
    if stack:
        stack[-1][1] += size
    return size


def _key_on_line(text: str, index: int) -> str:
    lines = text.splitlines()
    key = _KEY_AT_LINE.match(lines[index]) if index < len(lines) else None
    return key.group(1) if key else ""


def _is_string_key(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _STR


def _key_problem(node, data_path, line: int, path: str) -> Problem:
    if isinstance(node, yaml.ScalarNode):
        kind = _NODE_KINDS.get(node.tag, "kiểu khác")
        message = f"tên trường '{_visible(node.value)}' được đọc thành {kind}, không phải chữ"
    else:
        message = "tên trường là một danh sách hay nhóm, không phải chữ"
    return Problem(path, line, _dotted(data_path), f"{message}; đặt tên trường trong ngoặc kép")


_NODE_KINDS = {
    _INT: "số nguyên",
    _FLOAT: "số thực",
    _BOOL: "đúng/sai",
    "tag:yaml.org,2002:null": "rỗng (null)",
    "tag:yaml.org,2002:merge": "phép gộp '<<'",
}


def _node_problems(node, data_path, offset: int, path: str) -> list[Problem]:
    """A scalar that cannot be built or must not be published."""
    if not isinstance(node, yaml.ScalarNode):
        return []
    line = offset + node.start_mark.line + 1
    message = _scalar_problem(node)
    return [Problem(path, line, _dotted(data_path), message)] if message else []


def _scalar_problem(node: yaml.ScalarNode) -> str | None:
    value = node.value
    found = _INVISIBLE.search(value)
    if found:
        code = f"U+{ord(found.group()):04X}"
        return (
            f"có ký tự điều khiển, ký tự đổi hướng chữ hoặc ký tự không độ rộng ({code}); "
            "người đọc không thấy nhưng nó đổi nghĩa hoặc hướng chữ: hãy xóa"
        )
    if node.tag == _INT and len(value.lstrip("+-").replace("_", "")) > _MAX_INT_DIGITS:
        return f"số quá lớn (trên {_MAX_INT_DIGITS} chữ số); nếu là chữ hãy đặt trong ngoặc kép"
    if node.tag == _FLOAT and not _finite(value):
        return f"giá trị {value} không phải số hữu hạn; nếu là chữ hãy đặt trong ngoặc kép"
    return None


def _finite(value: str) -> bool:
    if value.lower().lstrip("+-") in (".nan", ".inf"):
        return False
    try:
        return math.isfinite(float(value.replace("_", "")))
    except ValueError:
        return ":" in value  # a YAML 1.1 base-60 float: reported as a trap


def _visible(text: str) -> str:
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
