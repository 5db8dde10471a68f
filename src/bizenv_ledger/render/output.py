"""Writing results in the chosen format: tables for people (drawn by rich), JSON, CSV and Markdown for machines.

Where a table goes decides how it is drawn: on a terminal, at its width and in colour;
piped, at ``COLUMNS`` when set, else a fixed width, never in colour. ``NO_COLOR`` turns
colour off everywhere (https://no-color.org); ``FORCE_COLOR`` turns it on in a pipe.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .safe import csv_cell, json_text, visible

if TYPE_CHECKING:
    from .screen import Part
    from .table import Table

__all__ = [
    "PIPED_WIDTH",
    "colour_enabled",
    "columns_set",
    "drawn_for_people",
    "emit",
    "emit_chunks",
    "is_terminal",
    "shown",
    "terminal_width",
]

FORMATS = ("table", "json", "csv", "md")
PIPED_WIDTH = 100  # piped without COLUMNS: wide enough for every table, never 400-column lines
MIN_WIDTH = 20


def is_terminal(stream: TextIO | None) -> bool:
    """Whether ``stream`` (standard output by default) is a terminal; a closed or stand-in stream is not."""
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream
        return False


def colour_enabled(stream: TextIO | None = None) -> bool:
    """Colour only on a real terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal(stream)


def columns_set() -> int | None:
    columns = os.environ.get("COLUMNS", "").strip()
    return max(int(columns), MIN_WIDTH) if columns.isdigit() else None


def terminal_width(stream: TextIO | None = None) -> int:
    """The width to draw at: ``COLUMNS`` when set, else the terminal's, else (piped) ``PIPED_WIDTH``."""
    if (columns := columns_set()) is not None:
        return columns
    if is_terminal(stream):
        try:
            return max(os.get_terminal_size((stream or sys.stdout).fileno()).columns, MIN_WIDTH)
        except (OSError, ValueError):
            pass
    return PIPED_WIDTH


def drawn_for_people(stream: TextIO) -> bool:
    """Whether a report on ``stream`` is for a person (a terminal, or a width asked for) rather than for tools."""
    return is_terminal(stream) or columns_set() is not None


def shown(table: Table, cell: Callable[[str], str] = visible) -> Table:
    """A copy of ``table`` whose every text has passed through ``cell`` (by default: controls escaped).

    The terminal's layouts need no copy: their text was made visible as it was laid out (``screen.py``).
    """
    return dataclasses.replace(
        table,
        title=visible(table.title),
        headers=[cell(h) for h in table.headers],
        rows=[[cell(c) for c in row] for row in table.rows],
        notes=[visible(n) for n in table.notes],
    )


def emit(fmt: str, tables: list[Table], payload: Any, lines: Sequence[str | Part] | None = None) -> str:
    """The text to print for ``fmt``: tables for people, ``payload`` as JSON for machines.

    Whatever the format, no text reaches the output raw: see ``safe``.
    """
    return "".join(emit_chunks(fmt, tables, payload, lines))


def emit_chunks(
    fmt: str, tables: list[Table], payload: Any, lines: Sequence[str | Part] | None = None
) -> Iterator[str]:
    """``emit``'s text in pieces to write as they come: a long table for people is drawn a chunk of rows at a time."""
    if fmt in ("json", "csv", "md"):
        yield _emit_data(fmt, tables, payload, lines)
        return
    from .text import lines_text, screen_chunks

    colour, width, terminal = colour_enabled(), terminal_width(), is_terminal(None)
    for i, t in enumerate(tables):
        if i:
            yield "\n"
        yield from screen_chunks(t.layouts(), width, colour, spaced=t.spaced, terminal=terminal)
    if lines:
        yield lines_text(lines, width, colour, terminal=terminal)


def _emit_data(fmt: str, tables: list[Table], payload: Any, lines: Sequence[str | Part] | None) -> str:
    if fmt == "json":
        return json_text(payload)
    tables = [shown(t, csv_cell if fmt == "csv" else visible) for t in tables]
    lines = [visible(line) if isinstance(line, str) else line for line in lines or []]
    if fmt == "csv":  # several tables (a card, a unit and its measures): one blank line between them
        return "\r\n".join(t.to_csv() for t in tables)
    body = "\n".join(t.to_markdown() for t in tables)
    texts = [line if isinstance(line, str) else line.text for line in lines or []]
    return body + ("\n" + "\n".join(texts) + "\n" if texts else "")
