"""Editing one list item of a big file (a measure, a metric): the item's lines edited alone.

A Draft parses its whole text again after every edit; in a file of 8,000 measures that is most of
a write. ``edit_item`` parses the whole file once, for where the item's lines are; the edits are
made to a Draft of those lines alone, which are put back; and the new text is parsed whole once
more and must hold exactly what was intended (that parse is the one the write's check reuses,
``store.yaml_reader``). An item that does not read the same on its own lines, or an edit refused
there, is edited in a Draft of the whole file instead, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..store.yaml_reader import parse
from .edit import Draft, EditError, Path_, _get

__all__ = ["edit_item"]


def edit_item(text: str, what: str, locate: Callable[[Any], Path_], change: Callable[[Draft, Path_], None]) -> str:
    """``change`` made to the list item ``locate`` finds, the file parsed whole twice (see the module)."""
    whole = Draft(text, what, expect=False)
    path = locate(whole.data)
    done = _edit_alone(whole, path, change)
    if done is not None:
        return done
    draft = Draft(text, what)
    change(draft, locate(draft.data))
    return draft.result()


def _edit_alone(whole: Draft, path: Path_, change: Callable[[Draft, Path_], None]) -> str | None:
    if not path or not isinstance(path[-1], int) or path not in whole.parsed.positions:
        return None
    start, end = whole.parsed.positions[path][0], whole._last_line(path)
    item = _get(whole.data, path)
    try:
        alone = Draft("".join(whole.lines[start - 1 : end]), whole.what, newline=whole.newline)
        if alone.bom or alone.data != [item]:
            return None
        change(alone, (0,))
        lines = alone.result()
    except EditError:
        return None
    text = "".join(whole.lines[: start - 1]) + lines + "".join(whole.lines[end:])
    assert isinstance(alone.expected, list)
    parsed, _ = parse(text.encode("utf-8"), positions=False)
    if parsed is None or parsed.data != _replaced(whole.data, path, alone.expected[0]):
        return None
    return whole.bom + text


def _replaced(data: Any, path: Path_, value: Any) -> Any:
    """``data`` with the node at ``path`` replaced by ``value``: copied along the path, shared elsewhere."""
    if not path:
        return value
    head, *rest = path
    copied = dict(data) if isinstance(data, dict) else list(data)
    copied[head] = _replaced(data[head], tuple(rest), value)  # type: ignore[index]
    return copied
