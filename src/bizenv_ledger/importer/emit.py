"""Writing the draft as YAML text in data/'s own style: quoted ids, flow lists of units, comments.

The text is written by hand rather than dumped, because a dump drops comments and quotes too
much; every scalar is either plain (when the project's strict reader gives the same string back)
or double-quoted with JSON escapes, which YAML reads the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from ..model.domain import County, Indicator, Measure, Metric, Plan, Range, UnitRegistry, Value

__all__ = ["county_yaml", "file_name", "indicator_yaml", "plan_yaml", "scalar", "units_yaml"]

_RESERVED = re.compile(r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|y|n)$", re.I)
_NUMBERISH = re.compile(r"^[-+.\d][\d.:\-+eE_ /]*$")
_PLAIN_START = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]")


def scalar(text: str, *, flow: bool = False) -> str:
    """A string as a YAML scalar: plain when that is safe, else double-quoted."""
    safe = (
        bool(text)
        and _PLAIN_START.match(text) is not None
        and text == text.strip()
        and not _RESERVED.match(text)
        and not _NUMBERISH.match(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\n" not in text
        and "\t" not in text
        and not (flow and any(ch in text for ch in ",[]{}"))
    )
    return text if safe else json.dumps(text, ensure_ascii=False)


def flow_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(scalar(item, flow=True) for item in items) + "]"


def file_name(number: int, name: str) -> str:
    clean = re.sub(r'[\\/:*?"<>|\s]', "", name)[:40] or "指标"
    return f"{number:02d}-{clean}.yaml"


def plan_yaml(plan: Plan, source: str) -> str:
    out = [f"# {plan.title or '导入的方案'} —— 发文信息与总体目标", f"# 导入自：{source}（ledger import）"]
    out.append(f"title: {scalar(plan.title)}")
    out.append(f"doc_number: {scalar(plan.doc_number)}")
    out.append(f"issuer: {scalar(plan.issuer)}")
    out.append(f'issued: "{plan.issued.isoformat()}"')
    if plan.addressees:
        out.append(f"addressees: {scalar(plan.addressees)}")
    goal = plan.overall_goal
    if goal is not None:
        out += ["", "overall_goal:", f"  text: {scalar(goal.text)}", f"  ranking: {scalar(goal.ranking)}"]
        out.append(f"  reach_best: [{', '.join(str(n) for n in goal.reach_best)}]")
        out.append(f"  narrow_gap: [{', '.join(str(n) for n in goal.narrow_gap)}]")
        out.append(f"  others: {scalar(goal.others)}")
    return "\n".join(out) + "\n"


def units_yaml(registry: UnitRegistry, first_seen: dict[str, str]) -> str:
    out = [
        "# 责任单位登记表（ledger import 生成）：文件中每个单位写法一个条目，未合并任何写法。",
        "# level 按名称推测，请核对；相近的写法见导入报告，是同一单位的请改为 aliases。",
        "units:",
    ]
    for unit in registry.units:
        where = first_seen.get(unit.name)
        out.append(f"  - name: {scalar(unit.name)}" + (f"   # 首见于{where}" if where else ""))
        out.append(f"    level: {scalar(unit.level)}")
        if unit.aliases:
            out.append(f"    aliases: {flow_list(unit.aliases)}")
        if unit.county:
            out.append(f"    county: {scalar(unit.county)}")
        if unit.note:
            out.append(f"    note: {scalar(unit.note)}")
    out.append("collectives:" + ("" if registry.collectives else " []"))
    for coll in registry.collectives:
        out.append(f"  - name: {scalar(coll.name)}")
        out.append(f"    members: {flow_list(coll.members)}")
        if coll.open_ended:
            out.append("    open_ended: true")
        if coll.note:
            out.append(f"    note: {scalar(coll.note)}")
    return "\n".join(out) + "\n"


def value_text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Range):
        return f"{{min: {value.min}, max: {value.max}}}"
    return f"{{at_most: {value.at_most}}}" if value.at_most is not None else f"{{at_least: {value.at_least}}}"


def _metric_lines(metric: Metric, review: str) -> list[str]:
    out = [f"  - key: {scalar(metric.key)}   # review: {review}"]
    out.append(f"    name: {scalar(metric.name)}")
    out.append(f"    unit: {scalar(metric.unit)}")
    out.append(f"    direction: {metric.direction}")
    sources = []
    for part in ("best", "baseline", "target"):
        value = getattr(metric, part)
        if value is not None:
            out.append(f"    {part}: {value_text(value)}")
        phrase = getattr(metric.source, part)
        if phrase:
            sources.append(f"      {part}: {scalar(phrase)}")
    if sources:
        out += ["    source:", *sources]
    return out


def _measure_lines(m: Measure, where: str | None) -> list[str]:
    out = [f'  - id: "{m.id}"' + (f"   # 原文{where}" if where else "")]
    out.append(f"    text: {scalar(m.text)}")
    out.append(f"    units: {flow_list(m.units)}")
    if m.and_related:
        out.append("    and_related: true")
    out.append(f"    deadline: {scalar(m.deadline)}")
    if m.deadline_label != "完成时限":
        out.append(f"    deadline_label: {scalar(m.deadline_label)}")
    if m.status != "open":
        out.append(f"    status: {m.status}")
    if m.closing is not None:
        out += ["    closing:", f'      "on": "{m.closing.on.isoformat()}"   # 请核对']
        if m.closing.note:
            out.append(f"      note: {scalar(m.closing.note)}")
    if m.milestones:
        out.append("    milestones:   # 原文只写月份的，年份取方案年度")
        for step in m.milestones:
            out += [f"      - text: {scalar(step.text)}", f"        deadline: {scalar(step.deadline)}"]
    return out


def _text_field(key: str, text: str) -> list[str]:
    return [f"{key}: {scalar(text)}"] if text else []


def indicator_yaml(
    ind: Indicator, sources: dict[str, str], heading: str, metric_reviews: dict[str, str] | None = None
) -> str:
    out = [f"# {heading}", f"number: {ind.number}", f"name: {scalar(ind.name)}"]
    if ind.short_names:
        out.append(f"short_names: {flow_list(ind.short_names)}")
    out += _text_field("best", ind.best) + _text_field("current", ind.current)
    if ind.problems:
        out.append("problems:")
        out += [f"  - {scalar(p)}" for p in ind.problems]
    else:
        out.append("problems: []")
    out += _text_field("target", ind.target)
    if ind.metrics:
        out += ["", "metrics:   # 导入时按原文数字建议的指标项，均待复核（review）"]
        for metric in ind.metrics:
            out += _metric_lines(metric, (metric_reviews or {}).get(metric.key, "建议，待复核"))
    out += ["", "measures:" + ("" if ind.measures else " []")]
    for m in ind.measures:
        out += _measure_lines(m, sources.get(m.id))
    return "\n".join(out) + "\n"


def county_yaml(county: County, source: str, sources: dict[str, str]) -> str:
    out = [f"# {county.title}（{county.issuer} {county.issued.isoformat()}）", f"# 导入自：{source}（ledger import）"]
    out += [f"county: {scalar(county.county)}", f"title: {scalar(county.title)}", f"issuer: {scalar(county.issuer)}"]
    out += [f'issued: "{county.issued.isoformat()}"', "indicators:"]
    for row in county.indicators:
        where = sources.get(f"{county.county}:{row.number}")
        out += ["", f"  - number: {row.number}" + (f"   # 原文{where}" if where else "")]
        out.append(f"    name: {scalar(row.name)}")
        out.append(f"    best: {scalar(row.best)}")
        out.append("    problems:" + ("" if row.problems else " []"))
        out += [f"      - {scalar(p)}" for p in row.problems]
        out.append(f"    leader: {scalar(row.leader)}")
        out.append(f"    lead_units: {flow_list(row.lead_units)}")
        out.append(f"    deputy_units: {flow_list(row.deputy_units)}")
        out.append(f"    member_units: {flow_list(row.member_units)}")
        out.append("    measures: []")
    return "\n".join(out) + "\n"


def iso(day: date) -> str:
    return day.isoformat()
