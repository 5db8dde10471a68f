"""A table's data, and its Markdown and CSV forms; its terminal layouts ride along to be drawn.

Markdown and CSV are plain string builders on purpose: they are data, not drawing,
and must cost nothing. The terminal is ``render/text.py``'s (joined, or rich in colour), fed by
the ``screens`` each view lays out for it; a table without them is drawn from its rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .screen import Screen

__all__ = ["Table"]


@dataclass(slots=True, eq=False)
class Table:
    """A table's title, headers, rows and notes, for CSV and Markdown; its terminal layouts beside."""

    title: str
    headers: list[str]
    rows: Sequence[list[str]] = field(default_factory=list)  # a list, or ``screen.Rows`` made when read
    right: set[int] = field(default_factory=set)  # right-aligned columns
    notes: list[str] = field(default_factory=list)
    # the terminal's layouts, the most detailed first (the first that fits the width is drawn)
    screens: list[Screen] = field(default_factory=list)
    spaced: bool = False  # a blank line between rows on the terminal (rows of several lines)

    def add(self, cells: list[str]) -> None:
        if len(cells) != len(self.headers):
            msg = f"{len(cells)} cells for {len(self.headers)} columns"
            raise ValueError(msg)
        if not isinstance(self.rows, list):
            msg = "rows made from items take no added row"
            raise TypeError(msg)
        self.rows.append(cells)

    def layouts(self) -> list[Screen]:
        """The terminal layouts: the view's own, else one drawn from the rows (the widest column gives way)."""
        if self.screens:
            return self.screens
        from .screen import Column, Screen, prose

        widest = max(range(len(self.headers)), key=lambda i: max((len(r[i]) for r in self.rows), default=0))
        columns = [
            Column(h, "right" if i in self.right else "left", flex=1 if i == widest else 0)
            for i, h in enumerate(self.headers)
        ]
        screen = Screen(self.title, columns, notes=[prose(n) for n in self.notes])
        for row in self.rows:
            screen.add(*row)
        return [screen]

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
