"""The same plan re-wrapped, with footers in other places, punctuation widths mixed and another year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bizenv_ledger.importer import import_plan
from bizenv_ledger.model.dates import parse_deadline
from tests.conftest import CITY_SOURCE

from .exact import loaded, measure_fields
from .variants import variant, wrap


def _moved(fields: dict[str, tuple[Any, ...]], year: int) -> dict[str, tuple[Any, ...]]:
    """data/'s fields as the other year's plan has them: every 2022 becomes ``year``."""

    def y(text: str) -> str:
        return text.replace("2022", str(year))

    return {
        mid: (y(text), units, related, y(deadline), label, status, tuple((y(t), y(d)) for t, d in steps))
        for mid, (text, units, related, deadline, label, status, steps) in fields.items()
    }


@pytest.mark.parametrize(
    ("seed", "width", "year"),
    [(1, 37, None), (2, 53, None), (3, 80, None), (4, 23, 2023), (5, 61, 2023)],
)
def test_import_variants__reads_the_same_60_measures(
    tmp_path: Path, plan, seed: int, width: int, year: int | None
) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "方案.txt"
    text = variant(CITY_SOURCE.read_text(encoding="utf-8"), seed=seed, width=width, year=year)
    assert "- 1 -" in text  # the variant does carry page footers
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "台账"
    import_plan([source], out)
    expected = measure_fields(plan, fold=True)
    if year is not None:
        expected = _moved(expected, year)
    assert measure_fields(loaded(out), fold=True) == expected


def test_import_variants__another_year_moves_the_due_dates(tmp_path: Path) -> None:
    source = tmp_path / "方案.txt"
    source.write_text(variant(CITY_SOURCE.read_text(encoding="utf-8"), seed=9, width=41, year=2023), encoding="utf-8")
    out = tmp_path / "台账"
    import_plan([source], out)
    ledger = loaded(out)
    by_id = {m.id: m for i in ledger.indicators for m in i.measures}
    assert parse_deadline(by_id["1.1"].deadline).due.isoformat() == "2023-12-31"  # type: ignore[union-attr]
    assert [s.deadline for s in by_id["13.3"].milestones] == ["2023年8月", "2023年9月"]
    assert ledger.plan.issued.year == 2023


def test_wrap__cuts_inside_numbers() -> None:
    assert wrap("完成时限：2022年12月", 7) == ["完成时限：20", "22年12月"]
