"""Tables for the read commands. Builds what to show from query results; decides nothing.

Each table carries its data (for CSV and Markdown) and its terminal layouts (``Screen``),
the most detailed first. The measure lists give the measure text the room: at least
half the line, wrapped inside its cell; unit names are never cut; one deadline column
holds the deadline as written and the days late or left.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..model.workspace import ledger_of
from ..queries.lazy import made
from .screen import RIGHT, Cell, Column, Part, Row, Screen, cell, names, prose, words
from .table import Table
from .values import LIGHT_LABELS, LIGHT_MARKS, duties_text, fmt_decimal, fmt_gap, fmt_percent, fmt_progress, fmt_value

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from ..model.domain import Indicator
    from ..queries.gap import Contradiction, GapRow, IndicatorGap
    from ..queries.measures import MeasureView
    from ..queries.scorecard import UnitCard

__all__ = [
    "contradiction_note",
    "gap_table",
    "light_part",
    "measure_table",
    "overdue_summary",
    "ranking_table",
    "units_table",
]

LIGHT_STYLES = {
    "red": "red",
    "yellow": "yellow",
    "green": "green",
    "pending": "magenta",
    "done": "dim",
    "ongoing": "cyan",
}
# without colour the ● says its light in words, two characters wide
LIGHT_WORDS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "pending": "待复核", "done": "销号", "ongoing": "持续"}
MEASURE_SHARE = 0.5  # the measure text keeps at least half the line


def units_cell(v: MeasureView) -> str:
    names_ = [f"{v.units[0]}（牵头）", *v.units[1:]] if len(v.units) > 1 else list(v.units)
    return "、".join(names_) + ("等相关部门" if v.measure.and_related else "")


def units_part(v: MeasureView, style: str | None = None, head: str = "") -> Part:
    part = names(v.units, lead=len(v.units) > 1, more="等相关部门" if v.measure.and_related else "", style=style)
    return Part((head, *part.pieces), style) if head else part


def light_cell(v: MeasureView) -> str:
    return f"{LIGHT_MARKS[v.light]}{LIGHT_LABELS[v.light]}"


def light_part(light: str) -> Part:
    return Part((LIGHT_MARKS[light],), LIGHT_STYLES[light], plain=(LIGHT_WORDS[light],))


def days_cell(v: MeasureView) -> str:
    if v.light in ("red", "pending") and v.days_overdue:
        return f"逾期 {v.days_overdue} 天"
    if v.days_left is not None and v.status == "open":
        return "今日到期" if v.days_left == 0 else f"剩 {v.days_left} 天"
    return "—"


def deadline_cell(v: MeasureView) -> str:
    text = v.deadline.written
    return f"{text}（原 {v.original_deadline}）" if v.original_deadline else text


def deadline_parts(v: MeasureView) -> Cell:
    """The deadline as written, clause by clause (2022年9月，/长期坚持), then the days late or left."""
    clauses = v.deadline.written.replace("，", "，\n").replace(",", ",\n").split("\n")
    parts = [words([c.strip()]) for c in clauses if c.strip()]
    if v.original_deadline:
        parts.append(words(["（原 ", f"{v.original_deadline}）"], "dim"))
    days = days_cell(v)
    if days != "—":
        parts.append(words([days], LIGHT_STYLES[v.light]))
    return tuple(parts)


def _measure_text(v: MeasureView) -> list[Part]:
    parts = []
    if v.missed_milestones:
        parts.append(prose(f"［未按期：{'；'.join(m.milestone.text for m in v.missed_milestones)}］", "yellow"))
    parts.append(prose(v.measure.text))
    return parts


def measure_table(views: Sequence[MeasureView], title: str) -> Table:
    """The measures as a table; its rows (CSV's and both layouts') are made from the views when read, never held."""
    headers = ["灯", "编号", "指标", "措施", "责任单位", "完成时限", "到期日", "逾期/剩余"]
    table = Table(title, headers, made(views, _measure_row), right={7}, spaced=True)
    measure = Column("措施", flex=1, at_least=MEASURE_SHARE)
    # wide: the units in their own column, never narrower than the longest name
    wide = Screen(title, [Column("灯"), Column("编号"), Column("指标", min_width=8, max_width=8), measure, Column("责任单位", max_width=24), Column("完成时限")], made(views, _wide_row))  # fmt: skip
    # narrow: the indicator and the units on a line of their own under the measure text
    narrow = Screen(title, [Column("灯"), Column("编号"), measure, Column("完成时限")], made(views, _narrow_row))
    table.screens = [wide, narrow]
    return table


def _measure_row(v: MeasureView) -> list[str]:
    due = v.deadline.due.isoformat() if v.deadline.due else "—"
    warn = f"［未按期：{'；'.join(m.milestone.text for m in v.missed_milestones)}］" if v.missed_milestones else ""
    return [light_cell(v), v.id, v.indicator_name, warn + v.measure.text, units_cell(v), deadline_cell(v), due, days_cell(v)]  # fmt: skip


def _wide_row(v: MeasureView) -> Row:
    return (light_part(v.light),), cell(v.id), cell(v.indicator_name), tuple(_measure_text(v)), (units_part(v),), deadline_parts(v)  # fmt: skip


def _narrow_row(v: MeasureView) -> Row:
    text = (*_measure_text(v), units_part(v, "dim", f"{v.indicator_name}｜"))
    return (light_part(v.light),), cell(v.id), text, deadline_parts(v)


def overdue_summary(views: list[MeasureView], pending: int) -> list[str | Part]:
    red = [v for v in views if v.light == "red"]
    yellow = [v for v in views if v.light == "yellow"]
    lines: list[str | Part] = [
        f"共 {len(red)} 项逾期" + (f"、{len(yellow)} 项临期" if yellow else "") + f"。另有 {pending} 项未到期。"
    ]
    # every item listed counts (with --within the yellow ones too), so the summary agrees with the table
    leads = Counter(v.lead for v in views)
    involved = Counter(u for v in views for u in v.units)
    late = Counter(u for v in red for u in v.units)
    parts = []
    for unit, n in involved.most_common():
        counts = [f"逾期 {late[unit]}" if late[unit] else "", f"临期 {n - late[unit]}" if n > late[unit] else ""]
        split = ["、".join(c for c in counts if c)] if yellow else []
        detail = "；".join(split + ([f"牵头 {leads[unit]}"] if leads[unit] else []))
        parts.append(f"{unit} {n} 项" + (f"（{detail}）" if detail else ""))
    if parts:
        # one piece per unit, so a line breaks between units and never inside a name
        pieces = ["按责任单位：", *(p + ("；" if i < len(parts) - 1 else "") for i, p in enumerate(parts))]
        lines.append(words(pieces))
    return lines


def _met(r: GapRow) -> str:
    met = "—" if r.target_met is None else ("已达" if r.target_met else "未达")
    return met + ("·优于最优" if r.ahead_of_best else "")


def gap_table(ind: Indicator, rows: list[GapRow], as_of: date, goal: str) -> Table:
    title = f"{ind.name} · 截至 {as_of.isoformat()}" + (f" · 总体目标：{goal}" if goal else "")
    if (where := ledger_of(ind)) is not None:  # in a workspace: whose indicator this is
        title = f"{where} · {title}"
    headers = ["指标项", "单位", "方向", "基线", "当前", "整改目标", "全省最优", "与最优差距", "与目标差距", "目标", "进度"]  # fmt: skip
    table = Table(title, headers, right={3, 4, 5, 6})
    screen = Screen(
        title,
        [
            Column("指标项", flex=1, at_least=0.2, min_width=8), Column("单位"), Column("方向"),
            Column("基线", RIGHT), Column("当前", RIGHT), Column(words(["整改", "目标"]), RIGHT),
            Column(words(["全省", "最优"]), RIGHT), Column(words(["与最优", "差距"])), Column(words(["与目标", "差距"])),
            Column("目标"), Column("进度", RIGHT),
        ],
    )  # fmt: skip
    for r in rows:
        m = r.metric
        direction = "越低越好" if m.direction == "lower" else "越高越好"
        current = fmt_value(r.current) + (f"（{r.current_on.isoformat()}）" if r.current_on else "")
        behind = r.gap_to_best is not None and r.gap_to_best > 0
        cells = [
            m.name, m.unit, direction, fmt_value(m.baseline), current, fmt_value(m.target), fmt_value(m.best),
            fmt_gap(r.gap_to_best, m), fmt_gap(r.gap_to_target, m), _met(r), fmt_progress(r.progress),
        ]  # fmt: skip
        table.add(cells)
        now = words([fmt_value(r.current), *([f"（{r.current_on.isoformat()}）"] if r.current_on else [])])
        gap = words([fmt_gap(r.gap_to_best, m)], "red" if behind else "green")
        screen.add(
            m.name, words([m.unit]), words([direction]), words([cells[3]]), (now,),
            words([cells[5]]), words([cells[6]]), (gap,), words([cells[8]]), words(_met(r).split("·")),
            words([cells[10]]),
        )  # fmt: skip
    table.screens = [screen]
    return table


def contradiction_note(c: Contradiction) -> str:
    targets = "、".join(f"{m.name} {fmt_value(m.target)}{m.unit}" for m in c.metrics)
    bests = "、".join(f"{m.name} {fmt_value(m.best)}{m.unit}" for m in c.metrics)
    return (
        f"注意：总体目标要求{c.indicator.name}达到全省最优，但本指标整改目标（{targets}）仍落后于全省最优（{bests}）。"
    )


RANKING_NOTE = "对标得分：每个可比指标项与全省最优的接近程度（达到或优于最优为 100，差距按两者较大值折算），再取平均。"


def ranking_table(ranking: list[IndicatorGap], as_of: date) -> Table:
    headers = ["排名", "编号", "指标", "可比项", "落后项", "对标得分", "前沿距离得分"]
    title = f"各指标与全省最优差距排名 · 截至 {as_of.isoformat()}（得分越低差距越大）"
    table = Table(title, headers, right={0, 1, 3, 4, 5, 6}, notes=[RANKING_NOTE])
    screen = Screen(
        title,
        [
            Column("排名", RIGHT), Column("编号", RIGHT), Column("指标", flex=1, min_width=8), Column(words(["可比", "项"]), RIGHT),
            Column(words(["落后", "项"]), RIGHT), Column(words(["对标", "得分"]), RIGHT), Column(words(["前沿距离", "得分"]), RIGHT),
        ],
        notes=[prose(RANKING_NOTE)],
    )  # fmt: skip
    for rank, g in enumerate(ranking, 1):
        score = fmt_decimal(g.score.quantize(1)) if g.score is not None else "—"
        dtf = fmt_decimal(g.dtf.quantize(1)) if g.dtf is not None else "—"
        name = g.indicator.name if (where := ledger_of(g.indicator)) is None else f"{where}：{g.indicator.name}"
        cells = [str(rank), str(g.indicator.number), name, str(g.compared), str(g.behind), score, dtf]
        table.add(cells)
        style = "red" if g.behind else "green"
        screen.add(*cells[:4], cell(prose(cells[4], style)), *cells[5:])
    table.screens = [screen]
    return table


UNITS_NOTE = "按期完成率 = 按期完成数 ÷（已完成数 + 逾期未完成数）；未到期的未完成措施不计。"


def units_table(cards: list[UnitCard], as_of: date) -> Table:
    # 待复核 only where some unit has a 销号申请 waiting: the terminal is narrow, and usually none has
    pending = any(c.pending for c in cards)
    headers = ["责任单位", "层级", "牵头", "配合", "已完成", "未完成", "逾期", "临期", *(["待复核"] if pending else [])]
    headers += ["按期完成率", "县区职责"]
    title = f"责任单位履职情况 · 截至 {as_of.isoformat()}"
    table = Table(title, headers, right=set(range(2, len(headers) - 1)), notes=[UNITS_NOTE])
    counts = [Column(h, RIGHT) for h in ("牵头", "配合")] + [
        Column(words([h[:-1], h[-1]]), RIGHT) for h in ("已完成", "未完成")
    ]
    tail = [Column("逾期", RIGHT), Column("临期", RIGHT)]
    tail += [Column(words(["待", "复核"]), RIGHT)] if pending else []
    tail += [Column(words(["按期", "完成", "率"]), RIGHT)]
    # the county duties in their own column where there is room, else listed under the table
    level = Column("层级", min_width=4, max_width=8)
    wide = Screen(title, [Column("责任单位"), level, *counts, *tail, Column("县区职责", flex=1, at_least=0.25)])
    narrow = Screen(title, [Column("责任单位"), level, *counts, *tail])
    duties: list[Part] = []  # the county duties of the units listed, for the narrow layout
    county_only: list[Part] = []  # units with no city measure: their county duties, not a row of zeros
    for c in cards:
        roles = duties_text(c.roles)
        cells = [c.unit, c.level, str(len(c.led)), str(len(c.joined)), str(c.done), str(c.open), str(c.overdue)]
        waiting = [str(c.pending)] if pending else []
        table.add([*cells, str(c.due_soon), *waiting, fmt_percent(c.on_time_rate), roles or "—"])
        duty = Part((f"{c.unit}：", *prose(roles).pieces)) if roles else None
        if not c.measures and duty is not None:
            county_only.append(duty)
            continue
        style = "red" if c.overdue else ("yellow" if c.due_soon else None)
        row: list[Cell | str] = [(names([c.unit], lead=False),), c.level, *cells[2:6]]
        row += [cell(prose(cells[6], style)), str(c.due_soon), *waiting, fmt_percent(c.on_time_rate)]
        wide.add(*row, roles or "—")
        narrow.add(*row)
        if duty is not None:
            duties.append(duty)
    only = [prose(f"仅承担县区职责的单位（{len(county_only)} 个，无市级措施）："), *county_only] if county_only else []
    wide.notes = [prose(UNITS_NOTE), *only]
    narrow.notes = [prose(UNITS_NOTE), *([prose("县区职责：")] if duties else []), *duties, *only]
    table.screens = [wide, narrow] if duties else [narrow]  # no column of dashes
    return table
