"""What a terminal table shows, before rich lays it out: columns, and cells made of unbreakable pieces.

A cell is a few parts, each starting on its own line; a part breaks only between its
pieces. Prose breaks between any two Chinese characters but keeps a figure or a
Latin word whole and keeps closing punctuation with what it closes; a list of
unit names breaks only between names, so a name is never cut in two.

The views build these from query results; ``render/layout.py`` lays them out and
``render/text.py`` writes them (joined for a pipe or a file, drawn by rich on a terminal).
Nothing here imports rich, so building a table costs nothing when the output is JSON or
CSV. Every text enters through ``prose``, ``words`` or ``names`` and is made ``visible``
there (render/safe.py): a control or bidi character is shown, never obeyed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..queries.lazy import Remade
from .safe import visible

__all__ = ["RIGHT", "Cell", "Column", "Part", "Row", "Rows", "Screen", "cell", "names", "prose", "words"]

# A piece: a run of Latin letters and figures (2022年, 90%, 0.5天 break around it, never inside it), a run of
# spaces or one character; opening marks held to what follows, closing marks to what precedes (no line starts
# with ，or ends with （). One regex does it all, so laying out a long list costs little.
_OPEN = "（《「『【〔［“‘(["
_CLOSE = "，。、；：！？）》」』】〕］”’,.;:!?)\\]%"
# An escaped control (\x1b, <U+202E>, as render/safe.py shows it) is one piece, never cut in two.
# The first branch is any one character that no later branch could start (nearly every Chinese
# character): tried first, it spares each of them the four branches that cannot match.
_PIECE = re.compile(
    rf"[{_OPEN}]*(?:[^\\<A-Za-z0-9.,%+\-/:×~ ]|\\x[0-9a-f]{{2}}|<U\+[0-9A-F]{{4,6}}>|[A-Za-z0-9.,%+\-/:×~]+| +|.)[{_CLOSE}]*",
    re.DOTALL,
)
RIGHT: Literal["right"] = "right"  # a column of figures


class Part:
    """One run of a cell that starts on its own line; lines break only between ``pieces``.

    ``plain`` is shown instead where there is no colour (a red ● becomes 红灯). Never changed once
    made, and equal to another of the same fields. A plain class, not a frozen dataclass: a table
    makes thousands (each measure's text, its units, its deadline), and a frozen dataclass sets
    each field through ``object.__setattr__``.
    """

    __slots__ = ("pieces", "plain", "style")

    def __init__(self, pieces: tuple[str, ...], style: str | None = None, plain: tuple[str, ...] | None = None) -> None:
        self.pieces = pieces
        self.style = style
        self.plain = plain

    def _fields(self) -> tuple[tuple[str, ...], str | None, tuple[str, ...] | None]:
        return self.pieces, self.style, self.plain

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Part) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"Part(pieces={self.pieces!r}, style={self.style!r}, plain={self.plain!r})"

    @property
    def text(self) -> str:
        return "".join(self.pieces)


Cell = tuple[Part, ...]
Row = tuple[Cell, ...]
Rows = Remade  # a table's rows made from its items (the measures' views) each time they are read, never held


def prose(text: str, style: str | None = None) -> Part:
    """Running text: breaks between Chinese characters, never inside a figure, never before a closing mark."""
    return Part(tuple(_PIECE.findall(visible(text))), style)


def words(pieces: Sequence[str], style: str | None = None) -> Part:
    """Pieces given whole (a deadline's clauses, a header's words): lines break only between them."""
    return Part(tuple(visible(p) for p in pieces if p), style)


def names(units: Sequence[str], *, lead: bool, more: str = "", style: str | None = None) -> Part:
    """Unit names joined by 、, each whole; the first marked 牵头 when ``lead`` (the mark may move to the next line)."""
    pieces: list[str] = []
    units = [visible(u, layout=False) for u in units]
    for i, name in enumerate(units):
        last = i == len(units) - 1
        sep = "" if last else "、"
        if i == 0 and lead:
            pieces += [name, "（牵头）" + sep]
        else:
            pieces.append(name + sep)
    if more and pieces:
        pieces.append(more)
    return Part(tuple(pieces), style)


def cell(*parts: Part | str) -> Cell:
    """A cell from parts; a plain string is prose."""
    return tuple(prose(p) if isinstance(p, str) else p for p in parts if not isinstance(p, str) or p)


@dataclass(frozen=True, slots=True, eq=False)
class Column:
    """A column as the layout sees it.

    ``flex`` columns share what the others leave (by weight); the others are as wide as their
    content, shrinking only when the line is too short, never below their longest piece or
    ``min_width``. A flex column with ``at_least`` must get that share of the line, else the
    layout does not fit and the next one is tried.
    """

    header: str | Part
    justify: Literal["left", "right"] = "left"
    flex: int = 0
    at_least: float = 0.0
    min_width: int = 0
    max_width: int | None = None  # a fixed column wider than this wraps (its longest piece still fits)

    @property
    def head(self) -> Part:
        """A header given as a string is one piece (牵头 never breaks into 牵/头); pass ``words`` to allow breaks."""
        return self.header if isinstance(self.header, Part) else Part((self.header,))


@dataclass(slots=True, eq=False)
class Screen:
    """One layout of a table for the terminal: its columns, its rows of cells, the lines under it."""

    title: str
    columns: list[Column]
    rows: Sequence[Row] = field(default_factory=list)  # a list, or ``Rows`` made as they are drawn
    notes: list[Part] = field(default_factory=list)

    def add(self, *cells: Cell | Part | str) -> None:
        if len(cells) != len(self.columns):
            msg = f"{len(cells)} cells for {len(self.columns)} columns"
            raise ValueError(msg)
        if not isinstance(self.rows, list):
            msg = "rows made from items take no added row"
            raise TypeError(msg)
        self.rows.append(tuple(cell(c) if isinstance(c, str | Part) else c for c in cells))
