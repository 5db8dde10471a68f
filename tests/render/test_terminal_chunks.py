"""A long table drawn a chunk of rows at a time: the same text as one rich table, in bounded memory.

Without colour the text is joined by render/text.py without rich; with colour rich draws each chunk.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.queries.measures import Filters, MeasureView, apply_filters, measure_views, overdue_order
from bizenv_ledger.queries.scorecard import unit_cards
from bizenv_ledger.render import terminal, text
from bizenv_ledger.render.layout import choose
from bizenv_ledger.render.output import emit_chunks
from bizenv_ledger.render.screen import Cell, Column, Rows, Screen, cell
from bizenv_ledger.render.table import Table
from bizenv_ledger.render.terminal import draw, render_screen
from bizenv_ledger.render.text import CHUNK, screen_chunks
from bizenv_ledger.render.views import measure_table, units_table
from tests.conftest import DATA
from tests.helpers import run

AS_OF = date(2022, 10, 1)


def _views(plan: Ledger) -> list[MeasureView]:
    return apply_filters(measure_views(plan, AS_OF, 7, Filters()), Filters(), plan)


def _whole(table: Table, width: int, colour: bool) -> str:
    """The table as it was drawn before chunks: one rich table of every row."""
    screen, widths = choose(table.layouts(), width, colour)
    return draw([render_screen(screen, widths, colour, spaced=table.spaced)], width, colour)


def _tables(plan: Ledger) -> dict[str, Table]:
    views = _views(plan)
    late = overdue_order([v for v in views if v.light in ("red", "yellow")])
    return {
        "list": measure_table(views, "措施清单 · 截至 2022-10-01"),
        "overdue": measure_table(late, "逾期与临期措施 · 截至 2022-10-01"),
        "units": units_table(unit_cards(plan, views), AS_OF),
    }


class _CountingTable(terminal.RichTable):
    """rich's table, counting how many are made and the ledger rows each gets."""

    made: list[int] = []  # noqa: RUF012  (reset by the fixture)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type(self).made.append(0)

    def add_row(self, *cells: Any, **kwargs: Any) -> None:
        super().add_row(*cells, **kwargs)
        # a chunk comes as one row of stacks, a stack holding each of the chunk's rows
        type(self).made[-1] += len(cells[0].heights) if isinstance(cells[0], terminal.Stack) else 1


@pytest.fixture
def rich_tables(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    _CountingTable.made = []
    monkeypatch.setattr(terminal, "RichTable", _CountingTable)
    return _CountingTable.made


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("chunk", [1, 7, CHUNK])
def test_screen_chunks__the_real_plan_reads_as_one_table(plan: Ledger, width: int, colour: bool, chunk: int) -> None:
    for name, table in _tables(plan).items():
        chunked = "".join(screen_chunks(table.layouts(), width, colour, spaced=table.spaced, chunk=chunk))
        assert chunked == _whole(table, width, colour), (name, width, colour, chunk)


def test_screen_chunks__a_long_list_is_drawn_as_several_tables_of_a_chunk_each(
    plan: Ledger, rich_tables: list[int]
) -> None:
    views = _views(plan) * 30  # a province's length from the real plan
    table = measure_table(views, "措施清单")
    pieces = list(screen_chunks(table.layouts(), 120, colour=True, spaced=True))
    assert rich_tables == [CHUNK] * (len(views) // CHUNK) + ([len(views) % CHUNK] if len(views) % CHUNK else [])
    assert len(rich_tables) == math.ceil(len(views) / CHUNK) > 1
    assert sum(p.count("──") > 0 for p in pieces) == 1  # the header (and its rule) over the first chunk only


def test_screen_chunks__rows_are_made_as_each_chunk_is_drawn_never_all_kept(plan: Ledger) -> None:
    views = _views(plan) * 10
    made = 0

    def row(v: MeasureView) -> tuple[Cell, ...]:
        nonlocal made
        made += 1
        return cell(v.id), cell(v.measure.text)

    screen = Screen("", [Column("编号"), Column("措施", flex=1)], Rows(views, row))
    chunks = screen_chunks([screen], 100, colour=False, chunk=50)
    next(chunks)  # the first chunk: every row measured once for the widths, then fifty drawn
    assert made == len(views) + 50
    next(chunks)
    assert made == len(views) + 100


def test_screen_chunks__no_layout_fits_so_rich_squeezes_the_whole_table(plan: Ledger, rich_tables: list[int]) -> None:
    table = measure_table(_views(plan) * 5, "措施清单")
    assert choose(table.layouts(), 24, False)[1] is None
    assert "".join(screen_chunks(table.layouts(), 24, False, spaced=True, chunk=7)) == _whole(table, 24, False)
    assert rich_tables == [len(table.rows)] * 2  # drawn whole, the same way both times


def test_emit_chunks__a_long_table_comes_in_pieces_that_join_to_emit(plan: Ledger) -> None:
    table = measure_table(_views(plan) * 5, "措施清单")
    pieces = list(emit_chunks("table", [table], None, ["共 5 项。"]))
    assert len(pieces) > 3 and pieces[-1] == "共 5 项。\n"


def test_rows__made_from_items_each_time_they_are_read() -> None:
    rows = Rows([1, 2, 3, 4], lambda n: n * 10)
    assert (len(rows), list(rows), rows[1], list(rows[1:3])) == (4, [10, 20, 30, 40], 20, [20, 30])
    with pytest.raises(TypeError):
        Table("", ["a"], rows=Rows([1], lambda n: [str(n)])).add(["2"])


@pytest.mark.parametrize("args", [("list",), ("overdue", "--within", "30d"), ("units",)])
@pytest.mark.parametrize("columns", ["80", "120"])
def test_read_commands__chunked_output_is_the_whole_tables(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    whole = run(runner, DATA, *args, "--as-of", "2022-10-01")
    monkeypatch.setattr(text, "CHUNK", 3)
    chunked = run(runner, DATA, *args, "--as-of", "2022-10-01")
    assert whole.exit_code == chunked.exit_code == 0, whole.output
    assert chunked.stdout == whole.stdout and whole.stdout.count("\n") > 50


@pytest.mark.parametrize(
    ("width", "drawn", "untouched", "glanced"),
    [(120, "_wide_row", "_narrow_row", None), (80, "_narrow_row", None, "_wide_row")],
)
def test_measure_table__a_layout_never_drawn_never_makes_its_rows(
    plan: Ledger, monkeypatch: pytest.MonkeyPatch, width: int, drawn: str, untouched: str | None, glanced: str | None
) -> None:
    from bizenv_ledger.render import views as views_module

    calls: dict[str, int] = {}
    for name in ("_wide_row", "_narrow_row", "_measure_row"):
        real = getattr(views_module, name)
        monkeypatch.setattr(views_module, name, lambda v, real=real, name=name: calls.update({name: calls.get(name, 0) + 1}) or real(v))  # fmt: skip
    views = _views(plan)
    table = measure_table(views, "措施清单")
    "".join(screen_chunks(table.layouts(), width, colour=False, spaced=table.spaced))
    assert calls.get(drawn) == len(views)  # made once: measured and drawn from the same rows
    assert "_measure_row" not in calls  # the CSV rows: not for the terminal
    if untouched:
        assert untouched not in calls
    if glanced:  # a layout that cannot fit is left at the first row that shows it
        assert 1 <= calls[glanced] <= 3 < len(views)


def test_screen_chunks__a_newline_glued_to_a_mark_keeps_the_rows_aligned() -> None:
    screen = Screen("", [Column("编号"), Column("措施", flex=1)])
    screen.add("1.1", "甲\n，乙")
    screen.add("1.2", "丙")
    text = "".join(screen_chunks([screen], 40, colour=False, chunk=CHUNK))
    rows = text.splitlines()[2:]
    assert rows[0].startswith("1.1") and "甲" in rows[0]
    assert [r.strip() for r in rows[1:-1]] == ["，", "乙"]  # the 1.1 row's lines, the 编号 column blank beside them
    assert rows[-1].startswith("1.2") and "丙" in rows[-1]
    assert text == _whole_screen(screen, 40)


def _whole_screen(screen: Screen, width: int) -> str:
    chosen, widths = choose([screen], width, False)
    return draw([render_screen(chosen, widths, False)], width, False)


@pytest.mark.parametrize("on_a_terminal", [False, True])
def test_emit_chunks__rich_draws_a_terminal_even_without_colour_and_a_pipe_is_joined(
    plan: Ledger, rich_tables: list[int], monkeypatch: pytest.MonkeyPatch, on_a_terminal: bool
) -> None:
    from bizenv_ledger.render import output

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr(output, "is_terminal", lambda stream=None: on_a_terminal)
    table = measure_table(_views(plan), "措施清单")
    text = "".join(emit_chunks("table", [table], None, ["共 60 项。"]))
    assert bool(rich_tables) == on_a_terminal  # a terminal is rich's to draw; a pipe's text is joined
    assert text == _whole(table, 100, False) + "共 60 项。\n"
