"""What recurs: the reporting cycles (每月5日前 on the month before, 每季度 …) as dated periods. Pure.

A cycle is written the way plans and 报送表 write it, and read strictly: 每月, 每季度,
每半年 or 每年, optionally followed by N日前 (the report on a period is due by day N of
the month after it; without it, by the period's last day). Periods follow the
calendar: months, quarters from January, April, July and October, halves, years.
dateutil's rrule lays them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule

from .dates import DeadlineError, normalise, shown

__all__ = ["Cycle", "ReportingPeriod", "parse_cycle", "reporting_periods"]

_MONTHS = {"月": 1, "季度": 3, "半年": 6, "年": 12}
_CYCLE = re.compile(r"^每(月|季度|半年|年)(?:(\d{1,2})[日号]前)?$")
_QUARTERS = "一二三四"


@dataclass(frozen=True, slots=True)
class Cycle:
    """A reporting cycle as read: the period's length in months and the report's due day."""

    written: str
    months: int  # the period's length: 1, 3, 6 or 12
    due_day: int | None  # the report is due by this day of the month after the period; None: by its last day


@dataclass(frozen=True, slots=True)
class ReportingPeriod:
    """One period of a cycle: its first and last day and the day its report is due."""

    first: date
    last: date
    due: date
    label: str  # 2022年9月, 2022年第三季度, 2022年上半年, 2022年


def parse_cycle(written: str) -> Cycle:
    """每月5日前 → monthly, due the 5th of the next month; 每季度 → quarterly, due at the quarter's end."""
    m = _CYCLE.match(normalise(written))
    day = int(m[2]) if m and m[2] else None
    if m is None or (day is not None and not 1 <= day <= 28):
        msg = f"无法识别的报送周期“{shown(written)}”（可写作 每月、每月5日前、每季度、每季度10日前、每半年、每年）"
        raise DeadlineError(msg)
    return Cycle(written, _MONTHS[m[1]], day)


def _label(first: date, months: int) -> str:
    if months == 1:
        return f"{first.year}年{first.month}月"
    if months == 3:
        return f"{first.year}年第{_QUARTERS[(first.month - 1) // 3]}季度"
    if months == 6:
        return f"{first.year}年{'上' if first.month == 1 else '下'}半年"
    return f"{first.year}年"


def reporting_periods(rule: str | Cycle, start: date, end: date) -> list[ReportingPeriod]:
    """The cycle's periods that overlap ``start``..``end``, each with its last day and the report's due date."""
    cycle = rule if isinstance(rule, Cycle) else parse_cycle(rule)
    if end < start:
        return []
    # the calendar period holding ``start``: months count from January
    anchor = date(start.year, start.month - (start.month - 1) % cycle.months, 1)
    firsts = rrule(MONTHLY, interval=cycle.months, dtstart=anchor, until=end, bymonthday=1)
    out = []
    for first in (d.date() for d in firsts):
        last = first + relativedelta(months=cycle.months, days=-1)
        after = last + relativedelta(days=1)
        due = last if cycle.due_day is None else after + relativedelta(day=cycle.due_day)
        out.append(ReportingPeriod(first, last, due, _label(first, cycle.months)))
    return out
