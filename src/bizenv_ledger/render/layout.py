"""Laying a table out for the terminal: each column's width, each cell's lines. No drawing, and no rich but its widths.

A table comes as one or more layouts (``Screen``), the most detailed first; the first
whose columns fit the width wins (``choose``). Each column gets an explicit width from
``allot``, so nothing has to guess which column may give way: the measure text gets the
room, a unit name is never cut, short columns keep their own width. Widths are rich's
(``rich.cells``, which imports nothing else of rich): a Chinese character takes two
columns; “”, ●, … one, as terminals draw them (wcwidth).

What is laid out here is drawn by ``render/text.py`` (plain text) or ``render/terminal.py`` (rich).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

from rich.cells import cell_len, chop_cells

from .safe import visible
from .screen import Cell, Column, Part, Screen

__all__ = ["GAP", "MIN_WIDTH", "allot", "cell_lines", "cell_range", "choose", "fill", "piece_width", "title_part"]

GAP = 1  # columns between two table columns
MIN_WIDTH = 20
# Control characters never reach the terminal from here: cell text is shown, never obeyed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s")  # what str.isspace() is true of, a full-width space too: where a line may be stripped

Line = tuple[str, int, str | None]  # a laid line: its text, its width, its part's style (None without colour)


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


@lru_cache(maxsize=4096)
def _short_filled(pieces: tuple[str, ...], width: int) -> tuple[tuple[str, int], ...]:
    """A short part's lines (a light, a deadline's clause, a unit's name recur down a table): laid out once."""
    return tuple(_filled(pieces, width))


def _pieces(part: Part, colour: bool) -> tuple[str, ...]:
    return part.plain if part.plain is not None and not colour else part.pieces


def cell_range(parts: Cell, colour: bool) -> tuple[int, int]:
    """The narrowest a cell can be (its longest piece) and its natural width (its longest part)."""
    lo = hi = 0
    for part in parts:
        plo, phi = _part_widths(_pieces(part, colour))
        lo, hi = max(lo, plo), max(hi, phi)
    return lo, hi


def cell_lines(parts: Cell, width: int, colour: bool) -> list[Line]:
    """The cell laid into ``width``: each line with its width and its part's style (None without colour)."""
    out: list[Line] = []
    for part in parts:
        style = part.style if colour else None
        pieces = _pieces(part, colour)
        for line, used in _short_filled(pieces, width) if len(pieces) <= SHORT_PART else _filled(pieces, width):
            if "\n" in line:  # a newline glued to a mark (“\n，”) is a piece of its own lines: rich breaks there
                out += [(sub, cell_len(sub), style) for sub in line.split("\n")]
            else:
                out.append((line, used, style))
    return out


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
    if max(map(len, pieces), default=0) <= half:
        return floor
    wider = tuple(p for p in pieces if len(p) > half)
    return max(floor, _measure_part(wider)[0]) if wider else floor


def _capped(widths: tuple[int, int], column: Column) -> tuple[int, int]:
    lo, hi = widths
    return (lo, max(lo, min(hi, column.max_width))) if column.max_width is not None else (lo, hi)


def title_part(title: str) -> Part:
    """A title breaks at its “ · ” joints first, so the scope (a unit's name) stays whole."""
    chunks = visible(title).split(" · ")
    pieces = [c + (" · " if i < len(chunks) - 1 else "") for i, c in enumerate(chunks)]
    return Part(tuple(pieces), "bold")
