"""The exported 台账 read back: the workbook with openpyxl, the CSV as Excel reads it, the JSON's contracts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from bizenv_ledger.model.domain import Ledger
from tests.conftest import DATA
from tests.helpers import run, run_json
from tests.queries.test_report_scenario import plain_due, september, yaml_measures

MEASURE_HEADERS = [
    "序号", "指标", "措施", "牵头单位", "配合单位", "完成时限", "到期日",
    "状态", "红黄绿灯", "逾期天数", "最新进展", "销号日期", "销号说明", "佐证材料",
]  # fmt: skip
COUNTY_HEADERS = ["序号", "指标", "全省最佳表现", "存在问题", "责任领导", "组长单位", "副组长单位", "成员单位"]
RED_FILL = "FFC7CE"
HEADER_ROW = 2  # row 1 is the title: the plan, the sheet, the as-of date and the data version


def _red_ids(data: Path, as_of: date) -> set[str]:
    return {
        str(m["id"])
        for m in yaml_measures(data)
        if m.get("status") != "done" and (due := plain_due(str(m["deadline"]))) is not None and due < as_of
    }


def _metric_count(data: Path) -> int:
    import yaml

    return sum(
        len(yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader).get("metrics", []))
        for p in (data / "indicators").glob("*.yaml")
    )


def _export(runner: CliRunner, tmp_path: Path, name: str, *args: str, data: Path = DATA) -> Path:
    out = tmp_path / name
    result = run(runner, data, "export", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out


def _rows(ws: Worksheet) -> list[dict[str, object]]:
    values = list(ws.iter_rows(values_only=True))
    headers = [str(h) for h in values[HEADER_ROW - 1]]
    return [dict(zip(headers, row, strict=True)) for row in values[HEADER_ROW:]]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _export(CliRunner(), tmp_path_factory.mktemp("xlsx"), "台账.xlsx", "--as-of", "2022-10-01")


def test_export_xlsx__has_the_four_sheets_in_order(workbook: Path) -> None:
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["措施台账", "指标对标", "责任单位", "临泽县责任清单"]


def test_export_xlsx__measure_sheet_has_every_measure_and_the_headers(workbook: Path) -> None:
    ws = load_workbook(workbook)["措施台账"]
    assert [c.value for c in ws[HEADER_ROW]] == MEASURE_HEADERS
    rows = _rows(ws)
    assert len(rows) == len(yaml_measures(DATA)) == 60
    assert [r["序号"] for r in rows] == [str(m["id"]) for m in yaml_measures(DATA)]
    first = rows[0]
    assert isinstance(first["到期日"], datetime) and first["到期日"].date() == plain_due(
        str(yaml_measures(DATA)[0]["deadline"])
    )


def test_export_xlsx__red_rows_are_filled_red_and_only_they(workbook: Path) -> None:
    ws = load_workbook(workbook)["措施台账"]
    red = _red_ids(DATA, date(2022, 10, 1))
    seen = set()
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        mid, light = row[0].value, row[8].value
        filled = {c.fill.fgColor.rgb[-6:] for c in row}
        if light == "红灯":
            seen.add(mid)
            assert filled == {RED_FILL}, mid
            assert isinstance(row[9].value, int) and row[9].value > 0
        else:
            assert RED_FILL not in filled, mid
    assert seen == red and len(red) == 18


def test_export_xlsx__header_frozen_filters_on_a4_landscape_fit_to_width(workbook: Path) -> None:
    wb = load_workbook(workbook)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3", ws.title  # title and header stay in view
        last = ws.cell(HEADER_ROW, ws.max_column).column_letter
        assert ws.auto_filter.ref == f"A{HEADER_ROW}:{last}{ws.max_row}", ws.title
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.print_title_rows == "$2:$2"  # the header repeats on every printed page
    assert wb["措施台账"].auto_filter.ref == "A2:N62"


def test_export_xlsx__columns_fit_chinese_text(workbook: Path) -> None:
    ws = load_workbook(workbook)["措施台账"]
    head = ws[HEADER_ROW]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in head}
    # 国网张掖供电公司 is 8 CJK characters: 16 cells, plus padding.
    assert widths["牵头单位"] >= 16
    assert 40 <= widths["措施"] <= 62  # long text wraps instead of running off
    assert widths["序号"] <= 10
    assert ws["C3"].alignment.wrap_text


def test_export_xlsx__gap_unit_and_county_sheets(workbook: Path, runner: CliRunner) -> None:
    wb = load_workbook(workbook)
    assert len(_rows(wb["指标对标"])) == _metric_count(DATA)
    units = run_json(runner, DATA, "units", "--as-of", "2022-10-01")
    assert [r["责任单位"] for r in _rows(wb["责任单位"])] == [u["unit"] for u in units]
    county = wb["临泽县责任清单"]
    assert [c.value for c in county[HEADER_ROW]] == COUNTY_HEADERS
    rows = _rows(county)
    assert [r["序号"] for r in rows] == list(range(1, 19))
    assert rows[0]["组长单位"] == "县市场监管局" and rows[0]["责任领导"] == "周延年"


def test_export_xlsx__filters_and_as_of_apply(runner: CliRunner, tmp_path: Path) -> None:
    out = _export(runner, tmp_path, "财政.xlsx", "--unit", "市财政局", "--light", "red", "--as-of", "2022-10-01")
    rows = _rows(load_workbook(out)["措施台账"])
    assert [r["序号"] for r in rows] == ["13.1", "13.3"]
    early = _export(runner, tmp_path, "八月.xlsx", "--as-of", "2022-08-01")
    lights = [r["红黄绿灯"] for r in _rows(load_workbook(early)["措施台账"])]
    assert lights.count("红灯") == len(_red_ids(DATA, date(2022, 8, 1))) == 7


def test_export_xlsx__progress_and_evidence_columns(runner: CliRunner, tmp_path: Path, ledger_dir: Path) -> None:
    out = _export(
        runner, tmp_path, "九月.xlsx", "--indicator", "13", "--as-of", "2022-09-30", data=september(ledger_dir)
    )
    row = next(r for r in _rows(load_workbook(out)["措施台账"]) if r["序号"] == "13.3")
    assert row["最新进展"] == "2022-09-05　市级平台已上线试运行"
    assert row["佐证材料"] == "张财采〔2022〕8号"
    assert row["销号日期"] == datetime(2022, 9, 28) and row["销号说明"] is None
    assert (row["状态"], row["红黄绿灯"]) == ("已完成", "持续推进")


def test_export__closing_note_is_kept_beside_its_evidence(runner: CliRunner, tmp_path: Path, ledger_dir: Path) -> None:
    data = september(ledger_dir)
    out = _export(runner, tmp_path, "九月.xlsx", "--indicator", "3", "--as-of", "2022-09-30", data=data)
    row = next(r for r in _rows(load_workbook(out)["措施台账"]) if r["序号"] == "3.2")
    assert row["销号日期"] == datetime(2022, 9, 20)
    assert row["销号说明"] == "业扩报装时限管控机制已印发执行"
    assert row["佐证材料"] == "张电〔2022〕12号"
    text = _export(runner, tmp_path, "九月.csv", "--indicator", "3", "--as-of", "2022-09-30", data=data)
    rows = list(csv.DictReader(io.StringIO(text.read_bytes().decode("utf-8-sig"), newline="")))
    closed = next(r for r in rows if r["序号"] == "3.2")
    assert (closed["销号日期"], closed["销号说明"], closed["佐证材料"]) == (
        "2022-09-20", "业扩报装时限管控机制已印发执行", "张电〔2022〕12号",
    )  # fmt: skip
    # as of the day before the closing, none of the three is filled
    before = _export(runner, tmp_path, "前.xlsx", "--indicator", "3", "--as-of", "2022-09-19", data=data)
    row = next(r for r in _rows(load_workbook(before)["措施台账"]) if r["序号"] == "3.2")
    assert (row["销号日期"], row["销号说明"], row["佐证材料"]) == (None, None, None)


def test_export_csv__opens_in_excel_with_chinese_intact(runner: CliRunner, tmp_path: Path) -> None:
    raw = _export(runner, tmp_path, "台账.csv", "--as-of", "2022-10-01").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel and WPS look for
    text = raw.decode("utf-8-sig")
    assert text.count("\r\n") == 61 and text.endswith("\r\n")  # a CRLF after the header and after each row
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == MEASURE_HEADERS
    assert len(rows) == 61
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["3.2"][3] == "国网张掖供电公司" and by_id["3.2"][8] == "红灯" and by_id["3.2"][6] == "2022-08-31"


def test_export_json__uses_the_read_sides_contracts(runner: CliRunner, tmp_path: Path) -> None:
    out = _export(runner, tmp_path, "台账.json", "--unit", "市财政局", "--as-of", "2022-10-01")
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert set(payload) == {"as_of", "measures", "gap", "units", "counties"}
    listed = run_json(runner, DATA, "list", "--unit", "市财政局", "--as-of", "2022-10-01")
    assert payload["measures"] == listed
    units = run_json(runner, DATA, "units", "市财政局", "--as-of", "2022-10-01")
    assert payload["units"] == units
    assert payload["counties"][0]["county"] == "临泽县"


def test_export__format_option_beats_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    out = _export(runner, tmp_path, "台账.dat", "--format", "csv", "--as-of", "2022-10-01")
    assert out.read_bytes().startswith("\ufeff序号".encode())


def test_export_xlsx__measure_cell_stays_verbatim_and_missed_steps_go_beside_progress(
    runner: CliRunner, tmp_path: Path, plan: Ledger
) -> None:
    path = _export(runner, tmp_path, "节点.xlsx", "--as-of", "2022-09-05")
    rows = {str(r["序号"]): r for r in _rows(load_workbook(path)["措施台账"])}
    texts = {m.id: m.text for ind in plan.indicators for m in ind.measures}
    assert all(rows[mid]["措施"] == text for mid, text in texts.items())
    assert "未按期节点：8月底前市级平台上线运行" in str(rows["13.3"]["最新进展"])


def test_report__does_not_invent_a_reporting_deadline(runner: CliRunner) -> None:
    text = run(runner, DATA, "report", "--month", "2022-09").stdout
    assert "月5日前" not in text and "请逾期事项的牵头单位抓紧整改" in text


def test_sheet_names__within_excels_limit_and_characters_and_never_alike() -> None:
    from bizenv_ledger.render.xlsx import SHEET_NAME_MAX, sheet_names

    long = "肃南裕固族自治县二〇二一年优化营商环境对标提升方案·肃南裕固族自治县责任清单"
    names = sheet_names(["措施台账", long, long, "张掖/2021?[甲]*·临泽县责任清单", "措施台账"])
    assert names[0] == "措施台账"
    assert all(len(n) <= SHEET_NAME_MAX for n in names) and len(names[1]) == SHEET_NAME_MAX
    assert names[2].endswith("（2）") and names[1] != names[2] and names[4] == "措施台账（2）"
    assert names[3] == "张掖_2021__甲__·临泽县责任清单"
    book = Workbook()
    for n in names:
        book.create_sheet(n)  # openpyxl refuses a name Excel would not take
    assert book.sheetnames[1:] == names
