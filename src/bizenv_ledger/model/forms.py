"""A unit's 报送表 as read back: its cells by field, each with where it sits (sheet!cell). Pure.

``store.forms_read`` reads a workbook or a CSV into these; ``queries.intake`` compares them
with the ledger. The form's columns are named here once, for the three that need them (the
form's writer, its reader and the comparison).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "FILLED_COLUMNS",
    "FINGERPRINT_SHEET",
    "FORM_SHEET",
    "READ_ONLY_COLUMNS",
    "STATES",
    "CellProblem",
    "FormCell",
    "FormReading",
    "FormRow",
]

FORM_SHEET = "措施"
FINGERPRINT_SHEET = "_ledger"  # veryHidden: the fingerprint, JSON in A1
# column key -> header; the order is the form's
READ_ONLY_COLUMNS = {
    "id": "编号",
    "indicator": "指标",
    "text": "措施内容",
    "role": "责任分工",
    "deadline": "完成时限",
    "light": "灯色",
    "latest": "最新进展",
}
FILLED_COLUMNS = {
    "progress": "本期进展",
    "state": "完成情况",
    "evidence": "佐证材料",
    "new_deadline": "申请延期至",
    "reason": "延期理由",
    "filled_by": "填报人",
    "phone": "联系电话",
}
STATES = ("推进中", "已完成", "申请延期")
# the ledger's YAML key each filled column becomes (for the text limits of model.text)
FIELD_KEYS = {"progress": "text", "evidence": "evidence", "new_deadline": "new_deadline", "reason": "reason"}


@dataclass(frozen=True, slots=True)
class FormCell:
    value: str  # the text, stripped; "" when empty
    ref: str  # e.g. F7
    day: date | None = None  # when the spreadsheet stored a date (not text)


@dataclass(frozen=True, slots=True)
class FormRow:
    measure_id: FormCell
    cells: dict[str, FormCell]  # filled column key -> cell

    def get(self, key: str) -> FormCell:
        return self.cells.get(key) or FormCell("", self.measure_id.ref)

    @property
    def empty(self) -> bool:
        return not any(c.value for c in self.cells.values())


@dataclass(frozen=True, slots=True)
class CellProblem:
    """Something wrong in a form, named as 市财政局报送表.xlsx 措施!F7: message."""

    file: str
    where: str  # sheet!cell, or "" for the file as a whole
    message: str

    def render(self) -> str:
        return f"{self.file} {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


@dataclass(frozen=True, slots=True)
class FormReading:
    file: str  # the name to show (as given on the command line)
    sha256: str
    sheet: str
    title_unit: str | None  # the unit named in the form's heading (报送单位：…)
    fingerprint: dict[str, object] | None  # None: no hidden sheet (retyped, or saved as CSV)
    rows: list[FormRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)  # what the reader itself could not make sense of

    def at(self, cell: FormCell) -> str:
        return f"{self.sheet}!{cell.ref}"

    @property
    def unit(self) -> str | None:
        unit = self.fingerprint.get("unit") if self.fingerprint else None
        return unit if isinstance(unit, str) else self.title_unit
