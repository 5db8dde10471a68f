"""The terminal layer on its own: pieces that never break, widths shared so the text gets the room, rich drawing."""

from __future__ import annotations

from datetime import date

import pytest
from rich.cells import cell_len

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.queries.measures import Filters, apply_filters, measure_views
from bizenv_ledger.render.layout import allot, choose, fill
from bizenv_ledger.render.screen import Column, Screen, names, prose, words
from bizenv_ledger.render.text import screens_text
from bizenv_ledger.render.views import measure_table
from tests.screen_text import column_of, cut

AS_OF = date(2022, 10, 1)


def test_prose__figures_stay_whole_and_no_line_starts_with_a_closing_mark() -> None:
    lines = fill(prose("实现企业开办2个环节，0.5天，1份资料").pieces, 12)
    assert lines == ["实现企业开办", "2个环节，0.5", "天，1份资料"]
    assert fill(prose("（一）甲乙丙丁戊").pieces, 6) == ["（一）", "甲乙丙", "丁戊"]  # （ and ） stay with 一
    assert all(
        not line.startswith(("，", "。", "、", "）")) for line in fill(prose("甲，乙。丙、丁）戊" * 5).pieces, 5)
    )


def test_fill__a_piece_wider_than_the_line_is_cut_as_a_last_resort() -> None:
    assert all(cell_len(line) <= 6 for line in fill(prose("12345678901234").pieces, 6))
    assert fill(prose("第一行\n第二行").pieces, 20) == ["第一行", "第二行"]


def test_names__break_only_between_names_and_the_lead_mark_may_move() -> None:
    part = names(["人民银行张掖市中心支行", "市财政局", "六县区人民政府"], lead=True, more="等相关部门")
    lines = fill(part.pieces, 22)
    assert lines == ["人民银行张掖市中心支行", "（牵头）、市财政局、", "六县区人民政府", "等相关部门"]


def test_fill__control_characters_are_shown_not_obeyed() -> None:
    assert fill(prose("甲\x1b[31m乙\x07").pieces, 40) == ["甲\\x1b[31m乙\\x07"]
    # an escape is one piece: a narrow column never cuts \x1b into \x and 1b
    assert fill(prose("甲甲甲\x1b").pieces, 8) == ["甲甲甲", "\\x1b"]


def test_allot__the_flex_column_gets_its_share_and_the_others_give_way_to_their_longest_piece() -> None:
    cols = [Column("a"), Column("b", flex=1, at_least=0.5), Column("c")]
    widths = allot(cols, [(4, 30), (10, 200), (6, 40)], 80)
    assert widths is not None and sum(widths) + 2 <= 80
    assert widths[1] >= 40 and widths[0] >= 4 and widths[2] >= 6
    assert allot(cols, [(30, 30), (10, 200), (20, 40)], 80) is None  # 30 + 40 + 20 + gaps > 80


def test_allot__never_widens_a_short_column() -> None:
    widths = allot([Column("名称"), Column("级"), Column("说明", flex=1)], [(4, 30), (2, 2), (2, 200)], 60)
    assert widths is not None and widths[1] == 2


def _measure_lines(plan: Ledger, width: int, colour: bool = False) -> list[str]:
    views = apply_filters(measure_views(plan, AS_OF, 7, Filters()), Filters(), plan)
    table = measure_table(views, "措施清单")
    return screens_text(table.layouts(), width, colour, spaced=True).splitlines()


@pytest.mark.parametrize("width", [80, 120])
def test_measure_table__through_a_fixed_width_console(plan: Ledger, width: int) -> None:
    lines = _measure_lines(plan, width)
    assert lines and all(cell_len(line) <= width for line in lines)
    r, start, end = column_of(lines, "措施", 0)
    assert end - start >= width / 2
    assert "到期日" not in lines[r - 1]


def test_measure_table__units_get_their_own_column_only_where_the_text_keeps_half(plan: Ledger) -> None:
    assert "责任单位" not in _measure_lines(plan, 80)[1]
    assert "责任单位" in _measure_lines(plan, 120)[1]


def test_measure_table__light_is_a_coloured_dot_or_a_word(plan: Ledger) -> None:
    plain = _measure_lines(plan, 80)
    coloured = _measure_lines(plan, 80, colour=True)
    assert plain[3].startswith("绿灯") and "\x1b[" not in "".join(plain)
    assert any(line.startswith("\x1b[32m●") for line in coloured)


def test_choose__falls_back_to_the_narrower_layout() -> None:
    wide = Screen("", [Column("a"), Column("b", flex=1, at_least=0.5), Column("c")])
    narrow = Screen("", [Column("a"), Column("b", flex=1, at_least=0.5)])
    for screen in (wide, narrow):
        screen.add(*[words(["甲" * 10]), "乙" * 100, words(["丙" * 10])][: len(screen.columns)])
    assert choose([wide, narrow], 120, False)[0] is wide
    assert choose([wide, narrow], 80, False)[0] is narrow


def test_screen__header_words_break_only_where_allowed() -> None:
    head = words(["按期", "完成率"])
    screen = Screen("", [Column("名称", flex=1, at_least=0.6), Column(head, "right"), Column("牵头", "right")])
    screen.add("甲" * 40, "100%", "12")
    lines = screens_text([screen], 30, False).splitlines()
    r, start, end = column_of(lines, "完成率", 0)
    assert cut(lines[r - 2], start, end) == "按期" and "牵头" in lines[r - 1]


@pytest.mark.parametrize(
    "text",
    ["甲乙丙丁 戊己", "甲乙丙丁　戊己", "abc  def ghi", "第一行\n第二行　", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "", " "],
)
def test_fill__each_line_is_as_wide_as_rich_counts_it(text: str) -> None:
    from bizenv_ledger.render.layout import _filled

    for width in (1, 3, 4, 7, 40):
        lines = _filled(prose(text).pieces, width)
        assert [w for _, w in lines] == [cell_len(line) for line, _ in lines]
        assert [line for line, _ in lines] == fill(prose(text).pieces, width)


@pytest.mark.parametrize("width", [1, 2, 3, 5, 8, 13, 21, 34, 55, 89])
def test_fill__a_long_text_laid_by_bisection_breaks_where_piece_by_piece_would(
    plan: Ledger, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizenv_ledger.render import layout

    texts = [m.text for ind in plan.indicators for m in ind.measures]
    texts += ["“互联网+政府采购”（第1项）" * 3, "①②③" * 20, "ÀÉÎ" * 30 + "甲", "\u200b甲" * 40]
    pieces = [prose(t).pieces for t in texts]
    fast = [layout._filled(p, width) for p in pieces]
    monkeypatch.setattr(layout, "_greedy", lambda p, w: None)  # the piece-by-piece loop alone
    assert fast == [layout._filled(p, width) for p in pieces]
    assert any(len(lines) > 1 for lines in fast)


def test_prose__the_first_branch_only_spares_work_and_changes_no_piece(plan: Ledger) -> None:
    """The pieces are those of the pattern without the first branch, on every text of the plan and the awkward cases."""
    import re

    from bizenv_ledger.render import screen

    plain = re.compile(
        rf"[{screen._OPEN}]*(?:\\x[0-9a-f]{{2}}|<U\+[0-9A-F]{{4,6}}>|[A-Za-z0-9.,%+\-/:×~]+| +|.)[{screen._CLOSE}]*",
        re.DOTALL,
    )
    texts = [m.text for ind in plan.indicators for m in ind.measures] + [
        p for ind in plan.indicators for p in ind.problems
    ]
    texts += ["\\x1b甲", "<U+202E>乙", "a\\b", "（（", "（", "甲）", "x<y", "\n，", "  ab  ", "×~5", "（[（", "a<U+12>"]
    assert all(screen._PIECE.findall(t) == plain.findall(t) for t in texts)
    assert screen._PIECE.findall("（“互联网+”）") == ["（“互", "联", "网", "+”）"]
