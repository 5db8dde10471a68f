"""Writing results to the terminal in the chosen format, with colour only where it belongs."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .table import Table, fit_lines

__all__ = ["colour_enabled", "emit", "terminal_width"]

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


def emit(fmt: str, tables: list[Table], payload: Any, lines: list[str] | None = None) -> str:
    """The text to print for ``fmt``: tables for people, ``payload`` as JSON for machines."""
    if fmt == "json":
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":  # several tables (a card, a unit and its measures): one blank line between them
        return "\r\n".join(t.to_csv() for t in tables)
    if fmt == "md":
        body = "\n".join(t.to_markdown() for t in tables)
        return body + ("\n" + "\n".join(lines) + "\n" if lines else "")
    colour, width = colour_enabled(), terminal_width()
    body = "\n".join(t.to_text(width=width, colour=colour) for t in tables)
    return body + ("\n".join(fit_lines(lines, width)) + "\n" if lines else "")
