"""Cache-miss path of the loader: parse each file, validate it, assemble the ledger, check across files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from ..model import domain
from ..model.errors import Problem
from .layout import PLAN_FILE, UNITS_FILE, LoadResult, field_label, locate
from .salvage import Kept, salvage
from .schema import validate
from .yaml_reader import Parsed, parse

__all__ = ["build_ledger", "read_registry"]

T = TypeVar("T")


class _Collector:
    def __init__(self, root: Path, overrides: Mapping[str, bytes] | None = None) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.parsed: dict[str, Parsed] = {}
        # for the cross-file checks (see validation.Reporter)
        self.files: dict[int, str] = {}
        self.unread: frozenset[int] | None = frozenset()
        # rel path -> bytes to check instead of the file's (an edit validated before it is written)
        self.overrides = dict(overrides or {})
        # files read only in part after a schema error (see salvage), and how their lists were shortened
        self.incomplete: set[str] = set()
        self.kept: dict[str, Kept] = {}

    def note_unread_indicator(self, rel: str) -> None:
        """An indicator file failed to load: remember its number, if it has a readable one."""
        parsed = self.parsed.get(rel)
        data = parsed.data if parsed is not None else None
        number = data.get("number") if isinstance(data, dict) else None
        if self.unread is None or not isinstance(number, int) or isinstance(number, bool):
            self.unread = None
        else:
            self.unread = self.unread | {number}

    def shown(self, rel: str) -> str:
        return str(self.root / rel)

    def add(self, rel: str, path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        if rel in self.kept:  # a check of a salvaged file: its indices are the salvaged lists'
            path = self.kept[rel].original(path)
        line, col = locate(self.parsed.get(rel), path)
        field = ".".join(str(p) for p in path)
        label = field_label(self.parsed.get(rel), path)
        self.problems.append(Problem(self.shown(rel), line, col, message, field, hint, label))

    def read(self, rel: str, cls: type[T]) -> T | None:
        path = self.root / rel
        try:
            raw = self.overrides[rel] if rel in self.overrides else path.read_bytes()
        except FileNotFoundError:
            self.problems.append(Problem(self.shown(rel), 1, 1, "缺少文件"))
            return None
        except OSError as exc:
            self.problems.append(Problem(self.shown(rel), 1, 1, f"无法读取：{exc.strerror}"))
            return None
        parsed, problem = parse(raw)
        if problem is not None or parsed is None:
            assert problem is not None
            self.problems.append(Problem(self.shown(rel), problem.line, problem.col, problem.message))
            return None
        self.parsed[rel] = parsed
        if not isinstance(parsed.data, dict):
            kind = "列表" if isinstance(parsed.data, list) else "单个值"
            self.problems.append(Problem(self.shown(rel), 1, 1, f"文件顶层应为映射（键: 值），而不是{kind}"))
            return None
        value, schema_problems = validate(cls, parsed.data)
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
    progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """Parse, validate and check the files; ``progress(done, total)`` hears of each file read and the checks."""
    from .validation import run_validations

    total = len(rels) + 3  # plan.yaml, units.yaml, the files, the cross-file checks

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, total)

    collector = _Collector(root, overrides)
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
        return LoadResult(None, collector.problems, collector.parsed)
    # The cross-file checks run even when some file failed, so that every problem is reported at once;
    # the checks that need to know every indicator hold back what the unread files might contain,
    # and those that need all of units.yaml hold back while it is read only in part.
    collector.files = {id(obj): rel for rel, obj in [*indicators, *counties]}
    ledger = _assemble(plan, registry, indicators, counties)
    run_validations(ledger, collector)
    tick(total)
    return LoadResult(ledger if not collector.problems else None, collector.problems, collector.parsed)


def _assemble(
    plan: domain.Plan,
    registry: domain.UnitRegistry,
    indicators: list[tuple[str, domain.Indicator]],
    counties: list[tuple[str, domain.County]],
) -> domain.Ledger:
    measure_files: dict[str, str] = {}
    indicator_files: dict[int, str] = {}
    for rel, ind in indicators:
        indicator_files.setdefault(ind.number, rel)
        for m in ind.measures:
            measure_files.setdefault(m.id, rel)
    for rel, county in counties:
        for cind in county.indicators:
            for m in cind.measures:
                measure_files.setdefault(m.id, rel)
    ordered = sorted((ind for _, ind in indicators), key=lambda i: i.number)
    return domain.Ledger(
        plan=plan,
        indicators=ordered,
        counties=[c for _, c in counties],
        registry=registry,
        measure_files=measure_files,
        indicator_files=indicator_files,
    )


def read_registry(path: Path) -> tuple[domain.UnitRegistry | None, list[Problem]]:
    """A units.yaml on its own (``ledger import --units``), read and schema-checked like a ledger's."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(str(path), 0, 0, f"无法读取：{exc.strerror}")]
    collector = _Collector(path.parent, {UNITS_FILE: data})
    registry = collector.read(UNITS_FILE, domain.UnitRegistry)
    return registry, collector.problems
