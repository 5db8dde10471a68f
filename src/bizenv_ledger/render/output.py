"""Writing results to the terminal in the chosen format, with colour only where it belongs."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable
from typing import Any

from .safe import csv_cell, json_text, visible
from .table import Table, fit_lines

__all__ = ["colour_enabled", "emit", "shown", "terminal_width"]

FORMATS = ("table", "json", "csv", "md")


def colour_enabled() -> bool:
    """Colour only on a real terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def terminal_width() -> int | None:
    """The width to fit tables into; None (no cutting) when the output is not a terminal."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    if sys.stdout.isatty():
        return os.get_terminal_size(sys.stdout.fileno()).columns
    return None


def shown(table: Table, cell: Callable[[str], str] = visible) -> Table:
    """A copy of ``table`` whose every text has passed through ``cell`` (by default: controls escaped)."""
    return dataclasses.replace(
        table,
        title=visible(table.title),
        headers=[cell(h) for h in table.headers],
        rows=[[cell(c) for c in row] for row in table.rows],
        notes=[visible(n) for n in table.notes],
    )


def emit(fmt: str, tables: list[Table], payload: Any, lines: list[str] | None = None) -> str:
    """The text to print for ``fmt``: tables for people, ``payload`` as JSON for machines.

    Whatever the format, no text reaches the output raw: see ``safe``.
    """
    if fmt == "json":
        return json_text(payload)
    tables = [shown(t, csv_cell if fmt == "csv" else visible) for t in tables]
    lines = [visible(line) for line in lines or []]
    if fmt == "csv":  # several tables (a card, a unit and its measures): one blank line between them
        return "\r\n".join(t.to_csv() for t in tables)
    if fmt == "md":
        body = "\n".join(t.to_markdown() for t in tables)
        return body + ("\n" + "\n".join(lines) + "\n" if lines else "")
    colour, width = colour_enabled(), terminal_width()
    body = "\n".join(t.to_text(width=width, colour=colour) for t in tables)
    return body + ("\n".join(fit_lines(lines, width)) + "\n" if lines else "")
