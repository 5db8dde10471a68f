"""The 报送表 a unit fills: its open measures, read-only, and the columns it fills, as an .xlsx workbook.

The read-only cells are locked (sheet protection without a password: it guards against slips,
not malice); the filled columns are unlocked, 完成情况 is a drop-down. A veryHidden sheet holds
the fingerprint (JSON), so that ``ledger intake`` knows which form it reads. Only shows.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model.domain import Plan
from ..model.forms import FILLED_COLUMNS, FINGERPRINT_SHEET, FORM_SHEET, READ_ONLY_COLUMNS, STATES
from ..queries.cycles import Period
from ..queries.intake import row_hash
from ..queries.measures import MeasureView
from .bulletin import cn_date
from .safe import visible
from .values import LIGHT_LABELS
from .views import deadline_cell

__all__ = ["FormSpec", "form_workbook"]

HEADER_ROW = 4
WIDTHS = {"id": 7, "indicator": 12, "text": 50, "role": 14, "deadline": 14, "light": 8, "latest": 30,
          "progress": 40, "state": 11, "evidence": 24, "new_deadline": 13, "reason": 24, "filled_by": 10,
          "phone": 14}  # fmt: skip


@dataclass(frozen=True)
class FormSpec:
    plan: Plan
    unit: str
    period: Period
    as_of: date
    tool_version: str
    data_version: str  # the ledger's git short hash, or "" outside git


def _role(v: MeasureView, unit: str) -> str:
    return "牵头" if v.lead == unit else "配合"


def _latest(v: MeasureView) -> str:
    return f"{v.progress[-1].on.isoformat()} {v.progress[-1].text}" if v.progress else ""


def _row(v: MeasureView, unit: str) -> list[str]:
    return [v.id, v.indicator_name, v.measure.text, f"{_role(v, unit)}（牵头：{v.lead}）" if _role(v, unit) == "配合" else "牵头",
            deadline_cell(v), LIGHT_LABELS[v.light], _latest(v)]  # fmt: skip


def fingerprint(spec: FormSpec, views: list[MeasureView]) -> dict[str, object]:
    return {
        "tool": "bizenv-ledger",
        "version": spec.tool_version,
        "data": spec.data_version,
        "unit": spec.unit,
        "period": spec.period.key,
        "generated": spec.as_of.isoformat(),
        "rows": {v.id: row_hash(v.measure) for v in views},
    }


def _text(ws: Any, row: int, col: int, value: str) -> Any:
    cell = ws.cell(row, col, visible(value))
    cell.data_type = "s"  # text as text: openpyxl would make =… a formula
    return cell


def form_workbook(spec: FormSpec, views: list[MeasureView]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    ws.title = FORM_SHEET
    keys = [*READ_ONLY_COLUMNS, *FILLED_COLUMNS]
    last = get_column_letter(len(keys))
    _text(ws, 1, 1, f"{spec.plan.title}进展报送表").font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    heading = (f"报送单位：{spec.unit}　报送期：{spec.period.label}　"
               f"报送截止：{cn_date(spec.period.due)}前　生成日期：{spec.as_of.isoformat()}")  # fmt: skip
    _text(ws, 2, 1, heading)
    ws.merge_cells(f"A2:{last}2")
    _text(ws, 3, 1, "说明：灰底各列为台账内容，请勿改动；请填写白底各列。完成情况为“已完成”的须填佐证材料（文号、网址或文件名），"
                    "“申请延期”的须填申请延期至（日期）与延期理由。每行须填填报人。")  # fmt: skip
    ws.merge_cells(f"A3:{last}3")
    grey = PatternFill("solid", fgColor="EDEDED")
    open_cell = Protection(locked=False)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, key in enumerate(keys, 1):
        cell = _text(ws, HEADER_ROW, col, {**READ_ONLY_COLUMNS, **FILLED_COLUMNS}[key])
        cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[key]
    for r, v in enumerate(views, HEADER_ROW + 1):
        for col, value in enumerate(_row(v, spec.unit), 1):
            cell = _text(ws, r, col, value)
            cell.fill, cell.alignment = grey, wrap
        for col in range(len(READ_ONLY_COLUMNS) + 1, len(keys) + 1):
            cell = ws.cell(r, col)
            cell.protection, cell.alignment = open_cell, wrap
            if keys[col - 1] in ("new_deadline", "phone", "filled_by", "evidence"):
                cell.number_format = "yyyy-mm-dd" if keys[col - 1] == "new_deadline" else "@"
    end = HEADER_ROW + max(len(views), 1)
    state_col = get_column_letter(keys.index("state") + 1)
    choice = DataValidation(type="list", formula1='"' + ",".join(STATES) + '"', allow_blank=True)
    choice.error, choice.errorTitle = f"请从 {'、'.join(STATES)} 中选择", "完成情况"
    choice.add(f"{state_col}{HEADER_ROW + 1}:{state_col}{end}")
    ws.add_data_validation(choice)
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.protection.sheet = True  # no password: it stops slips, not intent
    ws.protection.formatRows = ws.protection.formatColumns = False  # rows may grow, columns widen
    hidden = book.create_sheet(FINGERPRINT_SHEET)
    hidden.sheet_state = "veryHidden"
    _text(hidden, 1, 1, json.dumps(fingerprint(spec, views), ensure_ascii=False))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
