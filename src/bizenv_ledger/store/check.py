"""``ledger check``: every file read and checked, without holding the ledger.

A load (``build.build_ledger``) keeps every file's record, since a command then works on them;
``check`` only reports. It reads plan.yaml and units.yaml, then one file at a time: the file's
record is built, the checks of one file at a time (``validation.VALIDATIONS``' local ones) run on
it with the plan and units, and what the checks across files read of it is kept (its record with
each measure cut to its id, ``_summary``); the record and the file's YAML go before the next file
is read. The checks across files then run on those summaries. A local check reports file by file
in the ledger's order, so its problems are put back in that order (the indicators by number, the
counties after them); the problems, their order and their lines are a load's, for the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ..model import domain
from ..model.errors import Problem
from .build import _Collector
from .layout import PLAN_FILE, UNITS_FILE, copied, ledger_files

__all__ = ["Checked", "check_files"]

Key = tuple[int, ...]  # where a file's problems stand among a check's: plan.yaml and units.yaml, indicators, counties


@dataclass
class Checked:
    """What ``check`` says: the problems, and (when there are none) how much the ledger holds."""

    problems: list[Problem]
    indicators: int = 0
    measures: int = 0
    units: int = 0


@dataclass
class _Tagged:
    """The reporter of one check on part of the ledger: its problems kept aside, with where they stand."""

    collector: _Collector
    files: dict[int, str]
    found: list[tuple[int, Key, int, Problem]]
    check: int = 0
    key: Key = ()
    skip: frozenset[str] = frozenset()  # files this part reports on elsewhere
    incomplete: set[str] = field(default_factory=set)

    @property
    def unread(self) -> frozenset[int] | None:
        return self.collector.unread

    def add(self, rel: str, path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        if rel not in self.skip:
            problem = self.collector.located(rel, path, message, hint)
            self.found.append((self.check, self.key, len(self.found), problem))


class _MeasureId:
    """A measure as the checks across files see it: its id."""

    __slots__ = ("id",)

    def __init__(self, measure_id: str) -> None:
        self.id = measure_id


def _summary(record: domain.Indicator | domain.County) -> Any:
    """What the checks across files read of a file (numbers, names, metrics, measure ids): its measures cut."""
    if isinstance(record, domain.Indicator):
        return copied(record, measures=[_MeasureId(m.id) for m in record.measures])
    return copied(
        record,
        indicators=[copied(cind, measures=[_MeasureId(m.id) for m in cind.measures]) for cind in record.indicators],
    )


def check_files(root: Path, progress: Callable[[int, int], None] | None = None) -> Checked:
    """Read and check every file of the ledger at ``root`` (a folder), one file at a time (see the module)."""
    from .validation import VALIDATIONS

    rels = ledger_files(root)
    total = len(rels) + 3

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, total)

    collector = _Collector(root, keep=False)
    plan = collector.read(PLAN_FILE, domain.Plan)
    registry = collector.read(UNITS_FILE, domain.UnitRegistry)
    tick(2)
    run = _Run(collector, plan, registry, VALIDATIONS)
    for done, rel in enumerate(rels, start=3):
        tick(done)
        run.file(rel, done)
    checked = run.finish()
    tick(total)
    return checked


class _Run:
    """One check of the ledger: each file as it is read, then the plan and units, then across files."""

    def __init__(
        self,
        collector: _Collector,
        plan: domain.Plan | None,
        registry: domain.UnitRegistry | None,
        checks: list[tuple[Callable[[domain.Ledger, Any], None], bool]],
    ) -> None:
        self.collector, self.plan, self.registry, self.checks = collector, plan, registry, checks
        self.found: list[tuple[int, Key, int, Problem]] = []
        self.indicators: list[tuple[str, domain.Indicator]] = []  # summaries
        self.counties: list[tuple[str, domain.County]] = []
        self.measures = 0

    def file(self, rel: str, position: int) -> None:
        if rel.startswith("indicators/"):
            record: domain.Indicator | domain.County | None = self.collector.read(rel, domain.Indicator)
            if record is None:
                self.collector.note_unread_indicator(rel)
                return
        elif rel.startswith("counties/"):
            record = self.collector.read(rel, domain.County)
            if record is None:
                return
        else:
            return
        if isinstance(record, domain.Indicator):
            self._local(rel, record, (1, record.number, position), [(rel, record)], [])
            self.measures += len(record.measures)
            self.indicators.append((rel, _summary(record)))
        else:
            self._local(rel, record, (2, position), [], [(rel, record)])
            self.counties.append((rel, _summary(record)))

    def _local(
        self,
        rel: str,
        record: object,
        key: Key,
        indicators: list[tuple[str, domain.Indicator]],
        counties: list[tuple[str, domain.County]],
    ) -> None:
        """The checks of one file at a time on this file (what they say of plan.yaml and units.yaml: ``finish``)."""
        if self.plan is None or self.registry is None:
            return
        from .layout import assemble

        part = assemble(self.plan, self.registry, indicators, counties)
        self._checks(part, {id(record): rel}, key, local=True, skip=frozenset({PLAN_FILE, UNITS_FILE}))

    def _checks(
        self, ledger: domain.Ledger, files: dict[int, str], key: Key, *, local: bool, skip: frozenset[str]
    ) -> None:
        out = _Tagged(self.collector, files, self.found, key=key, skip=skip, incomplete=self.collector.incomplete)
        for k, (check, is_local) in enumerate(self.checks):
            if is_local == local:
                out.check = k
                check(ledger, cast(Any, out))

    def finish(self) -> Checked:
        """The plan's and units' own checks, the checks across files, and every problem in a load's order."""
        problems = self.collector.problems
        if self.plan is None or self.registry is None:
            return Checked(problems)
        from .layout import assemble

        self._checks(assemble(self.plan, self.registry, [], []), {}, (0,), local=True, skip=frozenset())
        files = {id(summary): rel for rel, summary in [*self.indicators, *self.counties]}
        across = domain.Ledger(
            plan=self.plan,
            indicators=sorted((s for _, s in self.indicators), key=lambda i: i.number),
            counties=[s for _, s in self.counties],
            registry=self.registry,
            indicator_files=_first_files(self.indicators),
        )
        self._checks(across, files, (), local=False, skip=frozenset())
        problems += [problem for *_, problem in sorted(self.found, key=lambda found: found[:3])]
        if problems:
            return Checked(problems)
        return Checked([], len(self.indicators), self.measures, len(self.registry.units))


def _first_files(indicators: list[tuple[str, domain.Indicator]]) -> dict[int, str]:
    files: dict[int, str] = {}
    for rel, ind in indicators:
        files.setdefault(ind.number, rel)
    return files
