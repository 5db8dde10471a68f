"""A small table that keeps CJK columns aligned, and its text, Markdown and CSV forms.

Rich is not imported here on purpose: the read commands run on every shell
completion Tab, and importing rich costs about as much as the whole query.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Table", "cell_width", "fit_lines", "truncate", "wrap"]

_COLOURS = {
    "red": "\x1b[31m",
    "yellow": "\x1b[33m",
    "green": "\x1b[32m",
    "pending": "\x1b[35m",
    "done": "\x1b[2m",
    "ongoing": "\x1b[36m",
}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"


def cell_width(text: str) -> int:
    """Terminal columns: wide and full-width characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


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


_TOKEN = re.compile(r"[A-Za-z0-9.,%+\-/:]+|.", re.DOTALL)  # a run of Latin letters and figures is not split


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` terminal columns (CJK counts two); its own newlines kept.

    Chinese breaks between any two characters; a number or a Latin word moves whole to the next line
    unless it is wider than a line by itself.
    """
    out: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = 0
        for token in _TOKEN.findall(para):
            pieces = list(token) if cell_width(token) > width else [token]
            for piece in pieces:
                w = cell_width(piece)
                if used + w > width and line:
                    out.append("".join(line).rstrip())
                    line, used = [], 0
                    if piece == " ":
                        continue
                line.append(piece)
                used += w
        out.append("".join(line))
    return out


def fit_lines(lines: list[str], width: int | None) -> list[str]:
    """Prose lines wrapped to the terminal's width (unchanged when there is none)."""
    if width is None:
        return list(lines)
    return [part for line in lines for part in wrap(line, max(width, 8))]


# With no terminal to fit (a pipe, a file) a column still grows no wider than this: a longer cell
# wraps within it, so one long text neither widens every row nor loses a character. The plan's
# longest measure (183 characters, 366 cells) fits, so its tables look as they always did.
UNFITTED_COLUMN = 400


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
    wrap: set[int] = field(default_factory=set)  # of those, columns wrapped onto more lines instead of cut
    notes: list[str] = field(default_factory=list)

    def add(self, cells: list[str], style: str | None = None) -> None:
        self.rows.append(cells)
        self.row_styles.append(style)

    def _widths(self, limit: int | None) -> list[int]:
        widths = [cell_width(h) for h in self.headers]
        for row in self.rows:
            for i, cell in enumerate(row):
                if "\n" in cell and i in self.wrap:
                    widths[i] = max(widths[i], *(cell_width(line) for line in cell.split("\n")))
                else:
                    widths[i] = max(widths[i], cell_width(cell))
        if limit is None:
            return [min(w, UNFITTED_COLUMN) for w in widths]
        total = sum(widths) + 2 * (len(widths) - 1)
        if total <= limit or not self.shrink:
            return widths
        # Share what the fixed columns leave fairly: narrow columns keep their natural width, wide ones split the rest.
        narrowest = {c: min(widths[c], max(cell_width(self.headers[c]), 8)) for c in self.shrink}
        room = max(limit - (total - sum(widths[c] for c in self.shrink)), sum(narrowest.values()))
        pending = sorted(self.shrink, key=lambda c: widths[c])
        while pending:
            col = pending.pop(0)
            share = room // (len(pending) + 1)
            widths[col] = min(widths[col], max(share, narrowest[col]))  # never wider than its own text
            room -= widths[col]
        return widths

    def to_text(self, *, width: int | None = None, colour: bool = False) -> str:
        widths = self._widths(width)
        if width is not None and sum(widths) + 2 * (len(widths) - 1) > width:
            return self._records(width, colour)
        lines = fit_lines([self.title], width) if self.title else []
        head = "  ".join(_pad(h, widths[i], i in self.right) for i, h in enumerate(self.headers)).rstrip()
        lines.append(f"{_BOLD}{head}{_RESET}" if colour else head)
        for row, style in zip(self.rows, self.row_styles, strict=True):
            for line in self._row_lines(row, widths, width is not None):
                lines.append(f"{_COLOURS[style]}{line}{_RESET}" if colour and style in _COLOURS else line)
        lines.extend(fit_lines(self.notes, width))
        return "\n".join(lines) + "\n"

    def _records(self, width: int, colour: bool) -> str:
        """Too narrow for the columns: each row as a block of 标签  值 lines, values wrapped, nothing cut."""
        key = max(cell_width(h) for h in self.headers)
        room = max(width - key - 2, 8)
        lines = fit_lines([self.title], width) if self.title else []
        for row, style in zip(self.rows, self.row_styles, strict=True):
            block = []
            for header, cell in zip(self.headers, row, strict=True):
                parts = wrap(cell, room)
                block.append(f"{_pad(header, key, False)}  {parts[0]}".rstrip())
                block.extend(" " * (key + 2) + part for part in parts[1:])
            lines.append("")
            lines.extend(f"{_COLOURS[style]}{b}{_RESET}" if colour and style in _COLOURS else b for b in block)
        if self.notes:
            lines.append("")
        lines.extend(fit_lines(self.notes, width))
        return "\n".join(lines) + "\n"

    def _row_lines(self, row: list[str], widths: list[int], fitted: bool) -> list[str]:
        """One row as terminal lines: wrapped columns may take several, the others are cut to one.

        Unfitted (no terminal), nothing is cut: a cell wider than its column wraps instead.
        """
        cells = [
            wrap(c, widths[i])
            if i in self.wrap or (not fitted and widths[i] == UNFITTED_COLUMN and cell_width(c) > widths[i])
            else [truncate(" ".join(c.splitlines()) if "\n" in c else c, widths[i])]
            for i, c in enumerate(row)
        ]
        height = max(len(c) for c in cells)
        return [
            "  ".join(
                _pad(cell[n] if n < len(cell) else "", widths[i], i in self.right) for i, cell in enumerate(cells)
            ).rstrip()
            for n in range(height)
        ]

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
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return buf.getvalue()
