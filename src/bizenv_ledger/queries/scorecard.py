"""What each responsible unit owes: measures led and joined, done, overdue, on-time rate. Pure."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..model.domain import Ledger
from ..model.names import UnitIndex
from ..model.workspace import ledger_of
from .lazy import Remade
from .measures import MeasureView

__all__ = ["CountyRole", "UnitCard", "county_roles", "unit_cards"]


@dataclass(frozen=True, eq=False)
class CountyRole:
    """A unit's duty in a county list: the indicator, its role and the leader."""

    county: str
    indicator: int
    indicator_name: str
    role: str  # 组长单位 | 副组长单位 | 成员单位
    leader: str
    ledger: str | None = None  # the workspace ledger whose county list it is; None outside a workspace


@dataclass(eq=False)
class UnitCard:
    """A unit's record: the measures it leads and joins, and how they stand.

    The counts are taken as the card is made; ``led`` and ``joined`` are read from the views the
    cards were made from (``unit_cards``), so cards over views made on demand hold no view.
    """

    unit: str
    level: str
    led: Sequence[MeasureView] = field(default_factory=list)
    joined: Sequence[MeasureView] = field(default_factory=list)
    roles: list[CountyRole] = field(default_factory=list)
    done: int = 0
    open: int = 0
    overdue: int = 0  # red
    due_soon: int = 0  # yellow
    pending: int = 0  # reported done (销号申请), not yet reviewed by the office
    counted: int = 0  # done or already past due: what the on-time rate counts
    on_time: int = 0  # done by the due date

    @property
    def all(self) -> list[MeasureView]:
        return [*self.led, *self.joined]

    @property
    def measures(self) -> int:
        return len(self.led) + len(self.joined)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Done by the due date, out of the measures that are done or already past due.

        Measures still open and not yet due are left out: nobody is late on them yet.
        """
        return Decimal(self.on_time) / Decimal(self.counted) if self.counted else None

    def count(self, v: MeasureView) -> None:
        done = v.status == "done"
        self.done += done
        self.open += not done
        self.overdue += v.light == "red"
        self.due_soon += v.light == "yellow"
        self.pending += v.light == "pending"
        self.counted += done or v.light == "red"
        self.on_time += done and not v.done_late


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


def unit_cards(ledger: Ledger, views: Sequence[MeasureView], only: str | None = None) -> list[UnitCard]:
    """One card per unit that has measures or county roles; ``only`` keeps one unit (or a collective).

    A card holds the positions of its measures in ``views`` and reads them from there: a list's
    views are held anyway; ``kept_views``' are made again when read, so the cards keep none.
    """
    index = UnitIndex.build(ledger.registry)
    cards: dict[str, UnitCard] = {}
    led: dict[str, array[int]] = {}
    joined: dict[str, array[int]] = {}

    def card(name: str) -> UnitCard:
        if name not in cards:
            cards[name] = UnitCard(name, index.levels.get(name, "集合单位" if name in index.collectives else ""))
        return cards[name]

    for at, view in enumerate(views):
        lead_side = index.expand([view.units[0]])
        for unit in sorted(index.expand(view.units)):
            card(unit).count(view)
            (led if unit in lead_side else joined).setdefault(unit, array("L")).append(at)
    for name, c in cards.items():
        c.led, c.joined = Remade(led.get(name, ()), views.__getitem__), Remade(joined.get(name, ()), views.__getitem__)
    for unit, roles in county_roles(ledger, index).items():
        card(unit).roles.extend(roles)
    result = list(cards.values())
    if only is not None:
        wanted = {only, *index.members(only)}
        result = [c for c in result if c.unit in wanted]
    return sorted(result, key=lambda c: (-c.overdue, -len(c.led), -c.measures, c.unit))
