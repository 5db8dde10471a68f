"""Figures and yes/no facts in an indicator's texts, each with the phrase it was read from.

Only what is written is read: a number with its unit (2个环节, 0.5天, 28.07%, 110-180元), the
bounds around it (最多不超过60天 and 5日内 are at most; 110家以上 at least), numbers spelt in
Chinese where the plan spells them (三个月内, 百分之十, 全省第二), and clauses without a number as
yes/no facts (免费刻章 true; 暂未建成海关工作点 false). Pairing the facts across 全省最优目标,
目前现状 and 整改提升目标 is metrics.py's work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..model.domain import Bound, Range, Value
from .draft import cn_number

__all__ = ["YES_NO", "Fact", "read_facts"]

YES_NO = "是/否"

# Longest first, so that 个工作日 is not read as 日. The second value is data/'s spelling.
_UNITS = {
    "微克/立方米": "微克/立方米",
    "个工作日": "个工作日",
    "工作日": "个工作日",
    "个环节": "个环节",
    "个事项": "项",
    "份材料": "份材料",
    "份资料": "份材料",
    "个部门": "个部门",
    "个月": "个月",
    "小时": "小时",
    "场次": "场次",
    "万元": "万元",
    "亿元": "亿元",
    "部门": "个部门",
    "元": "元",
    "天": "天",
    "日": "天",
    "周": "周",
    "件": "件",
    "项": "项",
    "次": "次",
    "种": "种",
    "家": "家",
    "户": "户",
    "个": "个",
    "人": "人",
    "分": "分",
    "%": "%",
    "％": "%",
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_NUM = r"\d+(?:\.\d+)?"
_CN = "一二三四五六七八九十两"
_FIGURE = re.compile(
    rf"(?<![\d.])(?P<a>{_NUM})(?:\s*[-－~～至](?P<b>{_NUM}))?\s*(?P<unit>{_UNIT_RE})"
    rf"|百分之(?P<pct>[{_CN}]+)"
    rf"|(?<![{_CN}第])(?P<cn>[{_CN}]+)(?P<cnunit>个月)"
    rf"|全省第(?P<rank>[{_CN}]+|\d+)名?"
)
_AT_MOST_AFTER = re.compile(r"^(?:以内|之内|内)")
_AT_LEAST_AFTER = re.compile(r"^(?:以上)")
_AT_MOST_BEFORE = re.compile(r"(?:最多不超过|不超过|不得超过|最长不超过|控制在)$")
_AT_LEAST_BEFORE = re.compile(r"(?:不低于|不少于|至少)$")
_BOUND_WORDS = re.compile(r"^(?:以内|之内|内|以上)")
_CLAUSE = re.compile(r"[，,；;。：:！!？?]")
_SENTENCE = re.compile(r"[。；;]")
_NEGATIVE = re.compile(r"未|没有|尚无|正在.*建设|仅限|短板|不够|不足")
_FILLER_HEAD = re.compile(r"^(?:[(（]?其中[)）]?|目前|年内|力争|同时|并|且|但|已|\d{4}年(?:底|末)?|\d+月末)+")
_FILLER_TAIL = re.compile(
    r"(?:为|达到|达|均为|增至|提高到|降至|最高为|最低为|最短为|控制在|在|优化提升到|共|累计为|保持在|各)+$"
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure or yes/no fact of one part (best / baseline / target) of an indicator."""

    part: str
    name: str  # the words before the figure in its clause, for pairing and for the metric's name
    unit: str
    value: Value
    phrase: str  # the clause it was read from: the metric's ``source``
    context: str  # the sentence around it, for pairing when the name says little
    order: int
    weak: bool = False  # read from 存在的问题, not from the three parts: paired only when it says the same


def read_facts(text: str, part: str, *, yes_no: bool = True) -> list[Fact]:
    facts: list[Fact] = []
    for sentence in _SENTENCE.split(text):
        for clause in _CLAUSE.split(sentence):
            clause = clause.strip(" （）()")
            if not clause:
                continue
            found = _figures(clause, part, sentence, len(facts))
            if not found and yes_no:
                found = _yes_no(clause, part, sentence, len(facts))
            facts.extend(found)
    return facts


def _figures(clause: str, part: str, sentence: str, order: int) -> list[Fact]:
    facts: list[Fact] = []
    previous_end = 0
    for m in _FIGURE.finditer(clause):
        if _is_date(clause, m):
            continue
        unit, value = _value(m)
        before, after = clause[: m.start()], clause[m.end() :]
        if isinstance(value, Decimal):
            if _AT_MOST_AFTER.match(after) or _AT_MOST_BEFORE.search(before):
                value = Bound(at_most=value)
            elif _AT_LEAST_AFTER.match(after) or _AT_LEAST_BEFORE.search(before):
                value = Bound(at_least=value)
        raw_name = clause[previous_end : m.start()]
        previous_end = m.end()
        if _FIGURE.search(after) is None:  # the last figure: 5天启动破产程序 is named by what follows too
            raw_name += _BOUND_WORDS.sub("", after)
        if unit == "次" and raw_name.endswith("场次达"):
            unit = "场次"  # 招聘会的场次达418次
        for name in _names(raw_name):
            facts.append(Fact(part, name, unit, value, clause, sentence, order + len(facts)))
    return facts


def _is_date(clause: str, m: re.Match[str]) -> bool:
    """2021年, 5月末, 每月20日: a date, not a figure."""
    if m["a"] is None:
        return False
    follows = clause[m.end("a") : m.end("a") + 1]
    return (follows in "年月" and follows != "") or (m["unit"] == "日" and clause[: m.start()].endswith("月"))


def _value(m: re.Match[str]) -> tuple[str, Value]:
    if m["pct"]:
        return "%", Decimal(cn_number(m["pct"]) or 0)
    if m["cn"]:
        return "个月", Decimal(cn_number(m["cn"].replace("两", "二")) or 0)
    if m["rank"]:
        rank = m["rank"]
        return "名", Decimal(rank) if rank.isdigit() else Decimal(cn_number(rank) or 0)
    unit = _UNITS[m["unit"]]
    if m["b"]:
        return unit, Range(Decimal(m["a"]), Decimal(m["b"]))
    return unit, Decimal(m["a"])


def _names(raw: str) -> list[str]:
    """The words before a figure; ``X、Y各`` and ``X和Y均为`` name each of X and Y."""
    name = _FILLER_HEAD.sub("", raw.strip("、和及 （）()"))
    shared = re.search(r"(?:各|均为|均)$", name)
    name = _FILLER_TAIL.sub("", name).strip("、 ")
    if shared and re.search(r"[、和]", name):
        return [part for part in re.split(r"[、和]", name) if part]
    return [name]


_YES_NO_HEAD = re.compile(
    r"^(?:年内|全面|基本|已全面|已|并|且|但|同时|持续|积极|加快推进|推行|构建|建立了|建立|设立|设置|成立|实现了|实现|完成|达到)+"
)


def _yes_no(clause: str, part: str, sentence: str, order: int) -> list[Fact]:
    """A clause without a number, short enough to be a fact rather than an intention."""
    pieces = re.split(r"(?<=”)、(?=“)", clause) if "”、“" in clause else [clause]
    facts: list[Fact] = []
    for piece in pieces:
        if not 4 <= len(piece) <= 40:
            continue
        value = _NEGATIVE.search(piece) is None
        name = _YES_NO_HEAD.sub("", piece) or piece
        facts.append(Fact(part, name, YES_NO, value, piece, sentence, order + len(facts)))
    return facts
