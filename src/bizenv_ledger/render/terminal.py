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
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table as RichTable

from .safe import visible
from .screen import Cell, Part, Row, Screen

if TYPE_CHECKING:
    from .screen import Column

__all__ = ["CHUNK", "Flow", "allot", "choose", "console", "draw", "fill", "render_screen", "screen_chunks"]

GAP = 1  # columns between two table columns
# No frame and no rules between rows: only the header underlined, column by column (as Taskwarrior does).
RULED_HEAD = box.Box("    \n    \n ─  \n    \n    \n    \n    \n    \n")
MIN_WIDTH = 20
_BATCH = 16  # unstyled lines given to rich as one segment
CHUNK = 200  # rows drawn at a time: a long list never has all its cells, or rich's table of them, at once
# Control characters never reach the terminal from here: cell text is shown, never obeyed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s")  # what str.isspace() is true of, a full-width space too: where a line may be stripped


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


def _shown(text: str) -> str:
    return _CONTROL.sub("\ufffd", text.replace("\t", " "))


def fill(pieces: Sequence[str], width: int) -> list[str]:
    """``pieces`` laid into lines of at most ``width`` columns, breaking only between pieces.

    A piece wider than a whole line is cut (the last resort, for a run of Latin letters); a
    newline piece ends the line.
    """
    return [line for line, _ in _filled(pieces, width)]


def _filled(pieces: Sequence[str], width: int) -> list[tuple[str, int]]:
    """``fill``'s lines, each with its width (the drawing pads to the cell without measuring again)."""
    width = max(width, 1)
    text = "".join(pieces)
    if "\t" in text or _CONTROL.search(text):
        pieces = [p if p == "\n" else _shown(p) for p in pieces]
    elif len(pieces) > SHORT_PART and not _SPACE.search(text) and (greedy := _greedy(pieces, width)) is not None:
        return greedy
    known = _PIECE_WIDTHS.get
    lines: list[tuple[str, int]] = []
    line: list[str] = []
    used = 0
    for piece in pieces:
        if piece == "\n":
            lines.append(_ended(line, used))
            line, used = [], 0
            continue
        w = len(piece) if piece.isascii() else (known(piece) or piece_width(piece))
        if used + w > width:
            if line and used + cell_len(piece.rstrip()) > width:
                lines.append(_ended(line, used))
                piece = piece.lstrip()
                line, used, w = [], 0, cell_len(piece)
            if w > width and cell_len(piece.rstrip()) > width:
                *whole, piece = chop_cells(piece, width)
                lines.extend((cut, cell_len(cut)) for cut in whole)
                line, used, w = [], 0, cell_len(piece)
        line.append(piece)
        used += w
    lines.append(_ended(line, used))
    return lines


def _greedy(pieces: Sequence[str], width: int) -> list[tuple[str, int]] | None:
    """``_filled`` for a long run of text without a space or newline, where no piece is wider than a line.

    Nothing is stripped or cut there, so each line is as many pieces as fit: found by bisection in their
    running widths, not piece by piece (a measure's text is a hundred pieces or more). None otherwise.
    """
    widths = _widths(pieces)
    if max(widths) > width:
        return None
    ends = list(accumulate(widths))
    lines: list[tuple[str, int]] = []
    start = base = 0
    while start < len(pieces):
        stop = bisect_right(ends, base + width, start)
        lines.append(("".join(pieces[start:stop]), ends[stop - 1] - base))
        start, base = stop, ends[stop - 1]
    return lines


def _ended(line: list[str], used: int) -> tuple[str, int]:
    text = "".join(line)
    if not text[-1:].isspace():
        return text, used
    stripped = text.rstrip()
    return stripped, used - cell_len(text[len(stripped) :])  # a full-width space takes two columns


_PIECE_WIDTHS: dict[str, int] = {}


def piece_width(piece: str) -> int:
    """A piece's columns, as rich counts them.

    A wide piece's is remembered, since a table's are mostly the same few characters; an ASCII
    piece (a figure, an id: as many as there are measures) is its length, never kept.
    """
    if piece.isascii():
        return len(piece)
    width = _PIECE_WIDTHS.get(piece)
    if width is None:
        width = _PIECE_WIDTHS[piece] = cell_len(piece)
    return width


def _widths(pieces: Sequence[str]) -> list[int]:
    """Each piece's columns: ``piece_width`` inlined, since a long part is hundreds of pieces, each a call."""
    known = _PIECE_WIDTHS.get
    return [len(p) if p.isascii() else (known(p) or piece_width(p)) for p in pieces]


SHORT_PART = 8  # pieces: a part this short (a light, an id, a deadline, a name) is likely to recur


def _part_widths(pieces: tuple[str, ...]) -> tuple[int, int]:
    """A part's narrowest and natural widths; a short part's remembered, a long one (a measure's text) never held."""
    return _short_part_widths(pieces) if len(pieces) <= SHORT_PART else _measure_part(pieces)


def _measure_part(pieces: tuple[str, ...]) -> tuple[int, int]:
    if not pieces:
        return 0, 0
    widths = _widths(pieces)
    lo = max(widths)
    text = "".join(pieces)
    if lo and " " in text and any(p[:1] == " " or p[-1:] == " " for p in pieces):
        lo = max(piece_width(p.strip()) for p in pieces)
    if "\n" in text:
        return lo, max(map(cell_len, text.split("\n")))
    return lo, sum(widths)


_short_part_widths = lru_cache(maxsize=4096)(_measure_part)


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
        yield from _segments(self.lines(options.max_width), options.max_width, self.justify, console, self.colour)

    def lines(self, width: int) -> list[tuple[str, int, str | None]]:
        """The cell laid into ``width``: each line with its width and its part's style (None without colour)."""
        out: list[tuple[str, int, str | None]] = []
        for part in self.parts:
            style = part.style if self.colour else None
            for line, used in _filled(self._pieces(part), width):
                if "\n" in line:  # a newline glued to a mark (“\n，”) is a piece of its own lines: rich breaks there
                    out += [(sub, cell_len(sub), style) for sub in line.split("\n")]
                else:
                    out.append((line, used, style))
        return out


def _segments(
    lines: Iterable[tuple[str, int, str | None]], width: int, justify: str, console: Console, colour: bool
) -> Iterator[Segment]:
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

    def __init__(self, cells: list[list[tuple[str, int, str | None]]], heights: list[int], *, spaced: bool, justify: str, colour: bool) -> None:  # fmt: skip
        self.cells = cells
        self.heights = heights
        self.spaced = spaced
        self.justify = justify
        self.colour = colour

    def _lines(self) -> Iterator[tuple[str, int, str | None]]:
        for i, (lines, height) in enumerate(zip(self.cells, self.heights, strict=True)):
            if i and self.spaced:
                yield "", 0, None
            yield from lines
            for _ in range(height - len(lines)):
                yield "", 0, None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from _segments(self._lines(), options.max_width, self.justify, console, self.colour)


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
        found = _column_ranges(screen, colour, width)
        if found is None:
            continue
        ranges = [_capped(r, col) for r, col in zip(found, screen.columns, strict=True)]
        widths = allot(screen.columns, ranges, width)
        if widths is not None:
            return screen, widths
    return screens[-1], None


def _column_ranges(screen: Screen, colour: bool, width: int) -> list[tuple[int, int]] | None:
    """Each column's narrowest and natural widths (the natural one at most ``width``), over its header and
    every cell, in one pass over the rows; None as soon as the narrowest widths alone overflow the line.

    A natural width past ``width`` changes nothing ``allot`` does, so once a column's reaches it only its
    narrowest is still measured; and a layout whose columns cannot shrink to fit is left at the first row
    that shows it, so a wide layout that fails costs a few rows, not all of them.
    """
    columns = screen.columns
    room = width - GAP * (len(columns) - 1)
    ranges = [_grown((0, 0), (col.head,), colour, width) for col in columns]
    if _least(columns, ranges, width) > room:
        return None
    for row in screen.rows:
        for i, cell in enumerate(row):
            lo, hi = ranges[i]
            ranges[i] = grown = _grown((lo, hi), cell, colour, width)
            if grown[0] > lo and _least(columns, ranges, width) > room:
                return None
    return ranges


def _least(columns: Sequence[Column], ranges: Sequence[tuple[int, int]], width: int) -> int:
    """The narrowest the columns can be drawn: what ``allot`` needs at the least."""
    least = 0
    for col, (lo, _) in zip(columns, ranges, strict=True):
        floor = max(lo, col.min_width)
        least += max(floor, math.ceil(col.at_least * width)) if col.flex else floor
    return least


def _grown(current: tuple[int, int], cell: Cell, colour: bool, width: int) -> tuple[int, int]:
    """``current`` (narrowest, natural) widened by ``cell``'s parts; the natural width kept at most ``width``."""
    lo, hi = current
    for part in cell:
        pieces = part.plain if part.plain is not None and not colour else part.pieces
        if hi < width or len(pieces) <= SHORT_PART:
            plo, phi = _part_widths(pieces)
            lo, hi = max(lo, plo), max(hi, phi)
        else:
            lo = _narrowest(pieces, lo)
    return lo, min(hi, width)


def _narrowest(pieces: tuple[str, ...], floor: int) -> int:
    """The widest of ``pieces``, or ``floor`` if none is wider; only a piece that could be is measured.

    A character takes two columns at most, so a piece of ``floor // 2`` characters or fewer fits in ``floor``.
    """
    half = floor // 2
    wider = tuple(p for p in pieces if len(p) > half)
    return max(floor, _measure_part(wider)[0]) if wider else floor


def _capped(widths: tuple[int, int], column: Column) -> tuple[int, int]:
    lo, hi = widths
    return (lo, max(lo, min(hi, column.max_width))) if column.max_width is not None else (lo, hi)


def render_screen(screen: Screen, widths: list[int] | None, colour: bool, *, spaced: bool = False) -> RenderableType:
    """The layout as one rich table under its title, with its notes below."""
    parts: list[RenderableType] = []
    if screen.title:
        parts.append(Flow((_title(screen.title),), colour=colour))
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


def screen_chunks(
    screens: Sequence[Screen], width: int, colour: bool, *, spaced: bool = False, chunk: int | None = None
) -> Iterator[str]:
    """The first layout that fits, drawn ``chunk`` rows at a time: each chunk a rich table of the same widths.

    Only a chunk's cells and rich's table of them are held at once, so 100,000 rows draw in the
    memory of a few hundred; the text is the same as one table's. Where no layout fits, rich
    squeezes the last one looking at every row, so it is drawn whole.
    """
    screen, widths = choose(screens, width, colour)
    if widths is None:
        yield draw([render_screen(screen, widths, colour, spaced=spaced)], width, colour)
        return
    out, chunk = console(width, colour), chunk or CHUNK
    if screen.title:
        yield _drawn(out, Flow((_title(screen.title),), colour=colour))
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


def _title(title: str) -> Part:
    """A title breaks at its “ · ” joints first, so the scope (a unit's name) stays whole."""
    chunks = visible(title).split(" · ")
    pieces = [c + (" · " if i < len(chunks) - 1 else "") for i, c in enumerate(chunks)]
    return Part(tuple(pieces), "bold")


def screens_text(screens: Sequence[Screen], width: int, colour: bool, *, spaced: bool = False) -> str:
    return "".join(screen_chunks(screens, width, colour, spaced=spaced))


def lines_text(lines: Iterable[Part | str], width: int, colour: bool) -> str:
    from .screen import prose

    return draw([Flow((ln if isinstance(ln, Part) else prose(ln),), colour=colour) for ln in lines], width, colour)
