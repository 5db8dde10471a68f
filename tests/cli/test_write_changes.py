"""reopen, progress, postpone and record end to end: what they write, and what the read side then shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.model.domain import Measure
from bizenv_ledger.store.loader import load_ledger
from tests.conftest import git
from tests.helpers import run, run_json
from tests.writing import EVIDENCE, FILE03, commits, measure_span, touched_old_lines, use_commented_fixture


def _ok(runner: CliRunner, data: Path, *args: str) -> str:
    result = run(runner, data, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _measure(data: Path, measure_id: str) -> Measure:
    ledger = load_ledger(data, use_cache=False).ledger
    assert ledger is not None
    return next(m for i in ledger.indicators for m in i.measures if m.id == measure_id)


def _last_message(data: Path) -> str:
    return git(data.parent, "log", "-1", "--format=%B")


# ---------------------------------------------------------------- reopen


def test_reopen__back_to_open_with_the_earlier_closing_kept(git_ledger: Path, runner: CliRunner) -> None:
    _ok(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "-e", "张电〔2022〕12号", "--note", "初次销号")
    _ok(runner, git_ledger, "reopen", "3.2", "--reason", "佐证材料不全", "--on", "2022-09-01")
    measure = _measure(git_ledger, "3.2")
    assert measure.status == "open" and measure.closing is None
    (reopening,) = measure.reopenings
    assert (reopening.on.isoformat(), reopening.reason) == ("2022-09-01", "佐证材料不全")
    assert reopening.closing.note == "初次销号" and reopening.closing.evidence[0].ref == "张电〔2022〕12号"
    # as of a day between closing and reopening it was done; after, it is open again (and overdue)
    assert run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-08-20")["status"] == "done"
    assert run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-09-02")["light"] == "red"
    assert "Ledger-Action: reopen\n" in _last_message(git_ledger)
    assert "Ledger-Reason: 佐证材料不全" in _last_message(git_ledger)
    _ok(runner, git_ledger, "done", "3.2", "-e", EVIDENCE, "--on", "2022-09-10")
    assert run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-09-05")["status"] == "open"
    assert run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-09-10")["done_on"] == "2022-09-10"


def test_reopen__on_the_commented_fixture_touches_only_that_measure(git_ledger: Path, runner: CliRunner) -> None:
    use_commented_fixture(git_ledger)
    before = (git_ledger / FILE03).read_text(encoding="utf-8")
    _ok(runner, git_ledger, "reopen", "3.4", "--reason", "复核不合格", "--on", "2022-09-01")
    after = (git_ledger / FILE03).read_text(encoding="utf-8")
    start, end = measure_span(before, "3.4")
    assert all(start <= line <= end for line in touched_old_lines(before, after))
    assert "          # 销号依据\n" in after  # the closing's comment moved with it


def test_reopen__refusals(git_ledger: Path, runner: CliRunner) -> None:
    open_measure = run(runner, git_ledger, "reopen", "3.2", "--reason", "x")
    assert open_measure.exit_code == 1 and "尚未销号" in open_measure.stderr
    _ok(runner, git_ledger, "done", "3.2", "-e", EVIDENCE, "--on", "2022-08-15")
    early = run(runner, git_ledger, "reopen", "3.2", "--reason", "x", "--on", "2022-08-14")
    assert early.exit_code == 2 and "早于销号日期" in early.stderr
    assert run(runner, git_ledger, "reopen", "3.2").exit_code == 2  # --reason is required


# ---------------------------------------------------------------- progress


def test_progress__dated_entries_in_order(git_ledger: Path, runner: CliRunner) -> None:
    _ok(runner, git_ledger, "progress", "3.2", "完成系统对接方案", "--on", "2022-08-05")
    _ok(runner, git_ledger, "progress", "3.2", "APP 消息推送上线", "--on", "2022-08-25")
    progress = [(p.on.isoformat(), p.text) for p in _measure(git_ledger, "3.2").progress]
    assert progress == [("2022-08-05", "完成系统对接方案"), ("2022-08-25", "APP 消息推送上线")]
    assert (
        run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-08-10")["latest_progress"]["text"]
        == "完成系统对接方案"
    )
    assert git(git_ledger.parent, "log", "-1", "--format=%s").strip() == "进展 3.2 获得电力：APP 消息推送上线"
    assert commits(git_ledger.parent) == 3


# ---------------------------------------------------------------- postpone


def test_postpone__new_deadline_in_force_old_one_on_record_and_listed_as_slipped(
    git_ledger: Path, runner: CliRunner
) -> None:
    assert run_json(runner, git_ledger, "list", "--slipped", "--as-of", "2022-10-01") == []
    _ok(runner, git_ledger, "postpone", "3.2", "2022年10月", "--reason", "系统改造延期", "--on", "2022-08-20")
    text = (git_ledger / FILE03).read_text(encoding="utf-8")
    assert '    deadline: "2022年10月"\n' in text
    (pp,) = _measure(git_ledger, "3.2").postponements
    assert (pp.on.isoformat(), pp.old, pp.new, pp.reason) == ("2022-08-20", "2022年8月", "2022年10月", "系统改造延期")
    (slipped,) = run_json(runner, git_ledger, "list", "--slipped", "--as-of", "2022-10-01")
    assert (slipped["id"], slipped["deadline"], slipped["original_deadline"]) == ("3.2", "2022年10月", "2022年8月")
    assert slipped["light"] == "green"
    assert "3.2" not in {i["id"] for i in run_json(runner, git_ledger, "overdue", "--as-of", "2022-10-01")}
    # as of a day before the postponement was decided, the plan's deadline was still in force
    assert run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-08-19")["deadline"] == "2022年8月"
    assert "Ledger-Deadline-Old: 2022年8月\nLedger-Deadline-New: 2022年10月\n" in _last_message(git_ledger)


def test_postpone__twice_keeps_the_plans_original(git_ledger: Path, runner: CliRunner) -> None:
    _ok(runner, git_ledger, "postpone", "3.2", "2022年10月", "--reason", "一", "--on", "2022-08-20")
    _ok(runner, git_ledger, "postpone", "3.2", "2022年底", "--reason", "二", "--on", "2022-10-20")
    item = run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-11-01")
    assert (item["deadline"], item["original_deadline"], item["due"]) == ("2022年底", "2022年8月", "2022-12-31")
    earlier = run(runner, git_ledger, "postpone", "3.2", "2023年6月", "--reason", "三", "--on", "2022-10-01")
    assert earlier.exit_code == 2 and "上一次延期" in earlier.stderr


def test_postpone__a_done_measure_is_refused(git_ledger: Path, runner: CliRunner) -> None:
    _ok(runner, git_ledger, "done", "3.2", "-e", EVIDENCE, "--on", "2022-08-15")
    result = run(runner, git_ledger, "postpone", "3.2", "2022年10月", "--reason", "x")
    assert result.exit_code == 1 and "已销号" in result.stderr


# ---------------------------------------------------------------- record


def test_record__gap_uses_the_latest_reading_and_shows_progress(git_ledger: Path, runner: CliRunner) -> None:
    _ok(
        runner,
        git_ledger,
        "record",
        "获得电力",
        "high_voltage_days",
        "5.5天",
        "--on",
        "2022-09-01",
        "--source",
        "供电公司月报",
    )
    _ok(runner, git_ledger, "record", "电力", "高压办电时间", "5", "--on", "2022-10-01")
    rows = {r["key"]: r for r in run_json(runner, git_ledger, "gap", "获得电力", "--as-of", "2022-10-15")}
    row = rows["high_voltage_days"]
    assert (row["baseline"], row["current"], row["current_on"], row["target_met"]) == (6, 5, "2022-10-01", True)
    assert row["progress"] == 1
    earlier = {r["key"]: r for r in run_json(runner, git_ledger, "gap", "获得电力", "--as-of", "2022-09-15")}
    assert (earlier["high_voltage_days"]["current"], earlier["high_voltage_days"]["progress"]) == (5.5, 0.5)
    before = {r["key"]: r for r in run_json(runner, git_ledger, "gap", "获得电力", "--as-of", "2022-08-01")}
    assert before["high_voltage_days"]["current"] == 6  # the baseline stays until a reading
    message = _last_message(git_ledger)
    assert message.startswith("记录 获得电力 高压办电时间 = 5\n")
    assert "Ledger-Item: 获得电力/high_voltage_days\n" in message and "Ledger-Value: 5\n" in message


@pytest.mark.parametrize(
    ("indicator", "metric", "typed", "written"),
    [
        ("开办企业", "刻章费用", "110-180", "{min: 110, max: 180}"),
        ("开办企业", "seal_cost", "0", "0"),
        ("获得用水用气", "用气时间", "≤45", "{at_most: 45}"),
        ("知识产权", "rd_intensity", ">=1.3%", "{at_least: 1.3}"),
        ("获得电力", "多渠道", "否", "false"),
        ("获得电力", "高压办电时间", "4.5 天", "4.5"),
        ("办理建筑许可", "planning_and_works_permit_days", "5工作日", "5"),
    ],
)
def test_record__value_forms_are_written_as_the_schema_reads_them(
    git_ledger: Path, runner: CliRunner, indicator: str, metric: str, typed: str, written: str
) -> None:
    _ok(runner, git_ledger, "record", indicator, metric, typed, "--on", "2022-10-01")
    diff = git(git_ledger.parent, "diff", "HEAD~1")
    assert f"+        value: {written}\n" in diff
    assert run(runner, git_ledger, "check").exit_code == 0


def test_record__on_the_commented_fixture_joins_the_indentless_list(git_ledger: Path, runner: CliRunner) -> None:
    use_commented_fixture(git_ledger)
    _ok(runner, git_ledger, "record", "3", "高压办电时间", "5", "--on", "2022-10-01")
    text = (git_ledger / FILE03).read_text(encoding="utf-8")
    assert '      source: 首次读数\n    - "on": "2022-10-01"\n      value: 5\n\n  - key: high_voltage_steps' in text


def test_done__a_county_measure_in_the_county_file(git_ledger: Path, runner: CliRunner) -> None:
    county = git_ledger / "counties" / "临泽县.yaml"
    anchor = "    member_units: [县自然资源局, 县住建局, 县市场监管局]\n    measures: []\n"
    measure = (
        '    measures:\n      - id: "临泽县:3.1"\n        text: 建立县级业扩报装全过程时限管控机制。\n'
        "        units: [国家电网临泽县供电公司]\n        deadline: 2022年10月\n"
    )
    text = county.read_text(encoding="utf-8")
    county.write_text(text.replace(anchor, anchor.replace("    measures: []\n", measure)), encoding="utf-8")
    git(git_ledger.parent, "commit", "-q", "-am", "县区措施")
    _ok(runner, git_ledger, "done", "临泽县:3.1", "-e", EVIDENCE, "--on", "2022-10-01")
    added = [
        line
        for line in git(git_ledger.parent, "diff", "-U0", "HEAD~1").splitlines()
        if line.startswith("+") and "+++" not in line
    ]
    assert added == [
        "+        status: done",
        "+        closing:",
        '+          "on": "2022-10-01"',
        "+          evidence:",
        f'+            - ref: "{EVIDENCE}"',
        "+              kind: doc",
    ]
    message = _last_message(git_ledger)
    assert "Ledger-Item: 临泽县:3.1\nLedger-Indicator: 3\nLedger-Unit: 国家电网临泽县供电公司\n" in message


def test_record__the_commit_keeps_every_digit_of_the_value(git_ledger: Path, runner: CliRunner) -> None:
    out = _ok(runner, git_ledger, "record", "知识产权", "rd_intensity", "1.234567%", "--on", "2022-10-01")
    assert "= 1.234567（2022-10-01）" in out
    message = _last_message(git_ledger)
    assert message.split("\n", 1)[0].endswith(" = 1.234567")
    assert "Ledger-Value: 1.234567\n" in message
    assert "+        value: 1.234567\n" in git(git_ledger.parent, "diff", "HEAD~1")


def test_postpone__dropping_ongoing_is_pointed_out(git_ledger: Path, runner: CliRunner) -> None:
    out = _ok(runner, git_ledger, "postpone", "13.1", "2022年12月", "--reason", "系统升级", "--on", "2022-09-20")
    assert "原时限为长期坚持，新时限没有写“长期坚持”" in out and "“2022年12月，长期坚持”" in out
    out = _ok(
        runner, git_ledger, "postpone", "13.2", "2023年3月，长期坚持", "--reason", "系统升级", "--on", "2022-09-20"
    )
    assert "注意" not in out
