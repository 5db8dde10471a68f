"""The names shell completion offers, kept beside the cache: a Tab reads them, never the whole ledger.

Written with the cache (``loader.remember``), in a private file like it, stamped with every
file's stamp: completion compares the stamps with the files (a few ``stat`` calls) and, when
they differ or the index is missing, falls back to loading the ledger, which writes it anew.

The index holds measure ids, indicator names and short names, each indicator's metric names
and keys, unit names, aliases and collectives, counties, and the first and last month the
plan runs over (its issue, its latest deadline).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache_files import cache_file, cache_fingerprint, open_private, stamp
from .layout import ledger_files

if TYPE_CHECKING:
    from ..model.domain import Ledger

__all__ = ["build_index", "completion_names", "index_file", "read_index"]

FORMAT = 1


def index_file(cache_file: Path) -> Path:
    return cache_file.with_suffix(".names.json")


def build_index(ledger: Ledger, fingerprint: str, stamps: Mapping[str, str | None]) -> bytes:
    from ..model.dates import parse_deadline

    registry = ledger.registry
    deadlines = {m.deadline for i in ledger.indicators for m in i.measures}
    deadlines |= {m.deadline for c in ledger.counties for ci in c.indicators for m in ci.measures}
    dues = [due for d in deadlines if (due := parse_deadline(d).due) is not None]
    index = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "stamps": dict(stamps),
        "ids": [m.id for i in ledger.indicators for m in i.measures]
        + [m.id for c in ledger.counties for ci in c.indicators for m in ci.measures],
        "indicators": [[i.number, i.name, *i.short_names] for i in ledger.indicators],
        "metrics": [[m.name for m in i.metrics] + [m.key for m in i.metrics] for i in ledger.indicators],
        "units": [u.name for u in registry.units]
        + [a for u in registry.units for a in u.aliases]
        + [c.name for c in registry.collectives],
        "counties": [c.county for c in ledger.counties],
        "months": [ledger.plan.issued.isoformat(), max(dues).isoformat() if dues else None],
    }
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()


def read_index(raw: bytes, fingerprint: str, stamps: Mapping[str, str | None]) -> dict[str, Any] | None:
    """The index in ``raw`` if it is of this code and folder and every file still has the stamp it names."""
    try:
        index = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(index, dict) or index.get("format") != FORMAT or index.get("fingerprint") != fingerprint:
        return None
    if index.get("stamps") != dict(stamps) or None in stamps.values():
        return None
    return index


def completion_names(root: Path, env: dict[str, str] | None = None) -> dict[str, Any] | None:
    """The names completion offers, from the index beside the cache; None when it is missing or stale.

    Imports neither the domain model nor the cache's decoder: a Tab pays for a few stats and one small file.
    """
    env = dict(os.environ) if env is None else env
    fh = open_private(index_file(cache_file(root, env)))
    if fh is None:
        return None
    with fh:
        raw = fh.read()
    return read_index(raw, cache_fingerprint(root), {rel: stamp(root / rel) for rel in ledger_files(root)})
