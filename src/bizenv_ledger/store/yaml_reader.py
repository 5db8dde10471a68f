"""Safe YAML reading that keeps every value's position and none of YAML 1.1's surprises.

Only a YAML-1.2-like core is resolved implicitly: null, true/false, decimal
integers and decimals. A bare ``2024-06-30`` stays text (the models parse it),
``no`` stays the word "no", ``010`` stays the text "010", and ``3.50`` becomes
the exact ``Decimal('3.50')``. Anchors and aliases are refused: the ledger has
no use for them and they are the way to a billion-laughs bomb.
"""

from __future__ import annotations

import re
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
# Ledger files nest about six levels deep. The limit is checked on the event stream before
# composing, because both the C composer and the walker below recurse once per level: a few
# thousand nested brackets would otherwise end in a RecursionError, and a million in a crash.
MAX_DEPTH = 64
_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
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
_COLLECTION_TAGS: dict[type[yaml.Node], str] = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
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


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:str":
        return value
    if tag not in _CORE:
        msg = f"不支持的 YAML 标签 {shown(tag)}"
        raise _Refused(node, msg)
    pattern, _, kind = _CORE[tag]
    if not pattern.match(value):
        msg = f"标签 {_short(tag)} 要求{kind}，而值是“{shown(value)}”（一般不必写标签，去掉即可）"
        raise _Refused(node, msg)
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if sum(ch.isdigit() for ch in value) > MAX_DIGITS:
        msg = f"数字位数过多（超过 {MAX_DIGITS} 位），不像是台账中的数值；若是编号或文本，请加引号"
        raise _Refused(node, msg)
    return int(value) if tag == "tag:yaml.org,2002:int" else Decimal(value)


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:")


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


class _Walker:
    def __init__(self) -> None:
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.spans: dict[Path_, tuple[int, int]] = {}
        self.seen: set[int] = set()

    def walk(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:
            raise _Refused(node, _NO_ALIASES)
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            msg = f"文件节点过多（超过 {MAX_NODES} 个），不像是台账文件"
            raise _Refused(node, msg)
        self.spans[path] = (node.start_mark.line + 1, _end_line(node))
        expected = _COLLECTION_TAGS.get(type(node))
        if expected is not None and node.tag != expected:
            msg = f"不支持的 YAML 标签 {shown(node.tag)}"
            raise _Refused(node, msg)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[(*path, index)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(self.walk(item, (*path, index)))
            return items
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        msg = "无法识别的 YAML 节点"
        raise _Refused(node, msg)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                msg = "键必须是简单文本"
                raise _Refused(key_node, msg)
            key = key_node.value
            if key in result:
                msg = f"重复的键“{key}”"
                raise _Refused(key_node, msg)
            self.positions[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.walk(value_node, (*path, key))
        return result


def _end_line(node: yaml.Node) -> int:
    """Last line that holds the node's content (PyYAML's end mark may sit at the next line's column 0)."""
    end = node.end_mark
    return end.line + 1 if end.column > 0 else max(end.line, node.start_mark.line + 1)


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


def _prescan(text: str) -> YamlProblem | None:
    """Refuse what must not reach the composer: nesting beyond MAX_DEPTH, and aliases (at the alias)."""
    depth = 0
    for event in yaml.parse(text, Loader=_StrictLoader):
        if isinstance(event, yaml.AliasEvent):
            return YamlProblem(*_where(event), _NO_ALIASES)
        if isinstance(event, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                return YamlProblem(*_where(event), NESTING.format(depth=MAX_DEPTH))
        elif isinstance(event, _CLOSES):
            depth -= 1
    return None


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


def parse(raw: bytes) -> tuple[Parsed | None, YamlProblem | None]:
    """Parse one YAML document; return its data with positions, or the one problem that stops it."""
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
    try:
        if (refused := _prescan(text)) is not None:
            return None, refused
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        return None, _syntax_problem(text, exc)
    except yaml.reader.ReaderError as exc:
        return None, _reader_problem(text, exc)
    except yaml.YAMLError:  # any other PyYAML complaint: still said in Chinese
        return None, YamlProblem(1, 1, f"YAML 语法错误：{FALLBACK}")
    if node is None:
        return None, YamlProblem(1, 1, "文件里只有注释，没有内容")
    walker = _Walker()
    try:
        data = walker.walk(node, ())
    except _Refused as exc:
        return None, YamlProblem(exc.node.start_mark.line + 1, exc.node.start_mark.column + 1, exc.message)
    return Parsed(data, walker.positions, walker.spans), None
