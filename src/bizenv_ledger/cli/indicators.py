"""Read commands about indicators and units: gap, show, units."""

from __future__ import annotations

from typing import Annotated

import typer

from . import completion
from .app import AsOf, Fmt, OutputFormat, command, parse_as_of, state, write_out
from .options import LedgerOpt

__all__: list[str] = []


def _not_blank(text: str | None, what: str) -> None:
    """A blank argument (``ledger units ""``) is a usage error, not "all of them"."""
    from ..model.dates import normalise
    from ..model.errors import UsageError

    if text is not None and not normalise(text):
        raise UsageError(f"{what}不能为空")


@command("gap")
def gap_cmd(
    indicator: Annotated[
        str | None,
        typer.Argument(
            metavar="[指标]",
            help="指标（编号、全称、简称或唯一片段）；不给则列出 18 项指标的差距排名。",
            autocompletion=completion.indicators,
        ),
    ] = None,
    only: LedgerOpt = None,
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """各指标项与全省最优、整改目标的差距；不给指标时按差距排名。"""
    from ..model.names import find_indicator
    from ..queries.gap import contradictions, gap_rows, goal_label, indicator_ranking
    from ..render.contracts import gap_dict, ranking_dict
    from ..render.output import emit
    from ..render.views import contradiction_note, gap_table, ranking_table

    day = parse_as_of(as_of)
    _not_blank(indicator, "指标")
    state().select(only)
    ledger = state().ledger()
    if indicator is None:
        ranking = indicator_ranking(ledger, day)
        payload = [ranking_dict(g, rank) for rank, g in enumerate(ranking, 1)]
        write_out(emit(fmt.value, [ranking_table(ranking, day)], payload))
        if fmt == OutputFormat.table:
            from ..render.bars import ranking_chart
            from ..render.output import colour_enabled, terminal_width

            write_out(ranking_chart(ranking, colour=colour_enabled(), width=terminal_width()))
        return
    ind = find_indicator(ledger, indicator)
    # in a workspace, every ledger's indicator of that number: one table each, one JSON list
    same = [i for i in ledger.indicators if i.number == ind.number] if ledger.members else [ind]
    tables, payload, notes, all_rows = [], [], [], []
    for one in same:
        rows = gap_rows(one, day)
        if ledger.members and not rows:
            continue
        conflict = contradictions(ledger, one)
        notes += [contradiction_note(conflict)] if conflict else []
        tables.append(gap_table(one, rows, day, goal_label(ledger, one.number, one)))
        payload += [gap_dict(r) for r in rows]
        all_rows += rows
    write_out(emit(fmt.value, tables or [gap_table(ind, [], day, goal_label(ledger, ind.number, ind))], payload, notes))
    if fmt == OutputFormat.table:
        from ..render.bars import gap_chart
        from ..render.output import colour_enabled, terminal_width

        write_out(gap_chart(all_rows, colour=colour_enabled(), width=terminal_width()))


@command("show")
def show_cmd(
    target: Annotated[
        str,
        typer.Argument(
            metavar="措施或指标", help="措施编号（如 3.2）或指标（编号、名称）。", autocompletion=completion.targets
        ),
    ],
    only: LedgerOpt = None,
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """一项指标或措施的完整卡片：文本、问题、指标项、措施与灯色、节点、临泽县职责。"""
    from ..render.card import indicator_card, measure_card

    day = parse_as_of(as_of)
    _not_blank(target, "措施编号或指标")
    state().select(only)
    ledger = state().ledger()
    from ..model.dates import normalise

    key = normalise(target)  # ３．２ and 临泽县：3.1 are ids too
    if "." in key or ":" in key:
        write_out(measure_card(ledger, target, day, fmt.value))
    else:
        write_out(indicator_card(ledger, target, day, fmt.value))


@command("units")
def units_cmd(
    unit: Annotated[
        str | None,
        typer.Argument(
            metavar="[单位]", help="责任单位（全称、别名或唯一片段）；不给则列出全部。", autocompletion=completion.units
        ),
    ] = None,
    only: LedgerOpt = None,
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """每个责任单位的履职情况：牵头、配合、完成、逾期、按期完成率，以及县区职责。"""
    from ..model.names import UnitIndex
    from ..queries.measures import kept_views
    from ..queries.scorecard import unit_cards
    from ..render.contracts import unit_dict
    from ..render.output import emit
    from ..render.views import measure_table, units_table

    day = parse_as_of(as_of)
    _not_blank(unit, "责任单位")
    state().select(only)
    ledger = state().ledger()
    canon = UnitIndex.build(ledger.registry).find(unit) if unit is not None else None
    cards = unit_cards(ledger, kept_views(ledger, day), canon)  # the cards count as they go and keep no view
    tables = [units_table(cards, day)]
    if canon is not None and fmt != OutputFormat.json:
        for card in (c for c in cards if c.measures):  # a unit with county duties only has no measure list
            tables.append(
                measure_table(card.all, f"{card.unit}的措施（牵头 {len(card.led)} 项、配合 {len(card.joined)} 项）")
            )
    write_out(emit(fmt.value, tables, [unit_dict(c) for c in cards]))
    if fmt == OutputFormat.table:
        from ..render.bars import units_chart
        from ..render.output import colour_enabled, terminal_width

        write_out(units_chart(cards, colour=colour_enabled(), width=terminal_width()))
