"""Fix the encoding of whole texts and files, block by block.

A block is one front-matter value or one paragraph of the body; a paragraph line that
already holds Unicode Vietnamese is a block of its own, so a file that mixes encodings by
paragraph (or by line inside a paragraph) is fixed piece by piece. Front-matter values are
edited in place, never re-serialised, and the result must still parse to the same keys.
The front matter is found by `yamlfile.split` and its values by the YAML parser's own
marks (the exact span of every scalar), so no second YAML scanner lives here.
"""

import bisect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from portal import yamlfile
from portal.errors import PortalError, display_path
from portal.vntext.detect import (
    AMBIGUOUS,
    LEGACY_ENCODINGS,
    BlockResult,
    Finding,
    detect_block,
    has_vietnamese_letters,
)
from portal.vntext.legacy import LEGACY_SYMBOLS, cp1252_decode
from portal.vntext.syllable import vietnamese_score

_FENCE = re.compile(r"^\s*(```|~~~)")
# What YAML refuses to read (legacy text decoded as Windows-1252 may hold C1 controls):
# replaced one for one by a letter before parsing, so every mark stays where it was.
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
BODY = "body"


@dataclass(frozen=True)
class Issue:
    """One finding placed in the file: 1-based line and column, the field it belongs to."""

    line: int
    column: int
    field: str
    kind: str
    message: str
    preview: str = ""
    fixed: bool = True

    def describe(self) -> str:
        where = "" if self.field == BODY else f"{self.field}: "
        shown = f" → «{self.preview}»" if self.preview else ""
        return f"{where}{self.message}{shown}"


@dataclass
class Block:
    """A piece of text to decide on its own, and where its lines sit in the file."""

    lines: list[int]  # 0-based line indexes, one per line of `text`
    start: int  # column of the text on its first line (0 for body paragraphs)
    text: str
    field: str
    end: int | None = None  # end column on a single front-matter line
    result: BlockResult | None = None


@dataclass
class TextFix:
    text: str
    changes: list[Issue] = field(default_factory=list)
    ambiguous: list[Issue] = field(default_factory=list)
    converted_lines: set[int] = field(default_factory=set)  # 0-based, by a legacy reading
    line_fields: dict[int, str] = field(default_factory=dict)  # 0-based line → field


# --- splitting a document into blocks ---------------------------------------------------------


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    """Lines without their endings, and the endings (kept to write the file back as it was)."""
    raw = text.splitlines(keepends=True)
    bodies = [line.rstrip("\r\n") for line in raw]
    return bodies, [line[len(body) :] for line, body in zip(raw, bodies, strict=True)]


def _front_matter_end(text: str) -> int:
    """Index of the closing `---` line, or 0 when there is no front matter."""
    try:
        yaml_text, _, _, body_line = yamlfile.split(text.lstrip("\ufeff"))
    except ValueError:  # opened, never closed
        return 0
    return 0 if yaml_text is None else body_line - 2


def _front_matter_node(lines: list[str], end: int):
    """The front matter's YAML node tree (None when it does not parse); marks count lines
    from the first line after the opening `---`."""
    text = _NOT_YAML.sub("x", "\n".join(lines[1:end]))
    try:
        return yaml.compose(text, Loader=yamlfile.YamlLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def _front_matter_blocks(lines: list[str], end: int) -> list[Block]:
    """One block per scalar value (a block scalar `|` is one block), named by its key."""
    root = _front_matter_node(lines, end)
    return [
        block
        for node, key in _scalars(root, "", set())
        for block in _scalar_blocks(lines, node, key)
    ]


def _scalars(node, key: str, seen: set):
    """(scalar node, nearest key) in document order; an aliased node once only."""
    if node is None or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else key
            yield from _scalars(value, str(name), seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, key, seen)
    elif node.value.strip():
        yield node, key


def _scalar_blocks(lines: list[str], node: yaml.ScalarNode, key: str) -> list[Block]:
    first, last = node.start_mark.line + 1, node.end_mark.line + 1  # indexes in `lines`
    if node.style in ("|", ">"):  # the more indented lines under `key: |`
        stop = last + 1 if node.end_mark.column else last
        members = [i for i in range(first + 1, stop) if lines[i].strip()]
        if not members:
            return []
        column = min(_indent(lines[i]) for i in members)
        text = "\n".join(lines[i][column:] for i in members)
        return [Block(members, column, text, key)]
    quote = 1 if node.style in ("'", '"') else 0  # inside the quotes
    start, stop = node.start_mark.column + quote, node.end_mark.column - quote
    blocks = []
    for index in range(first, last + 1):  # a value folded over lines: each line its own
        line = lines[index]
        left = start if index == first else _indent(line)
        right = stop if index == last else len(line.rstrip())
        text = line[left:right]
        if text.strip():
            blocks.append(Block([index], left, text, key, right))
    return blocks


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _body_blocks(lines: list[str], first: int) -> list[Block]:
    blocks, paragraph, in_code = [], [], False
    for index in range(first, len(lines)):
        line = lines[index]
        if _FENCE.match(line):
            in_code = not in_code
            blocks += _paragraph_blocks(lines, paragraph)
            paragraph = []
        elif in_code or not line.strip():
            blocks += _paragraph_blocks(lines, paragraph)
            paragraph = []
        else:
            paragraph.append(index)
    return blocks + _paragraph_blocks(lines, paragraph)


def _paragraph_blocks(lines: list[str], indexes: list[int]) -> list[Block]:
    """A paragraph is one block, unless some of its lines already hold Unicode Vietnamese:
    then those lines stand alone and the lines between them are grouped."""
    blocks, run = [], []

    def close_run():
        if run:
            blocks.append(Block(list(run), 0, "\n".join(lines[i] for i in run), BODY))
            run.clear()

    for index in indexes:
        if has_vietnamese_letters(lines[index]):
            close_run()
            blocks.append(Block([index], 0, lines[index], BODY))
        else:
            run.append(index)
    close_run()
    return blocks


# --- fixing -----------------------------------------------------------------------------------


def _decide(blocks: list[Block]) -> None:
    """Detect every block, then retry the ambiguous ones with the file's own encoding."""
    for block in blocks:
        block.result = detect_block(block.text)
    found = {b.result.encoding for b in blocks if b.result.encoding in LEGACY_ENCODINGS}
    for block in blocks:
        if block.result.encoding != AMBIGUOUS:
            continue
        retries = [detect_block(block.text, prefer=encoding) for encoding in sorted(found)]
        fitting = [r for r, e in zip(retries, sorted(found), strict=True) if r.encoding == e]
        if len(fitting) == 1:  # exactly one of the file's own encodings reads it cleanly
            block.result = fitting[0]


def _place(block: Block, finding: Finding) -> tuple[int, int]:
    """1-based line and column of a finding inside a block."""
    before = block.text[: finding.offset]
    row = before.count("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return block.lines[row] + 1, column + 1 + (block.start if row == 0 else 0)


def _issues(block: Block) -> list[Issue]:
    issues = []
    for finding in block.result.findings:
        line, column = _place(block, finding)
        issues.append(
            Issue(line, column, block.field, finding.kind, finding.message, finding.preview,
                  finding.fixed)
        )  # fmt: skip
    return issues


def _apply(lines: list[str], block: Block) -> bool:
    """Write a block's corrected text back into `lines`; False when it does not fit."""
    new_lines = block.result.fixed.split("\n")
    if len(new_lines) != len(block.lines):
        return False
    if block.end is not None:  # one front-matter value inside its line
        line = lines[block.lines[0]]
        lines[block.lines[0]] = line[: block.start] + new_lines[0] + line[block.end :]
        return True
    for index, new in zip(block.lines, new_lines, strict=True):
        lines[index] = lines[index][: block.start] + new
    return True


def _front_matter_keys(lines: list[str], end: int):
    node = _front_matter_node(lines, end)
    if not isinstance(node, yaml.MappingNode):
        return None
    return sorted(str(key.value) for key, _ in node.value)


def fix_text(text: str) -> tuple[str, list[Issue], list[Issue]]:
    """Fix a Markdown text (front matter and body); returns (new_text, changes, ambiguous).

    Correct text comes back unchanged; running it twice changes nothing more.
    """
    result = fix_document(text)
    return result.text, result.changes, result.ambiguous


def fix_document(text: str) -> TextFix:
    lines, endings = _split_lines(text)
    fm_end = _front_matter_end(text)
    fm_blocks = _front_matter_blocks(lines, fm_end) if fm_end else []
    body_blocks = _body_blocks(lines, fm_end + 1 if fm_end else 0)
    blocks = fm_blocks + body_blocks
    _decide(blocks)

    fix = TextFix(text)
    fix.line_fields = {line: block.field for block in blocks for line in block.lines}
    keys_before = _front_matter_keys(lines, fm_end) if fm_end else None
    for block in blocks:
        issues = _issues(block)
        if not block.result.changed or block.result.fixed == block.text:
            fix.ambiguous += [i for i in issues if not i.fixed]
            continue
        saved = list(lines)
        fits = _apply(lines, block)
        if fits and block in fm_blocks and not _yaml_still_valid(lines, fm_end, keys_before):
            fits = False
        if not fits:
            lines[:] = saved
            fix.ambiguous += [_unfixable(i) for i in issues if i.fixed]
        else:
            fix.changes += [i for i in issues if i.fixed]
            if block.result.encoding in LEGACY_ENCODINGS:
                fix.converted_lines.update(block.lines)
        fix.ambiguous += [i for i in issues if not i.fixed]
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    fix.text = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
    fix.changes.sort(key=lambda i: (i.line, i.column))
    fix.ambiguous.sort(key=lambda i: (i.line, i.column))
    return fix


def _yaml_still_valid(lines: list[str], end: int, keys_before) -> bool:
    keys_after = _front_matter_keys(lines, end)
    return keys_after is not None and (keys_before is None or keys_after == keys_before)


def _unfixable(issue: Issue) -> Issue:
    message = issue.message + "; không tự sửa được vì sẽ làm hỏng YAML của phần đầu (front matter)"
    return Issue(issue.line, issue.column, issue.field, issue.kind, message, issue.preview, False)


# --- files ------------------------------------------------------------------------------------


@dataclass
class FileFix:
    path: Path
    raw: bytes
    before: str  # the text as read (legacy bytes shown as Windows-1252)
    after: str
    changes: list[Issue]
    ambiguous: list[Issue]
    refusals: list[Issue] = field(default_factory=list)  # why the file must not be rewritten

    @property
    def new_bytes(self) -> bytes:
        return self.after.encode("utf-8")

    @property
    def changed(self) -> bool:
        return self.new_bytes != self.raw

    @property
    def writable(self) -> bool:
        return self.changed and not self.refusals


def decode_file_bytes(raw: bytes) -> tuple[str, list[int]]:
    """Text of a file and the character offsets where its non-UTF-8 lines start.

    Lines that are not UTF-8 are read as Windows-1252, which is what TCVN3, VNI and
    Windows-1258 files look like to the detector; it then takes over.
    """
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    decoded, legacy_starts, offset = [], [], 0
    for line in raw.split(b"\n"):
        try:
            piece = line.decode("utf-8")
        except UnicodeDecodeError:
            piece = cp1252_decode(line)
            legacy_starts.append(offset)
        decoded.append(piece)
        offset += len(piece) + 1
    return "\n".join(decoded), legacy_starts


# Characters that every reading of a legacy byte agrees on (“ ” – … °): a non-UTF-8 line
# holding only these needs no guess to be written back as UTF-8.
_AGREED = (
    frozenset(ch for ch in cp1252_decode(bytes(range(0x80, 0xC0))) if not ch.isalpha())
    - LEGACY_SYMBOLS
)


def _unexplained_lines(text: str, legacy_starts: list[int], converted: set[int]) -> list[int]:
    """Non-UTF-8 lines (0-based, as `fix_document` counts them) that no legacy reading
    explained: writing them back as UTF-8 would only guess at their meaning."""
    if not legacy_starts:
        return []
    starts, offset = [], 0
    for line in text.splitlines(keepends=True):
        starts.append(offset)
        offset += len(line)
    unexplained = []
    for start in legacy_starts:
        index = max(bisect.bisect_right(starts, start) - 1, 0)
        end = text.find("\n", start)
        line = text[start : end if end >= 0 else len(text)]
        guessed = any(not ch.isascii() and ch not in _AGREED for ch in line)
        if guessed and index not in converted:
            unexplained.append(index)
    return unexplained


def _refusal(line: int, field_name: str) -> Issue:
    message = (
        "dòng này không phải UTF-8 và không nhận ra chắc chắn là mã TCVN3, VNI, VIQR hay "
        "Windows-1258 (not UTF-8, encoding unknown); không ghi lại tệp để khỏi làm hỏng chữ: "
        "hãy mở tệp bằng đúng bảng mã rồi lưu lại dạng UTF-8"
    )
    return Issue(line + 1, 1, field_name, "unsure", message, fixed=False)


def _not_better() -> Issue:
    message = (
        "bản sửa không cho nhiều chữ tiếng Việt hợp lệ hơn bản gốc (not better than the "
        "original); không ghi lại tệp: hãy kiểm tra bằng mắt"
    )
    return Issue(1, 1, BODY, "unsure", message, fixed=False)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a symbolic link is refused, never followed."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise PortalError(f"Không tìm thấy tệp {display_path(path)}.") from None
    except IsADirectoryError:
        raise PortalError(f"{display_path(path)} là thư mục, không phải tệp.") from None
    except OSError as error:
        if Path(path).is_symlink():
            raise PortalError(symlink_message(Path(path))) from None
        reason = error.strerror or str(error)
        raise PortalError(f"Không đọc được tệp {display_path(path)}: {reason}.") from None
    with os.fdopen(handle, "rb") as file:
        try:
            return file.read()
        except IsADirectoryError:
            raise PortalError(f"{display_path(path)} là thư mục, không phải tệp.") from None
        except OSError as error:
            reason = error.strerror or str(error)
            raise PortalError(f"Không đọc được tệp {display_path(path)}: {reason}.") from None


def symlink_message(link: Path) -> str:
    """Names the link itself: `display_path` would resolve it to its target."""
    shown = Path(display_path(link.parent)) / link.name
    return SYMLINK_MESSAGE.format(path=shown)


SYMLINK_MESSAGE = (
    "{path} là liên kết tượng trưng (symbolic link): không đọc, không sửa qua liên kết; "
    "hãy chạy lệnh trên chính tệp đích"
)


def fix_bytes(path: Path, raw: bytes) -> FileFix:
    if b"\x00" in raw:
        raise PortalError(f"{display_path(path)} là tệp nhị phân (có byte 0), không phải văn bản.")
    text, legacy_starts = decode_file_bytes(raw)
    fixed = fix_document(text)
    changes = list(fixed.changes)
    refusals = [
        _refusal(line, fixed.line_fields.get(line, BODY))
        for line in _unexplained_lines(text, legacy_starts, fixed.converted_lines)
    ]
    if fixed.text != text and vietnamese_score(fixed.text) < vietnamese_score(text):
        refusals.append(_not_better())
    if legacy_starts and not refusals:
        # Wording kept as tests/content/bad/expected.yml (another area) expects it.
        message = (
            "tệp không phải UTF-8 (mã cũ: TCVN3, VNI hoặc Windows-1252); sẽ ghi lại bằng UTF-8"
        )
        changes.insert(0, Issue(1, 1, BODY, "not-utf8", message))
    if raw.startswith(b"\xef\xbb\xbf"):
        changes.insert(0, Issue(1, 1, BODY, "bom", "tệp có BOM UTF-8 ở đầu; sẽ bỏ BOM"))
    return FileFix(Path(path), raw, text, fixed.text, changes, fixed.ambiguous, refusals)


def fix_file(path: Path) -> FileFix:
    """Read a file and compute its fix; nothing is written (see `write_atomically`)."""
    return fix_bytes(Path(path), read_bytes(Path(path)))
