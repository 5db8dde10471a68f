"""A planner that says what it is about, so that a write in a big ledger loads that file alone.

``done 3.2`` is about the measure 3.2, which (in a ledger that passed its checks) only the file of
indicator 3 can hold; ``record 获得电力 …`` about the indicator the name resolves to, among every
indicator's number, name and short names. Both are answered from the completion index
(``store/names_index``) without decoding a measure. The writer gives such a planner the ledger of
plan.yaml, units.yaml, the counties and that file (``store/focus.load_focused``); a planner that
finds nothing there is planned again on the whole ledger, so what it says is the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model.dates import normalise
from ..model.domain import Indicator
from ..model.errors import LookupFailed
from ..model.names import find_indicator_in

if TYPE_CHECKING:
    from .actions import Change, Context

__all__ = ["Scoped"]

_ID = re.compile(r"^(?:[^:]+:)?([0-9]{1,2})\.[0-9]+$")  # as store.validation's: 指标编号.序号, a county's prefixed


@dataclass(frozen=True)
class Scoped:
    """A planner, with the measure (as typed) or the indicator (as typed) it changes."""

    plan: Callable[[Context], Change]
    measure: str | None = None
    indicator: str | None = None

    def __call__(self, ctx: Context) -> Change:
        return self.plan(ctx)

    def files(self, index: dict[str, Any]) -> list[str] | None:
        """The indicator file the planner needs, by the index's sections; None when that is not plain."""
        files: dict[str, Any] = index["files"]
        sections = sorted(
            ((rel, s["indicator"]) for rel, s in files.items() if "indicator" in s), key=lambda found: found[1][0]
        )
        number: int | None = None
        if self.measure is not None and (match := _ID.match(normalise(self.measure))):
            number = int(match[1])
        elif self.indicator is not None:
            known = [Indicator(n, name, short_names=short) for _, (n, name, *short) in sections]
            try:
                number = find_indicator_in(known, self.indicator).number
            except LookupFailed:
                return None
        chosen = [rel for rel, (n, *_) in sections if n == number]
        return chosen if len(chosen) == 1 else None
