"""Read commands: check, list, overdue, gap, show, units. Thin: parse options, query, render."""

from __future__ import annotations

import functools
from typing import Annotated

import typer

from ..model.errors import ProblemsFound
from .app import AsOf, Fmt, OutputFormat, command, parse_as_of, state, write_out
from .options import (
    CountyOpt,
    DueAfterOpt,
    DueBeforeOpt,
    GrepOpt,
    IndicatorOpt,
    LeadOpt,
    LedgerOpt,
    LightOpt,
    SlippedOpt,
    StatusOpt,
    UnitOpt,
    WithinOpt,
    scope,
    window_option,
)

__all__: list[str] = []


@command("check")
def check_cmd(
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """校验整个台账（结构、编号、责任单位、完成时限、指标方向），一次列出全部问题。"""
    from ..render.progress import WorkProgress
    from ..store.loader import check_ledger

    parse_as_of(as_of)
    root = state().root()
    ws = state().workspace()
    members = 0
    with WorkProgress("校验台账") as tick:  # shown on a terminal once a large ledger takes a second
        if ws is not None:  # every ledger of the workspace, each against its own registry
            import os

            from ..store.check import Checked
            from ..store.workspace import load_workspace

            loaded = load_workspace(ws, dict(os.environ), use_cache=False)
            root = ws.file or root
            result = Checked(loaded.problems)
            if (ledger := loaded.ledger) is not None:
                members = len(ledger.members)
                measures = sum(len(i.measures) for i in ledger.indicators)
                result = Checked([], len(ledger.indicators), measures, len(ledger.registry.units))
        else:
            result = check_ledger(root, progress=tick)  # one file at a time: the ledger is never held whole
    if fmt != OutputFormat.table:
        from ..render.output import emit
        from ..render.problems import problems_table

        payload = {"ok": not result.problems, "root": str(root), "problems": [p.as_dict() for p in result.problems]}
        write_out(emit(fmt.value, [problems_table(result.problems, root)], payload))
        if result.problems:
            raise typer.Exit(1)
        return
    if result.problems:
        raise ProblemsFound(result.problems)
    if members:
        write_out(f"工作区校验通过：{root}（{members} 个台账，{result.measures} 项措施）。\n")
        return
    write_out(
        f"台账校验通过：{root}（{result.indicators} 项指标，{result.measures} 项措施，{result.units} 个责任单位）。\n"
    )


@command("list")
def list_cmd(
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    lead: LeadOpt = False,
    status: StatusOpt = None,
    light: LightOpt = None,
    due_before: DueBeforeOpt = None,
    due_after: DueAfterOpt = None,
    county: CountyOpt = None,
    slipped: SlippedOpt = False,
    grep: GrepOpt = None,
    stale: Annotated[
        bool,
        typer.Option("--stale", help="只看本报送期内还没有进展报送的未完成措施（报送周期见 plan.yaml 的 reporting）。"),
    ] = False,
    only: LedgerOpt = None,
    within: WithinOpt = "7d",
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """列出措施及其红黄绿灯，可按指标、单位、状态、灯色、到期日筛选。"""
    from ..queries.measures import kept_views
    from ..render.contracts import measure_dict
    from ..render.output import emit_chunks
    from ..render.views import measure_table

    day = parse_as_of(as_of)
    state().show_only(unit, lead=lead)  # shows only the unit's measures: only those are made
    flt, label = scope(
        indicator=indicator, unit=unit, lead=lead, status=status, light=light,
        due_before=due_before, due_after=due_after, county=county, slipped=slipped, grep=grep, only=only,
    )  # fmt: skip
    ledger = state().ledger()
    keep = None
    if stale:
        from ..queries.cycles import current_period, is_stale

        period = current_period(ledger.plan.reporting, day)
        keep = functools.partial(is_stale, period=period)
        label = "、".join(filter(None, [label, f"{period.label}未报送进展"]))
    # the views are made again on each pass (widths, then drawing), never all held: 100,000 of them draw in little memory
    views = kept_views(ledger, day, window_option(within, day), flt, keep)
    if fmt == OutputFormat.json:  # streamed, one measure at a time: 100,000 of them are never held as text
        from ..render.safe import json_chunks

        write_out(json_chunks(measure_dict(v) for v in views))
        return
    table = measure_table(views, f"措施清单 · 截至 {day.isoformat()}" + (f" · {label}" if label else ""))
    write_out(emit_chunks(fmt.value, [table], None, [f"共 {len(views)} 项。"]))  # drawn and written a chunk at a time


@command("overdue")
def overdue_cmd(
    unit: UnitOpt = None,
    indicator: IndicatorOpt = None,
    lead: LeadOpt = False,
    grep: GrepOpt = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within", "-w", metavar="期限", help="同时列出该期限内到期的黄灯措施：7、7d、2w、30天、1m（一个日历月）。"
        ),
    ] = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="有红灯时以 1 退出（供定时任务与 CI 使用）。")] = False,
    only: LedgerOpt = None,
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """逾期（红灯）措施，逾期最久的在前；加 --within 同时列出临期（黄灯）措施。"""
    from ..queries.measures import kept_views, overdue_order
    from ..render.contracts import measure_dict
    from ..render.output import emit_chunks
    from ..render.views import measure_table, overdue_summary

    day = parse_as_of(as_of)
    window = window_option(within, day) if within else -1
    state().show_only(unit, lead=lead)  # shows only the unit's measures: only those are made
    flt, label = scope(indicator=indicator, unit=unit, lead=lead, grep=grep, only=only)
    ledger = state().ledger()
    scoped = kept_views(ledger, day, window, flt)  # made again on each pass, never all held
    shown = overdue_order(v for v in scoped if v.light in ("red", "yellow"))
    pending = sum(1 for v in scoped if v.light in ("green", "yellow")) - sum(1 for v in shown if v.light == "yellow")
    title = f"{'逾期与临期' if within else '逾期'}措施 · 截至 {day.isoformat()}" + (f" · {label}" if label else "")
    lines = overdue_summary(shown, pending)
    payload = [measure_dict(v) for v in shown] if fmt == OutputFormat.json else None
    write_out(emit_chunks(fmt.value, [measure_table(shown, title)], payload, lines))
    if exit_code and any(v.light == "red" for v in shown):
        raise typer.Exit(1)


@command("rollup")
def rollup_cmd(
    only: LedgerOpt = None,
    within: WithinOpt = "7d",
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """各台账并排对比（工作区）：措施数、已完成、未完成、红灯、黄灯、按期完成率、逾期最久。"""
    from ..queries.rollup import rollup
    from ..render.output import emit
    from ..render.rollup import rollup_dict, rollup_table

    day = parse_as_of(as_of)
    window = window_option(within, day)
    state().select(only)
    rows = rollup(state().ledger(), day, window)
    write_out(emit(fmt.value, [rollup_table(rows, day)], [rollup_dict(r) for r in rows]))


from . import indicators as cli_gap  # noqa: E402,F401  (registers gap, show, units)
