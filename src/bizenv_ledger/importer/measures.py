"""One indicator's 整改提升措施: measures ①②… (or one unnumbered measure) with their clauses."""

from __future__ import annotations

import re
from datetime import date

from ..model.domain import Closing, Measure
from .clauses import RESPONSIBILITY, Clause, deadline_reads, find_milestones, is_done_before_plan, parse_responsibility
from .draft import CIRCLED, Draft
from .stream import Stream

__all__ = ["build_measure", "parse_measures"]

_SINCE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起")


def _segments(text: str) -> list[tuple[int, int, int]]:
    """(number, start, end) of each ①②… item, in sequence; one item numbered 1 when there are none."""
    marks: list[tuple[int, int]] = []
    for pos, ch in enumerate(text):
        if ch in CIRCLED and CIRCLED.index(ch) == len(marks):
            marks.append((len(marks) + 1, pos))
    if not marks:
        return [(1, 0, len(text))]
    return [(n, pos + 1, marks[k + 1][1] if k + 1 < len(marks) else len(text)) for k, (n, pos) in enumerate(marks)]


def parse_measures(stream: Stream, start: int, end: int, number: int, draft: Draft) -> list[Measure]:
    text = stream.text[start:end]
    segments = _segments(text)
    preamble = text[: segments[0][1] - 1].strip() if text[segments[0][1] - 1 : segments[0][1]] == "①" else ""
    if preamble:
        draft.findings.skip(stream.label(start), preamble, f"第 {number} 项指标措施 ① 之前的引导语，不是措施")
    measures: list[Measure] = []
    pending: list[tuple[int, str, int]] = []  # items still waiting for the clause that follows them
    for value, seg_start, seg_end in segments:
        segment = text[seg_start:seg_end]
        clause_match = RESPONSIBILITY.search(segment)
        if clause_match is None:
            pending.append((value, segment.strip(), start + seg_start))
            continue
        clause = parse_responsibility(clause_match["body"])
        for earlier_value, earlier_text, at in pending:
            where = stream.label(at)
            message = f"措施 {number}.{earlier_value} 没有自己的责任单位与完成时限，按其后 {number}.{value} 的条款读作同一条款"
            draft.findings.unsure("条款", where, earlier_text, message)
            measures.append(build_measure(f"{number}.{earlier_value}", earlier_text, clause, at, stream, draft))
        pending.clear()
        own_text = segment[: clause_match.start()].strip()
        measures.append(build_measure(f"{number}.{value}", own_text, clause, start + seg_start, stream, draft))
        rest = segment[clause_match.end() :].strip()
        if rest:
            where = stream.label(start + seg_start + clause_match.end())
            draft.findings.skip(where, rest, f"措施 {number}.{value} 的责任条款之后的文字，未并入措施")
    for value, own_text, at in pending:
        draft.findings.unsure("条款", stream.label(at), own_text, f"措施 {number}.{value} 没有找到责任单位与完成时限")
        measures.append(build_measure(f"{number}.{value}", own_text, None, at, stream, draft))
    return measures


def build_measure(mid: str, text: str, clause: Clause | None, at: int, stream: Stream, draft: Draft) -> Measure:
    where = stream.label(at)
    draft.findings.measure_sources[mid] = where
    units = clause.units if clause else []
    deadline = (clause.deadline if clause else None) or ""
    if clause is not None and not units:
        draft.findings.unsure("单位", where, text, f"措施 {mid} 的责任条款里没有单位")
    if clause is not None and not deadline:
        draft.findings.unsure("完成时限", where, text, f"措施 {mid} 没有写完成时限")
    elif deadline and not deadline_reads(deadline):
        draft.findings.unsure("完成时限", where, deadline, f"措施 {mid} 的完成时限“{deadline}”无法识别，原样保留")
    status: str = "open"
    closing = None
    if deadline and is_done_before_plan(deadline):
        status = "done"
        closing = _closing(text, draft)
        message = f"措施 {mid} 写作“{deadline}”：记为已销号，销号日期 {closing.on.isoformat()}，请核对"
        draft.findings.unsure("已整改", where, text, message)
    milestones = find_milestones(text, draft.year) if status == "open" else []
    return Measure(
        id=mid,
        text=text,
        units=units,
        deadline=deadline,
        and_related=clause.and_related if clause else False,
        deadline_label=clause.label if clause else "完成时限",
        status="done" if status == "done" else "open",
        closing=closing,
        milestones=milestones,
    )


def _closing(text: str, draft: Draft) -> Closing:
    """已整改: closed on the date the text gives (自2021年6月1日起), else on the plan's date."""
    if m := _SINCE.search(text):
        try:
            return Closing(date(int(m[1]), int(m[2]), int(m[3])), "方案印发前已整改（原文“已整改”）")
        except ValueError:
            pass
    return Closing(draft.plan.issued, "方案印发前已整改（原文“已整改”，原文未写日期，取方案印发日期）")
