"""Reading a filled 报送表 back: .xlsx (Excel, WPS, LibreOffice), or .csv; .xls is refused with a way out.

The columns are found by their headers, not by position, so a form whose columns a unit moved,
or one LibreOffice re-saved, still reads. The fingerprint is the JSON in the veryHidden sheet
``_ledger``; a form without one (a CSV, a retyped sheet) is matched by its 编号 column and the
unit in its heading (``queries.intake`` warns about it).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..model.errors import UsageError
from ..model.forms import (
    FILLED_COLUMNS,
    FINGERPRINT_SHEET,
    FORM_SHEET,
    READ_ONLY_COLUMNS,
    CellProblem,
    FormCell,
    FormReading,
    FormRow,
)

__all__ = ["MAX_FORM_BYTES", "read_form"]

MAX_FORM_BYTES = 20 * 1024 * 1024  # a form of a few hundred rows is well under 1 MB
_HEADER_SCAN = 12  # the header row lies within the first rows (title, 报送单位, 说明, then headers)
_UNIT_LINE = re.compile(r"报送单位[:：]\s*([^\s　，,；;]+)")
_HEADERS = {**READ_ONLY_COLUMNS, **FILLED_COLUMNS}
_BY_HEADER = {h: k for k, h in _HEADERS.items()}


def read_form(path: Path, shown: str) -> FormReading:
    """The form at ``path`` (``shown`` is how messages name it); an unreadable file is a UsageError."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        msg = (
            f"{shown}：不支持旧版 .xls 格式。请在 Excel 或 WPS 中打开后“另存为” .xlsx（Excel 工作簿），"
            "再运行 ledger intake"
        )
        raise UsageError(msg)
    try:
        data = path.read_bytes()[: MAX_FORM_BYTES + 1]
    except OSError as exc:
        raise UsageError(f"无法读取 {shown}（{exc.strerror or exc}）") from None
    if len(data) > MAX_FORM_BYTES:
        raise UsageError(f"{shown} 超过 {MAX_FORM_BYTES // 1024 // 1024} MB，不像是一份报送表")
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".csv":
        return _from_grid(shown, digest, FORM_SHEET, _csv_grid(data, shown), None)
    if suffix not in (".xlsx", ".xlsm"):
        raise UsageError(f"{shown}：只能读取 .xlsx 或 .csv 报送表")
    return _read_xlsx(data, shown, digest)


def _csv_grid(data: bytes, shown: str) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel's "CSV UTF-8" has a BOM; a plain CSV from WPS is GBK
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    raise UsageError(f"{shown}：无法识别文本编码（应为 UTF-8 或 GB18030/GBK）")


def _read_xlsx(data: bytes, shown: str, digest: str) -> FormReading:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UsageError(f"{shown}：不是有效的 .xlsx 文件（{type(exc).__name__}）") from None
    fingerprint = _fingerprint(book)
    name = FORM_SHEET if FORM_SHEET in book.sheetnames else book.sheetnames[0]
    sheet = book[name]
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    return _from_grid(shown, digest, name, grid, fingerprint)


def _fingerprint(book: Any) -> dict[str, object] | None:
    if FINGERPRINT_SHEET not in book.sheetnames:
        return None
    value = book[FINGERPRINT_SHEET]["A1"].value
    if not isinstance(value, str) or len(value) > 1_000_000:
        return None
    try:
        loaded = json.loads(value)
    except ValueError:
        return None
    return loaded if isinstance(loaded, dict) else None


def _text(value: Any) -> tuple[str, date | None]:
    """A cell as text (and as a date, when the spreadsheet holds one); 13800000000.0 reads as 13800000000."""
    if value is None:
        return "", None
    if isinstance(value, datetime):
        return value.date().isoformat(), value.date()
    if isinstance(value, date):
        return value.isoformat(), value
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return str(value).replace("\r\n", "\n").strip(), None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or "")))


def _from_grid(
    shown: str, digest: str, sheet: str, grid: list[list[Any]], fingerprint: dict[str, object] | None
) -> FormReading:
    title_unit = None
    for row in grid[:_HEADER_SCAN]:
        for value in row:
            if title_unit is None and (m := _UNIT_LINE.search(unicodedata.normalize("NFKC", str(value or "")))):
                title_unit = m[1]
    id_header = READ_ONLY_COLUMNS["id"]
    header_at = next((i for i, row in enumerate(grid[:_HEADER_SCAN]) if id_header in map(_header, row)), None)
    if header_at is None:
        problem = CellProblem(shown, "", "找不到表头（应有“编号”“本期进展”“完成情况”等列）；这不像是台账生成的报送表")
        return FormReading(shown, digest, sheet, title_unit, fingerprint, [], [problem])
    columns = {_BY_HEADER[h]: i for i, v in enumerate(grid[header_at]) if (h := _header(v)) in _BY_HEADER}
    missing = [FILLED_COLUMNS[k] for k in FILLED_COLUMNS if k not in columns]
    problems = [CellProblem(shown, sheet, f"缺少列：{'、'.join(missing)}")] if missing else []
    rows = []
    for r, row in enumerate(grid[header_at + 1 :], start=header_at + 2):
        cells = {}
        for key, c in columns.items():
            text, day = _text(row[c] if c < len(row) else None)
            cells[key] = FormCell(text, f"{_column_letter(c)}{r}", day)
        mid = cells.pop("id")
        if not mid.value and not any(cells[k].value for k in FILLED_COLUMNS if k in cells):
            continue  # a blank line, or the notes under the table
        rows.append(FormRow(mid, {k: v for k, v in cells.items() if k in FILLED_COLUMNS}))
    return FormReading(shown, digest, sheet, title_unit, fingerprint, rows, problems)
