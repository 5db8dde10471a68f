"""Reporting cycles: the period a date falls in, its due day and window."""

from __future__ import annotations

from datetime import date

from bizenv_ledger.model.domain import Reporting
from bizenv_ledger.queries.cycles import current_period


def test_current_period__monthly_reports_on_the_month_before_by_the_5th() -> None:
    p = current_period(None, date(2022, 10, 3))
    assert (p.first, p.last, p.due, p.label) == (date(2022, 9, 1), date(2022, 9, 30), date(2022, 10, 5), "2022年9月")
    assert p.holds(date(2022, 10, 31)) and not p.holds(date(2022, 9, 30))


def test_current_period__quarterly_reports_on_the_quarter_before() -> None:
    p = current_period(Reporting(cycle="quarterly", due_day=10), date(2023, 1, 20))
    assert (p.first, p.last, p.due, p.label) == (
        date(2022, 10, 1),
        date(2022, 12, 31),
        date(2023, 1, 10),
        "2022年第4季度",
    )
    assert p.window_last == date(2023, 3, 31)


def test_current_period__current_month_cover() -> None:
    p = current_period(Reporting(covers="current", due_day=25), date(2022, 11, 2))
    assert (p.first, p.due) == (date(2022, 11, 1), date(2022, 11, 25))
