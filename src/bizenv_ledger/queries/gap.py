"""Distance to the province best, per metric and per indicator. Pure: ``as_of`` is passed in.

Numbers used for comparison: a plain figure is itself; a range counts at its
worse end (the conservative reading: 110-180元 for a lower-is-better cost is
180); a bound counts at its limit; yes/no counts as 1/0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from ..model.domain import Bound, Indicator, Ledger, Metric, Range, Value
from ..model.workspace import ledger_of, plan_of

__all__ = [
    "Contradiction",
    "GapRow",
    "IndicatorGap",
    "contradictions",
    "gap_rows",
    "goal_label",
    "indicator_ranking",
    "numeric",
    "standing",
]

HUNDRED = Decimal(100)
Standing = Literal["good", "fair", "poor", "none"]
GOOD_SCORE, FAIR_SCORE = 90, 60  # 对标得分 bands: ≥90 close to the best, 60–89 some way off, below 60 far behind


def numeric(value: Value | None, direction: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Range):
        return value.max if direction == "lower" else value.min
    if isinstance(value, Bound):
        return value.at_most if value.at_most is not None else value.at_least
    return value


def _behind(a: Decimal, b: Decimal, direction: str) -> Decimal:
    """How far ``a`` is behind ``b``: positive when worse, negative when better."""
    return a - b if direction == "lower" else b - a


@dataclass(frozen=True)
class GapRow:
    """One metric against the province best and the target, as of a date."""

    indicator: int
    indicator_name: str
    metric: Metric
    current: Value | None
    current_on: date | None  # date of the latest reading; None when current is the baseline
    gap_to_best: Decimal | None
    gap_to_target: Decimal | None
    target_met: bool | None
    ahead_of_best: bool
    progress: Decimal | None  # share of the way from baseline to target (at most 1), once a reading moved
    score: Decimal | None  # 0–100 closeness to the best (see ``closeness``)
    dtf: Decimal | None  # distance-to-frontier score where a worst reference is configured
    ledger: str | None = None  # the workspace ledger; None outside a workspace


def _current(metric: Metric, as_of: date) -> tuple[Value | None, date | None]:
    readings = [r for r in metric.readings if r.on <= as_of]
    if readings:
        # the last one written wins a tie, so a same-day correction replaces the earlier reading
        latest = max(enumerate(readings), key=lambda pair: (pair[1].on, pair[0]))[1]
        return latest.value, latest.on
    return metric.baseline, None


def _target_met(metric: Metric, current: Value | None) -> bool | None:
    target = metric.target
    cur = numeric(current, metric.direction)
    if target is None or cur is None:
        return None
    if isinstance(target, Bound):
        if target.at_most is not None:
            return cur <= target.at_most
        return target.at_least is not None and cur >= target.at_least
    goal = numeric(target, metric.direction)
    assert goal is not None
    return _behind(cur, goal, metric.direction) <= 0


def closeness(metric: Metric, current: Decimal | None, best: Decimal | None) -> Decimal | None:
    """100 at or ahead of the best, falling with the gap relative to the larger of the two figures."""
    if current is None or best is None:
        return None
    gap = _behind(current, best, metric.direction)
    if gap <= 0:
        return HUNDRED
    scale = max(abs(current), abs(best))
    return max(Decimal(0), HUNDRED * (1 - gap / scale)) if scale else HUNDRED


def dtf(metric: Metric, current: Decimal | None, best: Decimal | None) -> Decimal | None:
    """World Bank distance to frontier: (worst − y) / (worst − frontier) × 100, clamped to 0–100."""
    if metric.worst is None or current is None or best is None or metric.worst == best:
        return None
    score = (metric.worst - current) / (metric.worst - best) * HUNDRED
    return min(HUNDRED, max(Decimal(0), score))


def _progress(metric: Metric, current: Value | None, moved: bool) -> Decimal | None:
    base = numeric(metric.baseline, metric.direction)
    goal = numeric(metric.target, metric.direction)
    cur = numeric(current, metric.direction)
    if not moved or base is None or goal is None or cur is None or goal == base:
        return None
    # The share of the way covered cannot pass the whole way: a reading beyond the target is the
    # target met (target_met, gap_to_target say by how much), not "250% of the way". Below zero
    # stays: the metric moved away from its target.
    return min((cur - base) / (goal - base), Decimal(1))


def gap_row(indicator: Indicator, metric: Metric, as_of: date) -> GapRow:
    current, current_on = _current(metric, as_of)
    cur = numeric(current, metric.direction)
    best = numeric(metric.best, metric.direction)
    goal = numeric(metric.target, metric.direction)
    gap_best = _behind(cur, best, metric.direction) if cur is not None and best is not None else None
    gap_target = _behind(cur, goal, metric.direction) if cur is not None and goal is not None else None
    return GapRow(
        indicator=indicator.number,
        indicator_name=indicator.name,
        metric=metric,
        current=current,
        current_on=current_on,
        gap_to_best=gap_best,
        gap_to_target=gap_target,
        target_met=_target_met(metric, current),
        ahead_of_best=gap_best is not None and gap_best < 0,
        progress=_progress(metric, current, current_on is not None),
        score=closeness(metric, cur, best),
        dtf=dtf(metric, cur, best),
        ledger=ledger_of(indicator),
    )


def gap_rows(indicator: Indicator, as_of: date) -> list[GapRow]:
    return [gap_row(indicator, m, as_of) for m in indicator.metrics]


@dataclass(frozen=True)
class IndicatorGap:
    """An indicator's closeness to the province best, over its comparable metrics."""

    indicator: Indicator
    compared: int  # metrics with both a best and a current figure
    behind: int  # of those, how many are behind the best
    score: Decimal | None  # mean closeness, 0–100
    dtf: Decimal | None  # mean distance-to-frontier where configured


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def indicator_ranking(ledger: Ledger, as_of: date) -> list[IndicatorGap]:
    """The 18 indicators, furthest from the province best first (no score sorts last)."""
    out = []
    for ind in ledger.indicators:
        rows = gap_rows(ind, as_of)
        scored = [r.score for r in rows if r.score is not None]
        out.append(
            IndicatorGap(
                indicator=ind,
                compared=len(scored),
                behind=sum(1 for r in rows if r.gap_to_best is not None and r.gap_to_best > 0),
                score=_mean(scored),
                dtf=_mean([r.dtf for r in rows if r.dtf is not None]),
            )
        )
    return sorted(out, key=lambda g: (g.score is None, g.score if g.score is not None else 0, g.indicator.number))


def standing(score: Decimal | None) -> Standing:
    """Where an indicator stands by its 对标得分, banded on the whole points shown (89.6 shows as 90: good)."""
    if score is None:
        return "none"
    shown = score.quantize(Decimal(1))
    if shown >= GOOD_SCORE:
        return "good"
    return "fair" if shown >= FAIR_SCORE else "poor"


@dataclass(frozen=True)
class Contradiction:
    """二、总体目标 wants this indicator at the province best, but these metrics' targets fall short."""

    indicator: Indicator
    metrics: list[Metric]


def contradictions(ledger: Ledger, indicator: Indicator) -> Contradiction | None:
    """Where 二、总体目标 wants the province best but the indicator's own target falls short."""
    overall = plan_of(ledger, indicator).overall_goal
    if overall is None or indicator.number not in overall.reach_best:
        return None
    short = []
    for metric in indicator.metrics:
        goal = numeric(metric.target, metric.direction)
        best = numeric(metric.best, metric.direction)
        if goal is not None and best is not None and _behind(goal, best, metric.direction) > 0:
            short.append(metric)
    return Contradiction(indicator, short) if short else None


def goal_label(ledger: Ledger, number: int, indicator: Indicator | None = None) -> str:
    """What 二、总体目标 asks of the indicator (in a workspace, its own ledger's plan)."""
    goal = (plan_of(ledger, indicator) if indicator is not None else ledger.plan).overall_goal
    if goal is None:
        return ""
    if number in goal.reach_best:
        return "达到全省最优"
    if number in goal.narrow_gap:
        return "与全省最优差距大幅减少"
    return "争取进入全省前五"
