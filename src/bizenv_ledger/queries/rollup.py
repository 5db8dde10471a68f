"""The roll-up: each ledger of a workspace side by side, as a city compares its counties. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..model.domain import Ledger, Member
from .measures import DEFAULT_WINDOW, MeasureView, measure_views, overdue_order

__all__ = ["RollupRow", "rollup"]


@dataclass(frozen=True, slots=True)
class RollupRow:
    member: Member
    views: list[MeasureView]

    @property
    def done(self) -> int:
        return sum(1 for v in self.views if v.status == "done")

    @property
    def open(self) -> int:
        return len(self.views) - self.done

    def count(self, light: str) -> int:
        return sum(1 for v in self.views if v.light == light)

    @property
    def on_time_rate(self) -> Decimal | None:
        """As a unit's (scorecard.UnitCard): done by the due date, out of those done or already overdue."""
        counted = [v for v in self.views if v.status == "done" or v.light == "red"]
        if not counted:
            return None
        return Decimal(sum(1 for v in counted if v.status == "done" and not v.done_late)) / Decimal(len(counted))

    @property
    def longest(self) -> MeasureView | None:
        """The red item overdue longest."""
        red = overdue_order([v for v in self.views if v.light == "red"])
        return red[0] if red else None


def rollup(ledger: Ledger, as_of: date, window: int = DEFAULT_WINDOW) -> list[RollupRow]:
    """One row per ledger, in the workspace's order; a single ledger is a workspace of one."""
    views = measure_views(ledger, as_of, window)
    if not ledger.members:
        only = Member(name=ledger.plan.title, label=ledger.plan.title, source="", plan=ledger.plan)
        return [RollupRow(only, views)]
    by_name: dict[str, list[MeasureView]] = {m.name: [] for m in ledger.members}
    for v in views:
        if v.ledger is not None:
            by_name[v.ledger].append(v)
    return [RollupRow(m, by_name[m.name]) for m in ledger.members]
