"""A whole plan document: header, 二、总体目标, the indicator section; what else there is, skipped."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..model.domain import Plan
from .draft import Draft
from .goal import parse_goal
from .header import parse_header
from .plan_shape import PART, Section, find_sections, indicator_heads, parse_indicators
from .stream import Stream
from .tasks_shape import parse_task_sections, section_has_tasks

__all__ = ["NO_DATE", "parse_plan"]

NO_DATE = date(1, 1, 1)  # the plan's date was not found: written as "" so that `ledger check` says so


def parse_plan(stream: Stream, draft: Draft) -> None:
    sections = find_sections(stream)
    header_end = sections[0].start if sections else len(stream.text)
    header = parse_header(stream.text[:header_end], stream.text[-400:])
    where = stream.label(0)
    if not header.doc_number:
        draft.findings.unsure("发文信息", where, stream.text[:40], "没有找到文号（形如 张营商办〔2022〕3号）")
    if header.issued is None:
        draft.findings.unsure("发文信息", where, stream.text[:40], "没有找到印发日期（形如 2022年7月8日）")
    if not header.title:
        draft.findings.unsure("发文信息", where, stream.text[:40], "没有找到方案标题")
    year = _year(header.title, header.issued, header.doc_number)
    draft.year = year
    draft.plan = Plan(
        title=header.title,
        doc_number=header.doc_number,
        issuer=header.issuer,
        issued=header.issued or NO_DATE,
        addressees=header.addressees,
    )
    if header_end:
        draft.findings.skip(
            f"{stream.label(0)}–{stream.label(max(header_end - 1, 0))}",
            "通知与方案前言",
            "发文信息之外的转发语与前言，不是措施",
        )
    goal_text = None
    if not any(_has_indicators(stream, s.body, s.end) for s in sections):
        _parse_tasks(stream, sections, draft)
        return
    for section in sections:
        if "目标" in section.title and "总体" in section.title:
            goal_text = (
                stream.text[section.body : section.end].removeprefix(section.title),
                stream.label(section.start),
            )
        elif _has_indicators(stream, section.body, section.end):
            parse_indicators(stream, section, draft)
        else:
            span = f"{stream.label(section.start)}–{stream.label(max(section.end - 1, section.start))}"
            draft.findings.skip(span, f"{section.title}", "不含指标与措施（总体要求、保障措施等），未导入")
    if goal_text is not None:
        goal = parse_goal(goal_text[0].strip(), draft.indicators, goal_text[1], draft.findings)
        draft.plan = replace(draft.plan, overall_goal=goal)


def _parse_tasks(stream: Stream, sections: list[Section], draft: Draft) -> None:
    """A 任务分工 plan: each section with tasks plays an indicator's part; the others are skipped."""
    with_tasks = [s for s in sections if section_has_tasks(stream, s)]
    for section in sections:
        if section not in with_tasks:
            span = f"{stream.label(section.start)}–{stream.label(max(section.end - 1, section.start))}"
            draft.findings.skip(span, section.title, "没有带责任条款的任务（总体要求、保障措施等），未导入")
    parse_task_sections(stream, with_tasks, draft)
    if with_tasks:
        draft.findings.notes.append("任务分工方案：每个含任务的部分（一、二、…）记为一项“指标”，没有数字指标项")


def _has_indicators(stream: Stream, start: int, end: int) -> bool:
    heads = indicator_heads(stream, start, end)
    return bool(heads) and PART.search(stream.text, heads[0][2], end) is not None


def _year(title: str, issued: date | None, doc_number: str) -> int:
    if m := re.search(r"(\d{4})年", title):
        return int(m[1])
    if issued is not None:
        return issued.year
    if m := re.search(r"(\d{4})", doc_number):
        return int(m[1])
    return 0
