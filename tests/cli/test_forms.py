"""报送表: made by `ledger form`, filled as a department would (openpyxl), read back by `ledger intake`."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import yaml
from typer.testing import CliRunner

from tests.conftest import git
from tests.helpers import run

TODAY = "2022-10-03"
FILE = "indicators/13-政府采购.yaml"
COLS = {"progress": 8, "state": 9, "evidence": 10, "new_deadline": 11, "reason": 12, "filled_by": 13, "phone": 14}


def _form(runner: CliRunner, data: Path, out: Path, unit: str = "市财政局") -> Path:
    result = run(runner, data, "form", "--unit", unit, "-o", str(out), "--as-of", TODAY)
    assert result.exit_code == 0, result.output
    return out


def _fill(form: Path, out: Path, rows: dict[str, dict[str, object]]) -> Path:
    book = openpyxl.load_workbook(form)
    ws = book["措施"]
    at = {ws.cell(r, 1).value: r for r in range(5, 5 + 40) if ws.cell(r, 1).value}
    for mid, cells in rows.items():
        for key, value in cells.items():
            ws.cell(at[mid], COLS[key], value)
    book.save(out)
    return out


GOOD = {
    "13.1": {"progress": "开展监督检查2次", "state": "推进中", "filled_by": "李四", "phone": 13800000000},
    "13.3": {"progress": "网上商城已上线", "state": "已完成", "evidence": "张财〔2022〕12号", "filled_by": "李四"},
    "13.2": {"progress": "联调中", "state": "申请延期", "new_deadline": dt.datetime(2023, 3, 31),
             "reason": "县区平台联调推迟", "filled_by": "李四"},
}  # fmt: skip


def _measures(data: Path) -> dict[str, dict]:
    doc = yaml.safe_load((data / FILE).read_text(encoding="utf-8"))
    return {m["id"]: m for m in doc["measures"]}


def _commits(data: Path) -> int:
    return int(git(data.parent, "rev-list", "--count", "HEAD"))


def test_form__read_only_cells_locked_fingerprint_hidden(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    form = _form(runner, git_ledger, tmp_path / "市财政局报送表.xlsx")
    book = openpyxl.load_workbook(form)
    ws = book["措施"]
    assert ws.protection.sheet
    assert ws["A5"].protection.locked and not ws["H5"].protection.locked
    assert "报送单位：市财政局" in ws["A2"].value and "2022年9月" in ws["A2"].value and "10月5日" in ws["A2"].value
    hidden = book["_ledger"]
    assert hidden.sheet_state == "veryHidden"
    print_ = json.loads(hidden["A1"].value)
    assert print_["unit"] == "市财政局" and print_["period"] == "2022-09"
    assert set(print_["rows"]) == {ws.cell(r, 1).value for r in range(5, 14)}
    assert any("推进中" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)


def test_form__all_writes_one_form_per_unit(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, git_ledger, "form", "--all", "-o", str(tmp_path / "forms"), "--as-of", TODAY)
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "forms").iterdir()}
    assert {"市财政局报送表.xlsx", "甘州区人民政府报送表.xlsx"} <= names
    assert not any(n.startswith("六县区") for n in names)


def test_intake__dry_run_apply_once_then_nothing(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    filled = _fill(_form(runner, git_ledger, tmp_path / "f.xlsx"), tmp_path / "市财政局报送表.xlsx", GOOD)
    before, commits = (git_ledger / FILE).read_bytes(), _commits(git_ledger)
    dry = run(runner, git_ledger, "intake", str(filled), "--as-of", TODAY)
    assert dry.exit_code == 0, dry.output
    assert "销号申请（佐证：张财〔2022〕12号）" in dry.output and "延期申请：至 2023-03-31" in dry.output
    assert (git_ledger / FILE).read_bytes() == before and _commits(git_ledger) == commits
    applied = run(runner, git_ledger, "intake", str(filled), "--apply", "--as-of", TODAY)
    assert applied.exit_code == 0, applied.output
    assert _commits(git_ledger) == commits + 1
    log = git(git_ledger.parent, "log", "-1", "--format=%B")
    assert "Ledger-Unit: 市财政局" in log and "Ledger-Filled-By: 李四" in log
    assert "Ledger-Form: " + __import__("hashlib").sha256(filled.read_bytes()).hexdigest() in log
    m = _measures(git_ledger)
    assert m["13.1"]["progress"][-1]["text"] == "开展监督检查2次" and m["13.1"]["progress"][-1]["unit"] == "市财政局"
    assert m["13.3"]["applications"][0]["kind"] == "close" and m["13.3"].get("status", "open") == "open"
    assert (
        m["13.2"]["applications"][0]["new_deadline"] == "2023-03-31" and m["13.2"]["deadline"] == "2022年12月，长期坚持"
    )
    again = run(runner, git_ledger, "intake", str(filled), "--apply", "--as-of", TODAY)
    assert again.exit_code == 0 and "无需更改" in again.output
    assert _commits(git_ledger) == commits + 1
    review = run(runner, git_ledger, "review", "13.3", "--accept", "--as-of", TODAY)
    assert review.exit_code == 0, review.output
    assert _measures(git_ledger)["13.3"]["status"] == "done"


def test_intake__every_bad_cell_named_and_nothing_applied(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    form = _form(runner, git_ledger, tmp_path / "f.xlsx")
    assert (
        run(runner, git_ledger, "done", "13.4", "--no-evidence", "--note", "已完成培训", "--as-of", TODAY).exit_code
        == 0
    )
    bad = {
        "13.1": {"progress": "开展监督检查", "state": "推进中"},  # no 填报人
        "13.2": {"progress": "联调中", "state": "申请延期", "new_deadline": dt.datetime(2022, 9, 1),
                 "reason": "推迟", "filled_by": "李四"},  # a date in the past
        "13.3": {"progress": "x", "state": "完成了", "filled_by": "李四"},
        "13.4": {"progress": "培训1次", "state": "推进中", "filled_by": "李四"},  # closed since the form was made
        "1.4": {"state": "申请延期", "new_deadline": "明年", "reason": "r", "progress": "p", "filled_by": "李四"},
    }  # fmt: skip
    filled = _fill(form, tmp_path / "市财政局报送表.xlsx", bad)
    book = openpyxl.load_workbook(filled)
    book["措施"]["A13"] = "99.9"  # a row whose measure does not exist
    book["措施"]["H13"], book["措施"]["M13"] = "进展", "李四"
    book.save(filled)
    before, commits = (git_ledger / FILE).read_bytes(), _commits(git_ledger)
    result = run(runner, git_ledger, "intake", str(filled), "--apply", "--as-of", TODAY)
    assert result.exit_code == 1
    out = result.output
    for expected in [
        "措施!M8: 填报人 不能为空",
        "措施!K9: 申请延期至 2022-09-01 不晚于今天",
        "措施!I10: 完成情况只能是",
        "措施!A11: 措施 13.4 在报送表生成后已销号",
        "措施!K5: 申请延期至 不是日期",
        "措施!A13: 措施“99.9”在台账中不存在",
    ]:
        assert f"市财政局报送表.xlsx {expected}" in out, out
    assert (git_ledger / FILE).read_bytes() == before and _commits(git_ledger) == commits


def test_intake__a_form_for_another_unit_is_refused(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    filled = _fill(_form(runner, git_ledger, tmp_path / "f.xlsx"), tmp_path / "g.xlsx", GOOD)
    result = run(runner, git_ledger, "intake", str(filled), "--unit", "市税务局", "--as-of", TODAY)
    assert result.exit_code == 1
    assert "g.xlsx: 这是市财政局的报送表，不是市税务局的" in result.output
    book = openpyxl.load_workbook(filled)
    book["措施"]["A2"] = "报送单位：市税务局"  # the heading retyped for another unit: the fingerprint says otherwise
    book.save(filled)
    result = run(runner, git_ledger, "intake", str(filled), "--as-of", TODAY)
    assert result.exit_code == 1
    assert "表头的报送单位“市税务局”与报送表生成时的单位“市财政局”不一致" in result.output


def test_intake__csv_without_fingerprint_reads_by_id_and_title(
    git_ledger: Path, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "市财政局报送表.csv"
    with path.open("w", encoding="gb18030", newline="") as fh:  # WPS saves a plain CSV in the code page
        w = csv.writer(fh)
        w.writerow(["进展报送表"])
        w.writerow(["报送单位：市财政局　报送期：2022年9月"])
        w.writerow(
            ["编号", "措施内容", "本期进展", "完成情况", "佐证材料", "申请延期至", "延期理由", "填报人", "联系电话"]
        )
        w.writerow(["13.1", "…", "完成专项检查", "推进中", "", "", "", "王五", "0936-1234567"])
    result = run(runner, git_ledger, "intake", str(path), "--apply", "--as-of", TODAY)
    assert result.exit_code == 0, result.output
    assert "没有台账生成的隐藏标识" in result.output
    assert _measures(git_ledger)["13.1"]["progress"][-1]["by"] == "王五"


def test_intake__xls_is_refused_with_the_way_out(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run(runner, git_ledger, "intake", str(path), "--as-of", TODAY)
    assert result.exit_code == 2
    assert "另存为” .xlsx" in result.output


def test_intake__a_form_saved_by_libreoffice_still_reads(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: .ci/run installs it"
    filled = _fill(_form(runner, git_ledger, tmp_path / "f.xlsx"), tmp_path / "filled.xlsx", GOOD)
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo'}"
    for target, source, outdir in (
        ("ods", filled, tmp_path / "ods"),
        ("xlsx", tmp_path / "ods" / "filled.ods", tmp_path / "back"),
    ):
        subprocess.run([soffice, "--headless", profile, "--convert-to", target, "--outdir", str(outdir), str(source)],
                       check=True, capture_output=True, timeout=180)  # fmt: skip
    back = tmp_path / "back" / "filled.xlsx"
    assert back.read_bytes() != filled.read_bytes()
    result = run(runner, git_ledger, "intake", str(back), "--apply", "--as-of", TODAY)
    assert result.exit_code == 0, result.output
    m = _measures(git_ledger)
    assert m["13.3"]["applications"][0]["evidence"] == "张财〔2022〕12号"
    assert m["13.2"]["applications"][0]["new_deadline"] == "2023-03-31"
