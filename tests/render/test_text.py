"""Uncoloured text joined without rich: the same bytes rich draws (tests/cli/test_read_layout.py: rich's console
is never imported for it)."""

from __future__ import annotations

import random

import pytest

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.render.layout import choose
from bizenv_ledger.render.screen import RIGHT, Column, Part, Screen, prose, words
from bizenv_ledger.render.terminal import Flow, draw, drawn_chunks
from bizenv_ledger.render.text import lines_text, screen_chunks


def _by_rich(screen: Screen, width: int, *, spaced: bool, chunk: int) -> str:
    chosen, widths = choose([screen], width, False)
    return "".join(drawn_chunks(chosen, widths, width, False, spaced=spaced, chunk=chunk))


def _awkward(rows: int) -> Screen:
    """Headers of two lines beside one, a right-justified figure, empty cells, a line ending in a full-width space."""
    screen = Screen(
        "逾期与临期措施 · 截至 2022-10-01 · 市财政局（牵头）",
        [Column(words(["按期", "完成率"]), RIGHT), Column("措施", flex=1), Column("牵头", min_width=4), Column("备注")],
        notes=[prose("共 3 项；其中红灯 2 项。"), prose(""), prose("说明：　")],
    )
    for k in range(rows):
        screen.add(
            f"{k * 7 % 101}%", "甲乙丙丁　" * (k % 5) + "“互联网+政务服务”\n第二行", "" if k % 3 else "市财政局", ""
        )
    return screen


@pytest.mark.parametrize("width", [31, 40, 80, 200])
@pytest.mark.parametrize("spaced", [False, True])
@pytest.mark.parametrize("rows", [0, 1, 9])
def test_screen_chunks__joined_text_is_the_bytes_rich_draws(width: int, spaced: bool, rows: int) -> None:
    screen = _awkward(rows)
    assert choose([screen], width, False)[1] is not None  # it fits: the text is joined, not drawn by rich
    joined = "".join(screen_chunks([screen], width, False, spaced=spaced, chunk=4))
    assert joined == _by_rich(screen, width, spaced=spaced, chunk=4)
    assert "─" in joined and joined.endswith("说明：\n")


@pytest.mark.parametrize("width", [20, 80, 120])
def test_screen_chunks__every_table_of_the_plan_joins_to_rich_s_text(plan: Ledger, width: int) -> None:
    from tests.render.test_terminal_chunks import _tables

    for name, table in _tables(plan).items():
        for screen in table.layouts():
            if choose([screen], width, False)[1] is not None:
                joined = "".join(screen_chunks([screen], width, False, spaced=table.spaced, chunk=17))
                assert joined == _by_rich(screen, width, spaced=table.spaced, chunk=17), (name, width)


def test_screen_chunks__a_column_allotted_no_width_is_left_to_rich() -> None:
    screen = Screen("", [Column("编号"), Column(""), Column("措施", flex=1)])
    screen.add("1.1", "", "甲乙丙")
    widths = choose([screen], 40, False)[1]
    assert widths is not None and widths[1] == 0
    assert "".join(screen_chunks([screen], 40, False)) == _by_rich(screen, 40, spaced=False, chunk=200)


def test_lines_text__blank_and_wrapped_lines_as_rich_draws_them() -> None:
    lines: list[str | Part] = ["", "甲乙丙丁戊己庚辛壬癸" * 5, prose("结尾　"), ""]
    for width in (8, 30, 100):
        parts = [prose(x) if isinstance(x, str) else x for x in lines]
        assert lines_text(lines, width, False) == draw([Flow((p,), colour=False) for p in parts], width, False)


_ALPHABET = [
    *"甲乙丙丁，。、（）“”《》：；！？",
    *"abcXYZ019.,%-/:",
    " ",
    "　",
    "\n",
    "\t",
    "\x1b",
    "\u200b",
    "\u0301",
    "😀",
    "①",
    "…",
    "●",
    "ｱ",
]


def _random_screen(rng: random.Random) -> Screen:
    def text() -> str:
        return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))

    count = rng.randint(1, 4)
    columns = [
        Column(
            words([text() or "列"]) if rng.random() < 0.3 else (text()[:6] or "列"),
            rng.choice(["left", RIGHT]),
            flex=rng.choice([0, 0, 1, 2]),
            at_least=rng.choice([0.0, 0.0, 0.3]),
            min_width=rng.choice([0, 0, 4]),
            max_width=rng.choice([None, None, 12]),
        )
        for _ in range(count)
    ]
    notes = [prose(text()) for _ in range(rng.randint(0, 2))]
    screen = Screen(text()[:20], columns, notes=notes)
    for _ in range(rng.randint(0, 6)):
        screen.add(*(text() for _ in range(count)))
    return screen


def test_screen_chunks__joined_text_is_rich_s_for_random_screens() -> None:
    """Mixed scripts, emoji, combining and zero-width marks, controls, tabs, newlines, full-width spaces."""
    rng = random.Random(20261203)
    compared = 0
    for _ in range(400):
        screen, width, spaced = _random_screen(rng), rng.choice([20, 33, 57, 80, 120]), rng.random() < 0.5
        widths = choose([screen], width, False)[1]
        joined = "".join(screen_chunks([screen], width, False, spaced=spaced, chunk=rng.choice([1, 3, 200])))
        if widths is not None and 0 not in widths:
            compared += 1
            assert joined == _by_rich(screen, width, spaced=spaced, chunk=5), (screen, width)
    assert compared > 200  # most of the screens fit, so most comparisons are of the joined text
