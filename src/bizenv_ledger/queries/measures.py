"""Measures as of a date: status, lights, overdue, filters. Pure: ``as_of`` is always passed in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from datetime import date
from typing import Literal

from ..model.dates import Deadline, DeadlineError, normalise, parse_deadline
from ..model.domain import (
    Application,
    Closing,
    Indicator,
    Ledger,
    Measure,
    Milestone,
    Postponement,
    ProgressEntry,
    Reopening,
    UnitRegistry,
)
from ..model.errors import LookupFailed
from ..model.names import UnitIndex, all_measures
from ..model.records import record
from . import lazy  # lazy.HELD read where used, so that a test may lower it
from .lazy import Kept, made

__all__ = [
    "DEFAULT_WINDOW",
    "Filters",
    "Light",
    "MeasureView",
    "apply_filters",
    "kept_views",
    "measure_views",
    "pending_application",
    "view_measure",
]

DEFAULT_WINDOW = 7
# pending (待复核): open, with a unit's 销号申请 awaiting the office's review; counted apart from the rest
Light = Literal["red", "yellow", "green", "pending", "done", "ongoing"]
LIGHT_ORDER: dict[str, int] = {"red": 0, "yellow": 1, "green": 2, "pending": 3, "ongoing": 4, "done": 5}


@record(eq=True)
class MissedMilestone:
    """A milestone whose date has passed while its measure is still open."""

    milestone: Milestone
    due: date
    days_late: int


@record(eq=True)
class MeasureView:
    """One measure as it stood on ``as_of``."""

    measure: Measure
    indicator: int
    indicator_name: str
    units: list[str]  # canonical names, lead first
    deadline: Deadline  # the one in force on as_of
    original_deadline: str | None  # the plan's deadline when it was postponed since
    status: Literal["open", "done"]
    closing: Closing | None
    light: Light
    days_overdue: int | None
    days_left: int | None
    missed_milestones: list[MissedMilestone] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)  # those dated on or before as_of
    postponements: list[Postponement] = field(default_factory=list)  # likewise
    reopenings: list[Reopening] = field(default_factory=list)  # likewise
    ledger: str | None = None  # the workspace ledger it belongs to; None outside a workspace
    written: list[str] | None = None  # workspace only: the units as its ledger wrote them, where resolved

    @property
    def id(self) -> str:
        return self.measure.id

    @property
    def lead(self) -> str:
        return self.units[0]

    @property
    def slipped(self) -> bool:
        return self.original_deadline is not None

    @property
    def done_on(self) -> date | None:
        return self.closing.on if self.closing else None

    @property
    def done_late(self) -> bool:
        due = self.deadline.due
        return self.closing is not None and due is not None and self.closing.on > due


def _closing_at(measure: Measure, as_of: date) -> Closing | None:
    """The closing in force on ``as_of``, honouring later reopenings (退回整改)."""
    for reopening in measure.reopenings:
        if reopening.closing.on <= as_of < reopening.on:
            return reopening.closing
    if measure.status == "done" and measure.closing is not None and measure.closing.on <= as_of:
        return measure.closing
    return None


def _deadline_at(measure: Measure, as_of: date) -> tuple[str, str | None]:
    """The written deadline in force on ``as_of``, and the plan's original when they differ."""
    current = measure.deadline
    for pp in sorted(measure.postponements, key=lambda p: p.on, reverse=True):
        if pp.on > as_of:
            current = pp.old
    original = measure.postponements[0].old if measure.postponements else None
    return current, (original if original is not None and original != current else None)


def _safe_deadline(written: str) -> Deadline:
    try:
        return parse_deadline(written)
    except DeadlineError:
        return Deadline(written, None)


def _light(
    deadline: Deadline, closing: Closing | None, as_of: date, window: int
) -> tuple[Light, int | None, int | None]:
    if closing is not None:
        return ("ongoing" if deadline.ongoing else "done"), None, None
    if deadline.due is None:
        return "green", None, None
    days_left = (deadline.due - as_of).days
    if days_left < 0:
        return "red", -days_left, days_left
    return ("yellow" if days_left <= window else "green"), None, days_left


def pending_application(measure: Measure, kind: str, as_of: date) -> Application | None:
    """The unit's application of ``kind`` awaiting review on ``as_of`` (made by then, not yet decided then)."""
    waiting = [
        a
        for a in measure.applications
        if a.kind == kind and a.on <= as_of and (a.status == "pending" or (a.decided is not None and a.decided > as_of))
    ]
    return waiting[-1] if waiting else None


def _missed(measure: Measure, as_of: date) -> list[MissedMilestone]:
    out = []
    for ms in measure.milestones:
        due = _safe_deadline(ms.deadline).due
        if due is not None and as_of > due:
            out.append(MissedMilestone(ms, due, (as_of - due).days))
    return out


def view_measure(
    measure: Measure,
    indicator: Indicator | None,
    index: UnitIndex,
    as_of: date,
    window: int = DEFAULT_WINDOW,
    ledger: Ledger | None = None,
) -> MeasureView:
    written, original = _deadline_at(measure, as_of)
    deadline = _safe_deadline(written)
    closing = _closing_at(measure, as_of)
    light, overdue, left = _light(deadline, closing, as_of, window)
    if closing is None and pending_application(measure, "close", as_of) is not None:
        light = "pending"  # the unit says it is done: neither red nor green until the office has looked
    return MeasureView(
        measure=measure,
        indicator=indicator.number if indicator else 0,
        indicator_name=indicator.name if indicator else "",
        units=[index.resolve_exact(u) or u for u in measure.units],
        deadline=deadline,
        original_deadline=original,
        status="done" if closing else "open",
        closing=closing,
        light=light,
        days_overdue=overdue,
        days_left=left,
        missed_milestones=[] if closing else _missed(measure, as_of),
        progress=[p for p in measure.progress if p.on <= as_of],
        postponements=[p for p in measure.postponements if p.on <= as_of],
        reopenings=[r for r in measure.reopenings if r.on <= as_of],
        ledger=ledger.measure_ledger.get(measure.id) if ledger is not None and ledger.members else None,
        written=ledger.written_units.get(measure.id) if ledger is not None and ledger.members else None,
    )


def measure_views(
    ledger: Ledger, as_of: date, window: int = DEFAULT_WINDOW, scope: Filters | None = None
) -> list[MeasureView]:
    """Every measure as of ``as_of``; with ``scope``, only those its indicator and unit filters can keep.

    The scope is a shortcut, not the filter: callers still run ``apply_filters``. It skips
    building views that the date-independent filters would throw away anyway.
    """
    index = UnitIndex.build(ledger.registry)
    member = ledger if ledger.members else None
    return [view_measure(m, ind, index, as_of, window, member) for ind, m in _scoped(ledger, index, scope)]


def _scoped(ledger: Ledger, index: UnitIndex, scope: Filters | None) -> list[tuple[Indicator | None, Measure]]:
    pairs = all_measures(ledger)
    if scope is not None and scope.indicator is not None:
        pairs = [(ind, m) for ind, m in pairs if ind is not None and ind.number == scope.indicator]
    if scope is not None and scope.unit is not None:
        keep = _unit_test(index, scope.unit, scope.lead)
        pairs = [(ind, m) for ind, m in pairs if keep(m.units)]
    return pairs


def _unit_test(index: UnitIndex, unit: str, lead: bool) -> Callable[[list[str]], bool]:
    """Whether a measure's units (as written) fall in ``unit``'s scope: the unit or a member of it, or only its lead."""
    wanted = {unit, *index.members(unit)}
    known: dict[tuple[str, ...], bool] = {}  # a ledger's measures share a few hundred lists of units between them

    def keep(units: list[str]) -> bool:
        key = tuple(units[:1] if lead else units)
        found = known.get(key)
        if found is None:
            found = known[key] = bool(index.expand(key) & wanted)
        return found

    return keep


def unit_keep(registry: UnitRegistry, unit: str, *, lead: bool = False) -> Callable[[list[str]], bool] | None:
    """Whether ``--unit``'s scope keeps a measure, from its units as written: the test ``_scoped`` applies.

    For a read that shows one unit's measures to make only those (``store.loader.load_ledger``'s
    ``narrow``); None where the unit is not found at once (the read then says so, as ever).
    """
    index = UnitIndex.build(registry)
    try:
        canon = index.find(unit)
    except LookupFailed:
        return None
    return _unit_test(index, canon, lead)


def kept_views(
    ledger: Ledger,
    as_of: date,
    window: int = DEFAULT_WINDOW,
    flt: Filters | None = None,
    keep: Callable[[MeasureView], bool] | None = None,
) -> Sequence[MeasureView]:
    """``apply_filters(measure_views(…))``, and ``keep`` where given, without holding the views.

    Only the measures kept are held; each view is made again whenever it is read, so a list of
    100,000 measures is laid out and drawn in the memory of the ledger alone. A short list
    (``lazy.HELD``) is made once and held, which costs less than making it twice.
    """
    flt = flt or Filters()
    index = UnitIndex.build(ledger.registry)
    member = ledger if ledger.members else None

    def make(pair: tuple[Indicator | None, Measure]) -> MeasureView:
        return view_measure(pair[1], pair[0], index, as_of, window, member)

    if flt == Filters() and keep is None:  # every measure: none need be looked at
        return made(all_measures(ledger), make)
    match = _matcher(flt, ledger, index)
    kept = []
    views: list[MeasureView] | None = []  # the views that passed, while they are few enough to hold
    for pair in _scoped(ledger, index, flt):
        view = make(pair)
        if match(view) and (keep is None or keep(view)):
            kept.append(pair)
            if views is not None:
                views.append(view)
                views = views if len(views) <= lazy.HELD else None
    return made(kept, make) if views is None else Kept.held(kept, views, make)


@record(eq=True)
class Filters:
    """The read side's filters; ``None`` means no filter."""

    indicator: int | None = None
    unit: str | None = None  # canonical unit or collective name
    lead: bool = False
    status: str | None = None  # open | done
    lights: frozenset[str] | None = None
    due_before: date | None = None
    due_after: date | None = None
    county: str | None = None
    slipped: bool = False
    grep: str | None = None  # text to find in the measure, its id or its units (see ``grep_key``)


def grep_key(text: str) -> str:
    """How --grep text is compared: NFKC, no whitespace, case folded (电子印章, ＡＰＰ = app)."""
    return normalise(text).casefold()


def _grep_match(view: MeasureView, key: str) -> bool:
    return any(key in grep_key(text) for text in (view.measure.text, view.id, *view.units, *view.measure.units))


def _unit_match(view: MeasureView, unit: str, index: UnitIndex, lead: bool) -> bool:
    wanted = {unit, *index.members(unit)}
    if lead:
        return bool(index.expand([view.units[0]]) & wanted)
    return bool(index.expand(view.units) & wanted)


def _county_match(view: MeasureView, county: str, index: UnitIndex, ledger: Ledger) -> bool:
    if view.id.startswith(f"{county}:"):
        return True
    governments = {u.name for u in ledger.registry.units if u.county == county and u.level == "县区政府"}
    return bool(index.expand(view.units) & governments)


def apply_filters(views: list[MeasureView], flt: Filters, ledger: Ledger) -> list[MeasureView]:
    match = _matcher(flt, ledger, UnitIndex.build(ledger.registry))
    return [v for v in views if match(v)]


def _matcher(flt: Filters, ledger: Ledger, index: UnitIndex) -> Callable[[MeasureView], bool]:
    """Whether a view passes every filter of ``flt``."""
    key = grep_key(flt.grep) if flt.grep is not None else None

    def match(v: MeasureView) -> bool:
        due = v.deadline.due
        return not (
            (flt.indicator is not None and v.indicator != flt.indicator)
            or (flt.unit is not None and not _unit_match(v, flt.unit, index, flt.lead))
            or (flt.status is not None and v.status != flt.status)
            or (flt.lights is not None and v.light not in flt.lights)
            or (flt.due_before is not None and (due is None or due >= flt.due_before))
            or (flt.due_after is not None and (due is None or due <= flt.due_after))
            or (flt.county is not None and not _county_match(v, flt.county, index, ledger))
            or (flt.slipped and not v.slipped)
            or (key is not None and not _grep_match(v, key))
        )

    return match


def overdue_order(views: Iterable[MeasureView]) -> list[MeasureView]:
    """Red first, most overdue first; then yellow, soonest first; ties by id in plan order."""
    return sorted(views, key=lambda v: (LIGHT_ORDER[v.light], -(v.days_overdue or 0), v.days_left or 0, _id_key(v.id)))


def _id_key(mid: str) -> tuple[str, int, int]:
    county, _, rest = mid.rpartition(":")
    a, _, b = rest.partition(".")
    return (county, int(a), int(b)) if a.isdigit() and b.isdigit() else (county, 0, 0)
