"""The export: the 台账's sheets, written as an Excel workbook, as CSV or as JSON. It only shows.

The sheets are built once as plain rows (``Sheet``); the workbook, the CSV and
the JSON are three ways of writing the same snapshot. openpyxl is imported
only when a workbook is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rich.cells import cell_len as cell_width

from ..model.domain import Closing
from ..model.workspace import ledger_of
from ..queries.report import CountyList, Snapshot
from .contracts import gap_dict, measure_dict, unit_dict
from .figures import Figure, gap_cell, value_cell
from .safe import csv_cell, json_text, visible
from .values import LIGHT_LABELS, STATUS_LABELS, duties_text
from .views import deadline_cell

Progress = Callable[[int, int], None]  # (done, total)

__all__ = ["Column", "Sheet", "csv_bytes", "export_json", "sheet_names", "sheets", "workbook_bytes", "workbook_plan"]

Cell = str | int | float | date | Figure | None
TITLE_ROW, HEADER_ROW = 1, 2  # the title names the plan, the date and the data version; the header sits below

# Excel's own "bad / neutral / good" pairs, so the sheet looks as the office's hand-made ones do.
FILLS = {
    "red": ("FFC7CE", "9C0006"),
    "yellow": ("FFEB9C", "9C5700"),
    "green": ("C6EFCE", "006100"),
    "pending": ("E4DFEC", "5B3F86"),
    "done": ("EDEDED", "3A3A3A"),
    "ongoing": ("DDEBF7", "1F4E79"),
}
HEADER_FILL = "D9E1F2"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    cap: int = 16  # widest the column grows, in character cells (a CJK character is two)
    kind: str = "text"  # text | date | int | percent | number | figure (a Figure or text)
    wrap: bool = False


@dataclass(slots=True)
class Sheet:
    title: str
    columns: list[Column]
    caption: str  # printed in the page header
    rows: list[list[Cell]] = field(default_factory=list)
    styles: list[str | None] = field(default_factory=list)

    def add(self, cells: list[Cell], style: str | None = None) -> None:
        self.rows.append(cells)
        self.styles.append(style)


LEDGER_COLUMN = Column(
    "台账", 12, wrap=True
)  # in a workspace, first on the sheets whose rows come from several ledgers


def _whose(snap: Snapshot, name: str | None) -> list[Cell]:
    return [name] if snap.members else []  # the 台账 cell, only in a workspace: single-ledger sheets stay as they were


def workbook_plan(snap: Snapshot) -> str:
    """What the title rows name: the plan, or in a workspace the workspace (its ledgers, not only the first plan)."""
    if not snap.members:
        return snap.plan.title
    return f"工作区（{len(snap.members)} 个台账）"  # each named with its version: see cli.report.workspace_version


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 4))


def _score(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 1))


def measure_sheet(snap: Snapshot) -> Sheet:
    cols = [
        Column("序号", 6), Column("指标", 14, wrap=True), Column("措施", 60, wrap=True),
        Column("牵头单位", 18, wrap=True), Column("配合单位", 30, wrap=True), Column("完成时限", 16, wrap=True),
        Column("到期日", 11, "date"), Column("状态", 8), Column("红黄绿灯", 9), Column("逾期天数", 9, "int"),
        Column("最新进展", 40, wrap=True), Column("销号日期", 11, "date"), Column("销号说明", 30, wrap=True),
        Column("佐证材料", 30, wrap=True),
    ]  # fmt: skip
    cols = [LEDGER_COLUMN, *cols] if snap.members else cols
    sheet = Sheet("措施台账", cols, f"措施台账 · 截至 {snap.as_of.isoformat()}")
    for v in snap.views:
        missed = "；".join(m.milestone.text for m in v.missed_milestones)
        others = "、".join(v.units[1:]) + ("等相关部门" if v.measure.and_related else "")
        latest = f"{v.progress[-1].on.isoformat()}　{v.progress[-1].text}" if v.progress else None
        if missed:  # beside the progress, so the 措施 cell stays the plan's own words
            latest = "\n".join(filter(None, [latest, f"未按期节点：{missed}"]))
        sheet.add(
            [
                *_whose(snap, v.ledger), v.id, v.indicator_name, v.measure.text,
                v.lead, others or None, deadline_cell(v), v.deadline.due, STATUS_LABELS[v.status],
                LIGHT_LABELS[v.light], v.days_overdue, latest, *_closing_cells(v.closing),
            ],
            v.light,
        )  # fmt: skip
    return sheet


def _closing_cells(closing: Closing | None) -> list[Cell]:
    """销号日期, 销号说明 and 佐证材料: each its own column, so neither hides the other."""
    if closing is None:
        return [None, None, None]
    return [closing.on, closing.note or None, "\n".join(e.ref for e in closing.evidence) or None]


def gap_sheet(snap: Snapshot) -> Sheet:
    cols = [
        Column("指标", 14, wrap=True), Column("指标项", 24, wrap=True), Column("单位", 10), Column("方向", 9),
        Column("基线", 10, "figure"), Column("当前", 10, "figure"), Column("当前数据日期", 12, "date"),
        Column("整改目标", 10, "figure"), Column("全省最优", 10, "figure"), Column("与最优差距", 12, "figure"),
        Column("与目标差距", 12, "figure"), Column("目标", 8),
        Column("进度", 8, "percent"), Column("对标得分", 9, "number"),
    ]  # fmt: skip
    cols = [LEDGER_COLUMN, *cols] if snap.members else cols
    sheet = Sheet("指标对标", cols, f"指标对标 · 截至 {snap.as_of.isoformat()}")
    for panel in snap.panels:
        for r in panel.rows:
            m = r.metric
            met = None if r.target_met is None else ("已达" if r.target_met else "未达")
            behind = r.gap_to_best is not None and r.gap_to_best > 0
            style = "red" if behind else ("green" if r.gap_to_best is not None else None)
            sheet.add(
                [
                    *_whose(snap, ledger_of(panel.indicator)), panel.indicator.name, m.name, m.unit, "越低越好" if m.direction == "lower" else "越高越好",
                    value_cell(m.baseline, m), value_cell(r.current, m), r.current_on, value_cell(m.target, m),
                    value_cell(m.best, m), gap_cell(r.gap_to_best, m), gap_cell(r.gap_to_target, m), met,
                    _percent(r.progress), _score(r.score),
                ],
                style,
            )  # fmt: skip
    return sheet


def unit_sheet(snap: Snapshot) -> Sheet:
    cols = [
        Column("责任单位", 24, wrap=True), Column("层级", 14), Column("牵头", 6, "int"), Column("配合", 6, "int"),
        Column("已完成", 7, "int"), Column("未完成", 7, "int"), Column("逾期", 6, "int"), Column("临期", 6, "int"),
        Column("待复核", 7, "int"),
        Column("按期完成率", 11, "percent"), Column("牵头措施", 24, wrap=True), Column("配合措施", 24, wrap=True),
        Column("县区职责", 40, wrap=True),
    ]  # fmt: skip
    sheet = Sheet("责任单位", cols, f"责任单位履职情况 · 截至 {snap.as_of.isoformat()}")
    for c in snap.cards:
        roles = duties_text(c.roles, "", "\n")
        sheet.add(
            [
                c.unit, c.level, len(c.led), len(c.joined), c.done, c.open, c.overdue, c.due_soon, c.pending,
                _percent(c.on_time_rate), "、".join(v.id for v in c.led) or None,
                "、".join(v.id for v in c.joined) or None, roles or None,
            ],
            "red" if c.overdue else ("yellow" if c.due_soon else None),
        )  # fmt: skip
    return sheet


def county_sheet(clist: CountyList, as_of: date) -> Sheet:
    cols = [
        Column("序号", 6, "int"), Column("指标", 14, wrap=True), Column("全省最佳表现", 40, wrap=True),
        Column("存在问题", 60, wrap=True), Column("责任领导", 9), Column("组长单位", 18, wrap=True),
        Column("副组长单位", 24, wrap=True), Column("成员单位", 30, wrap=True),
    ]  # fmt: skip
    name, whose = clist.county.county, ledger_of(clist.county)
    caption = f"{clist.county.title} · 截至 {as_of.isoformat()}"
    if whose is not None:  # in a workspace the city's and last year's plan may both hold 临泽县's list
        name, caption = f"{whose}·{name}", f"{whose} · {caption}"
    sheet = Sheet(f"{name}责任清单", cols, caption)
    for ci in clist.rows:
        problems = "\n".join(f"{i}．{p}" for i, p in enumerate(ci.problems, 1)) if len(ci.problems) > 1 else None
        sheet.add(
            [
                ci.number, ci.name, ci.best, problems or ("".join(ci.problems) or None), ci.leader,
                "、".join(ci.lead_units) or None, "、".join(ci.deputy_units) or None,
                "、".join(ci.member_units) or None,
            ]
        )  # fmt: skip
    return sheet


def sheets(snap: Snapshot) -> list[Sheet]:
    return [
        measure_sheet(snap),
        gap_sheet(snap),
        unit_sheet(snap),
        *(county_sheet(c, snap.as_of) for c in snap.counties),
    ]


# --- writers -------------------------------------------------------------------------------------


def _text(value: Cell, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Figure):
        return value.text
    if isinstance(value, date):
        return value.isoformat()
    if kind == "percent" and isinstance(value, float):
        return f"{value * 100:.1f}%"
    return str(value)


def _width(sheet: Sheet, col: int) -> float:
    """Widest line in the column, counting a CJK character as two, within the column's cap."""
    spec = sheet.columns[col]
    texts = [spec.header, *(_text(row[col], spec.kind) for row in sheet.rows)]
    widest = max(cell_width(line) for text in texts for line in (text.splitlines() or [""]))
    return min(spec.cap, max(widest, cell_width(spec.header))) + 2


def csv_bytes(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark and CRLF line ends, so Excel and WPS read the Chinese right."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_cell(c.header) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([csv_cell(_text(v, c.kind)) for v, c in zip(row, sheet.columns, strict=True)])
    return buf.getvalue().encode("utf-8-sig")


def export_json(snap: Snapshot) -> str:
    """The read side's contracts, one key per sheet."""
    payload = {
        "as_of": snap.as_of.isoformat(),
        "measures": [measure_dict(v) for v in snap.views],
        "gap": [gap_dict(r) for p in snap.panels for r in p.rows],
        "units": [unit_dict(c) for c in snap.cards],
        "counties": [
            {
                "county": c.county.county,
                "title": c.county.title,
                "indicators": [
                    {
                        "number": ci.number,
                        "name": ci.name,
                        "best": ci.best,
                        "problems": list(ci.problems),
                        "leader": ci.leader,
                        "lead_units": list(ci.lead_units),
                        "deputy_units": list(ci.deputy_units),
                        "member_units": list(ci.member_units),
                    }
                    for ci in c.rows
                ],
            }
            for c in snap.counties
        ],
    }
    return json_text(payload)


def workbook_bytes(
    all_sheets: list[Sheet], as_of: date, *, plan: str, version: str, scope: str = "", progress: Progress | None = None
) -> bytes:
    """The workbook as bytes (the caller writes it atomically).

    ``plan`` (the plan's title), ``version`` (the data's commit) and ``scope`` (the filters, or
    empty) go into each sheet's title row with the sheet's caption and its as-of date;
    ``progress(done, total)`` hears of the rows written.
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = "营商环境对标整改提升工作台账"
    wb.properties.creator = "bizenv-ledger"
    wb.properties.created = wb.properties.modified = datetime.combine(as_of, time())
    total = sum(len(sheet.rows) for sheet in all_sheets) + 1  # the last step: saving
    done = 0

    def rows_done(n: int) -> None:
        if progress is not None:
            progress(done + n, total)

    for sheet, name in zip(all_sheets, sheet_names([s.title for s in all_sheets]), strict=True):
        parts = [plan, sheet.caption, f"范围：{scope}" if scope else "", f"数据版本：{version}"]
        _write_sheet(wb.create_sheet(name), sheet, " · ".join(p for p in parts if p), rows_done)
        done += len(sheet.rows)
    buf = io.BytesIO()
    wb.save(buf)
    if progress is not None:
        progress(total, total)
    return buf.getvalue()


SHEET_NAME_MAX = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("\\/?*[]:", "_"))


def sheet_names(titles: list[str]) -> list[str]:
    """Names Excel accepts: none of \\ / ? * [ ] :, at most 31 characters, no two alike (ignoring case)."""
    names: list[str] = []
    for title in titles:
        base = title.translate(_NOT_IN_SHEET_NAMES).strip("'") or "工作表"
        name, n = base[:SHEET_NAME_MAX], 1
        while name.casefold() in {x.casefold() for x in names}:
            n += 1
            name = base[: SHEET_NAME_MAX - len(f"（{n}）")] + f"（{n}）"
        names.append(name)
    return names


_FORMATS = {"date": "yyyy-mm-dd", "percent": "0.0%", "int": "0", "number": "0.0"}


def _named_style(wb: Any, style: str | None, spec: Column | None) -> str:
    """The name of a registered cell style for a row style and a column (None: the header)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    name = "表头" if spec is None else f"{style or 'plain'}-{'wrap' if spec.wrap else 'line'}-{spec.kind}"
    if name in wb.named_styles:
        return name
    thin = Side(style="thin", color="BFBFBF")
    named = NamedStyle(name=name, border=Border(left=thin, right=thin, top=thin, bottom=thin))
    if spec is None:
        named.font = Font(bold=True)
        named.fill = PatternFill("solid", fgColor=HEADER_FILL)
        named.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    else:
        # figures line up on the right whether they are numbers or a range such as 110-180
        across = "right" if spec.kind == "figure" else None
        named.alignment = Alignment(horizontal=across, vertical="top", wrap_text=spec.wrap)
        named.number_format = _FORMATS.get(spec.kind, "General")
        if style in FILLS:
            named.fill = PatternFill("solid", fgColor=FILLS[style][0])
            named.font = Font(color=FILLS[style][1])
    wb.add_named_style(named)
    return name


def _title_style(wb: Any) -> str:
    from openpyxl.styles import Alignment, Font, NamedStyle

    if "标题" not in wb.named_styles:
        title = NamedStyle(name="标题", font=Font(bold=True, size=12))
        title.alignment = Alignment(horizontal="left", vertical="center")
        wb.add_named_style(title)
    return "标题"


def _write_sheet(ws: Any, sheet: Sheet, title: str, rows_done: Callable[[int], None]) -> None:
    """Title row, header row, then the rows; rows are counted here (``ws.max_row`` rescans the sheet)."""
    from openpyxl.utils import get_column_letter

    last_col = get_column_letter(len(sheet.columns))
    title_cell = ws.cell(TITLE_ROW, 1, visible(title))
    title_cell.style = _title_style(ws.parent)
    title_cell.data_type = "s"
    ws.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 22
    header = _named_style(ws.parent, None, None)
    for col, spec in enumerate(sheet.columns, 1):
        ws.cell(HEADER_ROW, col, spec.header).style = header
    for row_no, (row, style) in enumerate(zip(sheet.rows, sheet.styles, strict=True), HEADER_ROW + 1):
        for col, (value, spec) in enumerate(zip(row, sheet.columns, strict=True), 1):
            shown = value.number if isinstance(value, Figure) else visible(value) if isinstance(value, str) else value
            cell = ws.cell(row_no, col, shown)
            cell.style = _named_style(ws.parent, style, spec)
            if isinstance(value, Figure):
                cell.number_format = value.fmt
            elif isinstance(shown, str):
                cell.data_type = "s"  # text as text: openpyxl would make =… a formula and #N/A an error value
        if row_no % 200 == 0:
            rows_done(row_no - HEADER_ROW)
    for i in range(len(sheet.columns)):
        ws.column_dimensions[get_column_letter(i + 1)].width = _width(sheet, i)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + len(sheet.rows)}"
    _page_setup(ws, sheet.caption)


def _page_setup(ws: Any, caption: str) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = caption
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
