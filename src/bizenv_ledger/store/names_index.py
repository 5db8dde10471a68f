"""The names shell completion offers, kept beside the cache: a Tab reads them, never the whole ledger.

Written with the cache (``loader.remember``), in a private file like it, stamped with every
file's stamp: completion compares the stamps with the files (a few ``stat`` calls) and, when
they differ or the index is missing, falls back to loading the ledger, which writes it anew.

The index holds, for each indicator and county file, a section: its measure ids, the
indicator's number, name and short names and its metric names and keys (or the county's
name), and the latest due date of its measures; besides them the unit names, aliases and
collectives, and the plan's issue date. ``read_index`` gives completion the names laid out
flat (the ids as one text, a line each; indicators, metrics, units, counties, the first and last
month the plan runs over)
and the write side the sections: which file holds indicator 3 (``store/focus.py``). A write
replaces the section of the file it wrote and keeps the others' (``merged``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .cache_files import cache_file, cache_fingerprint, open_private, stamp
from .layout import PLAN_FILE, UNITS_FILE, ledger_files

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which would cost a Tab 5 ms
if TYPE_CHECKING:
    from typing import Any

    from ..model.domain import Ledger, Measure, Plan, UnitRegistry

__all__ = ["build_index", "completion_names", "index_file", "index_of", "merged", "read_index", "section"]

FORMAT = 3  # 1 held the names flat, with no file's own part; 2 each file's ids as a list


def index_file(cache_file: Path) -> Path:
    return cache_file.with_suffix(".names.json")


def _last_due(measures: list[Measure]) -> str | None:
    from ..model.dates import parse_deadline

    dues = [due for d in {m.deadline for m in measures} if (due := parse_deadline(d).due) is not None]
    return max(dues).isoformat() if dues else None


def _joined(ids: Iterable[str]) -> str:
    """A file's measure ids as one text, a line each (an id holds no newline: model/text.py).

    One JSON string decodes many times faster than a list of 100,000, and completion finds the ids
    that begin with what is typed by one regular expression over it (``cli/offers.py``).
    """
    return "\n".join(ids)


def section(record: object) -> dict[str, Any] | None:
    """What the index keeps of an indicator or county file's record; None for plan.yaml and units.yaml."""
    from ..model.domain import County, Indicator  # not at import: a Tab reads the index without the model

    if isinstance(record, Indicator):
        return {
            "ids": _joined(m.id for m in record.measures),
            "indicator": [record.number, record.name, *record.short_names],
            "metrics": [m.name for m in record.metrics] + [m.key for m in record.metrics],
            "last": _last_due(record.measures),
        }
    if isinstance(record, County):
        measures = [m for ci in record.indicators for m in ci.measures]
        return {"ids": _joined(m.id for m in measures), "county": record.county, "last": _last_due(measures)}
    return None


def index_of(
    plan: Plan,
    registry: UnitRegistry,
    sections: Mapping[str, dict[str, Any]],
    fingerprint: str,
    stamps: Mapping[str, str | None],
    where: Mapping[str, list[int]] | None = None,
) -> bytes:
    """The index's bytes; ``where``: each file's line in the cache (``cache_lines``), when the cache was just written."""
    index: dict[str, Any] = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "stamps": dict(stamps),
        "issued": plan.issued.isoformat(),
        "units": [u.name for u in registry.units]
        + [a for u in registry.units for a in u.aliases]
        + [c.name for c in registry.collectives],
        "files": dict(sections),
    }
    if where is not None:
        index["at"] = dict(where)
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()


def build_index(ledger: Ledger, fingerprint: str, stamps: Mapping[str, str | None]) -> bytes:
    """The index of a ledger at hand (its files named as the ledger knows them)."""
    sections: dict[str, dict[str, Any]] = {}
    for ind in ledger.indicators:
        sections[ledger.indicator_files.get(ind.number) or f"indicators/{ind.number}"] = section(ind) or {}
    for county in ledger.counties:
        sections[f"counties/{county.county}.yaml"] = section(county) or {}
    return index_of(ledger.plan, ledger.registry, sections, fingerprint, stamps)


def merged(
    old: dict[str, Any] | None, records: Mapping[str, object], stamps: Mapping[str, str | None]
) -> dict[str, dict[str, Any]] | None:
    """The sections of every file: the records' own, the others' from ``old`` where its stamp is still the file's.

    None when a file has neither (the index is then not written, and the next Tab loads the ledger).
    """
    sections: dict[str, dict[str, Any]] = {}
    kept = old.get("files", {}) if old else {}
    old_stamps = old.get("stamps", {}) if old else {}
    for rel, now in stamps.items():
        if rel in records:
            if (own := section(records[rel])) is not None:
                sections[rel] = own
        elif isinstance(kept.get(rel), dict) and now is not None and old_stamps.get(rel) == now:
            sections[rel] = kept[rel]
        elif rel not in (PLAN_FILE, UNITS_FILE):
            return None
    return sections


def _flat(index: dict[str, Any]) -> dict[str, Any]:
    """The names as completion asks for them: indicators in number order, then counties in file order."""
    files: dict[str, Any] = index["files"]
    if not all(isinstance(s, dict) and ("indicator" in s or "county" in s) for s in files.values()):
        raise TypeError("a file's section that is neither an indicator's nor a county's")
    indicators = sorted((s for s in files.values() if "indicator" in s), key=lambda s: s["indicator"][0])
    counties = [s for s in files.values() if "county" in s]
    lasts = [s["last"] for s in files.values() if s.get("last")]
    return {
        **index,
        "ids": "\n".join(s["ids"] for s in [*indicators, *counties] if s["ids"]),
        "indicators": [s["indicator"] for s in indicators],
        "metrics": [s["metrics"] for s in indicators],
        "counties": [s["county"] for s in counties],
        "months": [index["issued"], max(lasts) if lasts else None],
    }


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
    try:
        flat = _flat(index)
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    return flat if _well_formed(flat) else None  # else completion loads the ledger and writes the index anew


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _well_formed(flat: dict[str, Any]) -> bool:
    """Every name completion reads is of the kind it expects: a damaged index is read as none."""
    indicators, months = flat.get("indicators"), flat.get("months")
    return (
        isinstance(flat.get("ids"), str)
        and _texts(flat.get("units"))
        and _texts(flat.get("counties"))
        and isinstance(indicators, list)
        and all(isinstance(i, list) and i and isinstance(i[0], int) and _texts(i[1:]) for i in indicators)
        and isinstance(flat.get("metrics"), list)
        and all(_texts(m) for m in flat["metrics"])
        and isinstance(months, list)
        and len(months) == 2
        and isinstance(months[0], str)
        and all(m is None or _iso_date(m) for m in months)
    )


def _iso_date(text: object) -> bool:
    """Whether ``text`` is a date as the index writes one (completion counts the months from it)."""
    from datetime import date

    if not isinstance(text, str):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


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
