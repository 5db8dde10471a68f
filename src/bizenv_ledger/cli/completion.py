"""Shell completion of every value the command line takes, from the cached ledger.

Indicator names, measure ids, unit names, metric names (for ``record``, of the indicator typed
before), counties, months to report on, and the fixed words of ``--status``, ``--light`` and
``--format``. The names come from a small index written beside the cache (``store/names_index.py``),
never from decoding the ledger, so a Tab costs the same at 60 measures and at 100,000.

The ledger is the one the command line names: ``ledger --data DIR show 13.<Tab>`` completes
from DIR, as the command itself will read it; else LEDGER_DATA, the nearest ledger, the shipped plan.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .offers import fixed_words, indexed_names, offered

if TYPE_CHECKING:
    from ..model.domain import Ledger

__all__ = [
    "counties",
    "export_formats",
    "indicators",
    "lights",
    "measures",
    "metrics",
    "months",
    "read_formats",
    "report_formats",
    "statuses",
    "targets",
    "units",
]


def _given_data(ctx: typer.Context | None) -> str | None:
    """The global ``--data`` as typed before the command, if any."""
    if ctx is None:
        return None
    value = ctx.find_root().params.get("data")
    if isinstance(value, (list, tuple)):  # --data may be given several times (a workspace): complete the first
        value = value[0] if value else None
    return value if isinstance(value, str) and value else None


def _names(ctx: typer.Context | None = None) -> dict[str, Any] | None:
    """What can be completed: the index beside the cache, else (missing or stale) the ledger, loaded.

    A Tab never decodes the ledger while the index is current: its cost is a few ``stat`` calls and
    one small JSON file, whatever the ledger's size. Loading the ledger writes the index anew.
    """
    from ..store.layout import find_ledger

    data = _given_data(ctx)
    if (names := indexed_names(data)) is not None:
        return names
    try:
        from ..store.loader import load_ledger, remember_names

        root = find_ledger(data, Path.cwd(), dict(os.environ))
        result = load_ledger(root)
        if result.ledger is None:
            return None
        remember_names(root, result)  # the next Tab reads the index
        return _names_of(result.ledger)
    except Exception:  # completion must never print a traceback into the user's shell
        return None


def _names_of(ledger: Ledger) -> dict[str, Any]:
    """The index's contents for a ledger at hand (when the cache cannot be written)."""
    from ..store.names_index import build_index, read_index

    return read_index(build_index(ledger, "", {}), "", {}) or {}


def _offer(kind: str, ctx: typer.Context | None, incomplete: str, typed: str | None = None) -> list[str]:
    names = _names(ctx)
    try:
        return offered(kind, names, incomplete, typed) if names else []
    except Exception:  # completion must never print a traceback into the user's shell
        return []


def indicators(ctx: typer.Context, incomplete: str) -> list[str]:
    return _offer("indicators", ctx, incomplete)


def measures(ctx: typer.Context, incomplete: str) -> list[str]:
    return _offer("measures", ctx, incomplete)


def targets(ctx: typer.Context, incomplete: str) -> list[str]:
    """Measure ids and indicator names (for ``show``)."""
    return _offer("targets", ctx, incomplete)


def units(ctx: typer.Context, incomplete: str) -> list[str]:
    return _offer("units", ctx, incomplete)


def counties(ctx: typer.Context, incomplete: str) -> list[str]:
    return _offer("counties", ctx, incomplete)


def metrics(ctx: typer.Context, incomplete: str) -> list[str]:
    """The metrics of the indicator already typed (``record 获得电力 <Tab>``): names, then keys."""
    typed = ctx.params.get("indicator") if ctx is not None else None
    return _offer("metrics", ctx, incomplete, typed if isinstance(typed, str) else None)


def months(ctx: typer.Context, incomplete: str) -> list[str]:
    """Months the plan runs over: from its issue to its last deadline (or today's month, if later)."""
    return _offer("months", ctx, incomplete)


def statuses(incomplete: str) -> list[str]:
    return fixed_words("statuses", incomplete)


def lights(incomplete: str) -> list[str]:
    return fixed_words("lights", incomplete)


def read_formats(incomplete: str) -> list[str]:
    return fixed_words("read_formats", incomplete)


def export_formats(incomplete: str) -> list[str]:
    return fixed_words("export_formats", incomplete)


def report_formats(incomplete: str) -> list[str]:
    return fixed_words("report_formats", incomplete)
