"""What each responsible unit owes: measures led and joined, done, overdue, on-time rate. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model.domain import Ledger
from ..model.names import UnitIndex
from ..model.workspace import ledger_of
from .measures import MeasureView

__all__ = ["CountyRole", "UnitCard", "county_roles", "unit_cards"]


@dataclass(frozen=True)
class CountyRole:
    """A unit's duty in a county list: the indicator, its role and the leader."""

    county: str
    indicator: int
    indicator_name: str
    role: str  # 组长单位 | 副组长单位 | 成员单位
    leader: str
    ledger: str | None = None  # the workspace ledger whose county list it is; None outside a workspace


@dataclass
class UnitCard:
    """A unit's record: the measures it leads and joins, and how they stand."""

    unit: str
    level: str
    led: list[MeasureView] = field(default_factory=list)
    joined: list[MeasureView] = field(default_factory=list)
    roles: list[CountyRole] = field(default_factory=list)

    @property
    def all(self) -> list[MeasureView]:
        return [*self.led, *self.joined]

    @property
    def done(self) -> int:
        return sum(1 for v in self.all if v.status == "done")

    @property
    def overdue(self) -> int:
        return sum(1 for v in self.all if v.light == "red")

    @property
    def due_soon(self) -> int:
        return sum(1 for v in self.all if v.light == "yellow")

    @property
    def pending(self) -> int:
        """Measures the unit has reported done (销号申请) and the office has not yet reviewed."""
        return sum(1 for v in self.all if v.light == "pending")

    @property
    def open(self) -> int:
        return sum(1 for v in self.all if v.status == "open")

    @property
    def on_time_rate(self) -> Decimal | None:
        """Done by the due date, out of the measures that are done or already past due.

        Measures still open and not yet due are left out: nobody is late on them yet.
        """
        counted = [v for v in self.all if v.status == "done" or v.light == "red"]
        if not counted:
            return None
        on_time = sum(1 for v in counted if v.status == "done" and not v.done_late)
        return Decimal(on_time) / Decimal(len(counted))


_ROLES = (("lead_units", "组长单位"), ("deputy_units", "副组长单位"), ("member_units", "成员单位"))


def county_roles(ledger: Ledger, index: UnitIndex) -> dict[str, list[CountyRole]]:
    out: dict[str, list[CountyRole]] = {}
    for county in ledger.counties:
        where = ledger_of(county)
        for cind in county.indicators:
            for attr, label in _ROLES:
                for written in getattr(cind, attr):
                    unit = index.resolve_exact(written) or written
                    role = CountyRole(county.county, cind.number, cind.name, label, cind.leader, where)
                    out.setdefault(unit, []).append(role)
    return out


def unit_cards(ledger: Ledger, views: list[MeasureView], only: str | None = None) -> list[UnitCard]:
    """One card per unit that has measures or county roles; ``only`` keeps one unit (or a collective)."""
    index = UnitIndex.build(ledger.registry)
    cards: dict[str, UnitCard] = {}

    def card(name: str) -> UnitCard:
        if name not in cards:
            cards[name] = UnitCard(name, index.levels.get(name, "集合单位" if name in index.collectives else ""))
        return cards[name]

    for view in views:
        lead_side = index.expand([view.units[0]])
        for unit in sorted(index.expand(view.units)):
            (card(unit).led if unit in lead_side else card(unit).joined).append(view)
    for unit, roles in county_roles(ledger, index).items():
        card(unit).roles.extend(roles)
    result = list(cards.values())
    if only is not None:
        wanted = {only, *index.members(only)}
        result = [c for c in result if c.unit in wanted]
    return sorted(result, key=lambda c: (-c.overdue, -len(c.led), -len(c.all), c.unit))
