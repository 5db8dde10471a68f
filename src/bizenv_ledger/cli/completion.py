"""Shell completion of every value the command line takes, from the cached ledger.

Indicator names, measure ids, unit names, metric names (for ``record``, of the indicator typed
before), counties, months to report on, and the fixed words of ``--status``, ``--light`` and
``--format``.

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


def counties(ctx: typer.Context, incomplete: str) -> list[str]:
    ledger = _ledger(ctx)
    return _match(incomplete, [c.county for c in ledger.counties]) if ledger else []


def metrics(ctx: typer.Context, incomplete: str) -> list[str]:
    """The metrics of the indicator already typed (``record 获得电力 <Tab>``): names, then keys."""
    from ..model.errors import LookupFailed
    from ..model.names import find_indicator

    ledger, typed = _ledger(ctx), ctx.params.get("indicator") if ctx is not None else None
    if ledger is None or not isinstance(typed, str):
        return []
    try:
        ind = find_indicator(ledger, typed)
    except LookupFailed:
        return []
    return _match(incomplete, [m.name for m in ind.metrics] + [m.key for m in ind.metrics])


def months(ctx: typer.Context, incomplete: str) -> list[str]:
    """Months the plan runs over: from its issue to its last deadline (or today's month, if later)."""
    from datetime import UTC, datetime

    from ..model.dates import parse_deadline, today_in_shanghai
    from ..model.names import all_measures

    ledger = _ledger(ctx)
    if ledger is None:
        return []
    start = ledger.plan.issued
    dues = [d.due for _, m in all_measures(ledger) if (d := parse_deadline(m.deadline)).due is not None]
    end = max([today_in_shanghai(datetime.now(UTC)), *dues])
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return [m for m in out if m.startswith(incomplete)]


def _words(incomplete: str, words: list[str]) -> list[str]:
    low = incomplete.lower()
    return [w for w in words if w.lower().startswith(low)]


def statuses(incomplete: str) -> list[str]:
    return _words(incomplete, ["open", "done", "未完成", "已完成"])


def lights(incomplete: str) -> list[str]:
    return _words(
        incomplete,
        [
            "red",
            "yellow",
            "green",
            "pending",
            "done",
            "ongoing",
            "红灯",
            "黄灯",
            "绿灯",
            "待复核",
            "已销号",
            "持续推进",
        ],
    )


def read_formats(incomplete: str) -> list[str]:
    return _words(incomplete, ["table", "json", "csv", "md"])


def export_formats(incomplete: str) -> list[str]:
    return _words(incomplete, ["xlsx", "csv", "json"])


def report_formats(incomplete: str) -> list[str]:
    return _words(incomplete, ["md", "html", "docx"])
