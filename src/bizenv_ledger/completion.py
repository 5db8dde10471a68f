"""Shell completion of indicator names, measure ids and unit names, from the cached ledger."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .domain import Ledger

__all__ = ["indicators", "measures", "targets", "units"]


def _ledger() -> Ledger | None:
    from .loader import find_ledger, load_ledger

    try:
        return load_ledger(find_ledger(None, Path.cwd(), dict(os.environ))).ledger
    except Exception:  # completion must never print a traceback into the user's shell
        return None


def _match(incomplete: str, words: list[str]) -> list[str]:
    from .dates import normalise

    key = normalise(incomplete)
    return [w for w in words if normalise(w).startswith(key)] or [w for w in words if key in normalise(w)]


def indicators(incomplete: str) -> list[str]:
    ledger = _ledger()
    if ledger is None:
        return []
    return _match(incomplete, [n for i in ledger.indicators for n in (i.name, *i.short_names)])


def measures(incomplete: str) -> list[str]:
    ledger = _ledger()
    if ledger is None:
        return []
    from .names import all_measures

    return _match(incomplete, [m.id for _, m in all_measures(ledger)])


def targets(incomplete: str) -> list[str]:
    """Measure ids and indicator names (for ``show``)."""
    return measures(incomplete) + indicators(incomplete)


def units(incomplete: str) -> list[str]:
    ledger = _ledger()
    if ledger is None:
        return []
    names = [u.name for u in ledger.registry.units] + [a for u in ledger.registry.units for a in u.aliases]
    return _match(incomplete, names + [c.name for c in ledger.registry.collectives])
