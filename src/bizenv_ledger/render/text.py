"""The text of tables and lines for people: joined here where there is no colour, drawn by rich where there is.

Once ``layout.choose`` has given every column its width, each cell's lines are laid out
already: what is left to draw is padding, one space between columns and a rule under the
header. For a pipe or a file (``ledger overdue > 逾期.txt``, ``ledger list | findstr 财政``),
without colour, that is a join, done here without importing rich's console: its import and
its drawing were most of what a short read cost. The text is rich's to the byte (the tests
draw both and compare). On a terminal, with colour, or where no layout fits and rich must
squeeze one, ``render/terminal.py`` draws with rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from .layout import MIN_WIDTH, Line, cell_lines, choose, title_part
from .screen import Part, Row, Screen

__all__ = ["CHUNK", "lines_text", "screen_chunks", "screens_text"]

CHUNK = 200  # rows drawn at a time: a long list never has all its cells, or rich's table of them, at once
RULE = "─"  # under each column's header, as Taskwarrior underlines its own


def screen_chunks(
    screens: Sequence[Screen],
    width: int,
    colour: bool,
    *,
    spaced: bool = False,
    chunk: int | None = None,
    terminal: bool = False,
) -> Iterator[str]:
    """The first layout that fits, drawn ``chunk`` rows at a time, with its title and notes.

    Only a chunk's cells are held at once, so 100,000 rows draw in the memory of a few hundred;
    the text is the same as one table's. rich draws it on a ``terminal`` (coloured or not) and
    wherever there is colour; else (a pipe, a file) the lines are joined here.
    """
    screen, widths = choose(screens, width, colour)
    chunk = chunk or CHUNK
    if colour or terminal or widths is None or 0 in widths:  # rich draws an empty column one wide: left to it
        from .terminal import drawn_chunks

        yield from drawn_chunks(screen, widths, width, colour, spaced=spaced, chunk=chunk)
        return
    if screen.title:
        yield _finished(_flow_lines(title_part(screen.title), width))
    rows = screen.rows
    for start in range(0, max(len(rows), 1), chunk):  # the header even over no rows
        if start and spaced:
            yield "\n"  # the blank line between two rows of one table
        yield _finished(_chunk_lines(screen, rows[start : start + chunk], widths, spaced=spaced, header=not start))
    if screen.notes:
        yield _finished([line for note in screen.notes for line in _flow_lines(note, width)])


def screens_text(
    screens: Sequence[Screen], width: int, colour: bool, *, spaced: bool = False, terminal: bool = False
) -> str:
    return "".join(screen_chunks(screens, width, colour, spaced=spaced, terminal=terminal))


def lines_text(lines: Iterable[Part | str], width: int, colour: bool, *, terminal: bool = False) -> str:
    """Lines of prose under the tables, each laid into the width (by rich on a terminal or in colour)."""
    from .screen import prose

    parts = [ln if isinstance(ln, Part) else prose(ln) for ln in lines]
    if colour or terminal:
        from .terminal import Flow, draw

        return draw([Flow((part,), colour=colour) for part in parts], width, colour)
    return _finished([line for part in parts for line in _flow_lines(part, width)])


def _flow_lines(part: Part, width: int) -> list[str]:
    """A line of prose at the console's width, as rich draws a cell of its own (never narrower than MIN_WIDTH)."""
    return [text for text, _, _ in cell_lines((part,), max(width, MIN_WIDTH), colour=False)]


def _chunk_lines(screen: Screen, rows: Sequence[Row], widths: list[int], *, spaced: bool, header: bool) -> list[str]:
    """The rows side by side in their columns, each row as tall as its tallest cell; the header ruled above them."""
    right = [col.justify == "right" for col in screen.columns]
    out: list[str] = []
    if header:
        heads = [cell_lines((col.head,), w, False) for col, w in zip(screen.columns, widths, strict=True)]
        _side_by_side(heads, widths, right, out, bottom=True)  # rich sets a header's cells on its last line
        out.append(" ".join(RULE * w for w in widths))
    for i, row in enumerate(rows):
        if i and spaced:
            out.append("")
        _side_by_side([cell_lines(c, w, False) for c, w in zip(row, widths, strict=True)], widths, right, out)
    return out


def _side_by_side(
    cells: list[list[Line]], widths: list[int], right: list[bool], out: list[str], *, bottom: bool = False
) -> None:
    """The cells' lines padded to their columns, column by column, then joined line by line."""
    height = max([1, *map(len, cells)])
    columns = []
    for lines, w, r in zip(cells, widths, right, strict=True):
        padded = [" " * (w - used) + text if r else text + " " * (w - used) for text, used, _ in lines]
        blank = [" " * w] * (height - len(lines))
        columns.append(blank + padded if bottom else padded + blank)
    out.extend(map(" ".join, zip(*columns, strict=True)))


def _finished(lines: list[str]) -> str:
    """The lines as rich's text comes out of ``terminal._drawn``: each ended by a newline, no trailing spaces."""
    text = "".join(line + "\n" for line in lines)
    return "".join(line.rstrip(" ") + "\n" for line in text.splitlines())
