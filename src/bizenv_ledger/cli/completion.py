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
    from ..store.names_index import completion_names

    try:
        root = find_ledger(_given_data(ctx), Path.cwd(), dict(os.environ))
        if (names := completion_names(root)) is not None:
            return names
        from ..store.loader import load_ledger, remember_names

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


def _match(incomplete: str, words: list[str]) -> list[str]:
    from ..model.dates import normalise

    key = normalise(incomplete)
    return [w for w in words if normalise(w).startswith(key)] or [w for w in words if key in normalise(w)]


def _match_ids(incomplete: str, ids: list[str]) -> list[str]:
    """``_match`` for measure ids, of which there may be 100,000: compared as written first (ids are
    plain digits, dots and county names), normalised only when that finds nothing (３.２ typed)."""
    return [i for i in ids if i.startswith(incomplete)] or _match(incomplete, ids)


def _indicator_words(names: dict[str, Any]) -> list[str]:
    return [n for _, *words in names["indicators"] for n in words]


def indicators(ctx: typer.Context, incomplete: str) -> list[str]:
    names = _names(ctx)
    return _match(incomplete, _indicator_words(names)) if names else []


def measures(ctx: typer.Context, incomplete: str) -> list[str]:
    names = _names(ctx)
    return _match_ids(incomplete, names["ids"]) if names else []


def targets(ctx: typer.Context, incomplete: str) -> list[str]:
    """Measure ids and indicator names (for ``show``)."""
    names = _names(ctx)
    if names is None:
        return []
    return _match_ids(incomplete, names["ids"]) + _match(incomplete, _indicator_words(names))


def units(ctx: typer.Context, incomplete: str) -> list[str]:
    names = _names(ctx)
    return _match(incomplete, names["units"]) if names else []


def counties(ctx: typer.Context, incomplete: str) -> list[str]:
    names = _names(ctx)
    return _match(incomplete, names["counties"]) if names else []


def metrics(ctx: typer.Context, incomplete: str) -> list[str]:
    """The metrics of the indicator already typed (``record 获得电力 <Tab>``): names, then keys."""
    from ..model.domain import Indicator
    from ..model.errors import LookupFailed
    from ..model.names import find_indicator_in

    names, typed = _names(ctx), ctx.params.get("indicator") if ctx is not None else None
    if names is None or not isinstance(typed, str):
        return []
    found = [Indicator(number, name, short_names=short) for number, name, *short in names["indicators"]]
    try:
        ind = find_indicator_in(found, typed)
    except LookupFailed:
        return []
    return _match(incomplete, names["metrics"][found.index(ind)])


def months(ctx: typer.Context, incomplete: str) -> list[str]:
    """Months the plan runs over: from its issue to its last deadline (or today's month, if later)."""
    from datetime import UTC, date, datetime

    from ..model.dates import today_in_shanghai

    names = _names(ctx)
    if names is None:
        return []
    issued, last = names["months"]
    start = date.fromisoformat(issued)
    end = max([today_in_shanghai(datetime.now(UTC)), *([date.fromisoformat(last)] if last else [])])
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
