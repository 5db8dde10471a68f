"""Reporting cycles: 每月5日前 on the month before, 每季度 at the quarter's end, read strictly."""

from __future__ import annotations

from datetime import date

import pytest

from bizenv_ledger.model.cycles import parse_cycle, reporting_periods
from bizenv_ledger.model.dates import DeadlineError


def test_reporting_periods__monthly_by_the_5th_of_the_next_month() -> None:
    periods = reporting_periods("每月5日前", date(2022, 6, 15), date(2022, 12, 31))
    assert [p.label for p in periods] == [f"2022年{m}月" for m in range(6, 13)]
    june, feb = periods[0], reporting_periods("每月5日前", date(2024, 2, 1), date(2024, 2, 1))[0]
    assert (june.first, june.last, june.due) == (date(2022, 6, 1), date(2022, 6, 30), date(2022, 7, 5))
    assert periods[-1].due == date(2023, 1, 5)  # December reports in the new year
    assert (feb.last, feb.due) == (date(2024, 2, 29), date(2024, 3, 5))


def test_reporting_periods__quarterly_on_calendar_quarters() -> None:
    periods = reporting_periods("每季度", date(2022, 5, 20), date(2023, 1, 1))
    assert [p.label for p in periods] == ["2022年第二季度", "2022年第三季度", "2022年第四季度", "2023年第一季度"]
    assert [(p.first, p.last, p.due) for p in periods[:2]] == [
        (date(2022, 4, 1), date(2022, 6, 30), date(2022, 6, 30)),
        (date(2022, 7, 1), date(2022, 9, 30), date(2022, 9, 30)),
    ]
    assert reporting_periods("每季度10日前", date(2022, 10, 1), date(2022, 12, 31))[0].due == date(2023, 1, 10)


def test_reporting_periods__halves_and_years() -> None:
    assert [p.label for p in reporting_periods("每半年", date(2022, 3, 1), date(2022, 12, 31))] == [
        "2022年上半年",
        "2022年下半年",
    ]
    (year,) = reporting_periods("每年", date(2022, 3, 1), date(2022, 12, 31))
    assert (year.first, year.last, year.due) == (date(2022, 1, 1), date(2022, 12, 31), date(2022, 12, 31))


def test_reporting_periods__an_empty_span_has_none() -> None:
    assert reporting_periods("每月", date(2022, 10, 1), date(2022, 9, 30)) == []


@pytest.mark.parametrize("text", ["每月５日前", "每 季度", "每月5号前"])
def test_parse_cycle__full_width_and_spaces_do_not_matter(text: str) -> None:
    assert parse_cycle(text).months in (1, 3)


@pytest.mark.parametrize("text", ["每周", "每月底", "月报", "每月31日前", "每季度0日前", "5日前", ""])
def test_parse_cycle__only_the_documented_forms(text: str) -> None:
    with pytest.raises(DeadlineError, match="可写作"):
        parse_cycle(text)
