"""Shell completion of indicator names, measure ids and unit names, from the cached ledger.

The ledger is the one the command line names: ``ledger --data DIR show 13.<Tab>`` completes
from DIR, as the command itself will read it; else LEDGER_DATA, the nearest ledger, the shipped plan.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..model.domain import Ledger

__all__ = ["indicators", "measures", "targets", "units"]


def _given_data(ctx: typer.Context | None) -> str | None:
    """The global ``--data`` as typed before the command, if any."""
    if ctx is None:
        return None
    value = ctx.find_root().params.get("data")
    return value if isinstance(value, str) and value else None


def _ledger(ctx: typer.Context | None = None) -> Ledger | None:
    from ..store.layout import find_ledger
    from ..store.loader import load_ledger

    try:
        return load_ledger(find_ledger(_given_data(ctx), Path.cwd(), dict(os.environ))).ledger
    except Exception:  # completion must never print a traceback into the user's shell
        return None


def _match(incomplete: str, words: list[str]) -> list[str]:
    from ..model.dates import normalise

    key = normalise(incomplete)
    return [w for w in words if normalise(w).startswith(key)] or [w for w in words if key in normalise(w)]


def _indicator_words(ledger: Ledger) -> list[str]:
    return [n for i in ledger.indicators for n in (i.name, *i.short_names)]


def _measure_words(ledger: Ledger) -> list[str]:
    from ..model.names import all_measures

    return [m.id for _, m in all_measures(ledger)]


def indicators(ctx: typer.Context, incomplete: str) -> list[str]:
    ledger = _ledger(ctx)
    return _match(incomplete, _indicator_words(ledger)) if ledger else []


def measures(ctx: typer.Context, incomplete: str) -> list[str]:
    ledger = _ledger(ctx)
    return _match(incomplete, _measure_words(ledger)) if ledger else []


def targets(ctx: typer.Context, incomplete: str) -> list[str]:
    """Measure ids and indicator names (for ``show``)."""
    ledger = _ledger(ctx)
    if ledger is None:
        return []
    return _match(incomplete, _measure_words(ledger)) + _match(incomplete, _indicator_words(ledger))


def units(ctx: typer.Context, incomplete: str) -> list[str]:
    ledger = _ledger(ctx)
    if ledger is None:
        return []
    registry = ledger.registry
    names = [u.name for u in registry.units] + [a for u in registry.units for a in u.aliases]
    return _match(incomplete, names + [c.name for c in registry.collectives])
