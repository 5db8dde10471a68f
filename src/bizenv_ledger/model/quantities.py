"""Which metric units can never be negative: the one rule, shared by ``record`` and ``check``. Pure.

A time (天, 小时, 工作日), a count (个环节, 份材料, 件, 项, 家, 户, 场次) or an amount of money
(元, 万元, 亿元) below zero is a typing mistake, not a reading. A percentage is left alone, since
some are growth rates (外贸进出口增速, 有效商标申请数量同比增幅) that really fall below zero; so
are scores (分) and any unit not listed here, which the plan does not use today.
"""

from __future__ import annotations

from decimal import Decimal

from .dates import normalise
from .domain import Bound, Range, Value

__all__ = ["NON_NEGATIVE_UNITS", "negative_part", "never_negative"]

_TIMES = {"天", "日", "小时", "分钟", "工作日", "个工作日", "周", "个月", "月", "年"}
_COUNTS = {
    "个", "个环节", "环节", "份", "份材料", "件", "项", "家", "户", "种", "次", "场", "场次",
    "名", "人", "个部门", "个事项", "个/千人", "笔", "张", "条",
}  # fmt: skip
_AMOUNTS = {"元", "万元", "亿元", "微克/立方米"}
NON_NEGATIVE_UNITS = frozenset(_TIMES | _COUNTS | _AMOUNTS)


def never_negative(unit: str) -> bool:
    return normalise(unit) in NON_NEGATIVE_UNITS


def negative_part(value: Value | None) -> Decimal | None:
    """The first figure below zero in a value (a plain number, either end of a range, a bound), if any."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Range):
        figures = [value.min, value.max]
    elif isinstance(value, Bound):
        figures = [v for v in (value.at_most, value.at_least) if v is not None]
    else:
        figures = [value]
    return next((f for f in figures if f < 0), None)
