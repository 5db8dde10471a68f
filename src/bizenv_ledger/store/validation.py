"""Cross-file checks. Each ``validate_*`` takes the assembled ledger and a reporter, and reports problems.

A plain list of small functions, as beancount does it: adding a check is adding a function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Protocol

from ..model.dates import Deadline, DeadlineError, normalise, parse_deadline
from ..model.domain import Bound, County, Indicator, Ledger, Measure, Metric, Range
from ..model.names import UnitIndex, close_matches
from .layout import UNITS_FILE

__all__ = ["VALIDATIONS", "Reporter", "run_validations"]

_ID = re.compile(r"^(?:(?P<county>[^:\s]+):)?(?P<ind>\d{1,2})\.(?P<n>\d{1,3})$")


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
        if not 1 <= ind.number <= 18:
            out.add(_indicator_rel(ledger, ind, out), ("number",), f"指标编号 {ind.number} 不在 1–18 之内")
    missing = [n for n in range(1, 19) if n not in files and not _may_exist(n, out)]
    if missing:
        out.add("plan.yaml", (), f"缺少指标：{'、'.join(str(n) for n in missing)}（方案共 18 项指标）")


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
    seen: dict[str, str] = {}
    for rel, path, number, m in _city_measures(ledger, out):
        match = _ID.match(m.id)
        if not match or match["county"] or int(match["ind"]) != number:
            out.add(rel, (*path, "id"), f"措施编号“{m.id}”应为“{number}.序号”", hint=f"如 {number}.1")
        _check_unique(seen, rel, path, m.id, out)
    for rel, path, county, m in _county_measures(ledger, out):
        match = _ID.match(m.id)
        if not match or match["county"] != county:
            out.add(rel, (*path, "id"), f"县区措施编号“{m.id}”应以“{county}:”开头", hint=f"如 {county}:3.1")
        _check_unique(seen, rel, path, m.id, out)


def _check_unique(seen: dict[str, str], rel: str, path: tuple[str | int, ...], mid: str, out: Reporter) -> None:
    if mid in seen:
        out.add(rel, (*path, "id"), f"措施编号“{mid}”重复（另见 {seen[mid]}）")
    else:
        seen[mid] = rel


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
            out.add(rel, (*path, "status"), "已销号的措施须有 closing（销号日期与依据）")
        if m.status == "open" and m.closing is not None:
            out.add(rel, (*path, "closing"), "未销号的措施不应有 closing；退回整改请用 reopenings 记录")
        before_plan = m.closing is not None and m.closing.on < ledger.plan.issued
        if before_plan and not parse_deadline_safe(m.deadline).done_before_plan:
            out.add(rel, (*path, "closing", "on"), "销号日期早于方案印发日期，而完成时限不是“已整改”")


def parse_deadline_safe(written: str) -> Deadline:
    try:
        return parse_deadline(written)
    except DeadlineError:
        return Deadline(written, None)


def _number(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _metric_problems(metric: Metric) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for name in ("best", "baseline", "target"):
        value = getattr(metric, name)
        if isinstance(value, bool) and metric.direction != "higher":
            problems.append(((name,), "是/否类指标的方向应为 higher（“是”为好）"))
        if isinstance(value, Range) and value.min > value.max:
            problems.append(((name,), f"区间下限 {value.min} 大于上限 {value.max}"))
        if isinstance(value, Bound):
            if (value.at_most is None) == (value.at_least is None):
                problems.append(((name,), "界限值须且只须写 at_most 或 at_least 之一"))
            elif value.at_most is not None and metric.direction != "lower":
                problems.append(((name,), "“不超过/以内”（at_most）只适用于越低越好（lower）的指标"))
            elif value.at_least is not None and metric.direction != "higher":
                problems.append(((name,), "“以上/不低于”（at_least）只适用于越高越好（higher）的指标"))
    base, target = _number(metric.baseline), _number(metric.target)
    if base is not None and target is not None:
        worse = target > base if metric.direction == "lower" else target < base
        if worse:
            word = "越低越好" if metric.direction == "lower" else "越高越好"
            problems.append((("target",), f"整改目标 {target} 比基线 {base} 更差，与方向（{word}）不符"))
    return problems


def validate_metrics(ledger: Ledger, out: Reporter) -> None:
    for ind in ledger.indicators:
        rel = _indicator_rel(ledger, ind, out)
        keys: set[str] = set()
        names: set[str] = set()
        for i, metric in enumerate(ind.metrics):
            if metric.key in keys:
                out.add(rel, ("metrics", i, "key"), f"指标项键名“{metric.key}”重复")
            if metric.name in names:
                out.add(rel, ("metrics", i, "name"), f"指标项名称“{metric.name}”重复")
            keys.add(metric.key)
            names.add(metric.name)
            for path, message in _metric_problems(metric):
                out.add(rel, ("metrics", i, *path), message)


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


def validate_overall_goal(ledger: Ledger, out: Reporter) -> None:
    numbers = {ind.number for ind in ledger.indicators}
    goal = ledger.plan.overall_goal
    for key in ("reach_best", "narrow_gap"):
        for k, n in enumerate(getattr(goal, key)):
            if n not in numbers and not _may_exist(n, out):
                out.add("plan.yaml", ("overall_goal", key, k), f"指标编号 {n} 不存在")


VALIDATIONS: list[Callable[[Ledger, Reporter], None]] = [
    validate_indicator_numbers,
    validate_measure_ids,
    validate_units_resolve,
    validate_registry,
    validate_deadlines,
    validate_status,
    validate_metrics,
    validate_counties,
    validate_overall_goal,
]


def run_validations(ledger: Ledger, out: Reporter) -> None:
    for check in VALIDATIONS:
        check(ledger, out)
