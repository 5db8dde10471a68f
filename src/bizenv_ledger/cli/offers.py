"""What a Tab offers for each kind of value, without typer.

Shared by typer's completers (``cli/completion.py``) and by the quick answer that ``main`` gives
before importing typer (``cli/quick_tab.py``), so that both offer the same words. Each kind is a
function of the names (the index beside the cache, ``store/names_index.py``), what is typed, and
for ``metrics`` the indicator typed before it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy knows the name
if TYPE_CHECKING:
    from typing import Any

    Names = dict[str, Any]

__all__ = ["FIXED", "KINDS", "fixed_words", "indexed_names", "offered"]


def indexed_names(data: str | None) -> Names | None:
    """The names of the ledger ``data`` names (else LEDGER_DATA, the nearest, the shipped plan), from
    the index beside the cache; None when the index is missing or stale, or there is no ledger."""
    from ..store.layout import find_ledger
    from ..store.names_index import completion_names

    try:
        return completion_names(find_ledger(data, Path.cwd(), dict(os.environ)))
    except Exception:  # completion must never print a traceback into the user's shell
        return None


def _match(incomplete: str, words: list[str]) -> list[str]:
    from ..model.folding import normalise

    key = normalise(incomplete)
    return [w for w in words if normalise(w).startswith(key)] or [w for w in words if key in normalise(w)]


def _match_ids(incomplete: str, ids: str) -> list[str]:
    """``_match`` for measure ids (the index's text of them, a line each), of which there may be 100,000:
    the lines that begin with what is typed, found by one regular expression over the text; normalised
    only when that finds nothing (３.２ typed)."""
    import re

    if not ids:
        return []
    if not incomplete:
        return ids.split("\n")
    # a newline, then the text typed: a literal the regular expression engine searches for at C speed
    # (where "^" in MULTILINE mode would be tried at every character, three times slower). A newline
    # typed (inside quotes) is in no id: the text would run two ids' lines together, so it is not searched.
    if "\n" not in incomplete and (begun := re.findall(f"\n({re.escape(incomplete)}[^\n]*)", "\n" + ids)):
        return begun
    return _match(incomplete, ids.split("\n"))


def _indicator_words(names: Names) -> list[str]:
    return [n for _, *words in names["indicators"] for n in words]


def _indicators(names: Names, incomplete: str, typed: str | None) -> list[str]:
    return _match(incomplete, _indicator_words(names))


def _measures(names: Names, incomplete: str, typed: str | None) -> list[str]:
    return _match_ids(incomplete, names["ids"])


def _targets(names: Names, incomplete: str, typed: str | None) -> list[str]:
    """Measure ids and indicator names (for ``show``)."""
    return _match_ids(incomplete, names["ids"]) + _match(incomplete, _indicator_words(names))


def _units(names: Names, incomplete: str, typed: str | None) -> list[str]:
    return _match(incomplete, names["units"])


def _counties(names: Names, incomplete: str, typed: str | None) -> list[str]:
    return _match(incomplete, names["counties"])


def _metrics(names: Names, incomplete: str, typed: str | None) -> list[str]:
    """The metrics of the indicator already typed (``record 获得电力 <Tab>``): names, then keys."""
    from ..model.domain import Indicator
    from ..model.errors import LookupFailed
    from ..model.names import find_indicator_in

    if typed is None:
        return []
    found = [Indicator(number, name, short_names=short) for number, name, *short in names["indicators"]]
    try:
        ind = find_indicator_in(found, typed)
    except LookupFailed:
        return []
    return _match(incomplete, names["metrics"][found.index(ind)])


def _months(names: Names, incomplete: str, typed: str | None) -> list[str]:
    """Months the plan runs over: from its issue to its last deadline (or today's month, if later)."""
    from datetime import UTC, date, datetime

    from ..model.dates import today_in_shanghai

    issued, last = names["months"]
    start = date.fromisoformat(issued)
    end = max([today_in_shanghai(datetime.now(UTC)), *([date.fromisoformat(last)] if last else [])])
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return [m for m in out if m.startswith(incomplete)]


KINDS: dict[str, Callable[[Names, str, str | None], list[str]]] = {
    "indicators": _indicators,
    "measures": _measures,
    "targets": _targets,
    "units": _units,
    "counties": _counties,
    "metrics": _metrics,
    "months": _months,
}


# The fixed words of --status, --light and --format: the English of the JSON contract, then the Chinese
FIXED = {
    "statuses": ["open", "done", "未完成", "已完成"],
    "lights": [
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
    "read_formats": ["table", "json", "csv", "md"],
    "export_formats": ["xlsx", "csv", "json"],
    "report_formats": ["md", "html", "docx"],
}


def fixed_words(kind: str, incomplete: str) -> list[str]:
    """The fixed words of ``kind`` that begin with ``incomplete``, in any case."""
    low = incomplete.lower()
    return [w for w in FIXED[kind] if w.lower().startswith(low)]


def offered(kind: str, names: Names, incomplete: str, typed: str | None = None) -> list[str]:
    """The words of ``kind`` that complete ``incomplete``; ``typed`` is the indicator, for ``metrics``."""
    return KINDS[kind](names, incomplete, typed)
