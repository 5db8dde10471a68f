"""Drawing for the terminal with rich: the read commands' tables, the notes under them.

Only this module and ``render/bars.py`` import rich's console, and only when a table is drawn
on a terminal or in colour, when no layout fits, or for a chart. A table for a pipe or a file,
uncoloured, is joined by ``render/text.py`` without rich, to the same bytes. The layout (which columns,
how wide, each cell's lines) is ``render/layout.py``'s: rich only pads and styles it here.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table as RichTable

from .layout import MIN_WIDTH, Line, cell_lines, cell_range, title_part

if TYPE_CHECKING:
    from .screen import Cell, Row, Screen

__all__ = ["Flow", "Stack", "console", "draw", "drawn_chunks", "render_screen"]

# No frame and no rules between rows: only the header underlined, column by column (as Taskwarrior does).
RULED_HEAD = box.Box("    \n    \n ─  \n    \n    \n    \n    \n    \n")
_BATCH = 16  # unstyled lines given to rich as one segment


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
    return _drawn(console(width, colour), Group(*renderables))  # one print: rich's cost is mostly per print


class Flow:
    """A cell for rich: its parts each start a line, and lines break only between pieces."""

    def __init__(self, parts: Cell, *, colour: bool, justify: str = "left") -> None:
        self.parts = parts
        self.colour = colour
        self.justify = justify

    def widths(self) -> tuple[int, int]:
        """The narrowest it can be (its longest piece) and its natural width (its longest part)."""
        return cell_range(self.parts, self.colour)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lo, hi = self.widths()
        return Measurement(lo, hi).with_maximum(options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from _segments(self.lines(options.max_width), options.max_width, self.justify, console, self.colour)

    def lines(self, width: int) -> list[Line]:
        """The cell laid into ``width``: each line with its width and its part's style (None without colour)."""
        return cell_lines(self.parts, width, self.colour)


def _segments(lines: Iterable[Line], width: int, justify: str, console: Console, colour: bool) -> Iterator[Segment]:
    # Each line comes padded to the cell's width, as one segment where it has no style: rich then takes
    # it as it is, which more than halves a long table's cost.
    # Unstyled lines go a few at a time, as one segment with their newlines: rich splits it at them, for
    # less than a segment per line costs it. (A few, not all: rich's split copies what is left each time.)
    end = Segment.line()
    right = justify == "right"
    plain: list[str] = []
    for line, used, style_name in lines:
        pad = " " * max(0, width - used)
        style = console.get_style(style_name) if style_name and colour else None
        if style is None:
            plain.append(pad + line if right else line + pad)
            if len(plain) < _BATCH:
                continue
        if plain:
            yield Segment("\n".join(plain) + "\n")
            plain.clear()
        if style is None:
            continue
        if right:
            yield Segment(pad)
            yield Segment(line, style)
        else:
            yield Segment(line, style)
            yield Segment(pad)
        yield end
    if plain:
        yield Segment("\n".join(plain) + "\n")


class Stack:
    """One column's cells for a run of rows, one under another, each row as tall as its tallest cell.

    rich spends more on a cell than on its lines: a chunk drawn as one table row whose cells are
    these stacks (one per column) comes out line for line as the table of its rows would, a blank
    line between rows where the table is spaced, in a fraction of the time.
    """

    def __init__(self, cells: list[list[Line]], heights: list[int], *, spaced: bool, justify: str, colour: bool) -> None:  # fmt: skip
        self.cells = cells
        self.heights = heights
        self.spaced = spaced
        self.justify = justify
        self.colour = colour

    def _lines(self) -> Iterator[Line]:
        for i, (lines, height) in enumerate(zip(self.cells, self.heights, strict=True)):
            if i and self.spaced:
                yield "", 0, None
            yield from lines
            for _ in range(height - len(lines)):
                yield "", 0, None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from _segments(self._lines(), options.max_width, self.justify, console, self.colour)


def render_screen(screen: Screen, widths: list[int] | None, colour: bool, *, spaced: bool = False) -> RenderableType:
    """The layout as one rich table under its title, with its notes below."""
    parts: list[RenderableType] = []
    if screen.title:
        parts.append(Flow((title_part(screen.title),), colour=colour))
    parts.append(_rich_table(screen, screen.rows, widths, colour, spaced=spaced, header=True))
    parts.extend(Flow((note,), colour=colour) for note in screen.notes)
    return Group(*parts)


def _rich_table(
    screen: Screen, rows: Iterable[Row], widths: list[int] | None, colour: bool, *, spaced: bool, header: bool
) -> RichTable:
    table = _table_of(screen, widths, colour, spaced=spaced, header=header)
    justify = [col.justify for col in screen.columns]
    for row in rows:
        table.add_row(*(Flow(c, colour=colour, justify=j) for c, j in zip(row, justify, strict=True)))
    return table


def _stacked_table(
    screen: Screen, rows: Sequence[Row], widths: list[int], colour: bool, *, spaced: bool, header: bool
) -> RichTable:
    """``rows`` as one table row of ``Stack`` cells: the text of ``_rich_table``'s, drawn in a fraction of the time."""
    table = _table_of(screen, widths, colour, spaced=False, header=header)
    justify = [col.justify for col in screen.columns]
    filled = [[Flow(c, colour=colour).lines(w) for c, w in zip(row, widths, strict=True)] for row in rows]
    heights = [max(1, *map(len, cells)) for cells in filled]
    stacks = [
        Stack([cells[i] for cells in filled], heights, spaced=spaced, justify=justify[i], colour=colour)
        for i in range(len(widths))
    ]
    if rows:
        table.add_row(*stacks)
    return table


def _table_of(screen: Screen, widths: list[int] | None, colour: bool, *, spaced: bool, header: bool) -> RichTable:
    table = RichTable(
        box=RULED_HEAD,
        show_edge=False,
        show_header=header,
        padding=0,
        pad_edge=False,
        leading=1 if spaced else 0,
        header_style="bold" if colour else "",
        expand=False,
    )
    for i, col in enumerate(screen.columns):
        width = widths[i] if widths is not None else None
        head = Flow((col.head,), colour=colour, justify=col.justify)
        table.add_column(head, width=width, justify=col.justify, no_wrap=False)
    return table


def drawn_chunks(
    screen: Screen, widths: list[int] | None, width: int, colour: bool, *, spaced: bool, chunk: int
) -> Iterator[str]:
    """``screen`` drawn by rich, ``chunk`` rows at a time: each chunk a rich table of the same widths.

    Where no layout fits (``widths`` is None), rich squeezes the last one looking at every row, so it is drawn whole.
    """
    if widths is None:
        yield draw([render_screen(screen, widths, colour, spaced=spaced)], width, colour)
        return
    out = console(width, colour)
    if screen.title:
        yield _drawn(out, Flow((title_part(screen.title),), colour=colour))
    rows = screen.rows
    for start in range(0, max(len(rows), 1), chunk):  # the header even over no rows
        if start and spaced:
            yield "\n"  # the blank line rich leaves between two rows of one table
        table = _stacked_table(screen, rows[start : start + chunk], widths, colour, spaced=spaced, header=not start)
        yield _drawn(out, table, fits=True)
    if screen.notes:  # one print for them all: rich's cost is mostly per print
        yield _drawn(out, Group(*(Flow((note,), colour=colour) for note in screen.notes)))


def _drawn(out: Console, renderable: RenderableType, *, fits: bool = False) -> str:
    """``renderable`` drawn on ``out`` (a console writing to a string, emptied after), trailing spaces dropped.

    ``fits``: every line is known to be within the width (the columns were allotted), so rich's pass over
    the lines to crop them is skipped: a tenth of a long table's drawing.
    """
    out.print(renderable, crop=not fits)
    assert isinstance(out.file, io.StringIO)
    text = out.file.getvalue()
    out.file.seek(0)
    out.file.truncate()
    return "".join(line.rstrip(" ") + "\n" for line in text.splitlines())
