"""Editing one list item of a big file (a measure, a metric): the item's lines edited alone, the file read once.

A Draft parses its whole text again after every edit; in a file of 8,000 measures that is most of
a write. ``edit_item`` is told where the item is (``at``: its place in the loaded record, which
mirrors the file) and reads the file once, in one pass over the parser's events that builds that
item alone (``store.yaml_item``). The edits are made to a Draft of the item's lines, from its
``-`` to the next content after it (the comments and blank lines that follow it included, so a
block scalar that ends the item reads the same there as in the file). Those lines must read, on
their own, exactly as the item reads in the file, and after the edits exactly as intended. They
then read the same in the file: the lines before them are untouched, every line of the edited
item but its first is indented past its ``-`` (or is a comment or blank), and the next content
line, also untouched, is indented no further than the ``-``, so it ends the item as it did. The
file's limits are counted as the reader would (bytes, nodes, nesting). What the new lines hold is
handed on (``ItemEdit``) for the check before writing, which validates that item and not the
file's thousands of others (``store.focus``).

Anything less plain (no ``at``, an item that reads otherwise on its own lines, an edit refused
there, a directive in the file, a file near the reader's limits) is edited in a Draft of the whole
file, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model.domain import Ledger
from ..store.focus import ItemEdit
from ..store.yaml_item import Found, count_nodes, depth_of, find_item
from ..store.yaml_reader import MAX_BYTES, MAX_DEPTH, MAX_NODES
from .edit import Draft, EditError, Path_, _split

__all__ = ["Edited", "edit_item", "record_path"]


@dataclass(frozen=True)
class Edited:
    text: str
    item: ItemEdit | None  # None when the whole file was edited (then the whole file is checked)


def record_path(ledger: Ledger, item: object) -> Path_ | None:
    """Where ``item`` (a measure or metric of ``ledger``, the very object) sits in its file."""
    for holder in ledger.indicators:
        if (path := _within(holder, item)) is not None:
            return path
    for county in ledger.counties:
        for i, cind in enumerate(county.indicators):
            if (path := _within(cind, item)) is not None:
                return ("indicators", i, *path)
    return None


def _within(holder: object, item: object) -> Path_ | None:
    for name in ("measures", "metrics"):
        for k, candidate in enumerate(getattr(holder, name)):
            if candidate is item:
                return (name, k)
    return None


def edit_item(
    text: str,
    what: str,
    locate: Callable[[Any], Path_],
    change: Callable[[Draft, Path_], None],
    at: Path_ | None = None,
    nodes: int | None = None,
) -> Edited:
    """``change`` made to the list item ``locate`` finds (``at``, when known: see the module).

    ``nodes``: the file's YAML nodes as the reader counted them when it was cached, if this text is that
    file as validated; the item is then found without walking the rest of the file (``find_item``).
    """
    if at is not None and (done := _edit_at(text, what, locate, change, at, nodes)) is not None:
        return done
    draft = Draft(text, what)
    change(draft, locate(draft.data))
    return Edited(draft.result(), None)


def _edit_at(
    text: str,
    what: str,
    locate: Callable[[Any], Path_],
    change: Callable[[Draft, Path_], None],
    at: Path_,
    nodes: int | None,
) -> Edited | None:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    lines = _split(body)
    found = find_item(body, lines, at, nodes)
    if found is None or not _is_at(found.data, at, locate):
        return None
    newline = Draft.newline_of(body)
    try:
        alone = Draft("".join(lines[found.start - 1 : found.after - 1]), what, newline=newline)
        if alone.bom or alone.data != [found.data]:
            return None
        change(alone, (0,))
        new = alone.result()
    except EditError:
        return None
    value = alone.data[0]
    new_text = bom + "".join(lines[: found.start - 1]) + new + "".join(lines[found.after - 1 :])
    if not _stays_the_item(_split(new), found) or not _within_limits(new_text, found, value):
        return None
    total = found.nodes + count_nodes(value) if found.exact else None
    return Edited(new_text, ItemEdit(at, value, total))


def _is_at(item: Any, at: Path_, locate: Callable[[Any], Path_]) -> bool:
    """Whether ``locate`` finds the item at ``at``, in a file holding nothing but it there."""
    skeleton: Any = item
    for part in reversed(at):
        skeleton = [None] * part + [skeleton] if isinstance(part, int) else {part: skeleton}
    try:
        return locate(skeleton) == at
    except EditError:
        return False


def _stays_the_item(new: list[str], found: Found) -> bool:
    """The edited lines, put back, are still one item of the list: the ``-`` line as it was, the rest further in."""
    dash = found.dash
    if not new or new[0][:dash].strip(" ") or new[0][dash : dash + 1] != "-":
        return False
    indent = " " * (dash + 1)
    for line in new[1:]:
        content = line.strip()
        if content and not content.startswith("#") and not line.startswith(indent):
            return False
    return True


def _within_limits(text: str, found: Found, value: Any) -> bool:
    """What the reader would refuse of the whole new file: its size, its nodes, its nesting."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return False
    return found.nodes + count_nodes(value) <= MAX_NODES and found.depth + depth_of(value) <= MAX_DEPTH
