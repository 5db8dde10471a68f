"""Read commands: check, list, overdue, gap, show, units. Thin: parse options, query, render."""

from __future__ import annotations

from typing import Annotated

import typer

from . import completion
from ._app import AsOf, Fmt, OutputFormat, command, parse_as_of, state, write_out
from .errors import ProblemsFound, UsageError

__all__: list[str] = []

UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit", "-u", help="责任单位（全称、别名或唯一片段；集合单位的成员也算）。", autocompletion=completion.units
    ),
]
IndicatorOpt = Annotated[
    str | None,
    typer.Option(
        "--indicator", "-i", help="指标（编号、全称、简称或唯一片段）。", autocompletion=completion.indicators
    ),
]
LeadOpt = Annotated[bool, typer.Option("--lead", help="只看该单位牵头的措施。")]
WithinOpt = Annotated[str, typer.Option("--within", "-w", help="临期提醒窗口：7、7d、2w、30天。")]


def _window(text: str) -> int:
    from .dates import DeadlineError, parse_window

    try:
        return parse_window(text)
    except DeadlineError as exc:
        raise UsageError(f"--within：{exc}") from None


def _date_opt(text: str | None, name: str) -> object:
    from .dates import DeadlineError
    from .dates import parse_as_of as parse

    if text is None:
        return None
    try:
        return parse(text)
    except DeadlineError as exc:
        raise UsageError(f"{name}：{exc}") from None


@command("check")
def check_cmd(
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """校验整个台账（结构、编号、责任单位、完成时限、指标方向），一次列出全部问题。"""
    from .loader import load_ledger

    parse_as_of(as_of)
    root = state().root()
    result = load_ledger(root, use_cache=False)
    if fmt != OutputFormat.table:
        from .render.output import emit
        from .render.table import Table

        payload = {"ok": not result.problems, "root": str(root), "problems": [p.as_dict() for p in result.problems]}
        table = Table(f"台账校验 · {root}", ["文件", "行", "列", "字段", "问题", "提示"])
        for p in result.problems:
            table.add([p.path, str(p.line), str(p.col), p.field, p.message, p.hint])
        write_out(emit(fmt.value, [table], payload))
        if result.problems:
            raise typer.Exit(1)
        return
    if result.problems:
        raise ProblemsFound(result.problems)
    ledger = result.ledger
    assert ledger is not None
    measures = sum(len(i.measures) for i in ledger.indicators)
    write_out(
        f"台账校验通过：{root}（{len(ledger.indicators)} 项指标，{measures} 项措施，{len(ledger.registry.units)} 个责任单位）。\n"
    )


def _filters(
    indicator: str | None,
    unit: str | None,
    lead: bool,
    **extra: object,
) -> tuple[object, str]:
    from .names import UnitIndex, find_indicator
    from .queries import Filters

    ledger = state().ledger()
    number = find_indicator(ledger, indicator).number if indicator else None
    canon = UnitIndex.build(ledger.registry).find(unit) if unit else None
    if lead and canon is None:
        raise UsageError("--lead 需要同时给出 --unit")
    label = "".join(
        [
            f" · 指标：{find_indicator(ledger, indicator).name}" if indicator else "",
            f" · 责任单位：{canon}（{'牵头' if lead else '含牵头与配合'}）" if canon else "",
        ]
    )
    return Filters(indicator=number, unit=canon, lead=lead, **extra), label  # type: ignore[arg-type]


@command("list")
def list_cmd(
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    lead: LeadOpt = False,
    status: Annotated[str | None, typer.Option("--status", help="open（未完成）或 done（已完成）。")] = None,
    light: Annotated[
        list[str] | None, typer.Option("--light", help="red、yellow、green、done、ongoing，可多次给出。")
    ] = None,
    due_before: Annotated[str | None, typer.Option("--due-before", help="到期日早于该日。")] = None,
    due_after: Annotated[str | None, typer.Option("--due-after", help="到期日晚于该日。")] = None,
    county: Annotated[
        str | None, typer.Option("--county", help="县区（如 临泽县）：该县区的措施及交给该县区政府的市级措施。")
    ] = None,
    slipped: Annotated[bool, typer.Option("--slipped", help="只看延期过的措施。")] = False,
    within: WithinOpt = "7d",
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """列出措施及其红黄绿灯，可按指标、单位、状态、灯色、到期日筛选。"""
    from .queries import apply_filters, measure_views
    from .render.contracts import measure_dict
    from .render.output import emit
    from .render.views import measure_table

    day = parse_as_of(as_of)
    if status not in (None, "open", "done"):
        raise UsageError(f"--status 只能是 open 或 done，而不是“{status}”")
    lights = frozenset(light) if light else None
    if lights and not lights <= {"red", "yellow", "green", "done", "ongoing"}:
        raise UsageError(f"--light 只能是 red、yellow、green、done、ongoing，而不是“{'、'.join(sorted(lights))}”")
    if county and county not in {c.county for c in state().ledger().counties}:
        raise UsageError(f"--county：台账中没有县区“{county}”")
    flt, label = _filters(
        indicator, unit, lead, status=status, lights=lights, due_before=_date_opt(due_before, "--due-before"),
        due_after=_date_opt(due_after, "--due-after"), county=county, slipped=slipped,
    )  # fmt: skip
    ledger = state().ledger()
    views = apply_filters(measure_views(ledger, day, _window(within)), flt, ledger)  # type: ignore[arg-type]
    table = measure_table(views, f"措施清单 · 截至 {day.isoformat()}{label}")
    write_out(emit(fmt.value, [table], [measure_dict(v) for v in views], [f"共 {len(views)} 项。"]))


@command("overdue")
def overdue_cmd(
    unit: UnitOpt = None,
    indicator: IndicatorOpt = None,
    lead: LeadOpt = False,
    within: Annotated[
        str | None, typer.Option("--within", "-w", help="同时列出该期限内到期的黄灯措施：7、7d、2w、30天。")
    ] = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="有红灯时以 1 退出（供定时任务与 CI 使用）。")] = False,
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """逾期（红灯）措施，逾期最久的在前；加 --within 同时列出临期（黄灯）措施。"""
    from .queries import apply_filters, measure_views, overdue_order
    from .render.contracts import measure_dict
    from .render.output import emit
    from .render.views import measure_table, overdue_summary

    day = parse_as_of(as_of)
    window = _window(within) if within else -1
    flt, label = _filters(indicator, unit, lead)
    ledger = state().ledger()
    scoped = apply_filters(measure_views(ledger, day, window), flt, ledger)  # type: ignore[arg-type]
    shown = overdue_order([v for v in scoped if v.light in ("red", "yellow")])
    pending = sum(1 for v in scoped if v.light in ("green", "yellow")) - sum(1 for v in shown if v.light == "yellow")
    title = f"{'逾期与临期' if within else '逾期'}措施 · 截至 {day.isoformat()}{label}"
    lines = overdue_summary(shown, pending)
    write_out(emit(fmt.value, [measure_table(shown, title)], [measure_dict(v) for v in shown], lines))
    if exit_code and any(v.light == "red" for v in shown):
        raise typer.Exit(1)


from . import cli_gap  # noqa: E402,F401  (registers gap, show, units)
