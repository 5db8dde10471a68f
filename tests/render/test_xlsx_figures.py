"""The workbook as Excel shows it: a title row over the frozen header, and figures stored as numbers.

Read back with openpyxl; the expected figures come from the export's own JSON (the
read side's contracts), so the sheet is checked against the same facts. The last test has
LibreOffice (which the test script installs) convert the workbook to CSV "as shown", which is
what a person sees in the cells.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from typer.testing import CliRunner

from tests.conftest import DATA, git
from tests.helpers import edit, run

FIGURE_COLUMNS = {"基线": "baseline", "当前": "current", "整改目标": "target", "全省最优": "best"}
GAP_COLUMNS = {"与最优差距": "gap_to_best", "与目标差距": "gap_to_target"}


def _export(runner: CliRunner, data: Path, out: Path, *args: str) -> Path:
    result = run(runner, data, "export", "-o", str(out), "--as-of", "2022-10-01", *args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("figures")
    runner = CliRunner()
    book = _export(runner, DATA, tmp / "台账.xlsx")
    payload = json.loads(_export(runner, DATA, tmp / "台账.json").read_text(encoding="utf-8"))
    return book, payload


def _gap_cells(book: Path) -> list[dict[str, Cell]]:
    ws = load_workbook(book)["指标对标"]
    rows = list(ws.iter_rows(min_row=2))
    headers = [str(c.value) for c in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def _plain(n: float) -> str:
    return f"{n:f}".rstrip("0").rstrip(".") if "." in f"{n:f}" else f"{n:f}"


def _expected_text(value: Any) -> str:
    """How a figure that is not a plain number reads: 是/否, 110-180, ≤60, — for none."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if "min" in value:
        return f"{_plain(value['min'])}-{_plain(value['max'])}"
    return f"≤{_plain(value['at_most'])}" if "at_most" in value else f"≥{_plain(value['at_least'])}"


def _decimals(n: float) -> int:
    text = _plain(abs(n))
    return len(text.partition(".")[2])


def test_export_xlsx__metric_figures_are_numbers_and_ranges_stay_text(exported: tuple[Path, dict[str, Any]]) -> None:
    book, payload = exported
    cells, gaps = _gap_cells(book), payload["gap"]
    assert len(cells) == len(gaps) > 80
    numbers = 0
    for row, expected in zip(cells, gaps, strict=True):
        assert row["指标项"].value == expected["metric"]
        percent = expected["unit"] == "%"
        for header, key in FIGURE_COLUMNS.items():
            cell, value = row[header], expected[key]
            if isinstance(value, int | float) and not isinstance(value, bool):
                numbers += 1
                assert cell.data_type == "n", (expected["metric"], header, cell.value)
                assert cell.value == pytest.approx(value / 100 if percent else value)
                places = "0" + ("." + "0" * _decimals(value) if _decimals(value) else "")
                assert cell.number_format == (places + "%" if percent else places), (expected["metric"], header)
            else:
                assert (cell.data_type, cell.value) == ("s", _expected_text(value)), (expected["metric"], header)
    assert numbers > 150


def test_export_xlsx__percentages_are_fractions_shown_as_percent(exported: tuple[Path, dict[str, Any]]) -> None:
    book, _ = exported
    row = next(r for r in _gap_cells(book) if r["指标项"].value == "全程网办率")
    best = row["全省最优"]
    # stored as Excel stores a typed 94.66%: the fraction 0.9466, formatted to read 94.66%
    assert (best.data_type, best.value, best.number_format) == ("n", pytest.approx(0.9466), "0.00%")
    hours = next(r for r in _gap_cells(book) if r["指标项"].value == "审批时间")
    assert (hours["基线"].value, hours["基线"].number_format) == (pytest.approx(41.04), "0.00")
    assert (hours["整改目标"].data_type, hours["整改目标"].value) == ("s", "≤32")
    seal = next(r for r in _gap_cells(book) if r["基线"].value == "110-180")
    assert seal["基线"].data_type == "s"


def test_export_xlsx__gaps_are_signed_numbers_that_read_behind_or_ahead(
    exported: tuple[Path, dict[str, Any]],
) -> None:
    book, payload = exported
    seen = set()
    for row, expected in zip(_gap_cells(book), payload["gap"], strict=True):
        yes_no = expected["unit"] == "是/否"
        for header, key in GAP_COLUMNS.items():
            cell, gap = row[header], expected[key]
            if gap is None:
                assert cell.value == "—"
            elif yes_no:  # 落后 by one 是/否 means nothing: the word alone, as text
                assert cell.value == ("落后" if gap > 0 else "领先" if gap < 0 else "持平")
            else:
                seen.add((gap > 0) - (gap < 0))
                assert cell.data_type == "n" and cell.value == pytest.approx(
                    gap / 100 if expected["unit"] == "%" else gap
                )
                assert cell.number_format.startswith('"落后 "') and ';"领先 "' in cell.number_format
                assert cell.number_format.endswith(';"持平"')
    assert seen == {-1, 0, 1}  # behind, ahead and level all occur in the plan


def test_export_xlsx__every_sheet_has_a_title_row_with_plan_date_and_version(
    runner: CliRunner, ledger_dir: Path, tmp_path: Path
) -> None:
    book = load_workbook(_export(runner, ledger_dir, tmp_path / "台账.xlsx", "--unit", "市财政局"))
    for ws in book.worksheets:
        title = str(ws["A1"].value)
        assert title.startswith("张掖市2022年优化营商环境对标整改提升工作方案"), ws.title
        assert "截至 2022-10-01" in title and "数据版本：未纳入 git" in title, title
        assert "范围：责任单位：市财政局（含牵头与配合）" in title
        assert ws["A1"].font.bold
        assert f"A1:{ws.cell(2, ws.max_column).column_letter}1" in {str(r) for r in ws.merged_cells.ranges}
    assert "措施台账" in str(book["措施台账"]["A1"].value)
    assert "临泽县优化营商环境对标提升责任清单" in str(book["临泽县责任清单"]["A1"].value)


def test_export_xlsx__title_row_has_the_datas_commit(runner: CliRunner, git_ledger: Path, tmp_path: Path) -> None:
    head = git(git_ledger, "rev-parse", "--short", "HEAD").strip()
    title = load_workbook(_export(runner, git_ledger, tmp_path / "a.xlsx"))["指标对标"]["A1"].value
    assert f"数据版本：{head}" in str(title) and "未提交" not in str(title)
    edit(git_ledger / "plan.yaml", "其他指标争取进入全省前五", "其他指标争取进入全省前四")
    dirty = load_workbook(_export(runner, git_ledger, tmp_path / "b.xlsx"))["指标对标"]["A1"].value
    assert f"数据版本：{head}（另有未提交的修改）" in str(dirty)


def test_export_xlsx__libreoffice_shows_the_figures_as_the_ledger_does(
    exported: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    book, payload = exported
    profile = (tmp_path / "lo-profile").as_uri()
    # 44,34,76: comma, double quote, UTF-8; the 9th token keeps cells "as shown"; -1 writes every sheet
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", csv_filter,
         "--outdir", str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    text = (tmp_path / f"{book.stem}-指标对标.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0][0].startswith("张掖市2022年优化营商环境对标整改提升工作方案 · 指标对标 · 截至 2022-10-01")
    shown = [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]
    by_name = {r["指标项"]: r for r in shown}
    rate = by_name["全程网办率"]
    assert (rate["基线"], rate["全省最优"], rate["与最优差距"]) == ("94.89%", "94.66%", "领先 0.23%")
    hours = by_name["审批时间"]
    assert (hours["基线"], hours["整改目标"], hours["与最优差距"]) == ("41.04", "≤32", "落后 9.04")
    for row, expected in zip(shown, payload["gap"], strict=True):
        for header in GAP_COLUMNS:
            assert re.fullmatch(r"(落后|领先) \d+(\.\d+)?%?|持平|落后|领先|—", row[header]), row
        if expected["unit"] == "%" and isinstance(expected["best"], int | float):
            assert row["全省最优"].endswith("%"), row
