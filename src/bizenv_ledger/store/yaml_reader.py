"""Safe YAML reading that keeps every value's position and none of YAML 1.1's surprises.

Only a YAML-1.2-like core is resolved implicitly: null, true/false, decimal
integers and decimals. A bare ``2024-06-30`` stays text (the models parse it),
``no`` stays the word "no", ``010`` stays the text "010", and ``3.50`` becomes
the exact ``Decimal('3.50')``. Anchors and aliases are refused: the ledger has
no use for them and they are the way to a billion-laughs bomb.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import yaml

from ..model.dates import shown
from ..model.domain import MAX_DIGITS
from .yaml_messages import FALLBACK, NESTING, context_zh, problem_zh

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_DIGITS", "Parsed", "YamlProblem", "parse", "strict_loader"]

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 500_000
# Ledger files nest about six levels deep. The files are built from the parser's events in one pass
# (no node tree, no recursion), and the depth is counted there: far deeper nesting is refused at
# the bracket that goes too deep, long before libyaml's own limit.
MAX_DEPTH = 64
_NO_ALIASES = "不支持 YAML 锚点与别名（& 和 *），请直接写出内容"

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]

# The implicit core: these, and nothing else, turn a plain scalar into a value. An explicit tag
# (!!int, !!float …) must fit the same pattern, so `!!int 0x10` or `!!float .nan` is refused.
_CORE = {
    "tag:yaml.org,2002:null": (re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""], "空值（null）"),
    "tag:yaml.org,2002:bool": (
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
        "true 或 false",
    ),
    "tag:yaml.org,2002:int": (re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"), "十进制整数"),
    "tag:yaml.org,2002:float": (
        re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$"),
        list("-+0123456789."),
        "小数（如 2.7）",
    ),
}


def strict_loader(base: type[Any]) -> type[Any]:
    """A loader on ``base`` (libyaml's or PyYAML's own) that resolves only the core above."""

    class _Strict(base):  # type: ignore[misc]
        # A fresh table, so the resolvers below replace YAML 1.1's instead of adding to them.
        yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}

    for tag, (pattern, first, _) in _CORE.items():
        _Strict.add_implicit_resolver(tag, pattern, first)
    return _Strict


_StrictLoader = strict_loader(_BaseLoader)


@dataclass(frozen=True, slots=True)
class YamlProblem:
    line: int
    col: int
    message: str


@dataclass(slots=True)
class Parsed:
    data: Any
    # path of keys/indices -> (line, col), 1-based, of the key (mappings) or the item (sequences)
    positions: dict[Path_, tuple[int, int]]
    # path -> (start line, end line) of the value node, 1-based inclusive
    spans: dict[Path_, tuple[int, int]]
    # the nodes counted against MAX_NODES (values, not keys: yaml_item.count_nodes counts alike)
    nodes: int = 0


_SHARED = 40  # characters: a longer text (a measure's) is its own


def _scalar(tag: str, node: yaml.ScalarEvent) -> Any:
    value = node.value
    if tag == "tag:yaml.org,2002:str":
        # unit names, deadlines and statuses recur in every measure: one string each, not one per measure
        return sys.intern(value) if len(value) <= _SHARED else value
    if tag not in _CORE:
        msg = f"不支持的 YAML 标签 {shown(tag)}"
        raise _Refused(node.start_mark, msg)
    pattern, _, kind = _CORE[tag]
    if not pattern.match(value):
        msg = f"标签 {_short(tag)} 要求{kind}，而值是“{shown(value)}”（一般不必写标签，去掉即可）"
        raise _Refused(node.start_mark, msg)
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if sum(ch.isdigit() for ch in value) > MAX_DIGITS:
        msg = f"数字位数过多（超过 {MAX_DIGITS} 位），不像是台账中的数值；若是编号或文本，请加引号"
        raise _Refused(node.start_mark, msg)
    return int(value) if tag == "tag:yaml.org,2002:int" else Decimal(value)


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:")


class _Refused(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1
        self.col = mark.column + 1
        self.message = message


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING, _SEQUENCE = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MERGE = "tag:yaml.org,2002:merge"
_KEY_NOT_TEXT = "键必须是简单文本"


def _resolve(event: yaml.ScalarEvent) -> str:
    """The tag a scalar event stands for, as PyYAML's composer resolves it (with our table only)."""
    tag = event.tag
    if tag is not None and tag != "!":
        return str(tag)
    value = event.value
    if event.implicit[0]:
        table = _StrictLoader.yaml_implicit_resolvers
        for resolved, pattern in table.get(value[0] if value else "", []) + table.get(None, []):
            if pattern.match(value):
                return str(resolved)
    return "tag:yaml.org,2002:str"


def _end_line(start_line: int, end: Any) -> int:
    """Last line (1-based) that holds a node's content (PyYAML's end mark may sit at the next line's column 0)."""
    line: int = end.line
    return line + 1 if end.column > 0 else max(line, start_line)


class _Frame:
    """A mapping or sequence being built: its value, its path, and (a mapping) the key awaiting its value."""

    __slots__ = ("key", "line", "path", "value")

    def __init__(self, value: Any, path: Path_, line: int) -> None:
        self.value = value
        self.path = path
        self.line = line
        self.key: Any = _NO_KEY


_NO_KEY = object()


class _Composer:
    """One pass over the parser's events: the data, every position, and the checks the old walk made.

    What it refuses, and in which order, is what a pre-scan of the events, PyYAML's composer and a walk
    of the composed nodes refused before, in that order: an alias or too deep a nesting at once (the
    pre-scan stopped there); a syntax error anywhere (the parser raises it); then the composer's own
    errors (another document, a duplicate anchor); then the first thing the walk refused.
    """

    def __init__(self, positions: bool) -> None:
        self.keep = positions
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.spans: dict[Path_, tuple[int, int]] = {}
        self.stack: list[_Frame] = []
        self.root: Any = _NO_KEY
        self.root_mark: Any = None
        self.nodes = 0
        self.refused: _Refused | None = None
        self.composer: yaml.MarkedYAMLError | None = None
        self.anchors: dict[str, Any] = {}
        self.documents = 0

    def run(self, text: str) -> YamlProblem | None:
        return self.feed(yaml.parse(text, Loader=_StrictLoader))

    def feed(self, events: Iterable[Any]) -> YamlProblem | None:
        """Build from ``events`` (a whole document's, or one node's: ``yaml_item``)."""
        depth = 0
        event: Any
        for event in events:
            cls = type(event)
            if cls is _SCALAR:
                if self.refused is None:
                    self._scalar(event)
            elif cls is _ALIAS:
                return YamlProblem(*_where(event), _NO_ALIASES)
            elif cls is _MAPPING or cls is _SEQUENCE:
                depth += 1
                if depth > MAX_DEPTH:
                    return YamlProblem(*_where(event), NESTING.format(depth=MAX_DEPTH))
                if self.refused is None:
                    self._open(event, cls is _MAPPING)
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                depth -= 1
                if self.refused is None:
                    self._close(event)
            elif cls is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1 and self.composer is None:
                    self.composer = yaml.composer.ComposerError(
                        "expected a single document in the stream",
                        self.root_mark,
                        "but found another document",
                        event.start_mark,
                    )
            if cls is not _ALIAS and getattr(event, "anchor", None) is not None:
                self._anchor(event)
        return None

    def _anchor(self, event: Any) -> None:
        if event.anchor in self.anchors:
            if self.composer is None:
                self.composer = yaml.composer.ComposerError(
                    "found duplicate anchor; first occurrence",
                    self.anchors[event.anchor],
                    "second occurrence",
                    event.start_mark,
                )
        else:
            self.anchors[event.anchor] = event.start_mark

    def _place(self, event: Any) -> Path_:
        """Count the node, and give back its path (the position of a sequence item is the item's start)."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(event.start_mark, f"文件节点过多（超过 {MAX_NODES} 个），不像是台账文件")
        if not self.stack:
            self.root_mark = event.start_mark
            return ()
        if not self.keep:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            path = (*top.path, len(top.value))
            self.positions[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
            return path
        return (*top.path, top.key)

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            top.value[top.key] = value
            top.key = _NO_KEY

    def _key(self, event: Any, top: _Frame) -> None:
        if event.tag == _MERGE:
            raise _Refused(event.start_mark, _KEY_NOT_TEXT)
        key = sys.intern(event.value)
        if key in top.value:
            raise _Refused(event.start_mark, f"重复的键“{key}”")
        if self.keep:
            self.positions[(*top.path, key)] = (event.start_mark.line + 1, event.start_mark.column + 1)
        top.key = key

    def _scalar(self, event: Any) -> None:
        try:
            if self.stack and (top := self.stack[-1]).key is _NO_KEY and isinstance(top.value, dict):
                self._key(event, top)
                return
            path = self._place(event)
            if self.keep:
                self.spans[path] = (event.start_mark.line + 1, _end_line(event.start_mark.line + 1, event.end_mark))
            self._attach(_scalar(_resolve(event), event))
        except _Refused as exc:
            self.refused = exc

    def _open(self, event: Any, mapping: bool) -> None:
        try:
            if self.stack and (top := self.stack[-1]).key is _NO_KEY and isinstance(top.value, dict):
                raise _Refused(event.start_mark, _KEY_NOT_TEXT)
            path = self._place(event)
            expected = "tag:yaml.org,2002:map" if mapping else "tag:yaml.org,2002:seq"
            if event.tag is not None and event.tag != "!" and event.tag != expected:
                raise _Refused(event.start_mark, f"不支持的 YAML 标签 {shown(event.tag)}")
            value: Any = {} if mapping else []
            self._attach(value)
            self.stack.append(_Frame(value, path, event.start_mark.line + 1))
        except _Refused as exc:
            self.refused = exc

    def _close(self, event: Any) -> None:
        frame = self.stack.pop()
        if self.keep:
            self.spans[frame.path] = (frame.line, _end_line(frame.line, event.end_mark))


def _decode(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


def _undecodable(raw: bytes, exc: UnicodeDecodeError) -> YamlProblem:
    line = raw.count(b"\n", 0, exc.start) + 1
    col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return YamlProblem(line, col, f"不是 UTF-8 编码的文本（第 {exc.start} 字节起无法解码）；请另存为 UTF-8")


def _where(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.splitlines()
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> YamlProblem:
    """PyYAML's problem, said in Chinese at its position: never its English words."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    explained = problem_zh(exc.problem, exc.context, depth=MAX_DEPTH)
    if explained == NESTING.format(depth=MAX_DEPTH):
        return YamlProblem(line, col, explained)  # PyYAML's own nesting limit fired before ours
    message = f"YAML 语法错误：{explained}"
    if _char_at(text, line, col) == "\t":  # libyaml does not say which character it could not start with
        message = "YAML 语法错误：这里有制表符（Tab），YAML 只能用空格缩进"
    start = exc.context_mark
    if start is not None and exc.problem_mark is not None and start.line != exc.problem_mark.line:
        # an unclosed bracket or quote is noticed lines later: say where it began
        message += f"（{context_zh(exc.context)}，始于第 {start.line + 1} 行第 {start.column + 1} 列）"
    return YamlProblem(line, col, message)


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> YamlProblem:
    # libyaml counts the offset in UTF-8 bytes, PyYAML's own reader in characters
    position = max(0, int(exc.position or 0))
    libyaml = not issubclass(_StrictLoader, yaml.SafeLoader)
    before = text.encode()[:position].decode(errors="ignore") if libyaml else text[:position]
    line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    if isinstance(exc.character, int):
        return YamlProblem(line, col, f"YAML 语法错误：不允许的控制字符 #x{exc.character:04x}")
    return YamlProblem(line, col, f"YAML 语法错误：{problem_zh(exc.reason, None, depth=MAX_DEPTH)}")


# The last text parsed with positions, and what it gave. A write that edits a Draft of a whole file
# (write/edit.py parses the new text whole, to check it) then validates the ledger with the result in
# place, which reads that very text without positions: it is not parsed a further time. A parse
# without positions (a load's) is not kept: it would hold the last file's data for the rest of the
# command (``check`` holds one file at a time). Nothing changes a Parsed once made.
_last: tuple[bytes, Parsed, bool] | None = None


def _remember_parse(raw: bytes, parsed: Parsed, positions: bool) -> None:
    global _last
    _last = (raw, parsed, positions)


def parse(raw: bytes, *, positions: bool = True) -> tuple[Parsed | None, YamlProblem | None]:
    """Parse one YAML document; return its data with positions, or the one problem that stops it.

    Without ``positions`` the data alone is built (the positions and spans stay empty): the loader reads
    so, and parses a file again with them only to say where a problem is.
    """
    if len(raw) > MAX_BYTES:
        return None, YamlProblem(
            1, 1, f"文件过大（{len(raw) // 1024 // 1024} MB，上限 {MAX_BYTES // 1024 // 1024} MB）"
        )
    try:
        text = _decode(raw)
    except UnicodeDecodeError as exc:
        return None, _undecodable(raw, exc)
    if not text.strip():
        return None, YamlProblem(1, 1, "文件是空的")
    if not positions and _last is not None and _last[0] == raw:
        return _last[1], None  # the file a write just edited and checked: the same data
    composer = _Composer(positions)
    try:
        if (refused := composer.run(text)) is not None:
            return None, refused
        if composer.composer is not None:
            raise composer.composer
    except yaml.MarkedYAMLError as exc:
        return None, _syntax_problem(text, exc)
    except yaml.reader.ReaderError as exc:
        return None, _reader_problem(text, exc)
    except yaml.YAMLError:  # any other PyYAML complaint: still said in Chinese
        return None, YamlProblem(1, 1, f"YAML 语法错误：{FALLBACK}")
    if (first := composer.refused) is not None:
        return None, YamlProblem(first.line, first.col, first.message)
    if composer.root is _NO_KEY:
        return None, YamlProblem(1, 1, "文件里只有注释，没有内容")
    parsed = Parsed(composer.root, composer.positions, composer.spans, composer.nodes)
    if positions:
        _remember_parse(raw, parsed, positions)
    return parsed, None
