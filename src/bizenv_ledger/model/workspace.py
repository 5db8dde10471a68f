"""Many ledgers read as one: a city's plan, last year's plan and its counties' ledgers. Pure.

Each ledger is loaded and validated on its own (with its own unit registry); ``merge``
then makes one ``Ledger`` every query already understands:

- the first ledger keeps its ids (``3.1``); every other ledger's ids carry its name
  (``临泽县:3.1``, ``2021:3.1``), whether or not they collide today, so an id never
  changes when a ledger joins the workspace;
- each indicator stays its ledger's own (``MemberIndicator`` knows the ledger), so two
  ledgers' indicator 3 are two panels, two gap tables;
- each measure's units are resolved through its own ledger's registry to canonical
  names (``县市场监管局`` in 高台县's ledger is 高台县市场监管局), and the merged
  registry is the union: a spelling that means different units in two ledgers is
  left out of the union, the canonical names are not.
"""

from __future__ import annotations

from dataclasses import fields, replace

from .dates import normalise
from .domain import (
    CollectiveUnit,
    County,
    CountyIndicator,
    Indicator,
    Ledger,
    Measure,
    Member,
    Plan,
    UnitEntry,
    UnitRegistry,
)
from .names import UnitIndex
from .records import record

__all__ = ["MemberCounty", "MemberIndicator", "ledger_of", "merge", "plan_of"]


@record
class MemberIndicator(Indicator):
    """An indicator of one ledger of a workspace: the ledger's name travels with it."""

    ledger: str = ""


@record
class MemberCounty(County):
    """A county list of one ledger of a workspace (the city's and last year's plan may both hold 临泽县's)."""

    ledger: str = ""


def ledger_of(item: Indicator | County | None) -> str | None:
    """The workspace ledger an indicator or a county list belongs to; None outside a workspace."""
    return item.ledger if isinstance(item, MemberIndicator | MemberCounty) else None


def plan_of(ledger: Ledger, indicator: Indicator) -> Plan:
    """The plan an indicator's ledger was issued under (its own 总体目标), the primary's outside a workspace."""
    name = ledger_of(indicator)
    for member in ledger.members:
        if member.name == name:
            return member.plan
    return ledger.plan


class _Resolver:
    """One ledger's spellings to its canonical names (collectives kept as they are)."""

    def __init__(self, ledger: Ledger) -> None:
        self.index = UnitIndex.build(ledger.registry)

    def __call__(self, units: list[str]) -> list[str]:
        return [self.index.resolve_exact(u) or u for u in units]


def _measures(measures: list[Measure], member: Member, resolve: _Resolver, out: Ledger) -> list[Measure]:
    copied = []
    for m in measures:
        qid = member.prefix + m.id
        units = resolve(m.units)
        out.measure_ledger[qid] = member.name
        if units != m.units:
            out.written_units[qid] = list(m.units)
        copied.append(replace(m, id=qid, units=units))
    return copied


def _indicator(ind: Indicator, member: Member, resolve: _Resolver, out: Ledger) -> MemberIndicator:
    values = {f.name: getattr(ind, f.name) for f in fields(Indicator)}
    values["measures"] = _measures(ind.measures, member, resolve, out)
    return MemberIndicator(**values, ledger=member.name)


def _county(county: County, member: Member, resolve: _Resolver, out: Ledger) -> MemberCounty:
    def one(ci: CountyIndicator) -> CountyIndicator:
        return replace(
            ci,
            lead_units=resolve(ci.lead_units),
            deputy_units=resolve(ci.deputy_units),
            member_units=resolve(ci.member_units),
            measures=_measures(ci.measures, member, resolve, out),
        )

    values = {f.name: getattr(county, f.name) for f in fields(County)}
    values["indicators"] = [one(ci) for ci in county.indicators]
    return MemberCounty(**values, ledger=member.name)


def _union(registries: list[UnitRegistry]) -> UnitRegistry:
    """Every canonical unit once (the first ledger's entry wins); spellings kept only where unambiguous."""
    means: dict[str, set[str]] = {}
    for reg in registries:
        index = UnitIndex.build(reg)
        for alias, canon in index.canonical.items():
            means.setdefault(alias, set()).add(canon)
    units: dict[str, UnitEntry] = {}
    collectives: dict[str, CollectiveUnit] = {}
    for reg in registries:
        for u in reg.units:
            if u.name not in units:
                kept = [a for a in u.aliases if means.get(normalise(a)) == {u.name}]
                units[u.name] = replace(u, aliases=kept)
        for c in reg.collectives:
            collectives.setdefault(c.name, c)
    return UnitRegistry(units=list(units.values()), collectives=list(collectives.values()))


def merge(members: list[tuple[Member, Ledger]]) -> tuple[Ledger, list[str]]:
    """One ledger holding every member's measures; and the ids two ledgers would both claim."""
    first = members[0][1]
    out = Ledger(
        plan=first.plan,
        indicators=[],
        counties=[],
        registry=UnitRegistry(units=[]),
        members=[m for m, _ in members],
    )
    clashes: list[str] = []
    for member, ledger in members:
        before = len(out.measure_ledger)
        resolve = _Resolver(ledger)
        out.indicators.extend(_indicator(ind, member, resolve, out) for ind in ledger.indicators)
        out.counties.extend(_county(c, member, resolve, out) for c in ledger.counties)
        count = sum(len(i.measures) for i in ledger.indicators)
        count += sum(len(ci.measures) for c in ledger.counties for ci in c.indicators)
        if len(out.measure_ledger) - before != count:
            clashes.append(member.name)
        for mid, rel in ledger.measure_files.items():
            out.measure_files[member.prefix + mid] = rel
    merged = replace(out, registry=_union([ledger.registry for _, ledger in members]))
    return merged, clashes
