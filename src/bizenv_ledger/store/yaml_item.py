"""One list item of a big file, found in one pass over the parser's events, nothing else built.

A write changes one measure (or metric) of a file of thousands. ``find_item`` walks the parser's
events once, building nothing but the item at the path it is given: what it holds, the line it
starts on, the line of the next thing after it (past the comments and blank lines that follow
it), and what the whole file counts against the reader's limits (``yaml_reader``'s nodes and
nesting). None whenever the file is not plain enough for the item's lines to be read on their own:
a directive (``%TAG`` could give the item's tags another meaning), a second document, an item that
is not a block mapping starting its own line after a ``-``, or any problem reading the file
(``write/item_edit`` then edits a Draft of the whole file instead). Anchors may stand anywhere: an
edit adds none (it writes quoted text and moves the item's own lines), so it cannot make two alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from .yaml_reader import _Composer, _StrictLoader

__all__ = ["Found", "count_nodes", "depth_of", "find_item"]

Path_ = tuple[str | int, ...]

_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING, _SEQUENCE = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAP_END, _SEQ_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


@dataclass(frozen=True, slots=True)
class Found:
    data: Any  # the item as the whole file reads it
    start: int  # 1-based line of the item's first key (the line of its ``-``)
    after: int  # 1-based line where the next content after the item begins (lines + 1 at the end of the file)
    dash: int  # 0-based column of the item's ``-``
    nodes: int  # at least the file's nodes outside the item (yaml_reader counts them against MAX_NODES)
    depth: int  # the collections the item sits in (its own nesting adds to this against MAX_DEPTH)
    exact: bool = False  # ``nodes`` is exactly the reader's count (from the file's total as cached)


def count_nodes(value: Any) -> int:
    """The nodes ``value`` stands for, counted as yaml_reader counts them (values, not keys)."""
    if isinstance(value, dict):
        return 1 + sum(count_nodes(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count_nodes(v) for v in value)
    return 1


def depth_of(value: Any) -> int:
    """How many collections deep ``value`` goes (a scalar: 0)."""
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


class _Walk:
    """The pass. Only the collections on ``path`` get a frame, [is a mapping, next index, a key is due,
    the key]; any other collection is skipped whole, its events only counted (``_skip``)."""

    def __init__(self, path: Path_, *, stop: bool = False) -> None:
        self.path = path
        self.stop = stop  # at the item's end: the rest of the file is known (module docstring)
        self.stack: list[list[Any]] = []
        self.nodes = 0  # at least the nodes outside the item: a skipped collection's keys count as nodes too
        self.item: list[Any] = []  # the item's events
        self.end: Any = None  # the mark of the item's end event
        self.start: Any = None
        self.documents = 0

    def run(self, text: str) -> bool:
        """Walk every event; False when the file is not one this module reads an item of."""
        events = iter(yaml.parse(text, Loader=_StrictLoader))
        for event in events:
            cls = type(event)
            if cls is _SCALAR or cls is _MAPPING or cls is _SEQUENCE:
                if not self._node(event, cls, events):
                    return False
                if self.stop and self.end is not None:
                    return True
            elif cls is _MAP_END or cls is _SEQ_END:
                self.stack.pop()
            elif cls is _ALIAS:
                return False
            elif cls is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1 or getattr(event, "version", None) or getattr(event, "tags", None):
                    return False
        return self.end is not None

    def _node(self, event: Any, cls: type, events: Iterator[Any]) -> bool:
        stack = self.stack
        slot: Any = None
        if stack:
            top = stack[-1]
            if top[0]:
                if top[2]:  # a key
                    if cls is not _SCALAR:
                        return False
                    top[2], top[3] = False, event.value
                    return True
                top[2], slot = True, top[3]
            else:
                slot, top[1] = top[1], top[1] + 1
        self.nodes += 1
        depth = len(stack)
        if cls is _SCALAR:
            return True
        if depth and slot != self.path[depth - 1]:
            self.nodes += _skip(events, None)
        elif depth < len(self.path):
            stack.append([cls is _MAPPING, 0, True, None])
        elif cls is _MAPPING and self.end is None:
            self.nodes -= 1  # the item's nodes are counted from what it holds after the edit
            self.start, self.item = event.start_mark, [event]
            _skip(events, self.item)
            self.end = self.item[-1].start_mark
        else:
            return False
        return True


def _skip(events: Iterator[Any], kept: list[Any] | None) -> int:
    """Consume the rest of a collection just begun (into ``kept`` when given); how many nodes and keys it held."""
    level, count = 1, 0
    for event in events:
        if kept is not None:
            kept.append(event)
        cls = type(event)
        if cls is _SCALAR:
            count += 1
        elif cls is _MAPPING or cls is _SEQUENCE:
            count += 1
            level += 1
        elif cls is _MAP_END or cls is _SEQ_END:
            level -= 1
            if not level:
                return count
        elif cls is _ALIAS:
            raise yaml.YAMLError  # the reader refuses aliases
    raise yaml.YAMLError  # the stream ended inside the collection


def find_item(text: str, lines: list[str], path: Path_, total: int | None = None) -> Found | None:
    """The block mapping at ``path`` (ending in a list index) of ``text`` (no BOM), split into ``lines``
    as ``write/edit`` splits them; None when the file or the item is not plain enough (module docstring).

    ``total``: the file's nodes as the reader counted them, given only for a text the reader has
    accepted whole (a write's file, current in the cache). Nothing after the item can then be a
    second document, an alias or too many nodes, so the walk stops at the item's end, and the nodes
    outside it are ``total`` less the item's own. At 100,000 measures this spares a write a walk
    of up to 100,000 events (half of them, on average).
    """
    if not path or not isinstance(path[-1], int):
        return None
    walk = _Walk(path, stop=total is not None)
    try:
        if not walk.run(text):
            return None
    except yaml.YAMLError:
        return None
    composer = _Composer(positions=False)
    if composer.feed(walk.item) is not None or composer.refused is not None:
        return None
    start, end = walk.start, walk.end
    first = _body(lines[start.line]) if start.line < len(lines) else ""
    dash = len(first) - len(first.lstrip(" "))
    if not first[dash:].startswith("-") or not first[dash + 1 : start.column].isspace():
        return None  # not ``- key: …`` (a dash on a line of its own, a flow item, a nested ``- - …``)
    after = _after(lines, end.line, end.column)
    if after is None:
        return None
    if total is not None:
        outside = total - count_nodes(composer.root)
        if outside < 0:
            return None  # not the file whose count was given: the whole file is edited instead
        return Found(composer.root, start.line + 1, after, dash, outside, len(path), True)
    return Found(composer.root, start.line + 1, after, dash, walk.nodes, len(path))


def _after(lines: list[str], line: int, column: int) -> int | None:
    """The 1-based line of the token that ended the item, which must begin its line; the end of the file: lines + 1."""
    if line >= len(lines):
        return len(lines) + 1
    body = _body(lines[line])
    if not body[column:].strip():
        return len(lines) + 1 if line == len(lines) - 1 else None
    return line + 1 if not body[:column].strip() else None


def _body(line: str) -> str:
    return line.rstrip("\r\n\x85\u2028\u2029")
