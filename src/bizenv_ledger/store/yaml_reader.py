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

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Parsed", "YamlProblem", "parse"]

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
_C_LOADER = _BaseLoader is not yaml.SafeLoader

Path_ = tuple[str | int, ...]


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    # A fresh table, so the resolvers below replace YAML 1.1's instead of adding to them.
    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}


_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$"), list("-+0123456789.")
)


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
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        return int(value)
    if tag == "tag:yaml.org,2002:float":
        return Decimal(value)
    if tag == "tag:yaml.org,2002:str":
        return value
    msg = f"不支持的 YAML 标签 {tag}"
    raise _Refused(node, msg)


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
                return YamlProblem(*_where(event), f"嵌套超过 {MAX_DEPTH} 层，不像是台账文件")
        elif isinstance(event, _CLOSES):
            depth -= 1
    return None


# PyYAML words its problems in English; these are the ones a person editing a file by hand meets.
_PROBLEMS_ZH = [
    ("mapping values are not allowed", "此处不能出现“键: 值”（含冒号的文本请加引号，或检查缩进）"),
    ("found unexpected end of stream", "文件在未闭合的引号或括号处结束了"),
    ("found a tab character", "缩进里有制表符（Tab），请改用空格"),
    ("found character", "这里有一个不能开头的字符（如 @、`、%），请给这个值加引号"),
    ("did not find expected ',' or ']'", "方括号列表里缺少“,”或“]”"),
    ("did not find expected ',' or '}'", "花括号映射里缺少“,”或“}”"),
    ("did not find expected key", "缩进不一致：这里应当是一个键"),
    ("did not find expected '-' indicator", "缩进不一致：这里应当是列表项“- ”"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("expected <block end>", "缩进不一致"),
    ("found unknown escape character", "双引号文本里有无法识别的反斜杠转义"),
    ("found unexpected ':'", "多了一个冒号“:”（含冒号的文本请加引号）"),
    ("expected a single document", "文件里只能有一个文档（去掉多余的“---”）"),
    ("while scanning a quoted scalar", "引号内的文本"),
    ("while scanning a simple key", "一个键"),
    ("while parsing a flow sequence", "方括号列表"),
    ("while parsing a flow mapping", "花括号映射"),
    ("while parsing a block mapping", "一个映射"),
    ("while parsing a block collection", "一个列表"),
    ("while scanning a plain scalar", "一段文本"),
]


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.splitlines()
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _zh(problem: str) -> str:
    for english, chinese in _PROBLEMS_ZH:
        if problem.startswith(english):
            return chinese
    return problem


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
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML 语法错误：{_zh(exc.problem or exc.context or '')}"
        if _char_at(text, line, col) == "\t":  # libyaml does not say which character it could not start with
            message = "YAML 语法错误：这里有制表符（Tab），YAML 只能用空格缩进"
        start = exc.context_mark
        if start is not None and exc.problem_mark is not None and start.line != exc.problem_mark.line:
            # an unclosed bracket or quote is noticed lines later: say where it began
            message += f"（{_zh(exc.context or '')}，始于第 {start.line + 1} 行第 {start.column + 1} 列）"
        return None, YamlProblem(line, col, message)
    except yaml.reader.ReaderError as exc:
        # libyaml counts the offset in UTF-8 bytes, PyYAML's own reader in characters
        before = text.encode()[: exc.position].decode(errors="ignore") if _C_LOADER else text[: exc.position]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        return None, YamlProblem(line, col, f"YAML 语法错误：不允许的控制字符 #x{exc.character:04x}")
    except yaml.YAMLError as exc:
        return None, YamlProblem(1, 1, f"YAML 语法错误：{exc}")
    if node is None:
        return None, YamlProblem(1, 1, "文件里只有注释，没有内容")
    walker = _Walker()
    try:
        data = walker.walk(node, ())
    except _Refused as exc:
        return None, YamlProblem(exc.node.start_mark.line + 1, exc.node.start_mark.column + 1, exc.message)
    return Parsed(data, walker.positions, walker.spans), None
