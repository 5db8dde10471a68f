"""Responsibility and deadline clauses, unit lists and the dated steps inside a measure's text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.dates import DeadlineError, normalise, parse_deadline
from ..model.domain import Milestone

__all__ = [
    "DEADLINE_LABELS",
    "RESPONSIBILITY",
    "Clause",
    "find_milestones",
    "parse_responsibility",
    "split_units",
]

DEADLINE_LABELS = ("完成时限", "完成期限", "整改时限", "整改期限")
_LABEL = "|".join(DEADLINE_LABELS)
# （责任单位：X、Y，完成时限：2022年12月） in any mix of full- and half-width brackets and colons
RESPONSIBILITY = re.compile(r"[(（]\s*责任单位\s*[:：](?P<body>[^()（）]*)[)）]")
_BODY = re.compile(rf"^(?P<units>.*?)[,，;；]?\s*(?P<label>{_LABEL})\s*[:：]\s*(?P<deadline>.*?)[。.]?$")
_AND_RELATED = re.compile(r"等(?:相关|有关)?(?:部门|单位)$")
_UNIT_SPLIT = re.compile(r"[、，,；;]")


@dataclass(frozen=True, slots=True)
class Clause:
    units: list[str]
    and_related: bool
    deadline: str | None
    label: str


def split_units(text: str) -> tuple[list[str], bool]:
    """责任单位 as written, in order; a list ending in 等相关部门 says so instead of naming a unit."""
    text = text.strip()
    and_related = False
    if m := _AND_RELATED.search(text):
        and_related = True
        text = text[: m.start()]
    names = [name.strip() for name in _UNIT_SPLIT.split(text)]
    return [name for name in names if name], and_related


def parse_responsibility(body: str) -> Clause:
    """The inside of a （责任单位：…，完成时限：…） clause."""
    if m := _BODY.match(body.strip()):
        units, and_related = split_units(m["units"])
        return Clause(units, and_related, m["deadline"].strip() or None, m["label"])
    units, and_related = split_units(body)
    return Clause(units, and_related, None, "完成时限")


def deadline_reads(written: str) -> bool:
    try:
        parse_deadline(written)
    except DeadlineError:
        return False
    return True


# 8月底前…, 6月底前…, 上半年…: a step with its own month inside the measure's text
_STEP = re.compile(r"(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月(?:底|末|份)?前|(?P<half>上|下)半年)")
_CLAUSE_SPLIT = re.compile(r"[，,；;。]")
_LEAD_WORDS = ("确保", "力争", "并", "要", "争取")


def find_milestones(text: str, plan_year: int) -> list[Milestone]:
    """Dated steps in a measure's text; a month without a year takes the plan's year.

    年末… and 年底前… are the measure's own year-end, not a step of it, and are not read as steps.
    """
    steps: list[Milestone] = []
    for clause in _CLAUSE_SPLIT.split(text):
        m = _STEP.search(clause)
        if not m:
            continue
        year = int(m["year"]) if m["year"] else plan_year
        month = int(m["month"]) if m["month"] else (6 if m["half"] == "上" else 12)
        if not 1 <= month <= 12:
            continue
        deadline = f"{year}年{month}月"
        words = clause.strip()
        for lead in _LEAD_WORDS:
            if words.startswith(lead) and len(words) > len(lead) + 2:
                words = words[len(lead) :]
                break
        steps.append(Milestone(words, deadline))
    return steps


def is_done_before_plan(deadline: str) -> bool:
    return normalise(deadline) in {"已整改", "已完成"}
