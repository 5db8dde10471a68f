"""Cross-file checks. Each ``validate_*`` takes the assembled ledger and a reporter, and reports problems.

A plain list of small functions, as beancount does it: adding a check is adding a function.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Protocol

from ..model.dates import Deadline, DeadlineError, normalise, parse_deadline
from ..model.domain import County, Indicator, Ledger, Measure
from ..model.names import UnitIndex, close_matches
from ..model.text import text_fault
from .layout import UNITS_FILE
from .validation_forms import validate_applications, validate_reporting
from .validation_metrics import check_county_metric_twins, check_metrics

__all__ = ["VALIDATIONS", "Reporter", "run_validations"]

# 指标编号.序号: a plan has at most 99 indicators, but an indicator any number of measures (a province's
# plan runs past 18.999). Only ASCII digits: int() would read a fullwidth "３" as well, and the id would not
# be typed the same way twice.
_ID = re.compile(r"^(?:(?P<county>[^:\s]+):)?(?P<ind>[0-9]{1,2})\.(?P<n>[0-9]+)$")


class Reporter(Protocol):
    """Where problems go, and what the loader knows about the files behind the ledger."""

    @property
    def files(self) -> Mapping[int, str]:
        """id() of each loaded Indicator and County -> its file, relative to the ledger root."""

    @property
    def unread(self) -> frozenset[int] | None:
        """Numbers of the indicator files that could not be read (their problems are reported already);
        None when one of them has no readable number, so which indicators exist is not known."""

    @property
    def incomplete(self) -> AbstractSet[str]:
        """Files read only in part (items with schema problems left out): a check that needs all of
        such a file holds back, rather than report what only looks missing."""

    def add(self, rel: str, path: tuple[str | int, ...], message: str, hint: str = "") -> None: ...


def _indicator_rel(ledger: Ledger, ind: Indicator, out: Reporter) -> str:
    """The file an indicator came from (two files may carry the same number by mistake)."""
    return out.files.get(id(ind)) or ledger.indicator_files[ind.number]


def _county_rel(county: County, out: Reporter) -> str:
    return out.files.get(id(county)) or f"counties/{county.county}.yaml"


def _may_exist(number: int, out: Reporter) -> bool:
    """Whether indicator ``number`` may be in a file that could not be read (so its absence proves nothing)."""
    return out.unread is None or number in out.unread


def validate_indicator_numbers(ledger: Ledger, out: Reporter) -> None:
    files: dict[int, list[str]] = {}
    for ind in ledger.indicators:
        files.setdefault(ind.number, []).append(_indicator_rel(ledger, ind, out))
    for number, rels in files.items():
        for rel in rels if len(rels) > 1 else []:
            others = "、".join(r for r in rels if r != rel)
            out.add(rel, ("number",), f"指标编号 {number} 出现了 {len(rels)} 次（另见 {others}）")
    for ind in ledger.indicators:
        if ind.number < 1:
            out.add(_indicator_rel(ledger, ind, out), ("number",), f"指标编号 {ind.number} 应为正整数（从 1 起）")
    # Plans differ in size (18 indicators in 2022, any number of sections in a 任务分工 plan): the numbers run
    # from 1 without gaps. A number named by the 总体目标 or a county list but held by no file is said there.
    highest = max(files, default=0)
    missing = [n for n in range(1, highest + 1) if n not in files and not _may_exist(n, out)]
    if missing:
        out.add("plan.yaml", (), f"缺少指标：{'、'.join(str(n) for n in missing)}（指标编号应从 1 起连续）")


def _county_measures(ledger: Ledger, out: Reporter) -> list[tuple[str, tuple[str | int, ...], str, Measure]]:
    found: list[tuple[str, tuple[str | int, ...], str, Measure]] = []
    for county in ledger.counties:
        rel = _county_rel(county, out)
        for i, cind in enumerate(county.indicators):
            for j, m in enumerate(cind.measures):
                found.append((rel, ("indicators", i, "measures", j), county.county, m))
    return found


def _city_measures(ledger: Ledger, out: Reporter) -> list[tuple[str, tuple[str | int, ...], int, Measure]]:
    return [
        (_indicator_rel(ledger, ind, out), ("measures", j), ind.number, m)
        for ind in ledger.indicators
        for j, m in enumerate(ind.measures)
    ]


def validate_measure_ids(ledger: Ledger, out: Reporter) -> None:
    """Each id is 指标编号.序号 (a county's with its name first): a matter of its own file."""
    for rel, path, number, m in _city_measures(ledger, out):
        match = _ID.match(m.id)
        if not match or match["county"] or int(match["ind"]) != number:
            out.add(rel, (*path, "id"), f"措施编号“{m.id}”应为“{number}.序号”", hint=f"如 {number}.1")
    for rel, path, county, m in _county_measures(ledger, out):
        match = _ID.match(m.id)
        if not match or match["county"] != county:
            out.add(rel, (*path, "id"), f"县区措施编号“{m.id}”应以“{county}:”开头", hint=f"如 {county}:3.1")


def validate_unique_ids(ledger: Ledger, out: Reporter) -> None:
    """No id is given twice, in one file or across files."""
    ids = [m.id for ind in ledger.indicators for m in ind.measures]
    ids += [m.id for county in ledger.counties for cind in county.indicators for m in cind.measures]
    if len(set(ids)) == len(ids):
        return  # the usual case, told without building a path for each of 100,000 measures
    seen: dict[str, str] = {}
    for rel, path, _, m in [*_city_measures(ledger, out), *_county_measures(ledger, out)]:
        if m.id in seen:
            out.add(rel, (*path, "id"), f"措施编号“{m.id}”重复（另见 {seen[m.id]}）")
        else:
            seen[m.id] = rel


def _check_unit(index: UnitIndex, name: str, rel: str, path: tuple[str | int, ...], out: Reporter) -> None:
    if index.resolve_exact(name) is None:
        near = close_matches(name, [u for u in index.canonical.values()])
        hint = f"是否为：{'、'.join(near)}" if near else "请先在 units.yaml 登记该单位"
        out.add(rel, path, f"责任单位“{name}”未在 units.yaml 登记", hint=hint)


def validate_units_resolve(ledger: Ledger, out: Reporter) -> None:
    if UNITS_FILE in out.incomplete:  # a unit left out for its own problem would look unregistered everywhere
        return
    index = UnitIndex.build(ledger.registry)
    for rel, path, _, m in [*_city_measures(ledger, out), *_county_measures(ledger, out)]:
        for k, name in enumerate(m.units):
            _check_unit(index, name, rel, (*path, "units", k), out)


def validate_county_units(ledger: Ledger, out: Reporter) -> None:
    """A county indicator's lead, deputy and member units are registered (after every measure's: its own check,
    so that each check's problems run file by file)."""
    if UNITS_FILE in out.incomplete:
        return
    index = UnitIndex.build(ledger.registry)
    for county in ledger.counties:
        rel = _county_rel(county, out)
        for i, cind in enumerate(county.indicators):
            for role in ("lead_units", "deputy_units", "member_units"):
                for k, name in enumerate(getattr(cind, role)):
                    _check_unit(index, name, rel, ("indicators", i, role, k), out)


def validate_registry(ledger: Ledger, out: Reporter) -> None:
    # compared as UnitIndex resolves them (NFKC, no spaces), so no two entries can claim one spelling
    owner: dict[str, int] = {}
    units = ledger.registry.units
    for i, unit in enumerate(units):
        for k, name in enumerate((unit.name, *unit.aliases)):
            path: tuple[str | int, ...] = ("units", i, "name") if k == 0 else ("units", i, "aliases", k - 1)
            first = owner.setdefault(normalise(name), i)
            if first == i:
                continue
            if units[first].name == unit.name:
                out.add("units.yaml", path, f"单位“{unit.name}”登记了两次")
            else:
                out.add("units.yaml", path, f"名称“{name}”同时属于“{units[first].name}”和“{unit.name}”")
    registered = {u.name for u in units}
    for i, coll in enumerate(ledger.registry.collectives):
        if normalise(coll.name) in owner:
            out.add("units.yaml", ("collectives", i, "name"), f"集合单位“{coll.name}”与已登记单位重名")
        for k, member in enumerate(coll.members):
            if member not in registered:
                out.add("units.yaml", ("collectives", i, "members", k), f"成员“{member}”未登记为单位")


def _check_deadline(written: str, rel: str, path: tuple[str | int, ...], out: Reporter) -> bool:
    try:
        parse_deadline(written)
    except DeadlineError as exc:
        out.add(rel, path, str(exc))
        return False
    return True


def validate_deadlines(ledger: Ledger, out: Reporter) -> None:
    entries = [(r, p, m) for r, p, _, m in _city_measures(ledger, out)] + [
        (r, p, m) for r, p, _, m in _county_measures(ledger, out)
    ]
    for rel, path, m in entries:
        if _check_deadline(m.deadline, rel, (*path, "deadline"), out):
            dl = parse_deadline(m.deadline)
            if dl.done_before_plan and m.status != "done":
                out.add(rel, (*path, "status"), "完成时限为“已整改”的措施，状态应为 done")
        for k, ms in enumerate(m.milestones):
            _check_deadline(ms.deadline, rel, (*path, "milestones", k, "deadline"), out)
        for k, pp in enumerate(m.postponements):
            _check_deadline(pp.new, rel, (*path, "postponements", k, "new"), out)


def validate_status(ledger: Ledger, out: Reporter) -> None:
    entries = [(r, p, m) for r, p, _, m in _city_measures(ledger, out)] + [
        (r, p, m) for r, p, _, m in _county_measures(ledger, out)
    ]
    for rel, path, m in entries:
        if m.status == "done" and m.closing is None:
            hint = "在该措施下写 closing:，其中 on 为销号日期，evidence 为佐证材料；或用 ledger done 销号"
            out.add(rel, (*path, "status"), "已销号的措施缺少销号记录（销号日期与佐证材料）", hint)
        if m.status == "open" and m.closing is not None:
            hint = "退回整改请用 ledger reopen：原销号记录会移入 reopenings，留档可查"
            out.add(rel, (*path, "closing"), "未销号的措施不应有销号记录", hint)
        before_plan = m.closing is not None and m.closing.on < ledger.plan.issued
        if before_plan and not parse_deadline_safe(m.deadline).done_before_plan:
            out.add(rel, (*path, "closing", "on"), "销号日期早于方案印发日期，而完成时限不是“已整改”")


def parse_deadline_safe(written: str) -> Deadline:
    try:
        return parse_deadline(written)
    except DeadlineError:
        return Deadline(written, None)


def validate_metrics(ledger: Ledger, out: Reporter) -> None:
    for ind in ledger.indicators:
        check_metrics(ind.metrics, _indicator_rel(ledger, ind, out), (), out)
    for county in ledger.counties:
        for i, cind in enumerate(county.indicators):
            check_metrics(cind.metrics, _county_rel(county, out), ("indicators", i), out)


def validate_counties(ledger: Ledger, out: Reporter) -> None:
    by_number: dict[int, Indicator] = {}
    for ind in ledger.indicators:
        by_number.setdefault(ind.number, ind)
    for county in ledger.counties:
        rel = _county_rel(county, out)
        for i, cind in enumerate(county.indicators):
            city = by_number.get(cind.number)
            if city is None and not _may_exist(cind.number, out):
                out.add(rel, ("indicators", i, "number"), f"指标编号 {cind.number} 在方案中不存在")
            elif city is not None and cind.name not in (city.name, *city.short_names):
                hint = f"第 {city.number} 项指标是“{city.name}”；或把“{cind.name}”加入其 short_names"
                out.add(rel, ("indicators", i, "name"), f"县区指标“{cind.name}”与方案第 {cind.number} 项名称不符", hint)
            if city is not None:
                check_county_metric_twins(city, cind.metrics, rel, i, out)


def validate_overall_goal(ledger: Ledger, out: Reporter) -> None:
    numbers = {ind.number for ind in ledger.indicators}
    goal = ledger.plan.overall_goal
    if goal is None:
        return
    for key in ("reach_best", "narrow_gap"):
        for k, n in enumerate(getattr(goal, key)):
            if n not in numbers and not _may_exist(n, out):
                out.add("plan.yaml", ("overall_goal", key, k), f"指标编号 {n} 不存在")


_Found = list[tuple[tuple[str | int, ...], str]]


def _faulty_texts(record: object, path: tuple[str | int, ...], found: _Found) -> None:
    """Add to ``found`` each text in a loaded record that ``text_fault`` objects to, with its path in the YAML.

    The dataclasses' fields are the file's keys, so the path locates the text in its file.
    (Written flat rather than one call per value: a 100-times ledger holds 300,000 values.)
    """
    for name in _field_names(type(record)):
        value = getattr(record, name)
        if isinstance(value, str):
            if fault := text_fault(value, name):
                found.append(((*path, name), fault))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    if fault := text_fault(item, name):
                        found.append(((*path, name, i), fault))
                elif hasattr(item, "__dataclass_fields__"):
                    _faulty_texts(item, (*path, name, i), found)
        elif hasattr(value, "__dataclass_fields__"):
            _faulty_texts(value, (*path, name), found)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return _FIELDS[cls]


_TEXT_HINT = "请在文件中删除或改正该字符，或缩短这段文字"


def validate_texts(ledger: Ledger, out: Reporter) -> None:
    """No text holds a control, bidi or invisible character or a noncharacter, or is longer than its field allows.

    The write commands refuse such input; this catches what reached the files another way (an editor, a merge).
    """
    records: list[tuple[str, object]] = [("plan.yaml", ledger.plan), ("units.yaml", ledger.registry)]
    records += [(_indicator_rel(ledger, ind, out), ind) for ind in ledger.indicators]
    records += [(_county_rel(county, out), county) for county in ledger.counties]
    for rel, record in records:
        found: _Found = []
        _faulty_texts(record, (), found)
        for path, fault in found:
            out.add(rel, path, fault, hint=_TEXT_HINT)


def validate_evidence(ledger: Ledger, out: Reporter) -> None:
    """An evidence file is never one of git's own (``.git/config`` proves nothing and may hold secrets)."""
    for rel, path, _, m in [*_city_measures(ledger, out), *_county_measures(ledger, out)]:
        closings = [(("closing",), m.closing)] + [
            (("reopenings", k, "closing"), r.closing) for k, r in enumerate(m.reopenings)
        ]
        for where, closing in closings:
            for k, ev in enumerate(closing.evidence if closing else []):
                if ev.kind == "file" and ".git" in (part.casefold() for part in re.split(r"[/\\]", ev.ref)):
                    out.add(
                        rel, (*path, *where, "evidence", k, "ref"), f"佐证文件“{ev.ref}”在 git 的内部目录（.git）中"
                    )


# Each check, and whether it looks at one file at a time (with plan.yaml and units.yaml: "local") or
# across files. After an edit of indicator or county files alone, the local checks need only see
# those files (the others passed them with the same plan and units); the cross-file ones see all.
# A local check reports file by file, in the ledger's order (plan.yaml and units.yaml, the indicators
# by number, the counties): ``store/check.py`` runs it on one file at a time and puts what it finds
# back in that order.
VALIDATIONS: list[tuple[Callable[[Ledger, Reporter], None], bool]] = [
    (validate_indicator_numbers, False),
    (validate_measure_ids, True),
    (validate_unique_ids, False),
    (validate_units_resolve, True),
    (validate_county_units, True),
    (validate_registry, True),
    (validate_deadlines, True),
    (validate_status, True),
    (validate_metrics, True),
    (validate_counties, False),
    (validate_overall_goal, False),
    (validate_texts, True),
    (validate_evidence, True),
    (validate_applications, True),
    (validate_reporting, True),
]


def run_validations(ledger: Ledger, out: Reporter, changed: Ledger | None = None, *, across: bool = True) -> None:
    """Every check; the local ones on ``changed`` only, when given: the ledger with just the files read anew.

    ``across=False`` runs the local checks alone (``store/focus.py``: a change that cannot affect the others).
    """
    for check, local in VALIDATIONS:
        if local or across:
            check(changed if local and changed is not None else ledger, out)
