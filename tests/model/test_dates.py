from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bizenv_ledger.model.dates import (
    DeadlineError,
    add_months,
    end_of_month,
    parse_as_of,
    parse_deadline,
    parse_window,
    today_in_shanghai,
)


@pytest.mark.parametrize(
    ("written", "due", "ongoing"),
    [
        ("2022年12月", date(2022, 12, 31), False),
        ("2022 年 11 月", date(2022, 11, 30), False),
        ("2022年底", date(2022, 12, 31), False),
        ("2022年9月，长期坚持", date(2022, 9, 30), True),
        ("2022年9月,长期坚持", date(2022, 9, 30), True),
        ("2022年2月", date(2022, 2, 28), False),
        ("2024年2月", date(2024, 2, 29), False),
        ("2022-08-15", date(2022, 8, 15), False),
        ("2022年8月15日", date(2022, 8, 15), False),
        ("2022年第三季度", date(2022, 9, 30), False),
        ("2022年上半年", date(2022, 6, 30), False),
    ],
)
def test_parse_deadline__resolves_to_end_of_named_period(written: str, due: date, ongoing: bool) -> None:
    deadline = parse_deadline(written)
    assert deadline.due == due
    assert deadline.ongoing is ongoing
    assert deadline.written == written


def test_parse_deadline__already_done_has_no_due_date() -> None:
    deadline = parse_deadline("已整改")
    assert deadline.done_before_plan and deadline.due is None


@pytest.mark.parametrize("written", ["2022年13月", "明年", "", "2022-02-30", "2022年9月，2022年12月"])
def test_parse_deadline__unreadable_is_an_error_with_examples(written: str) -> None:
    with pytest.raises(DeadlineError, match="可写作"):
        parse_deadline(written)


@pytest.mark.parametrize(
    "text", ["2022-10-01", "2022/10/1", "2022年10月1日", "20221001", "２０２２－１０－０１", " 2022.10.01 "]
)
def test_parse_as_of__accepts_the_usual_forms(text: str) -> None:
    assert parse_as_of(text) == date(2022, 10, 1)


@pytest.mark.parametrize("text", ["2022-13-01", "yesterday", "10/1/2022", "2022-02-29"])
def test_parse_as_of__rejects_nonsense(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_as_of(text)


@pytest.mark.parametrize(
    ("text", "days"),
    [("7", 7), ("7d", 7), ("2w", 14), ("30天", 30), ("2周", 14), ("1m", 31), ("1个月", 31), ("3m", 92)],
)
def test_parse_window__days_weeks_months(text: str, days: int) -> None:
    assert parse_window(text, date(2022, 10, 1)) == days  # October has 31 days; Oct 1 to Jan 1 is 92


def test_parse_window__a_month_from_the_31st_ends_at_the_next_months_last_day() -> None:
    assert parse_window("1m", date(2022, 1, 31)) == 28  # to 2022-02-28, not 30 days to 2022-03-02
    assert parse_window("1m", date(2024, 1, 31)) == 29  # a leap year
    assert parse_window("2m", date(2022, 12, 31)) == 59  # to 2023-02-28


def test_parse_window__rejects_garbage() -> None:
    with pytest.raises(DeadlineError, match="1m"):
        parse_window("soon", date(2022, 10, 1))


@pytest.mark.parametrize(
    ("year", "month", "last"), [(2022, 2, 28), (2024, 2, 29), (2100, 2, 28), (2022, 12, 31), (2022, 4, 30)]
)
def test_end_of_month__knows_february_and_leap_years(year: int, month: int, last: int) -> None:
    assert end_of_month(year, month) == date(year, month, last)


def test_add_months__clamps_to_the_shorter_month() -> None:
    assert add_months(date(2022, 1, 31), 1) == date(2022, 2, 28)
    assert add_months(date(2022, 3, 31), -1) == date(2022, 2, 28)
    assert add_months(date(2022, 11, 15), 2) == date(2023, 1, 15)


def test_today_in_shanghai__late_utc_evening_is_next_day_in_shanghai() -> None:
    assert today_in_shanghai(datetime(2022, 9, 30, 16, 30, tzinfo=UTC)) == date(2022, 10, 1)
    assert today_in_shanghai(datetime(2022, 9, 30, 15, 59, tzinfo=UTC)) == date(2022, 9, 30)


@pytest.mark.parametrize(
    "written",
    ["0000年底", "0000年11月", "0000年12月底", "0000-01-01", "0000年第四季度", "0000年下半年", "0000年9月，长期坚持"],
)
def test_parse_deadline__year_0000_is_unreadable_not_a_crash(written: str) -> None:
    """date() holds years 1–9999: the year 0 used to escape as ValueError: year 0 is out of range."""
    with pytest.raises(DeadlineError, match="无法识别的完成时限"):
        parse_deadline(written)


def test_parse_deadline__the_last_year_date_can_hold_is_still_a_deadline() -> None:
    assert parse_deadline("9999年底").due == date(9999, 12, 31)
    assert parse_deadline("9999年第四季度").due == date(9999, 12, 31)
