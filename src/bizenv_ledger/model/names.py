"""Resolving what people type: indicators, units (with aliases and collectives), measure ids. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .dates import normalise, shown, small_number
from .domain import Indicator, Ledger, Measure, UnitRegistry
from .errors import LookupFailed

__all__ = [
    "UnitIndex",
    "candidates_text",
    "close_matches",
    "find_indicator",
    "find_indicator_in",
    "find_measure",
    "indicator_of",
    "shown",
]

_LISTED_LIMIT = 12  # candidates named in a message; the rest are counted

_CN_NUMERALS = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    "十一": 11, "十二": 12, "十三": 13, "十四": 14, "十五": 15, "十六": 16, "十七": 17, "十八": 18,
}  # fmt: skip


def candidates_text(names: list[str]) -> str:
    """Candidates for a message: all of a few, or the first dozen and how many more."""
    if len(names) <= _LISTED_LIMIT:
        return "、".join(names)
    return "、".join(names[:_LISTED_LIMIT]) + f"等 {len(names)} 个（请输入更完整的名称）"


def close_matches(word: str, candidates: list[str], n: int = 3) -> list[str]:
    """Did-you-mean candidates, compared after normalisation."""
    import difflib  # only on a miss: keeps the everyday path's imports small

    by_norm = {normalise(c): c for c in candidates}
    hits = difflib.get_close_matches(normalise(word), list(by_norm), n=n, cutoff=0.5)
    return [by_norm[h] for h in hits]


@dataclass(slots=True, eq=False)
class UnitIndex:
    """Every unit name and alias, normalised, mapped to its canonical name."""

    canonical: dict[str, str] = field(default_factory=dict)
    collectives: dict[str, list[str]] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    # memos: thousands of measures share a handful of unit lists
    _resolved: dict[str, str | None] = field(default_factory=dict)
    _expanded: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, registry: UnitRegistry) -> UnitIndex:
        index = cls()
        for unit in registry.units:
            index.levels[unit.name] = unit.level
            for name in (unit.name, *unit.aliases):
                index.canonical.setdefault(normalise(name), unit.name)
        for coll in registry.collectives:
            index.collectives[coll.name] = list(coll.members)
            index.canonical.setdefault(normalise(coll.name), coll.name)
        return index

    def resolve_exact(self, name: str) -> str | None:
        if name not in self._resolved:
            self._resolved[name] = self.canonical.get(normalise(name))
        return self._resolved[name]

    def all_names(self) -> list[str]:
        return sorted({*self.canonical.values()})

    def members(self, name: str) -> list[str]:
        """A collective's members; a plain unit is its own only member."""
        return self.collectives.get(name, [name])

    def expand(self, names: Sequence[str]) -> frozenset[str]:
        """Canonical names of the units, plus the members of any collective among them."""
        key = tuple(names)
        if key not in self._expanded:
            out: set[str] = set()
            for written in names:
                canon = self.resolve_exact(written) or written
                out.add(canon)
                out.update(self.collectives.get(canon, []))
            self._expanded[key] = frozenset(out)
        return self._expanded[key]

    def find(self, typed: str) -> str:
        """A unit by name, alias or unique fragment; raises with candidates otherwise."""
        if (hit := self.resolve_exact(typed)) is not None:
            return hit
        key = normalise(typed)
        found = sorted({canon for alias, canon in self.canonical.items() if key and key in alias})
        if len(found) == 1:
            return found[0]
        if found:
            msg = f"责任单位“{shown(typed)}”不唯一，可能是：{candidates_text(found)}"
            raise LookupFailed(msg, found)
        near = close_matches(typed, self.all_names())
        msg = f"找不到责任单位“{shown(typed)}”" + (f"，是否要找：{'、'.join(near)}" if near else "")
        raise LookupFailed(msg, near)


def _indicator_names(ind: Indicator) -> list[str]:
    return [ind.name, *ind.short_names]


def find_indicator(ledger: Ledger, typed: str) -> Indicator:
    """An indicator by number (3 or 三), full name, short name or unique fragment."""
    return find_indicator_in(ledger.indicators, typed)


def find_indicator_in(indicators: list[Indicator], typed: str) -> Indicator:
    """``find_indicator`` among ``indicators`` (completion has only their names, not the ledger)."""
    key = normalise(typed).strip("()（）")
    number = small_number(key) if key.isdigit() else _CN_NUMERALS.get(key)
    if number is not None:
        for ind in indicators:
            if ind.number == number:
                return ind
    exact = _one_per_number([i for i in indicators if key in {normalise(n) for n in _indicator_names(i)}])
    if len(exact) == 1:
        return exact[0]
    partial = _one_per_number([i for i in indicators if any(key and key in normalise(n) for n in _indicator_names(i))])
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = [f"{i.number} {i.name}" for i in partial]
        msg = f"指标“{shown(typed)}”不唯一，可能是：{candidates_text(names)}"
        raise LookupFailed(msg, names)
    near = close_matches(typed, [n for i in indicators for n in _indicator_names(i)])
    msg = f"找不到指标“{shown(typed)}”" + (f"，是否要找：{'、'.join(near)}" if near else _numbers_hint(indicators))
    raise LookupFailed(msg, near)


def _one_per_number(found: list[Indicator]) -> list[Indicator]:
    """The first of each number: in a workspace every ledger holds its own 3 获得电力, and they are one
    indicator to find (the first ledger's, as the number 3 finds it; the reads then take every ledger's)."""
    first: dict[int, Indicator] = {}
    for ind in found:
        first.setdefault(ind.number, ind)
    return list(first.values())


def _numbers_hint(indicators: list[Indicator]) -> str:
    numbers = sorted(i.number for i in indicators)
    return f"（可用编号 {numbers[0]}–{numbers[-1]}、全称或简称）" if numbers else "（台账里还没有指标）"


def all_measures(ledger: Ledger) -> list[tuple[Indicator | None, Measure]]:
    out: list[tuple[Indicator | None, Measure]] = [(ind, m) for ind in ledger.indicators for m in ind.measures]
    for county in ledger.counties:
        for cind in county.indicators:
            city = next((i for i in ledger.indicators if i.number == cind.number), None)
            out.extend((city, m) for m in cind.measures)
    return out


_MEASURE_ID = re.compile(r"^(?:(.+):)?([0-9]{1,9})\.([0-9]{1,9})$")


def find_measure(ledger: Ledger, typed: str) -> tuple[Indicator | None, Measure]:
    """A measure by its id (``3.2``, ``临泽县:3.1``); raises with what the ledger does hold otherwise."""
    key = normalise(typed)
    measures = all_measures(ledger)
    for ind, measure in measures:
        if normalise(measure.id) == key:
            return ind, measure
    ids = [m.id for _, m in measures]
    what = f"找不到措施“{shown(typed)}”"
    if m := _MEASURE_ID.match(key):
        prefix = key.rpartition(".")[0] + "."
        siblings = [i for i in ids if normalise(i).startswith(prefix)]
        if siblings:
            raise LookupFailed(f"{what}，该指标的措施有：{'、'.join(siblings)}", siblings)
        numbers = sorted(i.number for i in ledger.indicators)
        if int(m[2]) not in numbers:
            msg = f"{what}：没有第 {int(m[2])} 项指标" + (f"（编号为 {numbers[0]}–{numbers[-1]}）" if numbers else "")
            raise LookupFailed(msg, [])
        if m[1]:
            raise LookupFailed(f"{what}：{m[1]}的清单中没有第 {int(m[2])} 项指标的措施", [])
    near = close_matches(typed, ids) if any(ch.isdigit() for ch in key) else []
    msg = what + (f"，是否要找：{'、'.join(near)}" if near else "（措施编号形如 3.2，县区措施形如 临泽县:3.1）")
    raise LookupFailed(msg, near)


def indicator_of(ledger: Ledger, measure: Measure) -> Indicator | None:
    number = int(measure.id.split(":")[-1].split(".")[0])
    return next((i for i in ledger.indicators if i.number == number), None)
