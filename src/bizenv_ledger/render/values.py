"""Formatting of numbers, metric values and lights for people."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..model.domain import Bound, Metric, Range, Value

if TYPE_CHECKING:
    from ..queries.scorecard import CountyRole

__all__ = [
    "LIGHT_LABELS",
    "duties_text",
    "fmt_decimal",
    "fmt_gap",
    "fmt_percent",
    "fmt_progress",
    "fmt_value",
    "is_yes_no",
    "json_number",
]

LIGHT_LABELS = {
    "red": "红灯", "yellow": "黄灯", "green": "绿灯", "pending": "待复核", "done": "已销号", "ongoing": "持续推进",
}  # fmt: skip
LIGHT_MARKS = {"red": "●", "yellow": "●", "green": "●", "pending": "◇", "done": "✓", "ongoing": "↻"}
STATUS_LABELS = {"open": "未完成", "done": "已完成"}


def duties_text(roles: list[CountyRole], between: str = "：", joiner: str = "；") -> str:
    """临泽县开办企业：组长单位（责任领导 周延年）；…, in a workspace each ledger's led by its name: 【2021】临泽县…"""
    parts, whose = [], None
    for r in roles:
        mark = f"【{r.ledger}】" if r.ledger is not None and r.ledger != whose else ""
        whose = r.ledger
        parts.append(f"{mark}{r.county}{r.indicator_name}{between}{r.role}（责任领导 {r.leader}）")
    return joiner.join(parts)


def fmt_decimal(value: Decimal) -> str:
    """2.70 → 2.7, 6.0 → 6, 3.3000 → 3.3; at most four decimals."""
    quantised = value.quantize(Decimal("0.0001")) if value.as_tuple().exponent < -4 else value  # type: ignore[operator]
    text = f"{quantised:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_value(value: Value | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Range):
        return f"{fmt_decimal(value.min)}-{fmt_decimal(value.max)}"
    if isinstance(value, Bound):
        if value.at_most is not None:
            return f"≤{fmt_decimal(value.at_most)}"
        return f"≥{fmt_decimal(value.at_least)}" if value.at_least is not None else "—"
    return fmt_decimal(value)


def fmt_gap(gap: Decimal | None, metric: Metric | None = None) -> str:
    """落后 3.3 / 领先 2 / 持平; for a yes/no metric just 落后 or 领先, since “behind by 1” means nothing there."""
    if gap is None:
        return "—"
    yes_no = metric is not None and is_yes_no(metric)
    if gap > 0:
        return "落后" if yes_no else f"落后 {fmt_decimal(gap)}"
    if gap < 0:
        return "领先" if yes_no else f"领先 {fmt_decimal(-gap)}"
    return "持平"


def is_yes_no(metric: Metric) -> bool:
    """A 是/否 metric (免费刻章, 设置破产信息查询窗口): its figures are yes/no, not amounts."""
    return any(isinstance(v, bool) for v in (metric.best, metric.baseline, metric.target))


def fmt_percent(share: Decimal | None) -> str:
    return "—" if share is None else f"{fmt_decimal((share * 100).quantize(Decimal('0.1')))}%"


def fmt_progress(share: Decimal | None) -> str:
    """Progress from baseline to target: 已达 once the whole way is covered (never "250%"), else a percentage."""
    if share is not None and share >= 1:
        return "已达"
    return fmt_percent(share)


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 6))


def json_value(value: Value | None) -> object:
    """A metric value for JSON: number, bool, {"min", "max"} or {"at_most"|"at_least"}."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Range):
        return {"min": json_number(value.min), "max": json_number(value.max)}
    if isinstance(value, Bound):
        if value.at_most is not None:
            return {"at_most": json_number(value.at_most)}
        return {"at_least": json_number(value.at_least)}
    return json_number(value)
