"""A write's load of the files it touches, and its check of the change, without decoding the rest.

A write in a 100,000-measure ledger changes one file. Its planner needs that file's record, the
plan, units.yaml and the counties (a county measure names its city indicator); the check before
writing needs the new text parsed and the checks of one file at a time run on it. The checks
across files (unique ids, indicator numbers, county indicators, the overall goal) read only a few
facts of each file: its indicator's number, name, short names and metrics' keys, units and
directions, its county's, and its measure ids (``_facts``). The ledger the write loaded passed
every check; when the changed file's facts are what they were, the checks across files see
exactly what they saw then, and cannot find anything. Otherwise (or when plan.yaml or units.yaml
changes, or a file changed on disk since the load) the caller checks the whole ledger as before
(``loader.load_ledger`` with ``overrides``): these functions answer None.

Which file holds indicator 3 comes from the completion index beside the cache
(``names_index``), stamped like it; the other files' cache lines are read but not decoded.

A change that is one list item's lines (``write/item_edit``, which says which item and what its
new lines hold: ``ItemEdit``) needs less still (``check_items``): the loaded record with that item
validated in its place is the file's new record, and of the checks of one file at a time only those
that can see the item run (the item's measure alone, or the metrics beside an edited metric; the
file's other measures passed them with the same plan and units). A problem found there, or a fact
for the checks across files changed, answers None: the file is then checked whole, as above, and
its problems reported as they always are.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.domain import County, Indicator, Measure, Metric, Plan, UnitRegistry
from .cache_files import cache_file, cache_fingerprint, open_private, stamp
from .cache_format import decode_entry
from .cache_lines import Entry, entries_at, old_entries, where_of
from .layout import PLAN_FILE, UNITS_FILE, LoadResult, assemble, copied, ledger_files
from .loader import _assembled, _collector_paused, _kind

__all__ = ["ItemEdit", "check_focused", "check_items", "load_focused"]

Pick = Callable[[dict[str, Any]], list[str] | None]


def _index(root: Path, env: dict[str, str], stamps: Mapping[str, str | None]) -> dict[str, Any] | None:
    from .names_index import index_file, read_index

    fh = open_private(index_file(cache_file(root, env)))
    if fh is None:
        return None
    with fh:
        raw = fh.read()
    return read_index(raw, cache_fingerprint(root), stamps)


def load_focused(root: Path, pick: Pick, env: dict[str, str] | None = None) -> LoadResult | None:
    """plan.yaml, units.yaml, the counties and the files ``pick`` chooses (from the index), decoded from the cache.

    The result's ledger holds those files only; its stamps are every file's. None unless the cache
    and the index hold every file as it is now, and ``pick`` chooses.
    """
    env = dict(os.environ) if env is None else env
    rels = ledger_files(root)
    stamps = {rel: stamp(root / rel) for rel in rels}
    index = _index(root, env, stamps)
    chosen = pick(index) if index is not None else None
    if index is None or chosen is None or not set(chosen) <= set(rels):
        return None
    wanted = [rel for rel in rels if rel in (PLAN_FILE, UNITS_FILE) or rel.startswith("counties/") or rel in chosen]
    cache_path, fingerprint = cache_file(root, env), cache_fingerprint(root)
    with _collector_paused():
        try:
            lines = _lines(cache_path, fingerprint, index, wanted, stamps)
            if lines is None:
                return None
            memo: dict[str, str] = {}
            records = {rel: decode_entry(lines[rel].body, _kind(rel), memo) for rel in wanted}
        except Exception:  # a stale, truncated or corrupt cache: the whole load reads what it must
            return None
        return LoadResult(_assembled(wanted, records), [], records=records, stamps=stamps, lines=lines)


def _lines(
    cache_path: Path, fingerprint: str, index: dict[str, Any], wanted: list[str], stamps: Mapping[str, str | None]
) -> dict[str, Entry] | None:
    """The cache lines of the files ``wanted``: read where the index says they are, or else all of the
    cache read (None unless it holds every file as it is now)."""
    where = where_of(index.get("at"))
    if where is not None and (found := entries_at(cache_path, fingerprint, where, wanted, stamps)) is not None:
        return found
    lines = old_entries(cache_path, fingerprint)
    if lines.keys() != stamps.keys() or any(entry.stamp != stamps[rel] for rel, entry in lines.items()):
        return None
    return lines


def _metric_facts(metrics: list[Metric]) -> tuple[tuple[str, str, str], ...]:
    return tuple((m.key, m.unit, m.direction) for m in metrics)


def _facts(record: object) -> object:
    """What the checks across files read of one indicator or county file."""
    if isinstance(record, Indicator):
        ids = tuple(m.id for m in record.measures)
        return (record.number, record.name, tuple(record.short_names), _metric_facts(record.metrics), ids)
    if isinstance(record, County):
        return (
            record.county,
            tuple(
                (ci.number, ci.name, _metric_facts(ci.metrics), tuple(m.id for m in ci.measures))
                for ci in record.indicators
            ),
        )
    return None


def check_focused(root: Path, overrides: Mapping[str, bytes], base: LoadResult) -> LoadResult | None:
    """The ledger ``base`` loaded with ``overrides`` in place, checked, if the change cannot affect the other files.

    Each changed file is parsed and given the checks of one file at a time; None (check it all) when
    a changed file is plan.yaml, units.yaml or not among those ``base`` decoded, when any file changed
    on disk since ``base`` was loaded, or when a changed file's facts for the checks across files differ.
    """
    from .build import build_ledger

    if not overrides or any(rel in (PLAN_FILE, UNITS_FILE) or rel not in base.records for rel in overrides):
        return None
    rels = ledger_files(root)
    stamps = {rel: stamp(root / rel) for rel in rels}
    if stamps != base.stamps:
        return None
    part = [rel for rel in rels if rel in base.records]
    cached = {rel: record for rel, record in base.records.items() if rel not in overrides}
    with _collector_paused():
        result = build_ledger(root, part, overrides, cached, across=False)
    if any(_facts(result.records.get(rel)) != _facts(base.records[rel]) for rel in overrides):
        return None  # a file's number, ids or names changed (or it no longer reads): check across files
    result.stamps, result.lines = stamps, base.lines
    return result


@dataclass(frozen=True)
class ItemEdit:
    """A file's new text is its text as loaded with one list item's lines replaced (``write/item_edit``):
    the item's place in the file (and its record), and what the new lines hold."""

    path: tuple[str | int, ...]
    value: Any
    nodes: int | None = None  # the new file's YAML nodes as the reader counts them, when known exactly


def check_items(
    root: Path, overrides: Mapping[str, bytes], base: LoadResult, items: Mapping[str, ItemEdit]
) -> LoadResult | None:
    """The ledger ``base`` loaded with each changed file's edited item validated in place (see the module);
    None (check the files whole) unless every changed file is such an edit that passes and keeps its facts."""
    if not overrides or overrides.keys() != items.keys() or PLAN_FILE not in base.records:
        return None
    stamps = {rel: stamp(root / rel) for rel in ledger_files(root)}
    if stamps != base.stamps or UNITS_FILE not in base.records:
        return None
    records = dict(base.records)
    for rel, edit in items.items():
        old = base.records.get(rel)
        new = _item_checked(base, rel, edit) if isinstance(old, Indicator | County) else None
        if new is None or _facts(new) != _facts(old):
            return None
        records[rel] = new
    ledger = _assembled(list(records), records)
    edited = {rel: edit.path for rel, edit in items.items()}
    nodes = {rel: edit.nodes for rel, edit in items.items() if edit.nodes is not None}
    return LoadResult(
        ledger, [], reread=list(items), records=records, stamps=stamps, lines=base.lines, edited=edited, nodes=nodes
    )


_KINDS: dict[str, type[Any]] = {"measures": Measure, "metrics": Metric}


def _item_checked(base: LoadResult, rel: str, edit: ItemEdit) -> Indicator | County | None:
    """The file's record with the item validated in place, if that item passes what it can affect; else None."""
    from .cache_format import compact
    from .schema import validate
    from .validation import run_validations

    record = base.records[rel]
    kind = _KINDS.get(str(edit.path[-2])) if len(edit.path) >= 2 else None
    if kind is None or not _reaches(record, edit.path):
        return None
    value, problems = validate(kind, edit.value)
    if value is None or problems:
        return None
    new = _replaced(record, edit.path, compact(value))
    narrowed = _narrowed(new, edit.path)
    indicators = [(rel, narrowed)] if isinstance(narrowed, Indicator) else []
    counties = [(rel, narrowed)] if isinstance(narrowed, County) else []
    plan, registry = base.records[PLAN_FILE], base.records[UNITS_FILE]
    assert isinstance(plan, Plan) and isinstance(registry, UnitRegistry)
    out = _Found({id(narrowed): rel})
    run_validations(assemble(plan, registry, indicators, counties), out, across=False)
    return None if out.found else new


def _reaches(record: object, path: tuple[str | int, ...]) -> bool:
    """Whether ``path`` names an item of ``record`` through its lists of county indicators, measures and metrics."""
    for name, index in zip(path[::2], path[1::2], strict=False):
        items = getattr(record, name, None) if name in ("indicators", "measures", "metrics") else None
        if not isinstance(items, list) or not isinstance(index, int) or not 0 <= index < len(items):
            return False
        record = items[index]
    return len(path) % 2 == 0


def _replaced(record: Any, path: tuple[str | int, ...], value: object) -> Any:
    """``record`` with the item at ``path`` replaced by ``value``: copied along the path, shared elsewhere."""
    name, index, *rest = path
    items = list(getattr(record, str(name)))
    items[int(index)] = _replaced(items[int(index)], tuple(rest), value) if rest else value
    return copied(record, **{str(name): items})


def _narrowed(record: Any, path: tuple[str | int, ...]) -> Any:
    """``record`` holding, of its county indicators and measures, only those on ``path`` (an edited metric:
    no measure, and every metric, since metrics are checked against each other)."""
    name, index, *rest = path
    if name == "metrics":
        return copied(record, measures=[])
    item = getattr(record, str(name))[int(index)]
    return copied(record, **{str(name): [_narrowed(item, tuple(rest)) if rest else item]})


@dataclass
class _Found:
    """A reporter that only notes whether anything was found (the file is then checked whole, to say where)."""

    files: dict[int, str]
    unread: frozenset[int] | None = frozenset()
    incomplete: frozenset[str] = field(default_factory=frozenset)
    found: bool = False

    def add(self, rel: str, path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        self.found = True
