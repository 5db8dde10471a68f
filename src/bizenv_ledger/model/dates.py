"""Deadline forms, as-of parsing and the Asia/Shanghai today. Pure: the clock is read by the CLI, which passes ``now`` in."""

from __future__ import annotations

import re
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta, timezone
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from .folding import normalise  # here too, where the model has always found it
from .records import record

__all__ = [
    "Deadline",
    "DeadlineError",
    "add_months",
    "end_of_month",
    "normalise",
    "parse_as_of",
    "parse_deadline",
    "parse_window",
    "shown",
    "small_number",
    "today_in_shanghai",
]

# Asia/Shanghai has been UTC+8 without daylight saving since 1991, so a fixed
# offset is exact for every date the ledger can hold and needs no tz database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


class DeadlineError(ValueError):
    """A date or deadline the ledger cannot read."""


@record(eq=True)
class Deadline:
    """A deadline as written, and what it means."""

    written: str
    due: date | None
    ongoing: bool = False  # 长期坚持: completed by ``due``, then 持续推进
    done_before_plan: bool = False  # 已整改


def shown(typed: str, limit: int = 40) -> str:
    """What the user typed, for a message: cut to a readable length, so a pasted page cannot flood it."""
    return typed if len(typed) <= limit else typed[: limit - 1] + "…"


def small_number(text: str, max_digits: int = 9) -> int | None:
    """``text`` as a non-negative int when it is one of a few ASCII digits, else None.

    str.isdigit() is also true of ² and of thousands of digits, where int() raises.
    """
    if text.isascii() and text.isdigit() and len(text) <= max_digits:
        return int(text)
    return None


def end_of_month(year: int, month: int) -> date:
    """The month's last day: 2022-02 → 28th, 2024-02 → 29th (relativedelta's day=31 stops at the month's end)."""
    return date(year, month, 1) + relativedelta(day=31)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day where it is shorter (2022-01-31 + 1 → 2022-02-28)."""
    return day + relativedelta(months=months)


_ONGOING = ("长期坚持", "持续推进", "长期")
_DONE = ("已整改", "已完成")
_YEAR_END = re.compile(r"^(\d{4})年(?:底|末|年底|年末|12月底)前?$")
_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末|份)?前?$")
_DAY = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?前?$")
_QUARTER = re.compile(r"^(\d{4})年(?:第)?([一二三四1234])季度(?:末|底)?前?$")
_HALF = re.compile(r"^(\d{4})年(上|下)半年(?:末|底)?前?$")
_QUARTER_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _period_end(text: str) -> date | None:
    """The last day of the period ``text`` names; None when it names none (or a year such as 0000)."""
    if m := _DAY.match(text):
        return _checked_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YEAR_END.match(text):
        return _checked_date(int(m[1]), 12, 31)
    if m := _MONTH.match(text):
        return _month_end(int(m[1]), int(m[2]))
    if m := _QUARTER.match(text):
        return _month_end(int(m[1]), _QUARTER_NUM[m[2]] * 3)
    if m := _HALF.match(text):
        return _checked_date(int(m[1]), 6, 30) if m[2] == "上" else _checked_date(int(m[1]), 12, 31)
    return None


def _month_end(year: int, month: int) -> date | None:
    if not (1 <= month <= 12 and MINYEAR <= year <= MAXYEAR):  # 0000年11月 is no month at all
        return None
    return end_of_month(year, month)


def _checked_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 2022-02-30, and the year 0000 that date() cannot hold
        return None


@lru_cache(maxsize=1024)  # the same few written forms recur across thousands of measures
def parse_deadline(written: str) -> Deadline:
    """Resolve a written deadline to the end of the period it names.

    2022年12月 → 2022-12-31; 2022年底 → 2022-12-31; 2022年9月，长期坚持 → 2022-09-30 and
    ongoing; 已整改 → done before the plan; an ISO date → itself.
    """
    text = normalise(written)
    if text in _DONE:
        return Deadline(written, None, done_before_plan=True)
    parts = [p for p in re.split(r"[,;，；、]", text) if p]
    ongoing = any(p in _ONGOING for p in parts)
    dated = [p for p in parts if p not in _ONGOING]
    if len(dated) == 1 and (due := _period_end(dated[0])) is not None:
        return Deadline(written, due, ongoing=ongoing)
    msg = f"无法识别的完成时限“{written}”（可写作 2022年12月、2022年底、2022-12-31，或再加“，长期坚持”）"
    raise DeadlineError(msg)


def parse_as_of(text: str) -> date:
    """A date typed on the command line: 2022-10-01, 2022/10/1, 2022年10月1日, 20221001."""
    value = normalise(text)
    if re.fullmatch(r"\d{8}", value):
        value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    m = _DAY.match(value)
    result = _checked_date(int(m[1]), int(m[2]), int(m[3])) if m else None
    if result is None:
        msg = f"无法识别的日期“{shown(text)}”（可写作 2022-10-01、2022/10/1 或 2022年10月1日）"
        raise DeadlineError(msg)
    return result


def parse_window(text: str, as_of: date) -> int:
    """A warning window in days from ``as_of``: 7, 7d, 2w, 7天, 2周; 1m (个月) is a calendar month.

    A month counts from ``as_of`` to the same day next month, or that month's last day:
    from 2022-01-31, ``1m`` is up to 2022-02-28, 28 days.
    """
    value = normalise(text).lower()
    m = re.fullmatch(r"(\d{1,4})(d|w|m|天|日|周|个月|月)?", value)
    if not m:
        msg = f"无法识别的提醒期限“{shown(text)}”（可写作 7、7d、2w、1m、30天）"
        raise DeadlineError(msg)
    count, unit = int(m[1]), m[2] or "d"
    if unit in ("m", "个月", "月"):
        return (add_months(as_of, count) - as_of).days
    return count * (7 if unit in ("w", "周") else 1)


def today_in_shanghai(now: datetime) -> date:
    """The date in Asia/Shanghai at the moment ``now``, whatever the machine's zone."""
    return now.astimezone(SHANGHAI).date()
