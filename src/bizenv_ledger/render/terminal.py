"""Drawing for the terminal, with rich: the read commands' tables, the ``show`` cards, the notes under them.

Only this module and ``render/bars.py`` import rich, and only when a table is drawn for
people (``--format json/csv/md`` never pays for it). Widths are rich's: a Chinese
character takes two columns; “”, ●, … one, as terminals draw them (wcwidth).

A table comes as one or more layouts (``Screen``), the most detailed first; the first
whose columns fit the width wins. Each column gets an explicit width from ``allot``,
so rich never has to guess which column may give way: the measure text gets the room,
a unit name is never cut, short columns keep their own width.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table as RichTable

from .safe import visible
from .screen import Cell, Part, Screen

if TYPE_CHECKING:
    from .screen import Column

__all__ = ["Flow", "allot", "choose", "console", "draw", "fill", "render_screen"]

GAP = 1  # columns between two table columns
# No frame and no rules between rows: only the header underlined, column by column (as Taskwarrior does).
RULED_HEAD = box.Box("    \n    \n ─  \n    \n    \n    \n    \n    \n")
MIN_WIDTH = 20
# Control characters never reach the terminal from here: cell text is shown, never obeyed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def console(width: int, colour: bool) -> Console:
    """A console that writes to a string: fixed width, colour only when asked, user text never interpreted."""
    return Console(
        file=io.StringIO(),
        width=max(width, MIN_WIDTH),
        color_system="standard" if colour else None,
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        soft_wrap=False,
        force_jupyter=False,
        force_interactive=False,
    )


def draw(renderables: Iterable[RenderableType], width: int, colour: bool) -> str:
    """The renderables as terminal text, one after another, trailing spaces dropped."""
    out = console(width, colour)
    for r in renderables:
        out.print(r)
    assert isinstance(out.file, io.StringIO)
    text = out.file.getvalue()
    return "".join(line.rstrip(" ") + "\n" for line in text.splitlines())


def _shown(text: str) -> str:
    return _CONTROL.sub("\ufffd", text.replace("\t", " "))


def fill(pieces: Sequence[str], width: int) -> list[str]:
    """``pieces`` laid into lines of at most ``width`` columns, breaking only between pieces.

    A piece wider than a whole line is cut (the last resort, for a run of Latin letters); a
    newline piece ends the line.
    """
    width = max(width, 1)
    if _CONTROL.search("".join(pieces)) or any("\t" in p for p in pieces):
        pieces = [p if p == "\n" else _shown(p) for p in pieces]
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for piece in pieces:
        if piece == "\n":
            lines.append("".join(line).rstrip())
            line, used = [], 0
            continue
        w = piece_width(piece)
        if line and used + w > width and used + cell_len(piece.rstrip()) > width:
            lines.append("".join(line).rstrip())
            piece = piece.lstrip()
            line, used, w = [], 0, cell_len(piece)
        if w > width and cell_len(piece.rstrip()) > width:
            *whole, piece = chop_cells(piece, width)
            lines.extend(whole)
            line, used, w = [], 0, cell_len(piece)
        line.append(piece)
        used += w
    lines.append("".join(line).rstrip())
    return lines


_PIECE_WIDTHS: dict[str, int] = {}


def piece_width(piece: str) -> int:
    """A piece's columns, as rich counts them; remembered, since a table's pieces are mostly the same few characters."""
    width = _PIECE_WIDTHS.get(piece)
    if width is None:
        width = _PIECE_WIDTHS[piece] = len(piece) if piece.isascii() else cell_len(piece)
    return width


@lru_cache(maxsize=65536)  # the same cell shows in every layout tried, and short cells recur
def _part_widths(pieces: tuple[str, ...]) -> tuple[int, int]:
    if not pieces:
        return 0, 0
    widths = list(map(piece_width, pieces))
    lo = max(widths)
    if lo and any(p[:1] == " " or p[-1:] == " " for p in pieces):
        lo = max(piece_width(p.strip()) for p in pieces)
    if any("\n" in p for p in pieces):
        text = "".join(pieces)
        return lo, max(map(cell_len, text.split("\n")))
    return lo, sum(widths)


class Flow:
    """A cell for rich: its parts each start a line, and lines break only between pieces."""

    def __init__(self, parts: Cell, *, colour: bool, justify: str = "left") -> None:
        self.parts = parts
        self.colour = colour
        self.justify = justify

    def _pieces(self, part: Part) -> tuple[str, ...]:
        return part.plain if part.plain is not None and not self.colour else part.pieces

    def widths(self) -> tuple[int, int]:
        """The narrowest it can be (its longest piece) and its natural width (its longest part)."""
        lo = hi = 0
        for part in self.parts:
            plo, phi = _part_widths(self._pieces(part))
            lo, hi = max(lo, plo), max(hi, phi)
        return lo, hi

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lo, hi = self.widths()
        return Measurement(lo, hi).with_maximum(options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Each line comes padded to the cell's width, as one segment where it has no style: rich then takes
        # it as it is, which more than halves a long table's cost.
        width = options.max_width
        end = Segment.line()
        right = self.justify == "right"
        for part in self.parts:
            style = console.get_style(part.style) if part.style and self.colour else None
            for line in fill(self._pieces(part), width):
                pad = " " * max(0, width - cell_len(line))
                if style is None:
                    yield Segment(pad + line if right else line + pad)
                elif right:
                    yield Segment(pad)
                    yield Segment(line, style)
                else:
                    yield Segment(line, style)
                    yield Segment(pad)
                yield end


def _column_flows(screen: Screen, colour: bool) -> list[list[Flow]]:
    flows = []
    for i, col in enumerate(screen.columns):
        head = Flow((col.head,), colour=colour, justify=col.justify)
        flows.append([head, *(Flow(row[i], colour=colour, justify=col.justify) for row in screen.rows)])
    return flows


def allot(columns: Sequence[Column], ranges: Sequence[tuple[int, int]], width: int) -> list[int] | None:
    """Each column's width within ``width``, or None when the layout cannot fit.

    ``ranges`` holds each column's (narrowest, natural) width. Flex columns share what the
    others leave, each at least its ``at_least`` share of the line; the others keep their
    natural width and give way, the widest first, down to their narrowest, only when needed.
    """
    room = width - GAP * (len(columns) - 1)
    floor = [max(lo, col.min_width) for col, (lo, _) in zip(columns, ranges, strict=True)]
    flex = [i for i, col in enumerate(columns) if col.flex]
    fixed = [i for i, col in enumerate(columns) if not col.flex]
    need = {i: max(floor[i], math.ceil(columns[i].at_least * width)) for i in flex}
    widths = [max(ranges[i][1], floor[i]) if i in fixed else need[i] for i in range(len(columns))]
    excess = sum(widths) - room
    while excess > 0:
        shrinkable = [i for i in fixed if widths[i] > floor[i]]
        if not shrinkable:
            return None
        widest = max(shrinkable, key=lambda i: widths[i])
        others = [widths[i] for i in shrinkable if i != widest]
        target = max(floor[widest], max(others, default=0), widths[widest] - excess)
        step = max(1, widths[widest] - target)
        widths[widest] -= step
        excess -= step
    spare = -excess
    while spare > 0 and flex:  # the rest to the flex columns, by weight, none past its natural width
        open_ = [i for i in flex if widths[i] < max(ranges[i][1], need[i])]
        if not open_:
            break
        weight = sum(columns[i].flex for i in open_)
        given = 0
        for i in open_:
            share = max(1, spare * columns[i].flex // weight)
            add = min(share, max(ranges[i][1], need[i]) - widths[i], spare - given)
            widths[i] += add
            given += add
        if not given:
            break
        spare -= given
    return widths


def choose(screens: Sequence[Screen], width: int, colour: bool) -> tuple[Screen, list[int] | None]:
    """The first layout that fits ``width``, with its widths; else the last one, squeezed by rich."""
    for screen in screens:
        ranges = [_capped(_column_range(screen, i, colour), col) for i, col in enumerate(screen.columns)]
        widths = allot(screen.columns, ranges, width)
        if widths is not None:
            return screen, widths
    return screens[-1], None


def _cell_range(cell: Cell, colour: bool) -> tuple[int, int]:
    lo = hi = 0
    for part in cell:
        plo, phi = _part_widths(part.plain if part.plain is not None and not colour else part.pieces)
        lo, hi = max(lo, plo), max(hi, phi)
    return lo, hi


def _column_range(screen: Screen, index: int, colour: bool) -> tuple[int, int]:
    """The column's narrowest and natural widths, over its header and every cell."""
    lo, hi = _cell_range((screen.columns[index].head,), colour)
    for row in screen.rows:
        clo, chi = _cell_range(row[index], colour)
        lo, hi = max(lo, clo), max(hi, chi)
    return lo, hi


def _capped(widths: tuple[int, int], column: Column) -> tuple[int, int]:
    lo, hi = widths
    return (lo, max(lo, min(hi, column.max_width))) if column.max_width is not None else (lo, hi)


def render_screen(screen: Screen, widths: list[int] | None, colour: bool, *, spaced: bool = False) -> RenderableType:
    """The layout as a rich table under its title, with its notes below."""
    table = RichTable(
        box=RULED_HEAD,
        show_edge=False,
        padding=0,
        pad_edge=False,
        leading=1 if spaced else 0,
        header_style="bold" if colour else "",
        expand=False,
    )
    flows = _column_flows(screen, colour)
    for i, col in enumerate(screen.columns):
        width = widths[i] if widths is not None else None
        table.add_column(flows[i][0], width=width, justify=col.justify, no_wrap=False)
    for n in range(len(screen.rows)):
        table.add_row(*(flows[i][n + 1] for i in range(len(screen.columns))))
    parts: list[RenderableType] = []
    if screen.title:
        parts.append(Flow((_title(screen.title),), colour=colour))
    parts.append(table)
    parts.extend(Flow((note,), colour=colour) for note in screen.notes)
    return Group(*parts)


def _title(title: str) -> Part:
    """A title breaks at its “ · ” joints first, so the scope (a unit's name) stays whole."""
    chunks = visible(title).split(" · ")
    pieces = [c + (" · " if i < len(chunks) - 1 else "") for i, c in enumerate(chunks)]
    return Part(tuple(pieces), "bold")


def screens_text(screens: Sequence[Screen], width: int, colour: bool, *, spaced: bool = False) -> str:
    screen, widths = choose(screens, width, colour)
    return draw([render_screen(screen, widths, colour, spaced=spaced)], width, colour)


def lines_text(lines: Iterable[Part | str], width: int, colour: bool) -> str:
    from .screen import prose

    return draw([Flow((ln if isinstance(ln, Part) else prose(ln),), colour=colour) for ln in lines], width, colour)
