"""The read side's shared options: --format in any case, a due window that can hold no day, --grep, LEDGER_DATA."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.cli.main import app
from tests.conftest import DATA, commit_ledger, git
from tests.helpers import run, run_json


def test_list__format_in_any_case_as_export_takes_it(runner: CliRunner) -> None:
    upper = run(runner, DATA, "list", "-f", "JSON", "--as-of", "2022-10-01")
    assert upper.exit_code == 0, upper.output
    assert json.loads(upper.stdout) == run_json(runner, DATA, "list", "--as-of", "2022-10-01")
    assert run(runner, DATA, "gap", "获得电力", "--format", "Csv").stdout.startswith("指标项,")


@pytest.mark.parametrize(("after", "before"), [("2022-09-01", "2022-08-01"), ("2022-08-31", "2022-09-01")])
def test_list__a_due_window_with_no_day_in_it_is_a_usage_error(runner: CliRunner, after: str, before: str) -> None:
    result = run(runner, DATA, "list", "--due-after", after, "--due-before", before)
    assert result.exit_code == 2
    assert f"--due-after {after} 与 --due-before {before} 之间没有日期" in result.stderr


def test_list__a_due_window_of_one_day_still_works(runner: CliRunner) -> None:
    items = run_json(runner, DATA, "list", "--due-after", "2022-08-30", "--due-before", "2022-09-01")
    assert items and {i["due"] for i in items} == {"2022-08-31"}


def test_list__grep_searches_the_measure_text(runner: CliRunner) -> None:
    result = run(runner, DATA, "list", "--grep", "电子印章", "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    assert "含“电子印章”" in result.stdout.splitlines()[0] and "共 1 项。" in result.stdout
    assert [i["id"] for i in run_json(runner, DATA, "list", "-g", "ＡＰＰ")] == ["3.2"]
    assert run(runner, DATA, "list", "--grep", " ").exit_code == 2  # blank is a usage error, not "everything"


def test_grep__on_overdue_export_board_and_report(runner: CliRunner, tmp_path: Path) -> None:
    late = run_json(runner, DATA, "overdue", "--grep", "电子印章", "--as-of", "2022-10-01")
    assert [i["id"] for i in late] == ["15.2"]
    export = json.loads(run(runner, DATA, "export", "--format", "json", "--grep", "电子印章").stdout)
    assert [m["id"] for m in export["measures"]] == ["15.2"]
    board = tmp_path / "board.html"
    assert run(runner, DATA, "board", "-o", str(board), "--grep", "电子印章").exit_code == 0
    assert "15.2" in board.read_text(encoding="utf-8") and "13.3" not in board.read_text(encoding="utf-8")
    report = run(runner, DATA, "report", "--month", "2022-09", "--grep", "电子印章")
    assert report.exit_code == 0 and "所选范围内的1项整改措施中" in report.stdout


def test_ledger_data__may_name_the_repository_root(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_DATA", str(DATA.parent))  # the repository root, whose data/ is the ledger
    result = runner.invoke(app, ["list", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 60
    assert run(runner, DATA.parent, "check").stdout.startswith(f"台账校验通过：{DATA}")


def test_ledger_data__a_folder_with_spaces_is_one_ledger(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "D:\My Documents\台账" on Windows: click would split a list option's variable at the space
    repo = tmp_path / "My Documents" / "营商 台账"
    shutil.copytree(DATA, repo / "data", ignore=shutil.ignore_patterns("sources"))
    commit_ledger(repo, monkeypatch)
    monkeypatch.setenv("LEDGER_DATA", str(repo / "data"))
    checked = runner.invoke(app, ["check"])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith(f"台账校验通过：{repo / 'data'}")
    done = runner.invoke(app, ["done", "3.3", "--evidence", "张电〔2022〕12号"])
    assert done.exit_code == 0, done.output
    assert "张电〔2022〕12号" in (repo / "data" / "indicators").joinpath("03-获得电力.yaml").read_text(encoding="utf-8")
    assert git(repo, "log", "--format=%s").count("\n") == 2
    shown = runner.invoke(app, ["--workspace", str(tmp_path), "list"])  # LEDGER_DATA yields to --workspace
    assert shown.exit_code == 2 and "找不到工作区文件" in shown.stderr
