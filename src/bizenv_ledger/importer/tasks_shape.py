"""The general 任务分工 shape: sections 一、二、 of numbered tasks, each ending in a clause.

Tasks are numbered 1. / （一） / ① or written 一是…二是…; the clause takes the forms
（牵头单位：X；责任单位：Y、Z；完成时限：…）, （责任单位：X、Y，Z按职责分工负责）, （X牵头，Y配合）,
（X负责，6月底前完成）; a deadline may stand at the head of the text (9月底前，…); and
以下各任务均需X落实，不再一一列出 gives X to every task after it. Each section plays an indicator's part.
"""

from __future__ import annotations

import re

from ..model.domain import Indicator, Measure
from .clauses import deadline_reads, find_milestones, split_units
from .draft import CIRCLED, Draft, cn_number
from .plan_shape import Section
from .stream import Stream

__all__ = ["parse_task_sections", "section_has_tasks"]

_CLAUSE_WORDS = ("牵头", "负责", "责任单位", "配合", "完成时限", "完成期限")
_CLAUSE = re.compile(r"[(（](?P<body>[^()（）]{2,200})[)）]")
_MARKERS = {
    "paren": re.compile(r"[(（](?P<n>[一二三四五六七八九十]{1,3})[)）]"),
    "digit": re.compile(r"(?P<n>\d{1,2})[.．、]"),  # 3.9月底前… is task 3: only line starts count
    "circled": re.compile(f"(?P<n>[{CIRCLED}])"),
    "shi": re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})是"),
}
_SHARED = re.compile(r"以下各(?:项)?任务均需(?P<units>.+?)(?:负责)?落实[，,]?不再一一列出[。.]?")
_ROLE_SUFFIX = re.compile(r"(?:按职责分工负责|按职责负责|牵头负责|牵头|负责|配合|参与|协助|协办)$")
_LABELED = re.compile(
    r"^(?P<label>牵头单位|责任单位|配合单位|协办单位|完成时限|完成期限|整改时限|整改期限)\s*[:：]\s*(?P<value>.*)$"
)
_RELATIVE = re.compile(r"^(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月(?:底|末)?|(?P<end>年底|年末))前?(?:完成)?$")
_HEAD_DEADLINE = re.compile(r"^(?P<when>(?:\d{4}年)?(?:\d{1,2}月(?:底|末)?|年底|年末)前)[，,]")


def section_has_tasks(stream: Stream, section: Section) -> bool:
    text = stream.text[section.body : section.end]
    return any(any(w in m["body"] for w in _CLAUSE_WORDS) for m in _CLAUSE.finditer(text))


def _task_spans(stream: Stream, start: int, end: int) -> list[tuple[int, int, int]]:
    """(number, start, end) of each task, by the first numbering style the section uses."""
    for kind, pattern in _MARKERS.items():
        marks: list[tuple[int, int, int]] = []
        for m in pattern.finditer(stream.text, start, end):
            raw = m["n"]
            number = CIRCLED.index(raw) + 1 if kind == "circled" else int(raw) if kind == "digit" else cn_number(raw)
            at_start = stream.at_line_start(m.start()) or kind in {"shi", "circled"}
            if number == len(marks) + 1 and at_start:
                marks.append((number, m.start(), m.end()))
        if marks:
            return [(n, body, marks[k + 1][1] if k + 1 < len(marks) else end) for k, (n, _, body) in enumerate(marks)]
    return []


def parse_task_sections(stream: Stream, sections: list[Section], draft: Draft) -> None:
    duties = [(m.start(), split_units(m["units"])[0], m) for m in _SHARED.finditer(stream.text)]
    for at, units, m in duties:
        draft.findings.notes.append(f"{stream.label(at)}：“{m[0]}”——其后每项任务都加上{'、'.join(units)}")
    for section in sections:
        number = len(draft.indicators) + 1
        measures = []
        for k, (_n, start, end) in enumerate(_task_spans(stream, section.body, section.end), start=1):
            # 以下各任务…: the tasks after it in its own section
            shared = [u for at, units, _ in duties if section.body <= at < start for u in units]
            text = _SHARED.sub("", stream.text[start:end])
            measures.append(_task(f"{number}.{k}", text.strip(), shared, stream.label(start), draft))
        draft.indicators.append(Indicator(number=number, name=section.title, measures=measures))


def _task(mid: str, text: str, shared: list[str], where: str, draft: Draft) -> Measure:
    draft.findings.measure_sources[mid] = where
    clause = None
    for m in _CLAUSE.finditer(text):
        if any(w in m["body"] for w in _CLAUSE_WORDS):
            clause = m
    units: list[str] = []
    deadline = None
    and_related = False
    body_text = text
    if clause is not None:
        units, deadline, and_related = _clause(clause["body"])
        # 一是…（…）；二是…: the separator after the clause is not part of the task
        body_text = (text[: clause.start()] + text[clause.end() :]).strip().rstrip("；;，,")
    else:
        draft.findings.unsure("条款", where, text, f"任务 {mid} 没有找到责任条款（牵头单位、责任单位、完成时限）")
    if deadline is None and (head := _HEAD_DEADLINE.match(body_text)):
        deadline = head["when"]
    units += [u for u in shared if u not in units]
    written = _with_year(deadline, draft.year) if deadline else ""
    if deadline and written != deadline:
        draft.findings.notes.append(f"{where}：任务 {mid} 的时限“{deadline}”未写年份，记为“{written}”（方案年度）")
    if not written:
        draft.findings.unsure("完成时限", where, text, f"任务 {mid} 没有写完成时限")
    elif not deadline_reads(written):
        draft.findings.unsure("完成时限", where, written, f"任务 {mid} 的完成时限“{written}”无法识别，原样保留")
    if not units:
        draft.findings.unsure("单位", where, text, f"任务 {mid} 没有责任单位")
    return Measure(
        mid, body_text, units, written, and_related=and_related, milestones=find_milestones(body_text, draft.year)
    )


def _clause(body: str) -> tuple[list[str], str | None, bool]:
    units: list[str] = []
    deadline = None
    and_related = False
    for part in re.split(r"[；;]", body):
        labelled = _LABELED.match(part.strip())
        if labelled and labelled["label"].endswith(("时限", "期限")):
            deadline = labelled["value"].strip()
            continue
        value = labelled["value"] if labelled else part
        for piece in re.split(r"[，,]", value):
            piece = piece.strip()
            if _RELATIVE.match(piece) or re.match(r"^\d{4}年", piece):
                deadline = piece
                continue
            names, related = split_units(_ROLE_SUFFIX.sub("", piece))
            and_related = and_related or related
            units += [_ROLE_SUFFIX.sub("", n) for n in names if n not in units]
    return [u for u in units if u], deadline, and_related


def _with_year(deadline: str, year: int) -> str:
    """6月底前完成 → 2022年6月; 年底前 → 2022年底; a deadline with its year stays as written."""
    m = _RELATIVE.match(deadline)
    if not m or m["year"] or not year:
        return deadline.removesuffix("完成")
    return f"{year}年底" if m["end"] else f"{year}年{int(m['month'])}月"
