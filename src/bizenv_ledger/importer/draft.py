"""What the shape parsers build: the ledger's dataclasses, before they are written out."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.domain import County, Indicator, Plan
from .findings import Findings

__all__ = ["CIRCLED", "Draft", "circled_value", "cn_number"]

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(slots=True)
class Draft:
    plan: Plan
    indicators: list[Indicator] = field(default_factory=list)
    counties: list[County] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    year: int = 0  # the plan's year: what a month without a year belongs to


def circled_value(ch: str) -> int:
    return CIRCLED.index(ch) + 1


def cn_number(text: str) -> int | None:
    """一 … 九十九 as an int; None for anything else."""
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
