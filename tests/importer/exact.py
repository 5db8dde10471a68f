"""What item 7 of the import issue calls exact: the fields a parser can know, from either ledger."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.store.loader import load_ledger


def loaded(root: Path) -> Ledger:
    result = load_ledger(root, {"LEDGER_CACHE_DIR": str(root.parent / ".cache")}, use_cache=False)
    assert result.ledger is not None, [p.render() for p in result.problems]
    return result.ledger


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def measure_fields(ledger: Ledger, *, fold: bool = False) -> dict[str, tuple[Any, ...]]:
    """id -> (text, units in order, and_related, deadline, label, status, milestones); ``fold``: NFKC."""
    f = nfkc if fold else (lambda s: s)
    return {
        m.id: (
            f(m.text),
            tuple(m.units),
            m.and_related,
            f(m.deadline),
            m.deadline_label,
            m.status,
            tuple((f(s.text), s.deadline) for s in m.milestones),
        )
        for ind in ledger.indicators
        for m in ind.measures
    }


def county_fields(ledger: Ledger, county: str) -> list[tuple[Any, ...]]:
    (found,) = [c for c in ledger.counties if c.county == county]
    return [
        (r.number, r.name, r.best, tuple(r.problems), r.leader, tuple(r.lead_units), tuple(r.deputy_units),
         tuple(r.member_units), len(r.measures))
        for r in found.indicators
    ]  # fmt: skip


def _values(metric: Any) -> tuple[Any, ...]:
    return (metric.best, metric.baseline, metric.target)


def metric_misses(imported: Ledger, reference: Ledger) -> list[str]:
    """data/'s metrics with no proposal of the same values (where data/ has one) and direction."""
    misses = []
    for ref, mine in zip(reference.indicators, imported.indicators, strict=True):
        for want in ref.metrics:
            if not any(
                got.direction == want.direction
                and all(w is None or w == g for w, g in zip(_values(want), _values(got), strict=True))
                for got in mine.metrics
            ):
                misses.append(f"{ref.number}:{want.key}")
    return misses
