"""The unit registry of an imported plan: every spelling an entry, near misses reported, never merged.

A spelling that differs from another by a word or two (市交通局 / 市交通运输局) or by a place
prefix (张掖市中级人民法院 / 市中级人民法院) may be the same body, or not: only a person knows,
so both are registered and the report asks, with did-you-mean. Collective units (六县区人民政府,
各县区人民政府, 各部门预算单位) are recognised; their members are not in the document, so they are
left open for a person to list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.domain import CollectiveUnit, County, Indicator, UnitEntry, UnitRegistry
from ..model.names import UnitIndex
from .findings import Findings

__all__ = ["build_registry", "is_collective"]

_COLLECTIVE = re.compile(
    r"^(?:各|全|[一二三四五六七八九十两]+)(?:县市区|县区市|县区|县市|市县|县|区|乡镇|街道|部门|有关|相关)?"
    r".{0,8}?(?:人民政府|政府|预算单位|单位|部门)$"
    r"|^市直(?:各|相关|有关)?部门(?:单位)?$"
)
_CENTRAL = (
    "国网",
    "国家电网",
    "国家税务总局",
    "人民银行",
    "人行",
    "银保监",
    "海关",
    "火车站",
    "铁路",
    "邮政",
    "移动",
    "电信",
    "联通",
)


def is_collective(name: str) -> bool:
    return bool(_COLLECTIVE.match(name))


@dataclass(frozen=True, slots=True)
class _Seen:
    name: str
    where: str
    county: str | None


def _spellings(indicators: list[Indicator], counties: list[County], sources: dict[str, str]) -> list[_Seen]:
    seen: dict[str, _Seen] = {}
    for ind in indicators:
        for m in ind.measures:
            for name in m.units:
                seen.setdefault(name, _Seen(name, sources.get(m.id, ""), None))
    for county in counties:
        for cind in county.indicators:
            for name in (*cind.lead_units, *cind.deputy_units, *cind.member_units):
                where = sources.get(f"{county.county}:{cind.number}", "")
                seen.setdefault(name, _Seen(name, where, county.county))
    return list(seen.values())


def _level(name: str, county: str | None) -> str:
    central = any(word in name for word in _CENTRAL) or (name.endswith("税务局") and not name.startswith("县"))
    if county is not None:
        if central:
            return "中央和省属驻县"
        return "市直派驻县" if name.startswith("市") else "县直"
    if name.endswith("人民政府"):
        return "县区政府"
    return "中央和省属驻张" if central else "市直"


def build_registry(
    indicators: list[Indicator], counties: list[County], findings: Findings, existing: UnitRegistry | None = None
) -> tuple[UnitRegistry, dict[str, str]]:
    """The registry, and the source line of each new unit's first use (for the YAML comments).

    With an ``existing`` registry, a spelling it knows (by name or alias) resolves to that entry;
    only the new spellings become entries, and only they are compared for near misses, with the
    known names too (did you mean 市交通运输局?).
    """
    known = UnitIndex.build(existing) if existing is not None else None
    units: list[UnitEntry] = list(existing.units) if existing is not None else []
    collectives: list[CollectiveUnit] = list(existing.collectives) if existing is not None else []
    first_seen: dict[str, str] = {}
    new: list[str] = []
    for seen in _spellings(indicators, counties, findings.measure_sources):
        if known is not None and known.resolve_exact(seen.name) is not None:
            continue
        first_seen[seen.name] = seen.where
        if is_collective(seen.name):
            note = "集体单位：成员未见于文件，请列出 members（或保留 open_ended）"
            collectives.append(CollectiveUnit(seen.name, [], open_ended=True, note=note))
            message = f"“{seen.name}”读作集体单位，文件未列出其成员，请在 units.yaml 补充"
            findings.unsure("单位", seen.where, seen.name, message)
        else:
            units.append(UnitEntry(seen.name, _level(seen.name, seen.county), county=seen.county))
            new.append(seen.name)
    if known is not None:
        findings.notes.append(
            f"责任单位按已有登记表解析：新写法 {len(first_seen)} 个，已登记 {len(units) - len(new)} 个"
        )
        _report_near_known(new, known, first_seen, findings)
    _report_near_misses(new, first_seen, findings)
    return UnitRegistry(units, collectives), first_seen


def _report_near_known(new: list[str], known: UnitIndex, first_seen: dict[str, str], findings: Findings) -> None:
    for name in new:
        near = [canon for canon in known.all_names() if near_miss(name, canon)]
        if near:
            message = (
                f"“{name}”不在已有登记表中，是否即“{'”或“'.join(near)}”？已作新单位登记，未合并；"
                f"若是同一单位，请在 units.yaml 把“{name}”写入其 aliases"
            )
            findings.unsure("单位", first_seen.get(name, ""), name, message)


def near_miss(a: str, b: str) -> bool:
    """Two spellings that may name one body: a word apart, or one the other with a place in front."""
    longer, shorter = (a, b) if len(a) >= len(b) else (b, a)
    place = longer[: len(longer) - len(shorter)]
    if len(shorter) >= 4 and longer.endswith(shorter) and 1 <= len(place) <= 4:
        return True  # 张掖市中级人民法院 / 市中级人民法院
    if a[0] != b[0]:
        return False  # 市公安局 / 县公安局 are two bodies at two levels, not a typo
    if sorted(a) == sorted(b):
        return True  # 县金融投资事务中心 / 县金融事务投资中心: the same words in another order
    return len(longer) - len(shorter) <= 3 and _is_subsequence(shorter, longer)  # 市交通局 / 市交通运输局


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


def _report_near_misses(names: list[str], first_seen: dict[str, str], findings: Findings) -> None:
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if near_miss(a, b):
                message = (
                    f"“{b}”与“{a}”相近，是否为同一单位？导入时分别登记，未合并；"
                    f"若是同一单位，请在 units.yaml 把“{b}”写入“{a}”的 aliases（或反之）"
                )
                findings.unsure("单位", first_seen.get(b, ""), b, message)
