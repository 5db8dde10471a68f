"""Reporting cycles: which period the units report on, by when, and who has reported. Pure.

A period is a month (or a quarter). Its reports are due on ``due_day`` of the month after it
(``covers: previous``, the usual 每月5日前报送上月进展) or of its own month (``covers: current``).
The reports for a period are the progress entries dated in its *window*: the month (or
quarter) its due day falls in. On time means on or before the due day. dateutil's rrule lays
the periods out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule

from ..model.domain import Ledger, Reporting
from ..model.names import UnitIndex
from .measures import MeasureView

__all__ = ["DEFAULT_REPORTING", "Period", "UnitReport", "current_period", "reported", "stale_views", "unit_reports"]

DEFAULT_REPORTING = Reporting()  # monthly, by the 5th, on the month before


@dataclass(frozen=True, slots=True)
class Period:
    first: date  # the period reported on
    last: date
    due: date  # reports due on or before this day
    window_first: date  # reports dated in the window count for this period
    window_last: date
    quarterly: bool = False

    @property
    def label(self) -> str:
        if self.quarterly:
            return f"{self.first.year}年第{(self.first.month - 1) // 3 + 1}季度"
        return f"{self.first.year}年{self.first.month}月"

    @property
    def key(self) -> str:
        return (
            f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}" if self.quarterly else self.first.strftime("%Y-%m")
        )

    def holds(self, day: date) -> bool:
        return self.window_first <= day <= self.window_last


def _span(reporting: Reporting) -> int:
    return 3 if reporting.cycle == "quarterly" else 1


def current_period(reporting: Reporting | None, today: date) -> Period:
    """The period whose reports are being gathered on ``today`` (its window holds today)."""
    rep = reporting or DEFAULT_REPORTING
    months = _span(rep)
    starts = rrule(
        MONTHLY,
        interval=months,
        dtstart=datetime(today.year - 1, 1, 1),
        until=datetime(today.year, today.month, today.day),
    )
    window_first = starts[-1].date()  # the cycle (month, quarter) today falls in
    window_last = window_first + relativedelta(months=months) - relativedelta(days=1)
    first = window_first - relativedelta(months=months) if rep.covers == "previous" else window_first
    last = first + relativedelta(months=months) - relativedelta(days=1)
    due = window_first.replace(day=rep.due_day)
    return Period(first, last, due, window_first, window_last, months == 3)


@dataclass(frozen=True, slots=True)
class UnitReport:
    """How one unit stands in a period: its open measures, and when (if) it reported on them."""

    unit: str
    open_measures: list[MeasureView]
    reported_on: date | None  # the first report in the window
    late: bool

    @property
    def missing(self) -> bool:
        return self.reported_on is None


def reported(view: MeasureView, period: Period, unit: str | None = None) -> date | None:
    """The first day a report on this measure (by ``unit``, when given) was made in the period's window."""
    days = [p.on for p in view.progress if period.holds(p.on) and (unit is None or (p.unit or view.lead) == unit)]
    days += [a.on for a in view.measure.applications if period.holds(a.on) and (unit is None or a.unit == unit)]
    return min(days, default=None)


def stale_views(views: list[MeasureView], period: Period) -> list[MeasureView]:
    """The open measures with no progress report (by anyone) in the period's window."""
    return [v for v in views if is_stale(v, period)]


def is_stale(view: MeasureView, period: Period) -> bool:
    """Open, with no progress report (by anyone) in the period's window."""
    return view.status == "open" and reported(view, period) is None


def unit_reports(ledger: Ledger, views: list[MeasureView], period: Period, as_of: date) -> list[UnitReport]:
    """Every unit with open measures (lead or cooperating), and whether it reported in the period, by name."""
    index = UnitIndex.build(ledger.registry)
    by_unit: dict[str, list[MeasureView]] = {}
    for v in views:
        if v.status != "open":
            continue
        for unit in v.units:
            if unit in index.collectives:  # 六县区人民政府: its members report, each on its own
                for member in index.members(unit):
                    by_unit.setdefault(member, []).append(v)
            else:
                by_unit.setdefault(unit, []).append(v)
    out = []
    for unit, measures in sorted(by_unit.items()):
        days = [d for v in measures if (d := reported(v, period, unit)) is not None and d <= as_of]
        first = min(days, default=None)
        out.append(UnitReport(unit, measures, first, first is not None and first > period.due))
    return out
