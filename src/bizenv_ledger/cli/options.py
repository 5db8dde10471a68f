"""Options and argument parsing shared by the commands: filters, dates, the warning window."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..model.errors import LookupFailed, UsageError
from . import completion
from .app import state

if TYPE_CHECKING:
    from ..queries.measures import Filters

__all__ = [
    "CountyOpt",
    "DueAfterOpt",
    "DueBeforeOpt",
    "GrepOpt",
    "IndicatorOpt",
    "LeadOpt",
    "LedgerOpt",
    "LightOpt",
    "RegistryOpt",
    "SlippedOpt",
    "StatusOpt",
    "UnitOpt",
    "WithinOpt",
    "date_option",
    "find_county",
    "scope",
    "window_option",
]

UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        "-u",
        metavar="单位",
        help="责任单位（全称、别名或唯一片段；集合单位的成员也算）。",
        autocompletion=completion.units,
    ),
]
IndicatorOpt = Annotated[
    str | None,
    typer.Option(
        "--indicator",
        "-i",
        metavar="指标",
        help="指标（编号、全称、简称或唯一片段）。",
        autocompletion=completion.indicators,
    ),
]
LeadOpt = Annotated[bool, typer.Option("--lead", help="只看该单位牵头的措施。")]
WithinOpt = Annotated[
    str,
    typer.Option(
        "--within",
        "-w",
        metavar="期限",
        help="临期提醒窗口：7、7d、2w、30天，或 1m（一个日历月，如 1月31日起到 2月28日）。",
    ),
]

_LIGHTS = ("red", "yellow", "green", "pending", "done", "ongoing")
# What people type for a light or a status: the English words of the JSON contract, or the Chinese on the screen.
_LIGHT_WORDS = {
    **{x: x for x in _LIGHTS},
    "红": "red", "红灯": "red", "逾期": "red", "黄": "yellow", "黄灯": "yellow", "临期": "yellow",
    "绿": "green", "绿灯": "green", "待复核": "pending", "已销号": "done", "销号": "done", "持续推进": "ongoing",
}  # fmt: skip
_STATUS_WORDS = {"open": "open", "未完成": "open", "done": "done", "已完成": "done", "已销号": "done"}

StatusOpt = Annotated[
    str | None,
    typer.Option(
        "--status",
        metavar="状态",
        help="open（未完成）或 done（已完成），也可直接写中文。",
        autocompletion=completion.statuses,
    ),
]
LightOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--light",
        metavar="灯色",
        help="red（红灯）、yellow（黄灯）、green（绿灯）、pending（待复核）、done（已销号）、ongoing（持续推进），可多次给出。",
        autocompletion=completion.lights,
    ),
]
DueBeforeOpt = Annotated[str | None, typer.Option("--due-before", metavar="日期", help="到期日早于该日。")]
DueAfterOpt = Annotated[str | None, typer.Option("--due-after", metavar="日期", help="到期日晚于该日。")]
CountyOpt = Annotated[
    str | None,
    typer.Option(
        "--county",
        metavar="县区",
        help="县区（如 临泽县）：该县区的措施及交给该县区政府的市级措施。",
        autocompletion=completion.counties,
    ),
]
SlippedOpt = Annotated[bool, typer.Option("--slipped", help="只看延期过的措施。")]
GrepOpt = Annotated[
    str | None,
    typer.Option(
        "--grep",
        "-g",
        metavar="文字",
        help="只看措施文本、编号或责任单位中含有该文字的措施（不分全角半角、大小写，忽略空格）。",
    ),
]
RegistryOpt = Annotated[
    Path | None,
    typer.Option(
        "--units", metavar="文件", help="已有的责任单位登记表（units.yaml）：文件中的写法按其名称与别名解析。"
    ),
]
LedgerOpt = Annotated[
    list[str] | None,
    typer.Option("--ledger", metavar="台账名", help="工作区中只看这些台账（台账名，如 临泽县），可多次给出。"),
]


def date_option(text: str | None, name: str) -> date | None:
    """A date option such as --due-before; a bad one is a usage error naming the option."""
    from ..model.dates import DeadlineError
    from ..model.dates import parse_as_of as parse

    if text is None:
        return None
    try:
        return parse(text)
    except DeadlineError as exc:
        raise UsageError(f"{name}：{exc}") from None


def window_option(text: str, as_of: date) -> int:
    """The --within warning window in days from ``as_of`` (a month is a calendar month)."""
    from ..model.dates import DeadlineError, parse_window

    try:
        return parse_window(text, as_of)
    except DeadlineError as exc:
        raise UsageError(f"--within：{exc}") from None


def _given(text: str | None, name: str) -> str | None:
    """An option's text; given but blank (``--unit ""``) is a usage error, not "no filter"."""
    from ..model.dates import normalise

    if text is not None and not normalise(text):
        raise UsageError(f"{name} 不能为空")
    return text


def _status(text: str | None) -> str | None:
    from ..model.dates import normalise

    if text is None:
        return None
    status = _STATUS_WORDS.get(normalise(text).lower())
    if status is None:
        raise UsageError(f"--status 只能是 open（未完成）或 done（已完成），而不是“{text}”")
    return status


def _lights(texts: list[str] | None) -> frozenset[str] | None:
    from ..model.dates import normalise

    if not texts:
        return None
    wrong = [t for t in texts if normalise(t).lower() not in _LIGHT_WORDS]
    if wrong:
        msg = f"--light 只能是 red、yellow、green、pending、done、ongoing（或红灯、黄灯、绿灯、待复核、已销号、持续推进），而不是“{'、'.join(wrong)}”"
        raise UsageError(msg)
    return frozenset(_LIGHT_WORDS[normalise(t).lower()] for t in texts)


def find_county(names: list[str], typed: str) -> str:
    """A county of the ledger by name or unique fragment (临泽 → 临泽县)."""
    from ..model.dates import normalise

    key = normalise(typed)
    exact = [n for n in names if normalise(n) == key]
    found = exact or [n for n in names if key in normalise(n)]
    if len(found) == 1:
        return found[0]
    have = f"（台账中有：{'、'.join(names)}）" if names else "（台账中还没有县区清单）"
    # an unknown name is a lookup that failed (exit 1), as for --unit and --indicator
    raise LookupFailed(f"--county：台账中没有县区“{typed}”{have}", found or names)


def scope(
    *,
    indicator: str | None = None,
    unit: str | None = None,
    lead: bool = False,
    status: str | None = None,
    light: list[str] | None = None,
    due_before: str | None = None,
    due_after: str | None = None,
    county: str | None = None,
    slipped: bool = False,
    grep: str | None = None,
    only: list[str] | None = None,
) -> tuple[Filters, str]:
    """The read side's filters from the options, and a Chinese label saying what they select."""
    from ..model.names import UnitIndex, find_indicator
    from ..queries.measures import Filters
    from ..render.values import LIGHT_LABELS, STATUS_LABELS

    indicator, unit = _given(indicator, "--indicator"), _given(unit, "--unit")
    county, grep = _given(county, "--county"), _given(grep, "--grep")
    status = _status(status)
    lights = _lights(light)
    if lead and unit is None:
        raise UsageError("--lead 需要同时给出 --unit")
    before, after = date_option(due_before, "--due-before"), date_option(due_after, "--due-after")
    if before is not None and after is not None and (before - after).days <= 1:
        msg = (
            f"--due-after {after.isoformat()} 与 --due-before {before.isoformat()} 之间没有日期"
            "（两者都不含当天），这样筛选不出任何措施；是不是把两个日期写反了？"
        )
        raise UsageError(msg)
    state().select(only)
    ledger = state().ledger()
    if county is not None:
        # in a workspace two ledgers may both hold a county's list: each county is one choice
        county = find_county(list(dict.fromkeys(c.county for c in ledger.counties)), county)
    ind = find_indicator(ledger, indicator) if indicator is not None else None
    canon = UnitIndex.build(ledger.registry).find(unit) if unit is not None else None
    parts = [
        f"指标：{ind.name}" if ind else "",
        f"责任单位：{canon}（{'牵头' if lead else '含牵头与配合'}）" if canon else "",
        f"状态：{STATUS_LABELS[status]}" if status else "",
        f"灯色：{'、'.join(LIGHT_LABELS[x] for x in _LIGHTS if x in lights)}" if lights else "",
        f"到期日早于 {before.isoformat()}" if before else "",
        f"到期日晚于 {after.isoformat()}" if after else "",
        f"县区：{county}" if county else "",
        "仅延期过的措施" if slipped else "",
        f"含“{grep}”" if grep else "",
        f"台账：{'、'.join(sorted(state().only or ()))}" if only else "",
    ]
    flt = Filters(
        indicator=ind.number if ind else None, unit=canon, lead=lead, status=status, lights=lights,
        due_before=before, due_after=after, county=county, slipped=slipped, grep=grep,
    )  # fmt: skip
    return flt, "；".join(p for p in parts if p)
