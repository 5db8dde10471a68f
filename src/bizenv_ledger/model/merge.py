"""The three-way merge of one ledger file's data: what to take from theirs, and what conflicts. Pure.

Two clones of a ledger edit the same file at once (two departments report progress on
one measure, one closes it while the other reports). Git's line merge sees two insertions
at one place and gives up; this module decides on the data instead, so the merge driver
(``write.merge``) can apply the decision to the text of ours without re-dumping it.

Lists come in three kinds:

- keyed (``measures`` by ``id``, ``metrics`` by ``key`` …): items are matched by key and merged
  one by one; an item one side added is kept;
- append-only (``progress``, ``readings`` …): the union of both sides, each entry once, theirs
  slotted in by date (on the same date ours come first);
- anything else: a value, like a scalar.

A value changed on one side is taken; the same change on both sides is taken once; two
different changes are a conflict, reported, never guessed. A ``closing`` is one fact (the
date and its evidence go together): two different ones conflict as a whole.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "APPEND_ONLY",
    "KEYED",
    "CannotMerge",
    "Conflict",
    "Drop",
    "Insert",
    "Loc",
    "Match",
    "MergePlan",
    "Take",
    "plan_merge",
    "resolve",
]

KEYED = {"measures": "id", "metrics": "key", "indicators": "number", "units": "name", "collectives": "name"}
APPEND_ONLY = frozenset({"progress", "readings", "postponements", "reopenings", "evidence", "applications"})
ATOMIC = frozenset({"closing"})
_KEY_LABELS = {"closing": "销号记录", "status": "状态", "deadline": "完成时限", "text": "内容", "units": "责任单位"}
_ITEM_LABELS = {"measures": "措施", "metrics": "指标项", "indicators": "指标", "units": "单位", "collectives": "单位"}


@dataclass(frozen=True)
class Match:
    """One item of a keyed list: the item whose ``field`` is ``value``."""

    field: str
    value: Any


Loc = tuple[str | Match, ...]  # where a mapping is, stable while items are inserted around it


@dataclass(frozen=True)
class Take:
    """Set ``key`` of the mapping at ``loc`` to theirs' value (written with theirs' lines)."""

    loc: Loc
    key: str


@dataclass(frozen=True)
class Drop:
    """Remove ``key`` from the mapping at ``loc``: theirs removed it, ours left it alone."""

    loc: Loc
    key: str


@dataclass(frozen=True)
class Insert:
    """Insert item ``theirs_index`` of theirs' list ``key`` at ``index`` of ours' (as it is by then)."""

    loc: Loc
    key: str
    index: int
    theirs_index: int


Edit = Take | Drop | Insert


@dataclass(frozen=True)
class Conflict:
    """Both sides changed ``key`` of the mapping at ``loc`` differently; ours is kept until resolved."""

    loc: Loc
    key: str
    message: str  # in Chinese, naming the item and both values


class CannotMerge(Exception):  # a decision, not a fault: the file is merged as text instead
    """A change this merge does not decide on (an item deleted, an odd shape): git's text merge takes over."""


@dataclass
class MergePlan:
    edits: list[Edit] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    merged: Any = None  # ours with the edits applied (conflicts left as ours)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def resolve(data: Any, loc: Loc) -> tuple[str | int, ...]:
    """The concrete path (keys and indices) of the mapping at ``loc`` in ``data``."""
    path: list[str | int] = []
    for step in loc:
        if isinstance(step, Match):
            for index, item in enumerate(data):
                if isinstance(item, dict) and _same(item.get(step.field), step.value):
                    data = item
                    path.append(index)
                    break
            else:
                raise CannotMerge(f"找不到 {step.field} 为 {step.value} 的条目")
        else:
            data = data[step]
            path.append(step)
    return tuple(path)


def _same(x: Any, y: Any) -> bool:
    """Equal as data, strictly: ``true`` is not ``1``, ``1`` is not ``1.0``."""
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(_same(a, b) for a, b in zip(x, y, strict=True))
    return type(x) is type(y) and x == y


def plan_merge(base: Any, ours: Any, theirs: Any) -> MergePlan:
    """Decide the merge of one file's data (``base`` is ``{}`` for a file both sides added)."""
    if not all(isinstance(d, dict) for d in (base, ours, theirs)):
        raise CannotMerge("文件的顶层不是映射")
    plan = MergePlan(merged=copy.deepcopy(ours))
    _Merger(plan).mapping(base, ours, theirs, (), plan.merged)
    return plan


class _Merger:
    def __init__(self, plan: MergePlan) -> None:
        self.plan = plan

    def mapping(self, o: dict[str, Any], a: dict[str, Any], b: dict[str, Any], loc: Loc, out: dict[str, Any]) -> None:
        for key in [*a, *(k for k in b if k not in a)]:
            ov, av, bv = o.get(key, MISSING), a.get(key, MISSING), b.get(key, MISSING)
            if _same(av, bv) or _same(bv, ov):
                continue  # nothing new from theirs
            if _same(av, ov):  # only theirs changed it
                if bv is MISSING:
                    self.plan.edits.append(Drop(loc, key))
                    del out[key]
                else:
                    self.plan.edits.append(Take(loc, key))
                    out[key] = copy.deepcopy(bv)
                continue
            self.both(key, ov, av, bv, loc, out)

    def both(self, key: str, ov: Any, av: Any, bv: Any, loc: Loc, out: dict[str, Any]) -> None:
        """``key`` changed on both sides, differently."""
        lists = isinstance(av, list) and isinstance(bv, list) and (ov in (MISSING, None) or isinstance(ov, list))
        if key in ATOMIC:
            self.conflict(loc, key, av, bv)
        elif key in APPEND_ONLY and lists:
            self.union(key, [] if ov in (MISSING, None) else ov, av, bv, loc, out)
        elif key in KEYED and lists:
            self.keyed(key, KEYED[key], [] if ov in (MISSING, None) else ov, av, bv, loc, out)
        elif isinstance(av, dict) and isinstance(bv, dict) and (ov is MISSING or isinstance(ov, dict)):
            self.mapping({} if ov is MISSING else ov, av, bv, (*loc, key), out[key])
        else:
            self.conflict(loc, key, av, bv)

    def union(self, key: str, o: list[Any], a: list[Any], b: list[Any], loc: Loc, out: dict[str, Any]) -> None:
        if _minus(o, a) or _minus(o, b):
            self.conflict(loc, key, a, b, edited=True)
            return
        added_by_ours = [a[i] for i in _minus(a, o)]
        added_by_theirs = _minus(b, o)
        new = [i for i in added_by_theirs if not _take_match(b[i], added_by_ours)]
        if not a:  # ours' list is empty: theirs' list is the union, written as theirs wrote it
            self.plan.edits.append(Take(loc, key))
            out[key] = copy.deepcopy(b)
            return
        merged = out[key]
        for i in new:
            index = _slot(merged, b[i])
            merged.insert(index, copy.deepcopy(b[i]))
            self.plan.edits.append(Insert(loc, key, index, i))

    def keyed(
        self, key: str, field_: str, o: list[Any], a: list[Any], b: list[Any], loc: Loc, out: dict[str, Any]
    ) -> None:
        o_items, a_items, b_items = (_by_key(items, field_) for items in (o, a, b))
        for k in a_items:
            if k not in b_items and k in o_items:
                raise CannotMerge(f"对方删除了{_ITEM_LABELS.get(key, key)} {k}")
        merged = out[key]
        for position, (k, b_item) in enumerate(b_items.items()):
            if k in a_items:
                where = (*loc, key, Match(field_, k))
                target = merged[_index_of(merged, field_, k)]
                self.mapping(o_items.get(k, {}), a_items[k], b_item, where, target)
            elif k in o_items:  # ours deleted it
                if not _same(b_item, o_items[k]):
                    raise CannotMerge(f"本地删除了{_ITEM_LABELS.get(key, key)} {k}，对方却改了它")
            else:  # theirs added it: after the item it follows in theirs, if ours has that one
                before = [p for p in list(b_items)[:position] if _index_of(merged, field_, p) >= 0]
                index = _index_of(merged, field_, before[-1]) + 1 if before else 0
                merged.insert(index, copy.deepcopy(b_item))
                self.plan.edits.append(Insert(loc, key, index, position))

    def conflict(self, loc: Loc, key: str, av: Any, bv: Any, *, edited: bool = False) -> None:
        self.plan.conflicts.append(Conflict(loc, key, _message(loc, key, av, bv, edited=edited)))


def _minus(items: list[Any], other: list[Any]) -> list[int]:
    """Indices of ``items`` not matched in ``other`` (as multisets: each item of ``other`` matches once)."""
    left = list(other)
    missing = []
    for index, item in enumerate(items):
        if not _take_match(item, left):
            missing.append(index)
    return missing


def _take_match(item: Any, pool: list[Any]) -> bool:
    for j, candidate in enumerate(pool):
        if _same(item, candidate):
            del pool[j]
            return True
    return False


def _on(item: Any) -> str | None:
    on = item.get("on") if isinstance(item, dict) else None
    return on if isinstance(on, str) else None


def _slot(items: list[Any], entry: Any) -> int:
    """Where a dated entry goes: after the last entry on or before its date (the end when undated)."""
    on = _on(entry)
    if on is None:
        return len(items)
    index = 0
    for i, item in enumerate(items):
        when = _on(item)
        if when is not None and when <= on:
            index = i + 1
    return index


def _by_key(items: list[Any], field_: str) -> dict[Any, dict[str, Any]]:
    found: dict[Any, dict[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict) or field_ not in item or item[field_] in found:
            raise CannotMerge(f"列表中的条目缺少 {field_} 或 {field_} 重复")
        found[item[field_]] = item
    return found


def _index_of(items: list[Any], field_: str, key: Any) -> int:
    for i, item in enumerate(items):
        if isinstance(item, dict) and _same(item.get(field_), key):
            return i
    return -1


def _where(loc: Loc) -> str:
    parts = []
    for i, step in enumerate(loc):
        if isinstance(step, Match):
            owner = loc[i - 1] if i else ""
            parts.append(f"{_ITEM_LABELS.get(str(owner), str(owner))} {step.value}")
    return " · ".join(parts)


def _shown(value: Any) -> str:
    if value is MISSING:
        return "（无）"
    if isinstance(value, dict) and "on" in value:
        return f"{value['on']}"
    if isinstance(value, dict | list):
        return "（见文件）"
    return str(value)


def _message(loc: Loc, key: str, av: Any, bv: Any, *, edited: bool) -> str:
    where = f"{_where(loc)} " if _where(loc) else "文件中"
    if key == "closing" and isinstance(av, dict) and isinstance(bv, dict):
        same_day = av.get("on") == bv.get("on")
        detail = "（销号日期相同，说明或佐证材料不同）" if same_day else ""
        return f"{where}两边都已销号，但销号记录不同：本地 {_shown(av)}，对方 {_shown(bv)}{detail}"
    label = _KEY_LABELS.get(key, f"“{key}”")
    if edited:
        return f"{where}的{label}中已有的记录被一方改动或删除，无法自动合并"
    return f"{where}的{label}两边改得不同：本地 {_shown(av)}，对方 {_shown(bv)}"
