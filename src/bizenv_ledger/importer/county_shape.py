"""The county responsibility list: a table of 序号, 指标, 全省最佳表现, 存在问题, 责任领导, 责任单位.

The table comes as cell lines (a tab starts a cell; a line without one continues it), which is how
its text export looks and how the Word and PDF readers hand tables over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..model.domain import County, CountyIndicator
from .clauses import split_units
from .draft import Draft
from .sources import SourceLine
from .stream import FOOTER, clean_line

__all__ = ["is_county_list", "parse_county"]

_COLUMNS = {
    "序号": "number",
    "指标": "name",
    "指标名称": "name",
    "全省最佳表现": "best",
    "全省最优目标": "best",
    "全省最优": "best",
    "存在问题": "problems",
    "存在的问题": "problems",
    "责任领导": "leader",
    "责任单位": "units",
}
_ROLE = re.compile(r"^(?P<role>组长单位|副组长单位|成员单位|牵头单位|配合单位)\s*[:：]\s*(?P<names>.*)$")
_ROLE_FIELD = {
    "组长单位": "lead",
    "牵头单位": "lead",
    "副组长单位": "deputy",
    "成员单位": "member",
    "配合单位": "member",
}
_ITEM = re.compile(r"^\d{1,2}\s*[.．、]\s*")
_SIGNATURE = re.compile(r"^(?P<issuer>.+?)(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:印发)?$")
_COUNTY = re.compile(r"^(?P<county>[\u4e00-\u9fff]{1,12}?(?:自治县|县|区|旗|市))")


@dataclass(slots=True)
class _Cell:
    where: str
    lines: list[str] = field(default_factory=list)


def is_county_list(lines: list[SourceLine]) -> bool:
    joined = "".join(clean_line(line.text) for line in lines[:400])  # a PDF may wrap 责任领导 in its cell
    has_table = any(line.text.startswith("\t") for line in lines)
    return has_table and "责任领导" in joined and ("组长单位" in joined or "牵头单位" in joined)


def _cells(lines: list[SourceLine]) -> tuple[list[str], list[_Cell], list[SourceLine]]:
    """Lines before the table, the cells, and the lines after it."""
    before: list[str] = []
    cells: list[_Cell] = []
    for line in lines:
        if FOOTER.match(line.text):
            continue
        text = clean_line(line.text)
        if line.text.startswith("\t"):
            cells.append(_Cell(line.label, [text] if text else []))
        elif cells and text:
            cells[-1].lines.append(text)
        elif text:
            before.append(text)
    return before, cells, []


def parse_county(lines: list[SourceLine], draft: Draft) -> County:
    before, cells, _ = _cells(lines)
    columns: list[str] = []
    # a header cell may come wrapped (序 / 号) from a narrow PDF column
    while cells and "".join(cells[0].lines) in _COLUMNS and len(columns) < 12:
        columns.append(_COLUMNS["".join(cells.pop(0).lines)])
    if "number" not in columns or "units" not in columns:
        draft.findings.unsure(
            "结构", cells[0].where if cells else "第 1 行", "", "县区清单没有找到“序号”“责任单位”表头"
        )
    width = len(columns) or 6
    rows: list[CountyIndicator] = []
    tail: list[_Cell] = []
    county_name = _county_name(before, draft)
    while cells:
        first = cells[0]
        if not "".join(first.lines).isdigit() or len(cells) < width:
            tail.extend(cells)
            break
        row, cells = cells[:width], cells[width:]
        rows.append(_row(dict(zip(columns, row, strict=False)), county_name, draft))
    issuer, issued = _signature(tail, draft)
    title = next((t for t in before if "清单" in t), before[-1] if before else "")
    for skipped in before:
        if skipped != title:
            draft.findings.skip("表格之前", skipped, "清单标题之外的文字（附件号等）")
    return County(county=county_name, title=title, issuer=issuer, issued=issued, indicators=rows)


def _county_name(before: list[str], draft: Draft) -> str:
    for text in before:
        if "清单" in text and (m := _COUNTY.match(text)):
            return m["county"]
    draft.findings.unsure("结构", "第 1 行", " ".join(before)[:40], "从标题读不出县区名称")
    return "县区"


def _row(row: dict[str, _Cell], county: str, draft: Draft) -> CountyIndicator:
    number = int("".join(row["number"].lines))
    where = row["number"].where
    draft.findings.measure_sources[f"{county}:{number}"] = where
    units: dict[str, list[str]] = {"lead": [], "deputy": [], "member": []}
    cell = row.get("units")
    for text in _role_lines(cell.lines if cell else []):
        if m := _ROLE.match(text):
            names, and_related = split_units(m["names"])
            units[_ROLE_FIELD[m["role"]]].extend(names)
            if and_related:
                draft.findings.unsure(
                    "单位", cell.where if cell else where, text, "责任单位写作“等相关部门”，清单只记所列单位"
                )
        else:
            draft.findings.unsure(
                "单位", cell.where if cell else where, text, f"第 {number} 行责任单位里读不出角色（组长/副组长/成员）"
            )
    return CountyIndicator(
        number=number,
        name="".join(row["name"].lines) if "name" in row else "",
        best="".join(row["best"].lines) if "best" in row else "",
        leader="".join(row["leader"].lines) if "leader" in row else "",
        problems=_problems(row["problems"].lines if "problems" in row else []),
        lead_units=units["lead"],
        deputy_units=units["deputy"],
        member_units=units["member"],
    )


_ROLE_LABEL = re.compile(r"(副组长单位|(?<!副)组长单位|成员单位|牵头单位|配合单位)\s*[:：]")


def _role_lines(lines: list[str]) -> list[str]:
    """组长单位：… per role, found in the cell's joined text (a narrow PDF column wraps even the labels)."""
    joined = "".join(lines)
    marks = list(_ROLE_LABEL.finditer(joined))
    if not marks:
        return [joined] if joined else []
    head = joined[: marks[0].start()]
    parts = [
        joined[m.start() : marks[k + 1].start() if k + 1 < len(marks) else len(joined)] for k, m in enumerate(marks)
    ]
    return ([head] if head else []) + parts


def _problems(lines: list[str]) -> list[str]:
    """1.… 2.… as entries without their numbers; any other line continues the entry before.

    Only the next number in sequence starts an entry, so a wrapped line that happens to begin
    with a figure (0.5天…) is not taken for one.
    """
    items: list[str] = []
    for text in lines:
        m = _ITEM.match(text)
        if m and int(re.match(r"\d+", text)[0]) == len(items) + 1:  # type: ignore[index]
            items.append(text[m.end() :])
        elif items:
            items[-1] += text
        else:
            items.append(text)
    return [item for item in items if item]


def _signature(tail: list[_Cell], draft: Draft) -> tuple[str, date]:
    for cell in tail:
        text = "".join(cell.lines)
        if m := _SIGNATURE.match(text):
            try:
                return m["issuer"], date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                break
    draft.findings.unsure("结构", tail[0].where if tail else "文末", "", "没有找到落款（印发单位与日期）")
    return "", date(1, 1, 1)
