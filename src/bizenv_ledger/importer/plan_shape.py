"""The plan's own shape: 一、… sections, indicators （一）…（十八） with their parts, measures ①②….

Everything works on the joined ``Stream`` (see stream.py), so a page break or a re-wrap anywhere
changes nothing: headings are found at line starts, parts by their labels, measures by their
circled numbers, responsibility clauses by 责任单位.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.domain import Indicator
from .draft import Draft, cn_number
from .measures import parse_measures
from .stream import Stream

__all__ = ["PART", "Section", "find_sections", "parse_indicators"]

_PART_LABELS = {
    "best": ("全省最优目标", "全省最优", "全省最佳表现", "全省最佳"),
    "current": ("我市目前现状", "我县目前现状", "目前现状", "现状"),
    "problems": ("存在的问题", "存在问题", "主要问题"),
    "target": ("整改提升目标", "提升目标", "整改目标"),
    "measures": ("整改提升措施", "提升措施", "整改措施", "主要措施", "工作措施"),
}
_LABEL_KIND = {label: kind for kind, labels in _PART_LABELS.items() for label in labels}
_ALTERNATIVES = "|".join(sorted(_LABEL_KIND, key=len, reverse=True))
PART = re.compile(rf"(?P<n>\d{{1,2}})\s*[.．、]\s*(?P<label>{_ALTERNATIVES})\s*[:：]")
_SECTION = re.compile(r"(?P<num>[一二三四五六七八九十]{1,3})、")
_INDICATOR = re.compile(r"[(（](?P<num>[一二三四五六七八九十]{1,3})[)）]")


@dataclass(frozen=True, slots=True)
class Section:
    number: int
    start: int  # where the heading starts
    body: int  # where its text starts
    end: int
    title: str


def find_sections(stream: Stream, start: int = 0, end: int | None = None) -> list[Section]:
    """一、 二、 … at line starts, in sequence (a stray 三、 inside a sentence is not a heading)."""
    end = len(stream.text) if end is None else end
    found: list[tuple[int, int, int]] = []
    for m in _SECTION.finditer(stream.text, start, end):
        number = cn_number(m["num"])
        if number == len(found) + 1 and stream.at_line_start(m.start()):
            found.append((number, m.start(), m.end()))
    sections = []
    for k, (number, head, body) in enumerate(found):
        stop = found[k + 1][1] if k + 1 < len(found) else end
        sections.append(Section(number, head, body, stop, _title(stream, body, stop)))
    return sections


def _title(stream: Stream, body: int, stop: int) -> str:
    line_end = min(stream.next_start(body), stop)
    text = stream.text[body:line_end]
    return re.split(r"[。；]", text, maxsplit=1)[0][:40]


def indicator_heads(stream: Stream, start: int, end: int) -> list[tuple[int, int, int]]:
    """（一）（二）… at line starts, in sequence: (number, heading start, name start)."""
    heads: list[tuple[int, int, int]] = []
    for m in _INDICATOR.finditer(stream.text, start, end):
        number = cn_number(m["num"])
        if number == len(heads) + 1 and stream.at_line_start(m.start()):
            heads.append((number, m.start(), m.end()))
    return heads


def parse_indicators(stream: Stream, section: Section, draft: Draft) -> None:
    heads = indicator_heads(stream, section.body, section.end)
    for k, (number, _head, name_at) in enumerate(heads):
        stop = heads[k + 1][1] if k + 1 < len(heads) else section.end
        draft.indicators.append(_indicator(stream, number, name_at, stop, draft))


def _indicator(stream: Stream, number: int, start: int, stop: int, draft: Draft) -> Indicator:
    parts = list(PART.finditer(stream.text, start, stop))
    name = stream.text[start : parts[0].start() if parts else stream.next_start(start)].strip()
    texts: dict[str, tuple[int, int]] = {}
    for k, m in enumerate(parts):
        kind = _LABEL_KIND[m["label"]]
        end = parts[k + 1].start() if k + 1 < len(parts) else stop
        if kind in texts:
            draft.findings.unsure(
                "结构", stream.label(m.start()), m[0], f"第 {number} 项指标有两处“{m['label']}”，只取第一处"
            )
            continue
        texts[kind] = (m.end(), end)
    if not parts:
        draft.findings.unsure(
            "结构", stream.label(start), name, f"第 {number} 项指标没有找到“全省最优目标”“整改提升措施”等部分"
        )

    def part(kind: str) -> str:
        span = texts.get(kind)
        return stream.text[span[0] : span[1]].strip() if span else ""

    measures = []
    if "measures" in texts:
        measures = parse_measures(stream, *texts["measures"], number, draft)
    else:
        draft.findings.unsure(
            "结构", stream.label(start), name, f"第 {number} 项指标没有“整改提升措施”部分，未导入措施"
        )
    return Indicator(
        number=number,
        name=name,
        best=part("best"),
        current=part("current"),
        target=part("target"),
        problems=split_numbered(part("problems")),
        measures=measures,
    )


_CIRCLED_ITEM = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")


def split_numbered(text: str) -> list[str]:
    """①…②… (or 1.…2.… in a county cell) as separate entries, without their numbers."""
    if not text:
        return []
    if _CIRCLED_ITEM.match(text):
        return [item.strip() for item in _CIRCLED_ITEM.split(text) if item.strip()]
    return [text]
