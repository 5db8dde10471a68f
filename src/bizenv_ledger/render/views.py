"""Tables for the read commands. Builds what to show from query results; decides nothing."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..model.workspace import ledger_of
from .table import Table
from .values import LIGHT_LABELS, LIGHT_MARKS, fmt_decimal, fmt_gap, fmt_percent, fmt_value

if TYPE_CHECKING:
    from datetime import date

    from ..model.domain import Indicator
    from ..queries.gap import Contradiction, GapRow, IndicatorGap
    from ..queries.measures import MeasureView
    from ..queries.scorecard import UnitCard

__all__ = [
    "contradiction_note",
    "gap_table",
    "measure_table",
    "overdue_summary",
    "ranking_table",
    "units_table",
]


def units_cell(v: MeasureView) -> str:
    names = [f"{v.units[0]}（牵头）", *v.units[1:]] if len(v.units) > 1 else list(v.units)
    return "、".join(names) + ("等相关部门" if v.measure.and_related else "")


def light_cell(v: MeasureView) -> str:
    return f"{LIGHT_MARKS[v.light]}{LIGHT_LABELS[v.light]}"


def days_cell(v: MeasureView) -> str:
    if v.light == "red":
        return f"逾期 {v.days_overdue} 天"
    if v.days_left is not None and v.status == "open":
        return "今日到期" if v.days_left == 0 else f"剩 {v.days_left} 天"
    return "—"


def deadline_cell(v: MeasureView) -> str:
    text = v.deadline.written
    return f"{text}（原 {v.original_deadline}）" if v.original_deadline else text


def measure_table(views: list[MeasureView], title: str) -> Table:
    table = Table(
        title,
        ["灯", "编号", "指标", "措施", "责任单位", "完成时限", "到期日", "逾期/剩余"],
        right={7},
        shrink=[3, 4, 2, 5],
    )
    for v in views:
        due = v.deadline.due.isoformat() if v.deadline.due else "—"
        warn = f"［未按期：{'；'.join(m.milestone.text for m in v.missed_milestones)}］" if v.missed_milestones else ""
        table.add(
            [
                light_cell(v),
                v.id,
                v.indicator_name,
                warn + v.measure.text,
                units_cell(v),
                deadline_cell(v),
                due,
                days_cell(v),
            ],
            v.light,
        )
    return table


def overdue_summary(views: list[MeasureView], pending: int) -> list[str]:
    red = [v for v in views if v.light == "red"]
    yellow = [v for v in views if v.light == "yellow"]
    lines = [f"共 {len(red)} 项逾期" + (f"、{len(yellow)} 项临期" if yellow else "") + f"。另有 {pending} 项未到期。"]
    leads = Counter(v.lead for v in red)
    involved = Counter(u for v in red for u in v.units)
    if involved:
        parts = [
            f"{unit} {n} 项" + (f"（牵头 {leads[unit]}）" if leads[unit] else "") for unit, n in involved.most_common()
        ]
        lines.append("按责任单位：" + "；".join(parts))
    return lines


def gap_table(ind: Indicator, rows: list[GapRow], as_of: date, goal: str) -> Table:
    title = f"{ind.name} · 截至 {as_of.isoformat()}" + (f" · 总体目标：{goal}" if goal else "")
    headers = [
        "指标项",
        "单位",
        "方向",
        "基线",
        "当前",
        "整改目标",
        "全省最优",
        "与最优差距",
        "与目标差距",
        "目标",
        "进度",
    ]
    table = Table(title, headers, right={3, 4, 5, 6}, shrink=[0, 9, 1])
    for r in rows:
        m = r.metric
        met = "—" if r.target_met is None else ("已达" if r.target_met else "未达")
        if r.ahead_of_best:
            met += "·优于最优"
        current = fmt_value(r.current) + (f"（{r.current_on.isoformat()}）" if r.current_on else "")
        style = "red" if r.gap_to_best is not None and r.gap_to_best > 0 else "green"
        table.add(
            [
                m.name, m.unit, "越低越好" if m.direction == "lower" else "越高越好",
                fmt_value(m.baseline), current, fmt_value(m.target), fmt_value(m.best),
                fmt_gap(r.gap_to_best, m), fmt_gap(r.gap_to_target, m), met, fmt_percent(r.progress),
            ],
            style,
        )  # fmt: skip
    return table


def contradiction_note(c: Contradiction) -> str:
    targets = "、".join(f"{m.name} {fmt_value(m.target)}{m.unit}" for m in c.metrics)
    bests = "、".join(f"{m.name} {fmt_value(m.best)}{m.unit}" for m in c.metrics)
    return (
        f"注意：总体目标要求{c.indicator.name}达到全省最优，但本指标整改目标（{targets}）仍落后于全省最优（{bests}）。"
    )


def ranking_table(ranking: list[IndicatorGap], as_of: date) -> Table:
    headers = ["排名", "编号", "指标", "可比项", "落后项", "对标得分", "前沿距离得分"]
    table = Table(
        f"各指标与全省最优差距排名 · 截至 {as_of.isoformat()}（得分越低差距越大）",
        headers,
        right={0, 1, 3, 4, 5, 6},
        shrink=[2],
    )
    for rank, g in enumerate(ranking, 1):
        score = fmt_decimal(g.score.quantize(1)) if g.score is not None else "—"
        dtf = fmt_decimal(g.dtf.quantize(1)) if g.dtf is not None else "—"
        style = "red" if g.behind else "green"
        name = g.indicator.name if (where := ledger_of(g.indicator)) is None else f"{where}：{g.indicator.name}"
        table.add([str(rank), str(g.indicator.number), name, str(g.compared), str(g.behind), score, dtf], style)
    table.notes.append(
        "对标得分：每个可比指标项与全省最优的接近程度（达到或优于最优为 100，差距按两者较大值折算），再取平均。"
    )
    return table


def units_table(cards: list[UnitCard], as_of: date) -> Table:
    headers = ["责任单位", "层级", "牵头", "配合", "已完成", "未完成", "逾期", "临期", "按期完成率", "县区职责"]
    table = Table(
        f"责任单位履职情况 · 截至 {as_of.isoformat()}",
        headers,
        right={2, 3, 4, 5, 6, 7, 8},
        shrink=[9, 0, 1],
        wrap={0, 1},
    )
    for c in cards:
        roles = "；".join(f"{r.county}{r.indicator_name}：{r.role}（责任领导 {r.leader}）" for r in c.roles)
        style = "red" if c.overdue else ("yellow" if c.due_soon else None)
        cells = [c.unit, c.level, str(len(c.led)), str(len(c.joined)), str(c.done), str(c.open), str(c.overdue)]
        table.add([*cells, str(c.due_soon), fmt_percent(c.on_time_rate), roles or "—"], style)
    table.notes.append("按期完成率 = 按期完成数 ÷（已完成数 + 逾期未完成数）；未到期的未完成措施不计。")
    return table
