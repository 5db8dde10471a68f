"""Metric figures as spreadsheet cells: a number with the Excel format that makes it read as the ledger does.

A plain figure is stored as a number, so SUM, AVERAGE and filters work and Excel
shows no "number stored as text" warning. A rate in % is stored the way Excel
stores a typed ``94.66%``: the fraction 0.9466 with a percent format, so sums and
averages of rates and comparisons with other percent cells come out right, and the
cell still reads 94.66%. Ranges (110-180), bounds (≤60) and yes/no figures are not
amounts and stay readable text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model.domain import Metric, Value
from .values import fmt_decimal, fmt_gap, fmt_value, is_yes_no

__all__ = ["Figure", "gap_cell", "value_cell"]

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number for the workbook, its Excel number format, and how it reads (for CSV and column widths)."""

    number: int | float
    fmt: str
    text: str


def _places(value: Decimal) -> str:
    """The format with as many decimals as the ledger shows: 6 → 0, 2.7 → 0.0, 41.04 → 0.00."""
    decimals = len(fmt_decimal(abs(value)).partition(".")[2])
    return "0." + "0" * decimals if decimals else "0"


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _percent(metric: Metric) -> bool:
    return metric.unit.strip() in ("%", "％")


def value_cell(value: Value | None, metric: Metric) -> Figure | str:
    """A baseline, current, target or best figure."""
    if value is None or isinstance(value, bool) or not isinstance(value, Decimal):
        return fmt_value(value)  # —, 是/否, 110-180, ≤60
    if _percent(metric):
        return Figure(float(value / HUNDRED), _places(value) + "%", fmt_decimal(value) + "%")
    return Figure(_number(value), _places(value), fmt_decimal(value))


def gap_cell(gap: Decimal | None, metric: Metric) -> Figure | str:
    """A gap as a signed number (positive = behind, as in the JSON) that reads 落后 3.3, 领先 2 or 持平."""
    if gap is None or is_yes_no(metric):
        return fmt_gap(gap, metric)  # —, or 落后/领先 alone: behind by one 是/否 is not an amount
    places = _places(gap) + ("%" if _percent(metric) else "")
    fmt = f'"落后 "{places};"领先 "{places};"持平"'
    text = fmt_gap(gap, metric) + ("%" if _percent(metric) and gap else "")
    return Figure(_number(gap / HUNDRED) if _percent(metric) else _number(gap), fmt, text)
