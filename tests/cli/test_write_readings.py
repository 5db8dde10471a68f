"""``ledger record`` refuses nonsense: negative times, counts and amounts; one reading a day; progress never past 100%."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.store.loader import load_ledger
from tests.conftest import git
from tests.helpers import run, run_json
from tests.writing import commits


def _readings(data: Path, number: int, key: str) -> list[tuple[str, str, str | None]]:
    ledger = load_ledger(data, use_cache=False).ledger
    assert ledger is not None
    metric = next(m for i in ledger.indicators if i.number == number for m in i.metrics if m.key == key)
    return [(r.on.isoformat(), str(r.value), r.source) for r in metric.readings]


@pytest.mark.parametrize(
    ("indicator", "metric", "value", "message"),
    [
        ("获得电力", "高压办电时间", "-1", "高压办电时间 以“天”计，不能为负数（读数“-1”）"),
        ("获得电力", "高压办电环节", "-2个环节", "高压办电环节 以“个环节”计，不能为负数"),
        ("开办企业", "刻章费用", "-10-180", "以“元”计，不能为负数"),
    ],
)
def test_record__a_negative_time_count_or_cost_is_refused(
    git_ledger: Path, runner: CliRunner, indicator: str, metric: str, value: str, message: str
) -> None:
    count = commits(git_ledger.parent)
    result = run(runner, git_ledger, "record", indicator, metric, "--on", "2022-09-01", "--", value)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert git(git_ledger.parent, "status", "--porcelain") == "" and commits(git_ledger.parent) == count


def test_record__a_negative_growth_rate_is_a_real_reading(git_ledger: Path, runner: CliRunner) -> None:
    result = run(runner, git_ledger, "record", "跨境贸易", "外贸进出口增速", "--on", "2022-09-01", "--", "-3.5%")
    assert result.exit_code == 0, result.output
    assert _readings(git_ledger, 7, "trade_growth_rate") == [("2022-09-01", "-3.5", None)]


def test_record__a_second_reading_for_the_same_day_replaces_the_first_and_says_so(
    git_ledger: Path, runner: CliRunner
) -> None:
    args = ("record", "获得电力", "高压办电时间")
    assert run(runner, git_ledger, *args, "5.5", "--on", "2022-09-01", "--source", "月报初稿").exit_code == 0
    assert run(runner, git_ledger, *args, "5", "--on", "2022-10-01").exit_code == 0
    count = commits(git_ledger.parent)
    result = run(runner, git_ledger, *args, "5.2", "--on", "2022-09-01", "--source", "月报定稿")
    assert result.exit_code == 0, result.output
    assert "该日原有读数 5.5（来源：月报初稿），已替换为新读数" in result.stdout
    assert commits(git_ledger.parent) == count + 1
    assert _readings(git_ledger, 3, "high_voltage_days") == [
        ("2022-09-01", "5.2", "月报定稿"),
        ("2022-10-01", "5", None),
    ]
    message = git(git_ledger.parent, "log", "-1", "--format=%B")
    assert "替换该日原有读数：5.5（来源：月报初稿）\n" in message
    assert "Ledger-Value: 5.2\n" in message and "Ledger-Replaced: 5.5\nLedger-Replaced-Source: 月报初稿\n" in message
    entry = run_json(runner, git_ledger, "history", "获得电力")[-1]
    assert (entry["value"], entry["replaced"], entry["replaced_source"]) == ("5.2", "5.5", "月报初稿")
    shown = run(runner, git_ledger, "history", "获得电力", "--format", "csv").stdout
    assert "替换该日原读数 5.5" in shown
    assert run(runner, git_ledger, "check").exit_code == 0


def test_record__replacing_without_a_source_drops_the_old_one(git_ledger: Path, runner: CliRunner) -> None:
    args = ("record", "获得电力", "高压办电时间")
    assert run(runner, git_ledger, *args, "5.5", "--on", "2022-09-01", "--source", "月报初稿").exit_code == 0
    assert run(runner, git_ledger, *args, "5.4", "--on", "2022-09-01").exit_code == 0
    assert _readings(git_ledger, 3, "high_voltage_days") == [("2022-09-01", "5.4", None)]


def test_record__the_same_reading_again_is_refused_with_nothing_changed(git_ledger: Path, runner: CliRunner) -> None:
    args = ("record", "获得电力", "高压办电时间", "5.5", "--on", "2022-09-01", "--source", "月报")
    assert run(runner, git_ledger, *args).exit_code == 0
    count = commits(git_ledger.parent)
    again = run(runner, git_ledger, *args)
    assert again.exit_code == 1 and "已有同样的读数 5.5，未作修改" in again.stderr
    assert commits(git_ledger.parent) == count


def test_gap__a_reading_past_the_target_shows_as_reached_never_above_100_percent(
    git_ledger: Path, runner: CliRunner
) -> None:
    # 高压办电时间: baseline 6, target 5; a reading of 3.5 days covers the way 2.5 times over
    assert run(runner, git_ledger, "record", "获得电力", "高压办电时间", "3.5", "--on", "2022-09-01").exit_code == 0
    row = next(r for r in run_json(runner, git_ledger, "gap", "获得电力") if r["key"] == "high_voltage_days")
    assert (row["progress"], row["target_met"], row["gap_to_target"]) == (1, True, -1.5)
    table = run(runner, git_ledger, "gap", "获得电力").stdout
    line = next(x for x in table.splitlines() if x.startswith("高压办电时间"))
    assert line.rstrip().endswith("已达") and "250" not in table
    assert "进度 已达" in table  # the chart under the table says the same
