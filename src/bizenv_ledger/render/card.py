"""The whole card of an indicator or a measure, for ``ledger show``."""

from __future__ import annotations

from datetime import date

from ..model.domain import CountyIndicator, Indicator, Ledger, Metric
from ..model.names import UnitIndex, find_indicator, find_measure
from ..queries.gap import contradictions, gap_rows
from ..queries.measures import MeasureView, view_measure
from .contracts import gap_dict, history_dict, measure_dict
from .output import emit
from .safe import json_text
from .screen import Cell, Column, Screen, cell, prose
from .table import Table
from .values import LIGHT_LABELS, fmt_value, json_value
from .views import LIGHT_STYLES, contradiction_note, deadline_cell, gap_table, measure_table, units_cell, units_part

__all__ = ["indicator_card", "measure_card"]

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_VALUE_LABELS = (("best", "全省最佳"), ("baseline", "现状"), ("target", "目标"))


def _county_metric_line(metric: Metric, city: Metric | None) -> str:
    """One county figure, with the plan's where the plan has the same metric and says otherwise."""
    unit = "" if metric.unit == "是/否" else metric.unit
    parts = []
    for name, label in _VALUE_LABELS:
        value = getattr(metric, name)
        if value is None:
            continue
        text = f"{label} {fmt_value(value)}{unit}"
        theirs = getattr(city, name) if city is not None else None
        if theirs is not None and theirs != value:
            text += f"（市方案 {fmt_value(theirs)}{unit}）"
        parts.append(text)
    return f"  指标项 {metric.name}：{'，'.join(parts)}"


def _county_metric_dict(m: Metric) -> dict[str, object]:
    values = {name: json_value(getattr(m, name)) for name, _ in _VALUE_LABELS}
    return {"metric": m.name, "key": m.key, "unit": m.unit, "direction": m.direction, **values}  # as gap rows name them


def _county_metric_lines(ledger: Ledger, cind: CountyIndicator) -> list[str]:
    city = next((i for i in ledger.indicators if i.number == cind.number), None)
    twins = {m.key: m for m in city.metrics} if city is not None else {}
    return [_county_metric_line(m, twins.get(m.key)) for m in cind.metrics]


def _county_lines(ledger: Ledger, number: int) -> list[str]:
    lines = []
    for county in ledger.counties:
        for cind in county.indicators:
            if cind.number != number:
                continue
            lines.append(f"{county.county}（{cind.name}）：责任领导 {cind.leader}")
            for label, names in (
                ("组长单位", cind.lead_units),
                ("副组长单位", cind.deputy_units),
                ("成员单位", cind.member_units),
            ):
                if names:
                    lines.append(f"  {label}：{'、'.join(names)}")
            lines.extend(_county_metric_lines(ledger, cind))
            lines.extend(f"  问题{i}：{p}" for i, p in enumerate(cind.problems, 1))
    return lines


def _county_duties(ledger: Ledger, number: int) -> list[dict[str, object]]:
    """The counties' duties for the indicator, for JSON: the same facts as ``_county_lines``."""
    return [
        {
            "county": county.county,
            "indicator": cind.number,
            "indicator_name": cind.name,
            "leader": cind.leader,
            "lead_units": list(cind.lead_units),
            "deputy_units": list(cind.deputy_units),
            "member_units": list(cind.member_units),
            "problems": list(cind.problems),
            "metrics": [_county_metric_dict(m) for m in cind.metrics],
        }
        for county in ledger.counties
        for cind in county.indicators
        if cind.number == number
    ]


class _Card:
    """A card: 项目 and 内容, the content wrapped under itself; kept as data and as its terminal layout."""

    def __init__(self, title: str) -> None:
        self.table = Table(title, ["项目", "内容"])
        self.screen = Screen(title, [Column("项目"), Column("内容", flex=1)])
        self.table.screens = [self.screen]

    def add(self, label: str, text: str, shown: Cell | None = None) -> None:
        self.table.add([label, text])
        self.screen.add(label, shown if shown is not None else cell(text))


def _views(ledger: Ledger, ind: Indicator, as_of: date) -> list[MeasureView]:
    index = UnitIndex.build(ledger.registry)
    return [view_measure(m, ind, index, as_of) for m in ind.measures]


def indicator_card(ledger: Ledger, typed: str, as_of: date, fmt: str) -> str:
    ind = find_indicator(ledger, typed)
    views = _views(ledger, ind, as_of)
    rows = gap_rows(ind, as_of)
    conflict = contradictions(ledger, ind)
    if fmt == "json":
        payload = {
            "indicator": ind.number, "name": ind.name, "short_names": ind.short_names, "best": ind.best,
            "current": ind.current, "problems": ind.problems, "target": ind.target,
            "metrics": [gap_dict(r) for r in rows], "measures": [measure_dict(v) for v in views],
            "contradiction": contradiction_note(conflict) if conflict else None,
            "counties": _county_duties(ledger, ind.number),
        }  # fmt: skip
        return json_text(payload)
    text = _Card(f"（{ind.number}）{ind.name} · 截至 {as_of.isoformat()}")
    text.add("全省最优目标", ind.best)
    text.add("目前现状", ind.current)
    for i, p in enumerate(ind.problems):
        text.add(f"存在的问题{_CIRCLED[i] if i < len(_CIRCLED) else i + 1}", p)
    text.add("整改提升目标", ind.target)
    metrics = gap_table(ind, rows, as_of, "")
    if conflict:
        metrics.notes.append(contradiction_note(conflict))
        for screen in metrics.screens:
            screen.notes.append(prose(contradiction_note(conflict)))
    measures = measure_table(views, "整改提升措施")
    county = _county_lines(ledger, ind.number)
    return emit(fmt, [text.table, metrics, measures], None, ["县区责任：", *county] if county else [])


def measure_card(ledger: Ledger, typed: str, as_of: date, fmt: str) -> str:
    ind, measure = find_measure(ledger, typed)
    view = view_measure(measure, ind, UnitIndex.build(ledger.registry), as_of, ledger=ledger)
    if fmt == "json":
        return json_text({**measure_dict(view), **history_dict(view)})
    table = _Card(f"措施 {measure.id} · {view.indicator_name} · 截至 {as_of.isoformat()}")
    table.add("措施", measure.text)
    table.add("责任单位", units_cell(view), (units_part(view),))
    table.add(measure.deadline_label, deadline_cell(view))
    table.add("到期日", view.deadline.due.isoformat() if view.deadline.due else "—")
    state = LIGHT_LABELS[view.light] + (f"，逾期 {view.days_overdue} 天" if view.days_overdue else "")
    table.add("状态", state, (prose(state, LIGHT_STYLES[view.light]),))
    for ms in measure.milestones:
        missed = next((m for m in view.missed_milestones if m.milestone == ms), None)
        table.add("节点", f"{ms.text}（{ms.deadline}）" + (f"，已过期 {missed.days_late} 天" if missed else ""))
    # only what had happened by the as-of date, as in the JSON: the view holds those events
    for pp in view.postponements:
        table.add("延期", f"{pp.on.isoformat()} 由“{pp.old}”延至“{pp.new}”：{pp.reason}")
    for entry in view.progress:
        table.add("进展", f"{entry.on.isoformat()} {entry.text}")
    for ro in view.reopenings:
        table.add("退回整改", f"{ro.on.isoformat()}（原 {ro.closing.on.isoformat()} 销号）：{ro.reason}")
    if view.closing:
        refs = "、".join(e.ref for e in view.closing.evidence)
        note = f"{view.closing.on.isoformat()} {view.closing.note or ''}".strip()
        table.add("销号", note + (f"；佐证：{refs}" if refs else ""))
    return emit(fmt, [table.table], None)
