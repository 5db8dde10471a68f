"""二、总体目标: the text, and which indicators it wants at the province best or closer to it."""

from __future__ import annotations

import re

from ..model.domain import Indicator, OverallGoal
from .findings import Findings

__all__ = ["match_indicator", "parse_goal"]

_REACH = re.compile(r"^(?P<names>.+?)\d+项指标达到全省最优")
_NARROW = re.compile(r"^(?P<names>.+?)\d+项指标与全省最优差距")


def parse_goal(text: str, indicators: list[Indicator], where: str, findings: Findings) -> OverallGoal:
    clauses = [c for c in re.split(r"[，,；;。]", text) if c]
    ranking = next((c for c in clauses if "位次" in c or "排名" in c), "")
    others = next((c for c in clauses if c.startswith("其他指标")), "")
    reach: list[int] = []
    narrow: list[int] = []
    for clause in clauses:
        for pattern, into in ((_REACH, reach), (_NARROW, narrow)):
            if m := pattern.match(clause):
                for name in re.split(r"[、,，]", m["names"]):
                    number = match_indicator(name, indicators, where, findings)
                    if number is not None:
                        into.append(number)
    return OverallGoal(text=text, ranking=ranking, reach_best=reach, narrow_gap=narrow, others=others)


def match_indicator(name: str, indicators: list[Indicator], where: str, findings: Findings) -> int | None:
    """An indicator named in prose: exactly, by containment, or (said in the report) by its characters."""
    name = name.strip()
    for ind in indicators:
        if name == ind.name or name in ind.short_names:
            return ind.number
    contained = [ind for ind in indicators if name in ind.name or ind.name in name]
    if len(contained) == 1:
        return contained[0].number
    same_chars = [ind for ind in indicators if set(name) <= set(ind.name)]
    if len(same_chars) == 1:
        ind = same_chars[0]
        ind.short_names.append(name)
        message = f"“{name}”读作第 {ind.number} 项指标“{ind.name}”，并记为其简称"
        findings.unsure("指标名", where, name, message)
        return ind.number
    findings.unsure("指标名", where, name, f"总体目标里的“{name}”对不上任何指标，未计入")
    return None
