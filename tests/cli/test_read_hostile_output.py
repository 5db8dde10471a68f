"""Read commands never print a terminal control raw, and CSV and Excel never turn a text into a formula.

``history`` reads commits an older version wrote (or a hand-made one), so its texts
may hold anything; a ledger file with such text is refused by every read command.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bizenv_ledger.model.text import UNSAFE
from bizenv_ledger.write.audit import CommitMessage
from tests.conftest import git
from tests.helpers import edit, run, run_json
from tests.store.test_validation_texts import yaml_quoted
from tests.writing import FILE03, REFUSED

ATTACK = REFUSED["escape"]
AS_OF = ("--as-of", "2022-10-01")
# OWASP's formula leads; a tab may lead only a free-text field (a name or a level is one line, without tabs).
NAME_LEADS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
LEADS = [*NAME_LEADS, "\t=1+1"]


def _no_raw(*outputs: str) -> None:
    for out in outputs:
        assert UNSAFE.findall(out.replace("\r\n", "\n")) == [], out[:300]
        assert "Traceback" not in out


def _old_commit(repo: Path, note: str, action: str = "done") -> None:
    """A 销号 (or progress) commit as an earlier version wrote it, before such notes were refused."""
    trailers = (("Ledger-Action", action), ("Ledger-Item", "3.2"), ("Ledger-Indicator", "3"),
                ("Ledger-Unit", "国网张掖供电公司"), ("Ledger-Date", "2022-08-15"), ("Ledger-Note", note))  # fmt: skip
    message = CommitMessage("销号 3.2 获得电力", (f"备注：{note}",), trailers).render()
    (repo.parent / "message.txt").write_text(message, encoding="utf-8")
    plan = repo / "data" / "plan.yaml"  # history reads the commits that touch the ledger
    plan.write_text(plan.read_text(encoding="utf-8") + "#\n", encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-F", str(repo.parent / "message.txt"))


def _set_text_32(data: Path, text: str) -> None:
    """Measure 3.2's text replaced by ``text``, as a hand edit would."""
    path = data / FILE03
    old = path.read_text(encoding="utf-8")
    start = old.index("text: ", old.index('id: "3.2"'))
    path.write_text(old[:start] + f"text: {yaml_quoted(text)}" + old[old.index("\n", start) :], encoding="utf-8")


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


# ---------------------------------------------------------------- terminal injection


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_history__old_commit_with_an_escape_sequence_is_shown_escaped(
    git_ledger: Path, runner: CliRunner, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # the whole text on one line of the table
    _old_commit(git_ledger.parent, ATTACK)
    result = run(runner, git_ledger, "history", "--format", fmt)
    assert result.exit_code == 0, result.output
    _no_raw(result.stdout, result.stderr)
    assert "\\x1b]0;PWNED\\x1b\\\\x1b[31mRED\\x1b[2J" in result.stdout


def test_history__real_program_writes_no_escape_byte_to_the_terminal(git_ledger: Path) -> None:
    _old_commit(git_ledger.parent, ATTACK + REFUSED["csi"] + REFUSED["rlo"])
    for argv in (["history"], ["done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-08-15", "--note", ATTACK]):
        proc = subprocess.run(
            [sys.executable, "-m", "bizenv_ledger", "--data", str(git_ledger), *argv],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            check=False,
        )
        assert proc.returncode == (0 if argv == ["history"] else 2), proc.stderr.decode()
        for stream in (proc.stdout, proc.stderr):
            assert b"\x1b" not in stream and b"\xc2\x9b" not in stream and "\u202e".encode() not in stream
        shown = (proc.stdout + proc.stderr).decode("utf-8")
        assert ("\\x1b]0;PWNED" if argv == ["history"] else "--note 含有控制字符 U+001B（ESC）") in shown


def test_history__json_carries_the_old_note_exactly_and_escaped(git_ledger: Path, runner: CliRunner) -> None:
    note = ATTACK + REFUSED["csi"] + REFUSED["rlo"]
    _old_commit(git_ledger.parent, note)
    result = run(runner, git_ledger, "history", "--format", "json")
    _no_raw(result.stdout)
    (entry,) = run_json(runner, git_ledger, "history")
    assert entry["note"] == note


def test_history__every_refused_character_of_an_old_commit_is_escaped(git_ledger: Path, runner: CliRunner) -> None:
    for text in REFUSED.values():
        if not ("\ufffe" in text or "\uffff" in text or "\U0010ffff" in text or "\ufdd0" in text):
            _old_commit(git_ledger.parent, text)  # (git itself rewrites noncharacters: nothing to show)
    for fmt in ("table", "csv", "md", "json"):
        result = run(runner, git_ledger, "history", "--format", fmt)
        assert result.exit_code == 0, result.output
        _no_raw(result.stdout, result.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "-f", "md"),
        ("list", "-f", "csv"),
        ("show", "3.2"),
        ("show", "3"),
        ("overdue",),
        ("export", "-f", "csv"),
    ],
)
def test_read__ledger_with_an_escape_sequence_is_refused_and_shown_escaped(
    ledger_dir: Path, runner: CliRunner, args: tuple[str, ...]
) -> None:
    _set_text_32(ledger_dir, ATTACK)
    result = run(runner, ledger_dir, *args, *AS_OF)
    assert result.exit_code == 1 and result.stdout == ""
    # read commands refuse in brief and point to check, which names the problem, escaped
    assert "台账未通过校验，共 1 个问题" in result.stderr and "ledger check" in result.stderr
    checked = run(runner, ledger_dir, "check")
    assert "含有控制字符 U+001B（ESC）" in checked.stderr and "［3.2 的 text］" in checked.stderr
    _no_raw(result.stdout, result.stderr, checked.stdout, checked.stderr)


def test_lookup__unknown_measure_typed_with_escapes_is_echoed_escaped(ledger_dir: Path, runner: CliRunner) -> None:
    result = run(runner, ledger_dir, "show", "3.\x1b[2J", *AS_OF)
    assert result.exit_code == 1 and "\\x1b[2J" in result.stderr
    _no_raw(result.stderr)


def test_export__control_character_in_a_progress_note_is_a_problem_not_a_traceback(
    ledger_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """openpyxl's IllegalCharacterError used to end the export in a traceback."""
    note = yaml_quoted("进展\x07完成")
    edit(
        ledger_dir / FILE03,
        "    deadline: 2022年8月\n",
        f'    deadline: 2022年8月\n    progress:\n      - "on": "2022-08-01"\n        text: {note}\n',
    )
    out = tmp_path / "台账.xlsx"
    result = run(runner, ledger_dir, "export", "-o", str(out), *AS_OF)
    assert result.exit_code == 1, result.output
    assert "台账未通过校验，共 1 个问题" in result.stderr and "Traceback" not in result.output
    checked = run(runner, ledger_dir, "check").stderr
    assert "含有控制字符 U+0007（BEL）" in checked and "［3.2 的 progress 第 1 项 的 text］" in checked
    assert not out.exists()
    _no_raw(result.stdout, result.stderr)


# ---------------------------------------------------------------- formula injection


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_export__formula_measure_text_is_a_text_cell_in_the_workbook(
    ledger_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    text = '=HYPERLINK("http://evil.example/","详情")'
    _set_text_32(ledger_dir, text)
    out = tmp_path / "台账.xlsx"
    result = run(runner, ledger_dir, "export", "-o", str(out), *AS_OF)
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["措施台账"]
    cell = next(row[2] for row in ws.iter_rows(min_row=2) if row[0].value == "3.2")
    assert cell.data_type == "s" and cell.value == text
    with zipfile.ZipFile(out) as zf:
        xml = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert xml and not any("<f>" in x or "<f " in x for x in xml)
    # the text is an inline string (the XML may spell its CJK as character references)
    texts = [el.text for x in xml for el in ElementTree.fromstring(x).iter(f"{{{MAIN_NS}}}t")]
    assert text in texts


@pytest.fixture(params=LEADS, ids=["equals", "plus", "minus", "at", "tab"])
def formula_ledger(request: pytest.FixtureRequest, ledger_dir: Path) -> tuple[Path, str]:
    """Measure 3.2 starting with a formula lead."""
    lead = str(request.param)
    _set_text_32(ledger_dir, lead)
    return ledger_dir, lead


@pytest.fixture(params=NAME_LEADS, ids=["equals", "plus", "minus", "at"])
def formula_names(request: pytest.FixtureRequest, ledger_dir: Path) -> tuple[Path, str]:
    """A unit's level and a metric's name starting with a formula lead."""
    lead = str(request.param)
    edit(ledger_dir / FILE03, "name: 高压办电时间", f"name: {yaml_quoted(lead)}")
    level = "  - name: 市市场监管局\n    level: "
    edit(ledger_dir / "units.yaml", f"{level}市直\n", f"{level}{yaml_quoted(lead)}\n")
    return ledger_dir, lead


def _csv(runner: CliRunner, data: Path, *args: str) -> list[list[str]]:
    result = run(runner, data, *args, "--format", "csv", *AS_OF)
    assert result.exit_code == 0, result.output
    return _rows(result.stdout)


def test_list__csv_quotes_a_formula_lead(formula_ledger: tuple[Path, str], runner: CliRunner) -> None:
    data, lead = formula_ledger
    row = next(r for r in _csv(runner, data, "list") if r[1] == "3.2")
    assert row[3] == "'" + lead


def test_show__csv_quotes_a_formula_lead(formula_ledger: tuple[Path, str], runner: CliRunner) -> None:
    data, lead = formula_ledger
    assert ["措施", "'" + lead] in _csv(runner, data, "show", "3.2")
    assert any(r[1] == "3.2" and r[3] == "'" + lead for r in _csv(runner, data, "show", "3") if len(r) > 3)


def test_export__csv_quotes_a_formula_lead(formula_ledger: tuple[Path, str], runner: CliRunner) -> None:
    data, lead = formula_ledger
    row = next(r for r in _csv(runner, data, "export") if r[0] == "3.2")
    assert row[2] == "'" + lead


def test_units__csv_quotes_a_formula_lead(formula_names: tuple[Path, str], runner: CliRunner) -> None:
    data, lead = formula_names
    row = next(r for r in _csv(runner, data, "units") if r[0] == "市市场监管局")
    assert row[1] == "'" + lead


def test_gap__csv_quotes_a_formula_lead(formula_names: tuple[Path, str], runner: CliRunner) -> None:
    data, lead = formula_names
    assert _csv(runner, data, "gap", "3")[1][0] == "'" + lead


@pytest.mark.parametrize("lead", [*LEADS, "\r=1+1"])
def test_history__csv_quotes_a_formula_lead(git_ledger: Path, runner: CliRunner, lead: str) -> None:
    _old_commit(git_ledger.parent, lead, "progress")  # (a CR is refused today; an old commit may still hold one)
    rows = _rows(run(runner, git_ledger, "history", "--format", "csv").stdout)
    assert rows[1][5] == "'" + lead.lstrip()  # the table's one-line 说明 drops the leading tab or CR


def test_history__csv_of_a_formula_progress_written_today(git_ledger: Path, runner: CliRunner) -> None:
    assert run(runner, git_ledger, "progress", "3.2", "--on", "2022-08-15", "--", LEADS[0]).exit_code == 0
    rows = _rows(run(runner, git_ledger, "history", "--format", "csv").stdout)
    assert rows[1][5] == "'" + LEADS[0]
