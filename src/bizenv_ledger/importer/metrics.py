"""Proposed metrics: the facts of 全省最优目标, 目前现状 and 整改提升目标 paired by name, never invented.

A fact of one part joins a metric of the parts before it when the two share a unit and their
names (or, failing that, their sentences) share words; the closest pairs are taken first, so
低压2个环节 meets 低压2个环节 and not 高压4个环节. A 存在的问题 clause may give a metric its
baseline when the current state says nothing (未实现免费刻章, 刻章费用为110-180元不等), as the
plan's editors read it. The direction is a guess from the unit and the words. Every proposal
goes into the YAML marked ``# review:`` and into the report: a person confirms it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..model.domain import Bound, Indicator, Metric, MetricSources, Range, Value
from .figures import YES_NO, Fact, read_facts

__all__ = ["Proposal", "propose_metrics"]

_PARTS = ("best", "baseline", "target")
_LOWER_UNITS = {"天", "个工作日", "小时", "周", "个月", "个环节", "份材料", "次", "名", "微克/立方米"}
_LOWER_WORDS = re.compile(r"耗时|时间|时限|费率|费用|成本|收费|环节")
_LOWER_ITEMS = re.compile(r"许可|审批")
_MONEY = {"元", "万元", "亿元", "%"}
_NEGATION = re.compile(r"^(?:但|目前|我市)*(?:尚未|暂未|未|没有)(?:实现|建成|设置|完成)?")
_COMMON = set("的为是和在年度全市县个及与等各了已")


@dataclass(slots=True)
class Proposal:
    facts: dict[str, Fact] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        return next(iter(self.facts.values())).unit

    def words(self) -> set[str]:
        return _chars("".join(f.name for f in self.facts.values()))

    def context(self) -> set[str]:
        return _chars("".join(f.context for f in self.facts.values()))


def _chars(text: str) -> set[str]:
    return {ch for ch in text if not ch.isdigit() and ch not in _COMMON and not ch.isspace()}


def _bigrams(text: str) -> set[str]:
    clean = _NEGATION.sub("", re.sub(r"[“”\"《》、]", "", text))
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def _score(fact: Fact, prop: Proposal) -> int:
    if fact.unit != prop.unit or fact.part in prop.facts:
        return 0
    name, ctx = _chars(fact.name), _chars(fact.context)
    words, pctx = prop.words(), prop.context()
    if fact.unit == YES_NO:  # word pairs, not characters: 一窗通办 is not 一网通办
        mine, theirs = _bigrams(fact.name), set().union(*(_bigrams(f.name) for f in prop.facts.values()))
        shared, shorter = len(mine & theirs), min(len(mine), len(theirs)) or 1
        # a problem's 未… must say the same thing (4 in 5 word pairs); a part's fact, half of it
        enough = 5 * shared >= 4 * shorter if fact.weak else 2 * shared >= shorter or shared >= 5
        return 100 * shared // shorter if enough else 0
    phrase = _bigrams(re.sub(r"[\d.]+", "", fact.phrase))
    phrases = set().union(*(_bigrams(re.sub(r"[\d.]+", "", f.phrase)) for f in prop.facts.values()))
    cross = len(name & pctx) + len(ctx & words)
    return 6 * len(name & words) + 2 * cross + 3 * len(phrase & phrases) + min(len(ctx & pctx), 4)


def _join(proposals: list[Proposal], facts: list[Fact]) -> list[Fact]:
    """Pair facts with proposals, closest first; return the facts left unpaired."""
    pairs = sorted(
        ((_score(f, p), -f.order, -k, i, k) for i, f in enumerate(facts) for k, p in enumerate(proposals)),
        reverse=True,
    )
    used_facts: set[int] = set()
    for score, _o, _k, i, k in pairs:
        fact, prop = facts[i], proposals[k]
        if score <= 0 or i in used_facts or fact.part in prop.facts or not _fits(prop, fact):
            continue
        prop.facts[fact.part] = fact
        used_facts.add(i)
    return [f for i, f in enumerate(facts) if i not in used_facts]


def _fits(prop: Proposal, fact: Fact) -> bool:
    """No pairing that gives one metric two directions or a target worse than its baseline."""
    trial = Proposal({**prop.facts, fact.part: fact})
    direction = _direction(trial)
    if direction is None:
        return False
    base, target = trial.facts.get("baseline"), trial.facts.get("target")
    if base and target and isinstance(base.value, Decimal) and isinstance(target.value, Decimal):
        worse = target.value > base.value if direction == "lower" else target.value < base.value
        return not worse
    return True


def _direction(prop: Proposal) -> str | None:
    """From the bounds if any (至多 is lower, 以上 higher), else from the unit and the words."""
    wanted = set()
    for fact in prop.facts.values():
        if isinstance(fact.value, Bound):
            wanted.add("lower" if fact.value.at_most is not None else "higher")
    if len(wanted) > 1:
        return None
    if wanted:
        return wanted.pop()
    unit = prop.unit
    words = "".join(f.name + f.phrase for f in prop.facts.values())
    if unit == YES_NO:
        return "higher"
    if unit in _LOWER_UNITS or _LOWER_WORDS.search(words):
        return "lower" if unit not in {"场次", "家", "户", "件"} else "higher"
    if unit == "项":
        context = "".join(f.context for f in prop.facts.values())
        return "lower" if _LOWER_ITEMS.search(words + context) else "higher"
    return "higher" if unit not in _MONEY or not _LOWER_WORDS.search(words) else "lower"


def _parts(ind: Indicator) -> dict[str, list[Fact]]:
    return {
        "best": read_facts(ind.best, "best"),
        "baseline": read_facts(ind.current, "baseline"),
        "target": read_facts(ind.target, "target"),
    }


def _problem_facts(ind: Indicator) -> tuple[list[Fact], list[Fact]]:
    """A problem's negated fact (未实现一窗通办) and its ranges (110-180元): baselines at most."""
    negated, ranges = [], []
    for text in ind.problems:
        for fact in read_facts(text, "baseline"):
            if fact.value is False:
                negated.append(replace(fact, weak=True))
            elif isinstance(fact.value, Range):
                ranges.append(fact)
    return negated, ranges


def propose_metrics(ind: Indicator) -> list[Proposal]:
    """The problems' negations come before the current state: 问题 “未实现免费刻章” outweighs
    现状 “公章…免费赠送一枚”, as data/ reads it."""
    parts = _parts(ind)
    negated, ranges = _problem_facts(ind)
    proposals = [Proposal({"best": f}) for f in parts["best"]]
    # the target is most often the best's own words: pair those two first
    proposals += [Proposal({"target": f}) for f in _join(proposals, parts["target"])]
    _join(proposals, negated)  # a problem unpaired is a problem, not a metric
    proposals += [Proposal({"baseline": f}) for f in _join(proposals, parts["baseline"])]
    proposals += [Proposal({"baseline": f}) for f in _join(proposals, ranges)]
    return proposals


def to_metric(prop: Proposal, key: str, name: str) -> Metric:
    direction = _direction(prop) or "higher"
    values: dict[str, Value | None] = {part: None for part in _PARTS}
    phrases: dict[str, str | None] = {part: None for part in _PARTS}
    for part, fact in prop.facts.items():
        values[part] = fact.value
        phrases[part] = fact.phrase
    return Metric(
        key=key,
        name=name,
        unit=prop.unit,
        direction="lower" if direction == "lower" else "higher",
        best=values["best"],
        baseline=values["baseline"],
        target=values["target"],
        source=MetricSources(phrases["best"], phrases["baseline"], phrases["target"]),
    )


def metric_name(prop: Proposal) -> str:
    """The clearest name among the parts: the longest, else the phrase itself."""
    names = [f.name for f in prop.facts.values() if f.name]
    if names:
        return max(names, key=len)[:60]
    first = next(iter(prop.facts.values()))
    return first.phrase[:60]


def value_words(value: Value | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Range):
        return f"{value.min}-{value.max}"
    if isinstance(value, Bound):
        return f"≤{value.at_most}" if value.at_most is not None else f"≥{value.at_least}"
    return str(value)


def attach_metrics(indicators: list[Indicator], proposed: list[tuple[str, ...]]) -> None:
    """Each indicator gets its proposals as metrics m1, m2 …; each is listed in ``proposed``."""
    for ind in indicators:
        names: set[str] = set()
        for k, prop in enumerate(propose_metrics(ind), start=1):
            name = metric_name(prop)
            unique, n = name, 2
            while unique in names:
                unique, n = f"{name}（{n}）", n + 1
            names.add(unique)
            metric = to_metric(prop, f"m{k}", unique)
            ind.metrics.append(metric)
            pairing = "、".join({"best": "最优", "baseline": "现状", "target": "目标"}[p] for p in prop.facts)
            values = " / ".join(value_words(getattr(metric, p)) for p in _PARTS)
            direction = "越低越好" if metric.direction == "lower" else "越高越好"
            phrases = "；".join(f.phrase for f in prop.facts.values())
            proposed.append((str(ind.number), metric.key, unique, metric.unit, direction, values, pairing, phrases))
