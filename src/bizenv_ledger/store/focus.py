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
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..model.domain import County, Indicator, Metric
from .cache_files import cache_file, cache_fingerprint, open_private, stamp
from .cache_format import decode_entry
from .layout import PLAN_FILE, UNITS_FILE, LoadResult, ledger_files
from .loader import _assembled, _collector_paused, _entries, _kind

__all__ = ["check_focused", "load_focused"]

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
    if chosen is None or not set(chosen) <= set(rels):
        return None
    wanted = {PLAN_FILE, UNITS_FILE, *(rel for rel in rels if rel.startswith("counties/")), *chosen}
    records: dict[str, object] = {}
    held: set[str] = set()
    memo: dict[str, str] = {}
    with _collector_paused():
        try:
            for entry in _entries(cache_file(root, env), cache_fingerprint(root)):
                if entry.stamp != stamps.get(entry.rel):
                    return None
                held.add(entry.rel)
                if entry.rel in wanted:
                    records[entry.rel] = decode_entry(entry.body, _kind(entry.rel), memo)
        except Exception:  # a stale, truncated or corrupt cache: the whole load reads what it must
            return None
        if held != set(rels):
            return None
        ordered = {rel: records[rel] for rel in rels if rel in records}
        return LoadResult(_assembled(list(ordered), ordered), [], records=ordered, stamps=stamps)


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
    result.stamps = stamps
    return result
