"""The checks of a metric (指标项) on its own: its figures against its direction, signs, one reading a day.

Split from ``validation.py``, which runs them over every indicator and county.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..model.domain import Bound, Indicator, Metric, Range, Value
from ..model.quantities import negative_part, never_negative

if TYPE_CHECKING:
    from .validation import Reporter

__all__ = ["check_county_metric_twins", "check_metrics"]

Problems = list[tuple[tuple[str | int, ...], str]]


def _number(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _metric_problems(metric: Metric) -> Problems:
    problems: Problems = []
    for name in ("best", "baseline", "target"):
        value = getattr(metric, name)
        if isinstance(value, bool) and metric.direction != "higher":
            problems.append(((name,), "是/否类指标的方向应为 higher（“是”为好）"))
        if isinstance(value, Range) and value.min > value.max:
            problems.append(((name,), f"区间下限 {value.min} 大于上限 {value.max}"))
        if isinstance(value, Bound):
            if (value.at_most is None) == (value.at_least is None):
                problems.append(((name,), "界限值须且只须写 at_most 或 at_least 之一"))
            elif value.at_most is not None and metric.direction != "lower":
                problems.append(((name,), "“不超过/以内”（at_most）只适用于越低越好（lower）的指标"))
            elif value.at_least is not None and metric.direction != "higher":
                problems.append(((name,), "“以上/不低于”（at_least）只适用于越高越好（higher）的指标"))
    problems += _sign_problems(metric) + _reading_day_problems(metric)
    base, target = _number(metric.baseline), _number(metric.target)
    if base is not None and target is not None:
        worse = target > base if metric.direction == "lower" else target < base
        if worse:
            word = "越低越好" if metric.direction == "lower" else "越高越好"
            problems.append((("target",), f"整改目标 {target} 比基线 {base} 更差，与方向（{word}）不符"))
    return problems


def check_metrics(metrics: list[Metric], rel: str, at: tuple[str | int, ...], out: Reporter) -> None:
    keys: set[str] = set()
    names: set[str] = set()
    for i, metric in enumerate(metrics):
        if metric.key in keys:
            out.add(rel, (*at, "metrics", i, "key"), f"指标项键名“{metric.key}”重复")
        if metric.name in names:
            out.add(rel, (*at, "metrics", i, "name"), f"指标项名称“{metric.name}”重复")
        keys.add(metric.key)
        names.add(metric.name)
        for path, message in _metric_problems(metric):
            out.add(rel, (*at, "metrics", i, *path), message)


def _sign_problems(metric: Metric) -> Problems:
    """A time, count or amount below zero (model.quantities: the rule ``record`` applies too)."""
    if not never_negative(metric.unit):
        return []
    values: list[tuple[tuple[str | int, ...], Value | None]] = [((n,), getattr(metric, n)) for n in _FIGURES]
    values += [(("readings", k, "value"), r.value) for k, r in enumerate(metric.readings)]
    return [
        (path, f"以“{metric.unit}”计的数值不能为负数（{neg}）")
        for path, value in values
        if (neg := negative_part(value)) is not None
    ]


_FIGURES = ("best", "baseline", "target", "worst")


def _reading_day_problems(metric: Metric) -> Problems:
    """One reading a day: two for the same day leave it to file order which one counts."""
    first: dict[object, int] = {}
    problems: Problems = []
    for k, reading in enumerate(metric.readings):
        if reading.on in first:
            message = (
                f"{reading.on.isoformat()} 已有一条读数（第 {first[reading.on] + 1} 条），同一天只应有一条；"
                "请删去其一（用 ledger record 记录会替换该日原有读数）"
            )
            problems.append((("readings", k, "on"), message))
        first.setdefault(reading.on, k)
    return problems


_DIRECTION_WORDS = {"lower": "越低越好", "higher": "越高越好"}


def check_county_metric_twins(city: Indicator, metrics: list[Metric], rel: str, i: int, out: Reporter) -> None:
    """A county metric keyed like one of the plan's is the same measure: same unit, same direction."""
    twins = {m.key: m for m in city.metrics}
    for k, metric in enumerate(metrics):
        twin = twins.get(metric.key)
        if twin is None or (twin.unit, twin.direction) == (metric.unit, metric.direction):
            continue
        mine = f"{metric.unit}，{_DIRECTION_WORDS[metric.direction]}"
        theirs = f"{twin.unit}，{_DIRECTION_WORDS[twin.direction]}"
        message = f"县区指标项“{metric.key}”（{mine}）与方案第 {city.number} 项的同键指标项（{theirs}）不一致"
        out.add(
            rel, ("indicators", i, "metrics", k, "key"), message, hint="同一键名即同一指标项；不同的指标项请另取键名"
        )
