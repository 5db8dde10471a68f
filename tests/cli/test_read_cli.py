"""The read commands through typer's CliRunner on the real plan, and once as a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.cli.main import app
from tests.conftest import DATA
from tests.helpers import run, run_json

FINANCE_ALL = {"1.4", "1.5", "9.2", "13.1", "13.2", "13.3", "13.4", "14.1", "16.1"}


def test_overdue__finance_bureau_on_2022_10_01_lists_exactly_its_late_measures(runner: CliRunner) -> None:
    items = run_json(runner, DATA, "overdue", "--unit", "市财政局", "--as-of", "2022-10-01")
    assert [i["id"] for i in items] == ["13.1", "13.3"]
    assert all(i["light"] == "red" and i["days_overdue"] == 1 for i in items)
    assert items[0]["units"] == ["市财政局", "各部门预算单位", "六县区人民政府"]


def test_overdue__finance_bureau_on_2023_01_01_lists_all_nine_open(runner: CliRunner) -> None:
    items = run_json(runner, DATA, "overdue", "--unit", "市财政局", "--as-of", "2023-01-01")
    assert {i["id"] for i in items} == FINANCE_ALL
    days = [i["days_overdue"] for i in items]
    assert days == sorted(days, reverse=True)


def test_overdue__table_has_summary_by_unit(runner: CliRunner) -> None:
    result = run(runner, DATA, "overdue", "--unit", "市财政局", "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    assert "共 2 项逾期" in result.stdout and "另有 7 项未到期" in result.stdout
    assert "按责任单位：市财政局 2 项（牵头 2）" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes


def test_overdue__with_within_the_summary_by_unit_counts_the_yellow_items_too(runner: CliRunner) -> None:
    args = ("overdue", "--unit", "国网张掖供电公司", "--within", "30d", "--as-of", "2022-11-25")
    lines = run(runner, DATA, *args).stdout.splitlines()
    assert lines[-2] == "共 2 项逾期、3 项临期。另有 0 项未到期。"  # its five measures, 3.1–3.5
    assert lines[-1].startswith("按责任单位：国网张掖供电公司 5 项（逾期 2、临期 3；牵头 5）")
    red_only = run(runner, DATA, *args[:3], "--as-of", "2022-11-25").stdout.splitlines()
    assert red_only[-1].startswith("按责任单位：国网张掖供电公司 2 项（牵头 2）")


def test_overdue__alias_and_canonical_find_the_same_measures(runner: CliRunner) -> None:
    a = run_json(runner, DATA, "list", "--unit", "市交通局", "--as-of", "2022-10-01")
    b = run_json(runner, DATA, "list", "--unit", "市交通运输局", "--as-of", "2022-10-01")
    assert [i["id"] for i in a] == [i["id"] for i in b] == ["2.2", "14.1"]


def test_overdue__within_adds_yellow_items(runner: CliRunner) -> None:
    items = run_json(runner, DATA, "overdue", "--within", "2w", "--as-of", "2022-11-20")
    lights = {i["id"]: i["light"] for i in items}
    assert lights["3.1"] == "yellow"  # due 2022-11-30, 10 days left
    assert lights["3.2"] == "red"
    assert "1.1" not in lights  # due 2022-12-31, outside two weeks


def test_overdue__exit_code_flag_reports_red_for_cron(runner: CliRunner) -> None:
    late = run(runner, DATA, "overdue", "--exit-code", "--as-of", "2022-10-01")
    early = run(runner, DATA, "overdue", "--exit-code", "--as-of", "2022-07-08")
    assert (late.exit_code, early.exit_code) == (1, 0)


def test_overdue__missed_milestone_is_shown(runner: CliRunner) -> None:
    items = run_json(runner, DATA, "list", "--indicator", "13", "--as-of", "2022-09-05")
    by_id = {i["id"]: i for i in items}
    assert [m["text"] for m in by_id["13.3"]["missed_milestones"]] == ["8月底前市级平台上线运行"]
    table = run(runner, DATA, "list", "--indicator", "13", "--as-of", "2022-09-05").stdout
    assert "未按期：8月底前市级平台上线运行" in table


@pytest.mark.parametrize(("typed", "kind"), [("--unit=市政府", "责任单位"), ("--indicator=监管", "指标")])
def test_list__ambiguous_name_exits_1_with_candidates(runner: CliRunner, typed: str, kind: str) -> None:
    result = run(runner, DATA, "list", typed)
    assert result.exit_code == 1
    assert "不唯一" in result.stderr and kind in result.stderr
    assert "Traceback" not in result.output


def test_list__unknown_unit_exits_1_with_suggestion(runner: CliRunner) -> None:
    result = run(runner, DATA, "overdue", "--unit", "市财正局")
    assert result.exit_code == 1 and "市财政局" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("overdue", "--as-of", "2022-13-01"),
        ("overdue", "--within", "soon"),
        ("list", "--status", "late"),
        ("list", "--light", "purple"),
        ("list", "--lead"),
        ("list", "--format", "xml"),
        ("gap", "--as-of", "tomorrow"),
    ],
)
def test_read_commands__usage_errors_exit_2(runner: CliRunner, args: tuple[str, ...]) -> None:
    result = run(runner, DATA, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_list__every_format_parses_back(runner: CliRunner) -> None:
    base = ("list", "--indicator", "政府采购", "--as-of", "2022-10-01")
    as_json = run_json(runner, DATA, *base)
    rows = list(csv.reader(io.StringIO(run(runner, DATA, *base, "--format", "csv").stdout)))
    md = run(runner, DATA, *base, "--format", "md").stdout.splitlines()
    table = run(runner, DATA, *base).stdout
    ids = [i["id"] for i in as_json]
    assert ids == ["13.1", "13.2", "13.3", "13.4"]
    assert rows[0][:3] == ["灯", "编号", "指标"] and [r[1] for r in rows[1:]] == ids
    md_rows = [line for line in md if line.startswith("| ●") or line.startswith("| ✓")]
    assert [r.split("|")[2].strip() for r in md_rows] == ids
    assert all(i in table for i in ids)


def test_list__json_contract_keys(runner: CliRunner) -> None:
    items = run_json(runner, DATA, "list", "--as-of", "2022-10-01")
    assert len(items) == 60
    required = {"id", "indicator", "indicator_name", "text", "units", "deadline", "due", "ongoing", "status", "done_on"}
    assert all(required <= set(i) for i in items)
    six_one = next(i for i in items if i["id"] == "6.1")
    assert (six_one["status"], six_one["due"], six_one["done_on"]) == ("done", None, "2021-06-01")
    thirteen = next(i for i in items if i["id"] == "13.1")
    assert (thirteen["due"], thirteen["ongoing"], thirteen["deadline"]) == ("2022-09-30", True, "2022年9月，长期坚持")


def test_list__filters_combine(runner: CliRunner) -> None:
    items = run_json(
        runner, DATA, "list", "--unit", "市财政局", "--lead", "--due-before", "2022-12-01", "--as-of", "2022-10-01"
    )
    assert [i["id"] for i in items] == ["13.1", "13.3"]
    county = run_json(runner, DATA, "list", "--county", "临泽县", "--light", "red", "--as-of", "2022-10-01")
    assert [i["id"] for i in county] == ["13.1", "13.3"]


def test_gap__electricity_rows_with_directions_and_gaps(runner: CliRunner) -> None:
    rows = {r["metric"]: r for r in run_json(runner, DATA, "gap", "获得电力", "--as-of", "2022-07-08")}
    high = rows["高压办电时间"]
    assert (high["direction"], high["best"], high["baseline"], high["target"]) == ("lower", 2.7, 6, 5)
    assert (high["gap_to_best"], high["gap_to_target"], high["target_met"], high["ahead_of_best"]) == (
        3.3,
        1,
        False,
        False,
    )
    table = run(runner, DATA, "gap", "电力", "--as-of", "2022-07-08").stdout
    assert "落后 3.3" in table and "总体目标要求获得电力达到全省最优" in table


def test_gap__property_registration_is_ahead_of_best(runner: CliRunner) -> None:
    rows = run_json(runner, DATA, "gap", "登记财产", "--as-of", "2022-07-08")
    ahead = [r for r in rows if r["ahead_of_best"]]
    assert ahead and all(r["gap_to_best"] < 0 for r in ahead)


def test_gap__ranking_without_argument(runner: CliRunner) -> None:
    ranking = run_json(runner, DATA, "gap", "--as-of", "2022-07-08")
    assert [r["rank"] for r in ranking] == list(range(1, 19))
    assert {r["indicator"] for r in ranking} == set(range(1, 19))


def test_show__measure_and_indicator_cards(runner: CliRunner) -> None:
    card = run(runner, DATA, "show", "13.3", "--as-of", "2022-09-05")
    assert card.exit_code == 0 and "8月底前市级平台上线运行" in card.stdout and "已过期 5 天" in card.stdout
    ind = run(runner, DATA, "show", "获得电力", "--as-of", "2022-09-05")
    assert "临泽县（获得电力）：责任领导 李国志" in ind.stdout and "高压办电时间" in ind.stdout
    as_json = json.loads(run(runner, DATA, "show", "3", "--format", "json").stdout)
    assert [m["id"] for m in as_json["measures"]] == ["3.1", "3.2", "3.3", "3.4", "3.5"]


def test_units__scorecard_and_county_roles(runner: CliRunner) -> None:
    cards = run_json(runner, DATA, "units", "市财政局", "--as-of", "2023-01-01")
    assert len(cards) == 1
    card = cards[0]
    assert set(card["led"]) | set(card["joined"]) == FINANCE_ALL
    assert card["overdue"] == 9 and card["on_time_rate"] == 0
    power = run_json(runner, DATA, "units", "国家电网临泽县供电公司")[0]
    assert power["county_roles"][0] == {
        "county": "临泽县", "indicator": 3, "indicator_name": "获得电力", "role": "组长单位", "leader": "李国志",
    }  # fmt: skip


def test_check__clean_plan_exits_0(runner: CliRunner) -> None:
    result = run(runner, DATA, "check")
    assert result.exit_code == 0 and "60 项措施" in result.stdout


def test_every_command_has_help(runner: CliRunner) -> None:
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    commands = ["check", "list", "overdue", "gap", "show", "units"]
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "--as-of" in result.stdout, name


def test_data_discovery__env_var_and_ancestor(
    runner: CliRunner, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_DATA", str(ledger_dir))
    assert run(runner, None, "check").stdout.startswith(f"台账校验通过：{ledger_dir}")
    monkeypatch.delenv("LEDGER_DATA")
    monkeypatch.chdir(ledger_dir / "indicators")
    assert str(ledger_dir) in run(runner, None, "check").stdout


def test_data_discovery__falls_back_to_shipped_plan(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    items = run_json(runner, None, "list", "--as-of", "2022-10-01")
    assert len(items) == 60


def test_subprocess__overdue_real_process_no_colour_when_piped() -> None:
    env = {**os.environ, "LEDGER_CACHE_DIR": os.environ["LEDGER_CACHE_DIR"]}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bizenv_ledger",
            "--data",
            str(DATA),
            "overdue",
            "--unit",
            "市财政局",
            "--as-of",
            "2022-10-01",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "13.1" in proc.stdout and "13.3" in proc.stdout and "\x1b[" not in proc.stdout


def test_subprocess__colour_forced_but_no_color_wins() -> None:
    env = {**os.environ, "FORCE_COLOR": "1"}
    cmd = [sys.executable, "-m", "bizenv_ledger", "--data", str(DATA), "overdue", "--as-of", "2022-10-01"]
    coloured = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    plain = subprocess.run(cmd, capture_output=True, text=True, env={**env, "NO_COLOR": "1"}, check=False)
    assert "\x1b[31m" in coloured.stdout and "\x1b[" not in plain.stdout


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_overdue__table_fits_terminal_width_and_keeps_cjk_columns_aligned(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", str(columns))
    lines = run(runner, DATA, "overdue", "--as-of", "2022-10-01").stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("灯"))
    rows = [line for line in lines[header + 1 :] if line.startswith("红灯")]
    assert len(rows) == 18
    for line in lines:
        assert cell_len(line) <= columns, line
    # the deadline column starts at the same terminal column on every row, whatever the CJK before it
    starts = {cell_len(row[: row.index("2022年")]) for row in rows}
    assert starts == {cell_len(lines[header][: lines[header].index("完成时限")])}


def test_completion__indicators_units_and_ids_from_a_real_shell_request(tmp_path: Path) -> None:
    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_LEDGER_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        env["LEDGER_DATA"] = str(DATA)
        proc = subprocess.run(
            [sys.executable, "-m", "bizenv_ledger"], env=env, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    assert complete("ledger gap 获得电") == ["获得电力"]
    assert "市财政局" in complete("ledger overdue --unit 市财")
    assert complete("ledger show 13.") == ["13.1", "13.2", "13.3", "13.4"]


def test_list__within_a_month_counts_the_calendar_month_from_the_as_of_date(runner: CliRunner) -> None:
    """From 2022-07-31 a month runs to 2022-08-31 (31 days): the 2022年8月 measures are yellow, not green."""
    month = run_json(runner, DATA, "list", "--within", "1m", "--as-of", "2022-07-31")
    thirty = run_json(runner, DATA, "list", "--within", "30d", "--as-of", "2022-07-31")
    august = [v for v in month if v["due"] == "2022-08-31" and v["status"] == "open"]
    assert august and all(v["light"] == "yellow" and v["days_left"] == 31 for v in august)
    assert {v["light"] for v in thirty if v["due"] == "2022-08-31" and v["status"] == "open"} == {"green"}
