"""A small table that keeps CJK columns aligned, and its text, Markdown and CSV forms.

Rich is not imported here on purpose: the read commands run on every shell
completion Tab, and importing rich costs about as much as the whole query.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Table", "cell_width", "truncate"]

_COLOURS = {"red": "\x1b[31m", "yellow": "\x1b[33m", "green": "\x1b[32m", "done": "\x1b[2m", "ongoing": "\x1b[36m"}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"


def cell_width(text: str) -> int:
    """Terminal columns: wide and full-width characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        width += _char_width(ch)
    return width


@lru_cache(maxsize=8192)
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def truncate(text: str, width: int) -> str:
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - cell_width(text))
    return gap + text if right else text + gap


@dataclass(slots=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    row_styles: list[str | None] = field(default_factory=list)
    right: set[int] = field(default_factory=set)  # right-aligned columns
    shrink: list[int] = field(default_factory=list)  # columns that may be cut to fit, in order
    notes: list[str] = field(default_factory=list)

    def add(self, cells: list[str], style: str | None = None) -> None:
        self.rows.append(cells)
        self.row_styles.append(style)

    def _widths(self, limit: int | None) -> list[int]:
        widths = [cell_width(h) for h in self.headers]
        for row in self.rows:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], cell_width(cell))
        total = sum(widths) + 2 * (len(widths) - 1)
        if limit is None or total <= limit or not self.shrink:
            return widths
        # Share what the fixed columns leave fairly: narrow columns keep their natural width, wide ones split the rest.
        room = max(limit - (total - sum(widths[c] for c in self.shrink)), 8 * len(self.shrink))
        pending = sorted(self.shrink, key=lambda c: widths[c])
        while pending:
            col = pending.pop(0)
            share = room // (len(pending) + 1)
            widths[col] = max(min(widths[col], share), cell_width(self.headers[col]), 8)
            room -= widths[col]
        return widths

    def to_text(self, *, width: int | None = None, colour: bool = False) -> str:
        widths = self._widths(width)
        lines = [self.title] if self.title else []
        head = "  ".join(_pad(h, widths[i], i in self.right) for i, h in enumerate(self.headers)).rstrip()
        lines.append(f"{_BOLD}{head}{_RESET}" if colour else head)
        for row, style in zip(self.rows, self.row_styles, strict=True):
            cells = [_pad(truncate(c, widths[i]), widths[i], i in self.right) for i, c in enumerate(row)]
            line = "  ".join(cells).rstrip()
            if colour and style in _COLOURS:
                line = f"{_COLOURS[style]}{line}{_RESET}"
            lines.append(line)
        lines.extend(self.notes)
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = [f"### {self.title}", ""] if self.title else []
        lines.append("| " + " | ".join(esc(h) for h in self.headers) + " |")
        lines.append("|" + "|".join("---:" if i in self.right else "---" for i in range(len(self.headers))) + "|")
        lines.extend("| " + " | ".join(esc(c) for c in row) + " |" for row in self.rows)
        if self.notes:
            lines += ["", *self.notes]
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return buf.getvalue()
