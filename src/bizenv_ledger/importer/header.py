"""The notice header: 发文机关, 文号, title, 主送机关 and the date, read from the text before 一、."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["DOC_NUMBER", "Header", "parse_header"]

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_NOTICE = re.compile(r"关于印发(?P<title>.+?)的通知")
_QUOTED = re.compile(r"《(?P<title>[^》]{4,60})》")
_TITLE_LINE = re.compile(r"[\u4e00-\u9fff\d]{4,60}?(?:方案|清单|计划|分工|要点)")


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    doc_number: str
    issuer: str
    issued: date | None
    addressees: str | None


def parse_header(text: str, tail: str) -> Header:
    """``text`` is the stream before the first section; ``tail`` the document's end (where 落款 is)."""
    # 张掖市…办公室文件张营商办〔2022〕3号: the 文号 starts after the masthead's 文件
    masthead = text.find("文件", 0, 80)
    number = DOC_NUMBER.search(text, masthead + 2 if masthead >= 0 else 0)
    issuer = ""
    if number:
        issuer = text[: masthead if masthead >= 0 else number.start()].strip()
    title = ""
    addressees = None
    if m := _NOTICE.search(text):
        title = m["title"].strip("《》")
        after = text[m.end() :]
        colon = re.search(r"[:：]", after)
        if colon and colon.start() < 120:
            addressees = after[: colon.start()].strip() or None
    elif m := _QUOTED.search(text):
        title = m["title"]
    elif m := _TITLE_LINE.search(text):
        title = m[0]
    issued = _first_date(text) or _last_date(tail)
    return Header(title, number[0] if number else "", issuer, issued, addressees)


def _first_date(text: str) -> date | None:
    for m in _DATE.finditer(text):
        if (found := _date(m)) is not None:
            return found
    return None


def _last_date(text: str) -> date | None:
    found = None
    for m in _DATE.finditer(text):
        found = _date(m) or found
    return found


def _date(m: re.Match[str]) -> date | None:
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
