"""What the office's reports show: the ledger's snapshot for the 台账 and the board, and the monthly 通报.

Pure: every function takes the dates it works on. The renderers in ``render/``
only show what is decided here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model.dates import DeadlineError, add_months, end_of_month, normalise, shown
from ..model.domain import (
    County,
    CountyIndicator,
    Indicator,
    Ledger,
    Member,
    Metric,
    Plan,
    Postponement,
    Reopening,
    Value,
)
from ..model.names import UnitIndex, all_measures
from ..model.workspace import ledger_of

if TYPE_CHECKING:
    from .cycles import Period, UnitReport  # imported when a 通报 is made: dateutil stays off the read path
from .gap import (
    Contradiction,
    GapRow,
    IndicatorGap,
    contradictions,
    gap_row,
    gap_rows,
    goal_label,
    indicator_ranking,
    numeric,
)
from .measures import DEFAULT_WINDOW, Filters, MeasureView, apply_filters, measure_views, overdue_order, view_measure
from .scorecard import UnitCard, unit_cards

__all__ = [
    "CountyList",
    "IndicatorPanel",
    "Month",
    "MonthlyReport",
    "Movement",
    "NewlyRed",
    "Postponed",
    "Reopened",
    "Snapshot",
    "goal_label",
    "monthly_report",
    "parse_month",
    "snapshot",
]

LONG_OVERDUE_DAYS = 30


def place_of(plan: Plan) -> str:
    """The city the plan is for: 张掖市 from 张掖市优化营商环境工作领导小组办公室."""
    m = re.match(r"^(.+?[市县区州盟])", plan.issuer)
    return m[1] if m else plan.issuer


# --- the snapshot: the 台账 and the board ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorPanel:
    """One indicator as the reports show it: its metrics' gaps, score and measures."""

    indicator: Indicator
    goal: str
    rows: list[GapRow]
    gap: IndicatorGap
    views: list[MeasureView]
    contradiction: Contradiction | None

    @property
    def lights(self) -> Counter[str]:
        return Counter(v.light for v in self.views)


@dataclass(frozen=True, slots=True)
class CountyList:
    county: County
    rows: list[CountyIndicator]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The ledger as of one day, narrowed to the selected measures."""

    plan: Plan
    as_of: date
    window: int
    filtered: bool
    views: list[MeasureView]  # the selected measures, in plan order
    panels: list[IndicatorPanel]  # indicators in scope, in plan order
    cards: list[UnitCard]
    counties: list[CountyList]
    members: list[Member] = field(default_factory=list)  # a workspace's ledgers; empty for a single ledger

    @property
    def red(self) -> list[MeasureView]:
        """Red items, most overdue first: what leaders look at first."""
        return overdue_order([v for v in self.views if v.light == "red"])

    @property
    def lights(self) -> Counter[str]:
        return Counter(v.light for v in self.views)

    @property
    def reach_best(self) -> list[Indicator]:
        goal = self.plan.overall_goal
        return _numbered(self.panels, goal.reach_best) if goal is not None else []

    @property
    def narrow_gap(self) -> list[Indicator]:
        goal = self.plan.overall_goal
        return _numbered(self.panels, goal.narrow_gap) if goal is not None else []


def _numbered(panels: list[IndicatorPanel], numbers: list[int]) -> list[Indicator]:
    by_number = {p.indicator.number: p.indicator for p in panels}
    return [by_number[n] for n in numbers if n in by_number]


def _in_scope(ledger: Ledger, views: list[MeasureView], filtered: bool) -> set[tuple[str | None, int]]:
    """Indicators the reports cover, by (workspace ledger, number): all, or those holding a selected measure."""
    if not filtered:
        return {(ledger_of(i), i.number) for i in ledger.indicators}
    return {(v.ledger, v.indicator) for v in views}


def snapshot(ledger: Ledger, as_of: date, flt: Filters, window: int = DEFAULT_WINDOW) -> Snapshot:
    """The selected measures as of ``as_of``, with the indicator, unit and county sheets that go with them."""
    filtered = flt != Filters()
    views = apply_filters(measure_views(ledger, as_of, window), flt, ledger)
    keys = _in_scope(ledger, views, filtered)
    # keyed by the indicator itself: in a workspace two ledgers' indicator 3 are two panels
    ranking = {id(g.indicator): g for g in indicator_ranking(ledger, as_of)}
    panels = [
        IndicatorPanel(
            indicator=ind,
            goal=goal_label(ledger, ind.number, ind),
            rows=gap_rows(ind, as_of),
            gap=ranking[id(ind)],
            views=[v for v in views if v.indicator == ind.number and v.ledger == ledger_of(ind)],
            contradiction=contradictions(ledger, ind),
        )
        for ind in ledger.indicators
        if (ledger_of(ind), ind.number) in keys
    ]
    counties = [
        CountyList(c, [ci for ci in c.indicators if (ledger_of(c), ci.number) in keys])
        for c in ledger.counties
        if flt.county is None or c.county == flt.county
    ]
    return Snapshot(
        plan=ledger.plan,
        as_of=as_of,
        window=window,
        filtered=filtered,
        views=views,
        panels=panels,
        cards=unit_cards(ledger, views, flt.unit),
        counties=counties,
        members=list(ledger.members),
    )


# --- the monthly 通报 -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return end_of_month(self.year, self.month)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def next(self) -> Month:
        return Month.of(add_months(self.first, 1))

    def previous(self) -> Month:
        return Month.of(add_months(self.first, -1))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)


_MONTH = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})月?|(\d{2}))$")


def parse_month(text: str) -> Month:
    """2022-09, 2022-9, 2022/09, 2022年9月, 202209."""
    m = _MONTH.match(normalise(text))
    number = int(m[2] or m[3]) if m else 0
    if m is None or not 1 <= number <= 12:
        msg = f"无法识别的月份“{shown(text)}”（可写作 2022-09、2022/9 或 2022年9月）"
        raise DeadlineError(msg)
    if not 1000 <= int(m[1]) <= 9998:  # the report looks at the day before the month and the month after it
        msg = f"月份“{shown(text)}”超出范围（年份须在 1000 至 9998 之间）"
        raise DeadlineError(msg)
    return Month(int(m[1]), number)


@dataclass(frozen=True, slots=True)
class NewlyRed:
    view: MeasureView  # as of the report's date
    went_red_on: date
    due: date  # the deadline that was missed


@dataclass(frozen=True, slots=True)
class Postponed:
    view: MeasureView
    postponement: Postponement


@dataclass(frozen=True, slots=True)
class Reopened:
    """A closing sent back (退回整改) in the month: the measure as of the report's date, and what undid it."""

    view: MeasureView
    reopening: Reopening  # its ``closing`` is the closing it undid


@dataclass(frozen=True, slots=True)
class Movement:
    """A metric that got a reading in the month: where it stood before and after."""

    indicator: Indicator
    metric: Metric
    before: Value | None
    before_on: date | None  # None: the plan's baseline
    after: Value
    after_on: date
    change: str  # better | worse | same | new
    row: GapRow  # the metric as of the report's date


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    plan: Plan
    place: str
    month: Month
    as_of: date  # the report's cut-off: month end unless --as-of says otherwise
    views: list[MeasureView]  # every selected measure as of ``as_of``
    finished: list[MeasureView]
    newly_red: list[NewlyRed]
    still_red: list[MeasureView]
    postponed: list[Postponed]
    units: list[UnitCard]  # units with measures done or due, worst on-time rate first
    movements: list[Movement]
    due_next: list[MeasureView]  # open measures due next month
    reopened: list[Reopened] = field(default_factory=list)  # sent back in the month, in date order
    window: int = DEFAULT_WINDOW
    filtered: bool = False
    lights: Counter[str] = field(default_factory=Counter)
    # 报送情况: the reporting period current at the month's end, and how each unit stands in it
    reporting_period: Period | None = None
    reporting: list[UnitReport] = field(default_factory=list)

    @property
    def period_end(self) -> date:
        return min(self.month.last, self.as_of)

    @property
    def done(self) -> int:
        return sum(1 for v in self.views if v.status == "done")

    @property
    def long_overdue(self) -> list[MeasureView]:
        return [v for v in self.still_red if (v.days_overdue or 0) > LONG_OVERDUE_DAYS]

    @property
    def finished_late(self) -> list[MeasureView]:
        return [v for v in self.finished if v.done_late]


def _in(day: date, first: date, last: date) -> bool:
    return first <= day <= last


def _newly_red(ledger: Ledger, views: list[MeasureView], first: date, last: date, window: int) -> list[NewlyRed]:
    """Measures red on some day of [first, last] that were not red the day before."""
    index = UnitIndex.build(ledger.registry)
    by_id = {v.id: v for v in views}
    out = []
    for ind, measure in all_measures(ledger):
        if measure.id not in by_id:
            continue
        was_red = view_measure(measure, ind, index, first - timedelta(days=1), window).light == "red"
        day = first
        while day <= last:
            then = view_measure(measure, ind, index, day, window)
            if then.light == "red" and not was_red:
                assert then.deadline.due is not None
                out.append(NewlyRed(by_id[measure.id], day, then.deadline.due))
                break
            was_red = then.light == "red"
            day += timedelta(days=1)
    return sorted(out, key=lambda n: (n.went_red_on, _plan_order(n.view)))


def _plan_order(v: MeasureView) -> tuple[int, int]:
    head, _, tail = v.id.rpartition(":")[2].partition(".")
    return (int(head), int(tail)) if head.isdigit() and tail.isdigit() else (0, 0)


def _value_at(metric: Metric, day: date) -> tuple[Value | None, date | None]:
    earlier = [r for r in metric.readings if r.on <= day]
    if not earlier:
        return metric.baseline, None
    latest = max(earlier, key=lambda r: r.on)
    return latest.value, latest.on


def _change(metric: Metric, before: Value | None, after: Value) -> str:
    old, new = numeric(before, metric.direction), numeric(after, metric.direction)
    if old is None or new is None:
        return "new"
    if old == new:
        return "same"
    better = new < old if metric.direction == "lower" else new > old
    return "better" if better else "worse"


def _movements(ledger: Ledger, keys: set[tuple[str | None, int]], first: date, last: date) -> list[Movement]:
    out = []
    for ind in ledger.indicators:
        if (ledger_of(ind), ind.number) not in keys:
            continue
        for metric in ind.metrics:
            in_month = [r for r in metric.readings if _in(r.on, first, last)]
            if not in_month:
                continue
            latest = max(in_month, key=lambda r: r.on)
            before, before_on = _value_at(metric, first - timedelta(days=1))
            change = _change(metric, before, latest.value)
            out.append(
                Movement(ind, metric, before, before_on, latest.value, latest.on, change, gap_row(ind, metric, last))
            )
    return out


def _rated_units(ledger: Ledger, views: list[MeasureView], unit: str | None) -> list[UnitCard]:
    cards = [c for c in unit_cards(ledger, views, unit) if c.on_time_rate is not None]
    return sorted(cards, key=lambda c: (c.on_time_rate or Decimal(0), -c.overdue, -len(c.led), c.unit))


def monthly_report(
    ledger: Ledger, month: Month, as_of: date, flt: Filters, window: int = DEFAULT_WINDOW
) -> MonthlyReport:
    """The 通报 for ``month``, as things stood on ``as_of`` (normally the month's last day)."""
    filtered = flt != Filters()
    views = apply_filters(measure_views(ledger, as_of, window), flt, ledger)
    first, last = month.first, min(month.last, as_of)
    nxt = month.next()
    postponed = [Postponed(v, pp) for v in views for pp in v.measure.postponements if _in(pp.on, first, last)]
    reopened = [Reopened(v, r) for v in views for r in v.measure.reopenings if _in(r.on, first, last)]
    from .cycles import current_period, unit_reports

    # only where plan.yaml sets a cycle: the 2022 plan names no reporting deadline, and the 通报 invents none
    period = current_period(ledger.plan.reporting, last) if ledger.plan.reporting else None
    return MonthlyReport(
        reporting_period=period,
        reporting=unit_reports(ledger, views, period, last) if period else [],
        plan=ledger.plan,
        place=place_of(ledger.plan),
        month=month,
        as_of=as_of,
        views=views,
        finished=[v for v in views if v.closing is not None and _in(v.closing.on, first, last)],
        newly_red=_newly_red(ledger, views, first, last, window),
        still_red=overdue_order([v for v in views if v.light == "red"]),
        postponed=sorted(postponed, key=lambda p: (p.postponement.on, _plan_order(p.view))),
        units=_rated_units(ledger, views, flt.unit),
        movements=_movements(ledger, _in_scope(ledger, views, filtered), first, last),
        due_next=[
            v
            for v in views
            if v.status == "open" and v.deadline.due is not None and _in(v.deadline.due, nxt.first, nxt.last)
        ],
        reopened=sorted(reopened, key=lambda r: (r.reopening.on, _plan_order(r.view))),
        window=window,
        filtered=filtered,
        lights=Counter(v.light for v in views),
    )
