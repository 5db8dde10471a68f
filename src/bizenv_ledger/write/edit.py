"""Surgical edits of ledger YAML: change only the lines of the item touched, never re-dump a file.

People edit these files too, and a YAML dump drops every comment, so an edit works
on lines (beancount's ``bean-format`` way): it replaces one scalar line, appends
keys at the end of an item's mapping, appends items to a list, or cuts a block out
(moving it elsewhere with its comments). Everything else stays byte for byte.

Every value the tool writes is emitted by ``scalar``: user text as a YAML
double-quoted scalar escaped JSON-style, so quotes, colons, ``#``, newlines, a
leading ``-``, ``no`` or ``2022-01-01`` come back exactly as typed.

A ``Draft`` applies each edit twice, to the text and to the parsed data, and at
the end checks that the new text parses to exactly the expected data: an edit
that would change anything else is refused, not written.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Union

import yaml

from ..model.errors import UsageError, WriteRefused
from ..store.yaml_reader import parse

__all__ = [
    "Block",
    "Draft",
    "EditError",
    "Moved",
    "Node",
    "Scalar",
    "Word",
    "measure_path",
    "metric_path",
    "scalar",
]

Path_ = tuple[str | int, ...]
Scalar = Union[str, bool, int, Decimal, None, dict[str, Any]]  # noqa: UP007  (a dict is a flow mapping)


class EditError(WriteRefused):
    """The file cannot be changed locally (odd layout, or the result would differ from the intent)."""


class Word(str):
    """A word of the schema's own vocabulary (``done``, ``doc``): written bare, as people write it."""

    __slots__ = ()


_BARE = re.compile(r"[a-z][a-z_]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@dataclass(frozen=True)
class Block:
    """A block mapping to write: keys in order, values scalars, Blocks, tuples of Blocks or Moved lines."""

    pairs: tuple[tuple[str, Node], ...]

    def data(self) -> dict[str, Any]:
        return {key: _data(value) for key, value in self.pairs}


@dataclass(frozen=True)
class Moved:
    """Lines cut from elsewhere in the file (comments and quoting kept), re-indented where they land."""

    lines: tuple[str, ...]  # the key line and everything under it, without line ends
    indent: int  # the key line's indentation
    value: Any  # what the value parses to


Node = Union[Scalar, Block, tuple[Block, ...], Moved]  # noqa: UP007


def _data(node: Node) -> Any:
    if isinstance(node, Block):
        return node.data()
    if isinstance(node, tuple):
        return [item.data() for item in node]
    if isinstance(node, Moved):
        return copy.deepcopy(node.value)
    return node


# ---------------------------------------------------------------- emitting values

# Characters YAML will not take raw (C1 controls, BOM, non-characters) or reads as line breaks.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _quote(text: str) -> str:
    if _SURROGATE.search(text):
        msg = "文本含有无法保存的字符（不成对的代理码位），请检查输入的编码"
        raise UsageError(msg)  # the typed text itself is at fault: a bad argument value
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def scalar(value: Scalar) -> str:
    """One value as YAML text that the strict loader reads back as exactly ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        text = str(value)
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
            msg = f"无法写出数值 {value}"
            raise EditError(msg)
        return text
    if isinstance(value, Word) and _BARE.fullmatch(value) and value not in _YAML11_WORDS:
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {scalar(item)}" for key, item in value.items()) + "}"
    return _quote(value)


def _key(key: str) -> str:
    # YAML 1.1 tools (PyYAML's default loader among them) read a bare `on` key as True.
    return '"on"' if key == "on" else key


def _render_pair(key: str, node: Node, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(node, Moved):
        return [_shift(line, indent - node.indent) for line in node.lines]
    if isinstance(node, Block):
        lines = [f"{pad}{_key(key)}:"]
        for sub_key, sub in node.pairs:
            lines += _render_pair(sub_key, sub, indent + 2)
        return lines
    if isinstance(node, tuple):
        lines = [f"{pad}{_key(key)}:"]
        for item in node:
            lines += _render_item(item, indent + 2, indent + 4)
        return lines
    return [f"{pad}{_key(key)}: {scalar(node)}"]


def _shift(line: str, by: int) -> str:
    if not line.strip():
        return line
    return " " * by + line if by >= 0 else line[-by:]


def _render_item(item: Block, dash: int, content: int) -> list[str]:
    lines: list[str] = []
    for key, node in item.pairs:
        lines += _render_pair(key, node, content)
    if lines:
        first = lines[0]
        lines[0] = " " * dash + "-" + " " * (content - dash - 1) + first[content:]
    return lines


# ---------------------------------------------------------------- locating items


def measure_path(data: Any, measure_id: str) -> Path_ | None:
    """Where measure ``measure_id`` sits in an indicator file (or a county file)."""
    if not isinstance(data, dict):
        return None
    for j, m in enumerate(data.get("measures") or []):
        if isinstance(m, dict) and str(m.get("id")) == measure_id:
            return ("measures", j)
    for i, ind in enumerate(data.get("indicators") or []):
        for j, m in enumerate((ind.get("measures") or []) if isinstance(ind, dict) else []):
            if isinstance(m, dict) and str(m.get("id")) == measure_id:
                return ("indicators", i, "measures", j)
    return None


def metric_path(data: Any, key: str) -> Path_ | None:
    if not isinstance(data, dict):
        return None
    for i, metric in enumerate(data.get("metrics") or []):
        if isinstance(metric, dict) and metric.get("key") == key:
            return ("metrics", i)
    return None


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


# YAML's line breaks (PyYAML and libyaml count all of these), so line numbers agree with the parser's.
_LINE = re.compile(r"[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029]|$)")


def _split(text: str) -> list[str]:
    lines = _LINE.findall(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def _body(line: str) -> str:
    return line.rstrip("\r\n\x85\u2028\u2029")


class Draft:
    """A file's text being edited; ``result()`` returns it once it is checked against the intent."""

    def __init__(self, text: str, what: str = "文件", *, newline: str | None = None, expect: bool = True) -> None:
        self.bom = "\ufeff" if text.startswith("\ufeff") else ""
        self.text = text[len(self.bom) :]
        self.what = what
        self.newline = newline or self.newline_of(self.text)
        self.data = self._parse(self.text, edited=False)
        # what the edits intend; a draft only looked at (``item_edit``'s whole file) needs no copy
        self.expected = copy.deepcopy(self.data) if expect else None

    def _parse(self, text: str, *, edited: bool = True) -> Any:
        parsed, problem = parse(text.encode("utf-8"))
        if parsed is None:
            detail = f"第 {problem.line} 行：{problem.message}" if problem else ""
            state = "局部修改后无法解析，已放弃，未写入任何内容" if edited else "无法解析，未作修改"
            msg = f"{self.what} {state}（{detail}）"
            raise EditError(msg)
        self.parsed = parsed
        self.lines = _split(text)
        return parsed.data

    @staticmethod
    def newline_of(text: str) -> str:
        """The line end a text uses (its first), which the lines a Draft adds end with."""
        first = re.search(r"\r\n|\n|\r", text)
        return first.group() if first else "\n"

    # -- geometry ------------------------------------------------------------

    def _last_line(self, path: Path_) -> int:
        """The last line holding content of the node at ``path`` (its leaves, not trailing comments).

        PyYAML's end mark of a block collection lies at the next token, past any comments
        and blank lines that follow, so the leaves are asked instead.
        """
        node = _get(self.data, path)
        if isinstance(node, dict) and node:
            return max(self._last_line((*path, k)) for k in node)
        if isinstance(node, list) and node:
            return max(self._last_line((*path, i)) for i in range(len(node)))
        key_line = self.parsed.positions.get(path, (1, 1))[0]
        if node is None:
            return key_line  # an empty value's marks point at the next token, maybe on a later line
        end = max(key_line, self.parsed.spans[path][1])
        while end > key_line and not self._line(end).strip():
            end -= 1  # a block scalar's end mark lies past the blank lines after it
        return end

    def _indent(self, item: Path_) -> int:
        """Column (0-based) of the keys of the block mapping at ``item``."""
        node = _get(self.data, item)
        if not isinstance(node, dict) or not node:
            msg = f"{self.what} 中的条目不是映射，无法修改"
            raise EditError(msg)
        first = next(iter(node))
        line, col = self.parsed.positions[(*item, first)]
        if self.parsed.spans[item][0] != line or "{" in self._line(line)[: col - 1]:
            msg = f"{self.what} 中的条目写成了流式映射（{{…}}），无法局部修改；请改为逐行的块式写法"
            raise EditError(msg)
        return col - 1

    def _line(self, number: int) -> str:
        return _body(self.lines[number - 1])

    def _splice(self, start: int, end: int, new: list[str]) -> None:
        """Replace lines ``start..end`` (1-based, inclusive; ``end = start - 1`` inserts) with ``new``."""
        lines = list(self.lines)
        unterminated = bool(lines) and _body(lines[-1]) == lines[-1]
        if unterminated:
            lines[-1] += self.newline
        lines[start - 1 : end] = [line + self.newline for line in new]
        text = "".join(lines)
        if unterminated and text.endswith(self.newline):
            text = text[: -len(self.newline)]  # the file had no line end at its end; it still has none
        self.text = text
        self.data = self._parse(text)

    # -- edits ---------------------------------------------------------------

    def set_key(self, item: Path_, key: str, node: Node) -> None:
        """Set ``key`` of the mapping at ``item``: replace its lines, or append it at the mapping's end."""
        indent = self._indent(item)
        mapping = _get(self.data, item)
        if key in mapping:
            self._replace(item, key, node)
        else:
            end = self._last_line(item)
            self._splice(end + 1, end, _render_pair(key, node, indent))
        _get(self.expected, item)[key] = _data(node)

    def _replace(self, item: Path_, key: str, node: Node) -> None:
        line, col = self.parsed.positions[(*item, key)]
        end = self._last_line((*item, key))
        prefix = self._line(line)[: col - 1]  # spaces, or "- " when the key is an item's first
        new = _render_pair(key, node, col - 1)
        new[0] = prefix + new[0][col - 1 :]
        if not isinstance(node, Moved):  # `status: open  # c`, `progress: []  # none yet`: the comment stays
            new[0] += self._trailing_comment(line, end, col)
        self._splice(line, end, new)

    def _trailing_comment(self, line: int, end: int, col: int) -> str:
        """The comment after a scalar value on lines ``line..end`` (kept when the value is replaced)."""
        rows = [self._line(n) for n in range(line, end + 1)]
        rows[0] = " " * (col - 1) + rows[0][col - 1 :]  # "- key: v" -> "  key: v"
        try:
            node = yaml.compose("\n".join(rows), Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return ""
        if not isinstance(node, yaml.MappingNode) or not node.value:
            return ""
        value_end = node.value[0][1].end_mark
        rest = rows[value_end.line][value_end.column :] if value_end.line < len(rows) else ""
        return rest if rest.strip().startswith("#") else ""

    def append_item(self, item: Path_, key: str, entry: Block) -> None:
        """Append ``entry`` to the block list ``key`` of the mapping at ``item`` (creating the list)."""
        mapping = _get(self.data, item)
        current = mapping.get(key)
        if not current:  # absent, empty ([]) or null: write the list afresh
            self.set_key(item, key, (entry,))
            return
        if not isinstance(current, list):
            msg = f"{self.what} 中的“{key}”不是列表，无法追加"
            raise EditError(msg)
        key_line = self.parsed.positions[(*item, key)][0]
        first_line, first_col = self.parsed.positions[(*item, key, 0)]
        if first_line == key_line:
            msg = f"{self.what} 中的“{key}”写成了流式列表（[…]），无法追加；请改为逐行的块式写法"
            raise EditError(msg)
        dash = self._line(first_line).rfind("-", 0, first_col - 1)
        end = self._last_line((*item, key))
        self._splice(end + 1, end, _render_item(entry, dash, first_col - 1))
        _get(self.expected, item)[key].append(entry.data())

    def cut_key(self, item: Path_, key: str) -> Moved:
        """Remove ``key`` and its whole value from the mapping at ``item``; return the lines removed."""
        self._indent(item)
        line, col = self.parsed.positions[(*item, key)]
        if self._line(line)[: col - 1].strip():
            msg = f"{self.what} 中的“{key}”是条目的第一个键，无法移走"
            raise EditError(msg)
        end = self._last_line((*item, key))
        value = copy.deepcopy(_get(self.data, (*item, key)))
        lines = tuple(self._line(n) for n in range(line, end + 1))
        self._splice(line, end, [])
        del _get(self.expected, item)[key]
        return Moved(lines, col - 1, value)

    # -- copying between drafts (the merge driver) -------------------------------

    def lines_of(self, path: Path_) -> Moved:
        """The lines of the key or list item at ``path`` (a leading ``- `` made spaces), to copy elsewhere."""
        line, col = self.parsed.positions[path]
        lines = [self._line(n) for n in range(line, self._last_line(path) + 1)]
        lines[0] = " " * (col - 1) + lines[0][col - 1 :]
        return Moved(tuple(lines), col - 1, copy.deepcopy(_get(self.data, path)))

    def span(self, path: Path_) -> tuple[int, int]:
        """First and last line (1-based) of the key or item at ``path`` (of its content, for a mapping)."""
        return self.parsed.positions.get(path, (1, 1))[0], self._last_line(path)

    def key_column(self, item: Path_) -> int:
        """Column (0-based) of the keys of the block mapping at ``item``."""
        return self._indent(item)

    def insert_item(self, item: Path_, key: str, index: int, entry: Moved) -> None:
        """Make ``entry`` (an item's lines, from ``lines_of``) item ``index`` of the block list ``key``."""
        current = _get(self.data, item).get(key)
        if not isinstance(current, list) or not current or not 0 <= index <= len(current):
            msg = f"{self.what} 中的“{key}”不是非空列表，无法插入"
            raise EditError(msg)
        first_line, first_col = self.parsed.positions[(*item, key, 0)]
        dash = self._line(first_line).rfind("-", 0, first_col - 1)
        if first_line == self.parsed.positions[(*item, key)][0] or dash < 0:
            msg = f"{self.what} 中的“{key}”不是逐行的块式列表，无法插入"
            raise EditError(msg)
        new = [_shift(line, first_col - 1 - entry.indent) for line in entry.lines]
        new[0] = new[0][:dash] + "-" + new[0][dash + 1 :]
        at = self._last_line((*item, key, index - 1)) + 1 if index else first_line
        self._splice(at, at - 1, new)
        _get(self.expected, item)[key].insert(index, copy.deepcopy(entry.value))

    def result(self) -> str:
        """The edited text, once it parses to exactly what the edits intended."""
        if self.data != self.expected:
            msg = f"{self.what} 的局部修改结果与预期不符，已放弃，未写入任何内容（请检查该条目的写法）"
            raise EditError(msg)
        return self.bom + self.text
