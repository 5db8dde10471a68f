"""Cache-miss path of the loader: parse each file, validate it, assemble the ledger, check across files."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from ..model import domain
from ..model.errors import Problem
from .layout import PLAN_FILE, UNITS_FILE, LoadResult, assemble, field_label, locate
from .salvage import Kept, salvage
from .schema import validate
from .yaml_reader import Parsed, parse

__all__ = ["build_ledger", "read_registry"]

T = TypeVar("T")


class _Collector:
    def __init__(
        self,
        root: Path,
        overrides: Mapping[str, bytes] | None = None,
        cached: Mapping[str, object] | None = None,
        *,
        keep: bool = True,
    ) -> None:
        self.root = root
        # whether the records read are kept (``records``) and compacted as the cache's are: not by ``check``,
        # which holds one file's record at a time (``store/check.py``)
        self.keep = keep
        self.problems: list[Problem] = []
        # the files parsed with positions, to locate their problems (a file is read without them first)
        self.parsed: dict[str, Parsed] = {}
        # what a file that failed held, for note_unread_indicator (only such files' data is kept)
        self.failed_data: dict[str, object] = {}
        self.reread: list[str] = []
        self.records: dict[str, object] = {}
        # each file read from YAML: its nodes as the reader counted them (kept in the cache, for a write)
        self.nodes: dict[str, int] = {}
        # for the cross-file checks (see validation.Reporter)
        self.files: dict[int, str] = {}
        self.unread: frozenset[int] | None = frozenset()
        # rel path -> bytes to check instead of the file's (an edit validated before it is written)
        self.overrides = dict(overrides or {})
        # rel path -> the record the cache holds for the file as it is now (it passed every check then)
        self.cached = dict(cached or {})
        # files read only in part after a schema error (see salvage), and how their lists were shortened
        self.incomplete: set[str] = set()
        self.kept: dict[str, Kept] = {}

    def note_unread_indicator(self, rel: str) -> None:
        """An indicator file failed to load: remember its number, if it has a readable one."""
        data = self.failed_data.get(rel)
        number = data.get("number") if isinstance(data, dict) else None
        if self.unread is None or not isinstance(number, int) or isinstance(number, bool):
            self.unread = None
        else:
            self.unread = self.unread | {number}

    def shown(self, rel: str) -> str:
        return str(self.root / rel)

    def _raw(self, rel: str) -> bytes:
        return self.overrides[rel] if rel in self.overrides else (self.root / rel).read_bytes()

    def _positions(self, rel: str) -> Parsed | None:
        """The file parsed with positions: once, and only for a file with a problem to point at."""
        if rel not in self.parsed:
            try:
                parsed, _ = parse(self._raw(rel))
            except OSError:
                return None
            if parsed is None:
                return None
            self.parsed[rel] = parsed
        return self.parsed[rel]

    def add(self, rel: str, path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        self.problems.append(self.located(rel, path, message, hint))

    def located(self, rel: str, path: tuple[str | int, ...], message: str, hint: str = "") -> Problem:
        """The problem at ``path`` of ``rel``, with the line and column it is at."""
        if rel in self.kept:  # a check of a salvaged file: its indices are the salvaged lists'
            path = self.kept[rel].original(path)
        parsed = self._positions(rel)
        line, col = locate(parsed, path)
        field = ".".join(str(p) for p in path)
        label = field_label(parsed, path)
        return Problem(self.shown(rel), line, col, message, field, hint, label)

    def read(self, rel: str, cls: type[T]) -> T | None:
        if rel in self.cached and rel not in self.overrides:
            cached = self.cached[rel]
            assert isinstance(cached, cls)
            self.records[rel] = cached
            return cached
        value = self._read(rel, cls)
        if value is not None and self.keep:
            self.records[rel] = value
        return value

    def _read(self, rel: str, cls: type[T]) -> T | None:
        try:
            raw = self._raw(rel)
        except FileNotFoundError:
            self.problems.append(Problem(self.shown(rel), 1, 1, "缺少文件"))
            return None
        except OSError as exc:
            self.problems.append(Problem(self.shown(rel), 1, 1, f"无法读取：{exc.strerror}"))
            return None
        self.reread.append(rel)
        parsed, problem = parse(raw, positions=False)
        if parsed is not None:
            self.nodes[rel] = parsed.nodes
        if problem is not None or parsed is None:
            assert problem is not None
            self.problems.append(Problem(self.shown(rel), problem.line, problem.col, problem.message))
            return None
        if not isinstance(parsed.data, dict):
            kind = "列表" if isinstance(parsed.data, list) else "单个值"
            self.problems.append(Problem(self.shown(rel), 1, 1, f"文件顶层应为映射（键: 值），而不是{kind}"))
            return None
        value, schema_problems = validate(cls, parsed.data)
        if value is not None and self.keep:
            from .cache_format import compact

            value = compact(value)
        if schema_problems:
            self.failed_data[rel] = parsed.data
        for sp in schema_problems:
            self.add(rel, sp.loc, sp.message)
        if value is None and schema_problems:
            # check what the schema's problems leave standing, so that one run reports everything
            salvaged = salvage(validate, cls, parsed.data, schema_problems)
            if (value := salvaged.value) is not None:
                self.kept[rel] = salvaged.kept
                if not salvaged.complete:
                    self.incomplete.add(rel)
        return value


def build_ledger(
    root: Path,
    rels: list[str],
    overrides: Mapping[str, bytes] | None = None,
    cached: Mapping[str, object] | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    across: bool = True,
) -> LoadResult:
    """Parse, validate and check the ledger's files; ``cached`` gives the records of files that need no reading.

    The cached records passed every check together, with the plan and units.yaml they had: while those
    two come from the cache as well, the checks of one file at a time run only on the files read anew.
    ``progress(done, total)`` hears of each file read and the checks. ``across=False``: the checks of one
    file at a time alone (``rels`` is then a part of the ledger, see ``store/focus.py``).
    """
    from .validation import run_validations

    total = len(rels) + 3  # plan.yaml, units.yaml, the files, the cross-file checks

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, total)

    collector = _Collector(root, overrides, cached)
    plan = collector.read(PLAN_FILE, domain.Plan)
    registry = collector.read(UNITS_FILE, domain.UnitRegistry)
    tick(2)
    indicators: list[tuple[str, domain.Indicator]] = []
    counties: list[tuple[str, domain.County]] = []
    for done, rel in enumerate(rels, start=3):
        tick(done)
        if rel.startswith("indicators/"):
            if (ind := collector.read(rel, domain.Indicator)) is not None:
                indicators.append((rel, ind))
            else:
                collector.note_unread_indicator(rel)
        elif rel.startswith("counties/") and (county := collector.read(rel, domain.County)) is not None:
            counties.append((rel, county))
    if plan is None or registry is None:
        return _result(None, collector)
    # The cross-file checks run even when some file failed, so that every problem is reported at once;
    # the checks that need to know every indicator hold back what the unread files might contain,
    # and those that need all of units.yaml hold back while it is read only in part.
    collector.files = {id(obj): rel for rel, obj in [*indicators, *counties]}
    ledger = assemble(plan, registry, indicators, counties)
    run_validations(ledger, collector, _changed(collector, plan, registry, indicators, counties), across=across)
    tick(total)
    return _result(ledger if not collector.problems else None, collector)


def _changed(
    collector: _Collector,
    plan: domain.Plan,
    registry: domain.UnitRegistry,
    indicators: list[tuple[str, domain.Indicator]],
    counties: list[tuple[str, domain.County]],
) -> domain.Ledger | None:
    """The ledger with only the files read anew; None when plan.yaml or units.yaml was (then all are checked)."""
    fresh = set(collector.reread)
    if not collector.cached or PLAN_FILE in fresh or UNITS_FILE in fresh:
        return None
    return assemble(
        plan,
        registry,
        [(rel, ind) for rel, ind in indicators if rel in fresh],
        [(rel, county) for rel, county in counties if rel in fresh],
    )


def _result(ledger: domain.Ledger | None, collector: _Collector) -> LoadResult:
    c = collector
    return LoadResult(ledger, c.problems, c.parsed, c.reread, c.records, nodes=c.nodes)


def read_registry(path: Path) -> tuple[domain.UnitRegistry | None, list[Problem]]:
    """A units.yaml on its own (``ledger import --units``), read and schema-checked like a ledger's."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(str(path), 0, 0, f"无法读取：{exc.strerror}")]
    collector = _Collector(path.parent, {UNITS_FILE: data})
    registry = collector.read(UNITS_FILE, domain.UnitRegistry)
    # read as the ledger's units.yaml, but the problems are in the file the user named (bad.yaml:2:1)
    return registry, [dataclasses.replace(p, path=str(path)) for p in collector.problems]
