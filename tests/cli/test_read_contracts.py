"""The read commands' output contracts: every format on every command, the JSON keys docs/reference.md documents,
and the options' edge cases (blank values, Chinese light names, unknown ids)."""

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

from tests.conftest import DATA
from tests.helpers import run, run_json

READ_COMMANDS = [
    ("list",),
    ("overdue",),
    ("overdue", "--within", "30d"),
    ("gap",),
    ("gap", "获得电力"),
    ("show", "13.3"),
    ("show", "政府采购"),
    ("units",),
    ("units", "市财政局"),
    ("check",),
]

MEASURE_KEYS = {
    "id", "indicator", "indicator_name", "text", "units", "units_as_written", "lead", "and_related", "deadline",
    "due", "ongoing", "status", "done_on", "done_note", "light", "days_overdue", "days_left", "original_deadline",
    "slipped", "milestones", "missed_milestones", "evidence", "latest_progress",
}  # fmt: skip
GAP_KEYS = {
    "indicator", "indicator_name", "metric", "key", "unit", "direction", "best", "baseline", "current", "current_on",
    "target", "gap_to_best", "gap_to_target", "target_met", "ahead_of_best", "progress", "score", "dtf",
}  # fmt: skip
RANKING_KEYS = {"rank", "indicator", "indicator_name", "metrics_compared", "metrics_behind", "score", "dtf"}
UNIT_KEYS = {
    "unit",
    "level",
    "led",
    "joined",
    "done",
    "open",
    "overdue",
    "due_soon",
    "pending",
    "on_time_rate",
    "county_roles",
}


def _csv_blocks(text: str) -> list[list[list[str]]]:
    """CSV output as its tables: blocks of rows separated by one empty line."""
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text, newline="")):
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    return [b for b in blocks if b]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_commands__every_format_parses_back(runner: CliRunner, args: tuple[str, ...]) -> None:
    outputs = {}
    for fmt in ("table", "json", "csv", "md"):
        result = run(runner, DATA, *args, "--format", fmt, "--as-of", "2022-10-01")
        assert result.exit_code == 0, (fmt, result.output)
        assert "\x1b[" not in result.stdout and "Traceback" not in result.output
        outputs[fmt] = result.stdout
    json.loads(outputs["json"])
    for block in _csv_blocks(outputs["csv"]):
        assert len({len(row) for row in block}) == 1, block[0]  # every row as wide as its header
    md_rows = [line for line in outputs["md"].splitlines() if line.startswith("|")]
    assert md_rows and any(set(line) <= set("|-: ") for line in md_rows)  # a header separator row


def test_overdue__json_is_the_list_contract_plus_light_and_days_overdue(runner: CliRunner) -> None:
    overdue = run_json(runner, DATA, "overdue", "--as-of", "2022-10-01")
    listed = {m["id"]: m for m in run_json(runner, DATA, "list", "--as-of", "2022-10-01")}
    assert overdue and all(set(item) == MEASURE_KEYS for item in overdue)
    assert all(item == listed[item["id"]] for item in overdue)
    assert all(item["light"] == "red" and item["days_overdue"] >= 1 for item in overdue)


def test_list__json_has_the_closing_note_as_done_note(runner: CliRunner) -> None:
    items = {m["id"]: m for m in run_json(runner, DATA, "list", "--as-of", "2022-10-01")}
    assert items["6.1"]["done_note"].startswith("方案印发前已整改：自2021年6月1日起")
    assert items["3.2"]["done_note"] is None  # open
    card = run_json(runner, DATA, "show", "6.1", "--as-of", "2022-10-01")
    assert card["done_note"] == items["6.1"]["done_note"]
    before = run_json(runner, DATA, "show", "6.1", "--as-of", "2021-05-31")  # before its closing: open, no note
    assert (before["status"], before["done_note"]) == ("open", None)


def test_json_contracts__keys_are_the_documented_ones(runner: CliRunner) -> None:
    assert {frozenset(r) for r in run_json(runner, DATA, "gap", "获得电力")} == {frozenset(GAP_KEYS)}
    assert {frozenset(r) for r in run_json(runner, DATA, "gap")} == {frozenset(RANKING_KEYS)}
    assert {frozenset(c) for c in run_json(runner, DATA, "units")} == {frozenset(UNIT_KEYS)}
    check = run_json(runner, DATA, "check")
    assert check == {"ok": True, "root": str(DATA), "problems": []}
    reference = (DATA.parent / "docs" / "reference.md").read_text(encoding="utf-8")
    assert all(f"`{key}`" in reference for key in MEASURE_KEYS | GAP_KEYS | RANKING_KEYS | UNIT_KEYS)


def test_show__indicator_json_has_structured_county_duties(runner: CliRunner) -> None:
    card = run_json(runner, DATA, "show", "获得电力")
    (duty,) = card["counties"]
    assert (duty["county"], duty["leader"], duty["lead_units"]) == ("临泽县", "李国志", ["国家电网临泽县供电公司"])
    assert duty["problems"] and all(isinstance(p, str) for p in duty["problems"])


def test_show__county_part_carries_the_lists_own_figures(runner: CliRunner) -> None:
    text = run(runner, DATA, "show", "招标投标", "--as-of", "2022-07-08").stdout
    county = text[text.index("县区责任：") :]
    assert "  指标项 异议与投诉处理时限：全省最佳 1个工作日\n" in county
    (duty,) = run_json(runner, DATA, "show", "招标投标")["counties"]
    assert duty["metrics"] == [
        {
            "metric": "异议与投诉处理时限",
            "key": "objection_complaint_days",
            "unit": "个工作日",
            "direction": "lower",
            "best": 1,
            "baseline": None,
            "target": None,
        }
    ]


def test_show__county_figure_names_the_plans_where_they_differ(runner: CliRunner) -> None:
    text = run(runner, DATA, "show", "获得用水用气", "--as-of", "2022-07-08").stdout
    assert "  指标项 用水时间：全省最佳 0.5天（市方案 1天）\n" in text
    text = run(runner, DATA, "show", "办理破产", "--as-of", "2022-07-08").stdout
    assert "  指标项 成立破产审判团队：全省最佳 是，现状 否（市方案 是）\n" in text
    assert run_json(runner, DATA, "show", "获得电力")["counties"][0]["metrics"] == []


def test_show__indicator_csv_is_three_tables_apart(runner: CliRunner) -> None:
    text = run(runner, DATA, "show", "政府采购", "--format", "csv", "--as-of", "2022-10-01").stdout
    blocks = _csv_blocks(text)
    assert [b[0][0] for b in blocks] == ["项目", "指标项", "灯"]
    assert [r[1] for r in blocks[2][1:]] == ["13.1", "13.2", "13.3", "13.4"]


def test_list__lead_unit_is_marked_with_full_width_brackets(runner: CliRunner) -> None:
    table = run(runner, DATA, "list", "--indicator", "13", "--as-of", "2022-10-01").stdout
    assert "市财政局（牵头）" in table and "(牵头)" not in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "--unit", ""), "--unit 不能为空"),
        (("list", "--indicator", "  "), "--indicator 不能为空"),
        (("list", "--county", ""), "--county 不能为空"),
        (("overdue", "--unit", "　"), "--unit 不能为空"),  # a full-width space is blank too
        (("units", ""), "责任单位不能为空"),
        (("gap", ""), "指标不能为空"),
        (("show", ""), "措施编号或指标不能为空"),
        (("export", "--format", "json", "--unit", ""), "--unit 不能为空"),
    ],
)
def test_read_options__blank_value_is_a_usage_error_not_no_filter(
    runner: CliRunner, args: tuple[str, ...], message: str
) -> None:
    result = run(runner, DATA, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


@pytest.mark.parametrize(("typed", "light"), [("红灯", "red"), ("RED", "red"), ("黄", "yellow"), ("已销号", "done")])
def test_list__light_accepts_chinese_and_any_case(runner: CliRunner, typed: str, light: str) -> None:
    items = run_json(runner, DATA, "list", "--light", typed, "--within", "30d", "--as-of", "2022-10-01")
    assert items and {i["light"] for i in items} == {light}


def test_list__status_accepts_chinese(runner: CliRunner) -> None:
    done = run_json(runner, DATA, "list", "--status", "已完成", "--as-of", "2022-10-01")
    assert [i["id"] for i in done] == ["6.1"]
    assert len(run_json(runner, DATA, "list", "--status", "未完成", "--as-of", "2022-10-01")) == 59


def test_list__bad_light_names_only_the_wrong_values(runner: CliRunner) -> None:
    result = run(runner, DATA, "list", "--light", "red", "--light", "purple")
    assert result.exit_code == 2 and "而不是“purple”" in result.stderr


def test_list__county_by_fragment_and_unknown_names_the_known_ones(runner: CliRunner) -> None:
    by_fragment = run_json(runner, DATA, "list", "--county", "临泽", "--light", "red", "--as-of", "2022-10-01")
    assert [i["id"] for i in by_fragment] == ["13.1", "13.3"]
    unknown = run(runner, DATA, "list", "--county", "甘州区")
    assert unknown.exit_code == 1 and "台账中有：临泽县" in unknown.stderr  # an unknown name, as documented


@pytest.mark.parametrize(
    ("typed", "says", "never"),
    [
        ("99.1", "没有第 99 项指标（编号为 1–18）", "该指标的措施有"),
        ("13.9", "该指标的措施有：13.1、13.2、13.3、13.4", "是否要找"),
        (".", "措施编号形如 3.2", "该指标的措施有"),
        ("临泽县:3.1", "临泽县的清单中没有第 3 项指标的措施", "该指标的措施有"),
    ],
)
def test_show__unknown_measure_says_what_is_wrong(runner: CliRunner, typed: str, says: str, never: str) -> None:
    result = run(runner, DATA, "show", typed)
    assert result.exit_code == 1 and says in result.stderr and never not in result.stderr


def test_lookups__a_pasted_page_is_cut_in_the_message(runner: CliRunner) -> None:
    result = run(runner, DATA, "list", "--unit", "市" * 5000)
    assert result.exit_code == 1 and len(result.stderr) < 200 and "…" in result.stderr


def test_lookups__many_candidates_are_counted_not_all_listed(runner: CliRunner) -> None:
    result = run(runner, DATA, "units", "局")
    assert result.exit_code == 1 and "不唯一" in result.stderr
    assert "请输入更完整的名称" in result.stderr and result.stderr.count("、") == 11


def _complete(words: str, cwd: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_DATA"}
    env.update(_LEDGER_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1))
    proc = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger"], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_completion__follows_the_data_option_on_the_command_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _complete("ledger show 13.", tmp_path) == ["13.1", "13.2", "13.3", "13.4"]  # the shipped plan
    assert _complete(f"ledger --data {DATA} show 13.", tmp_path) == ["13.1", "13.2", "13.3", "13.4"]
    assert _complete(f"ledger --data {empty} show 13.", tmp_path) == []  # not a ledger: nothing, and no traceback


def test_units__one_units_measures_are_titled_with_its_counts(runner: CliRunner) -> None:
    text = run(runner, DATA, "units", "市财政局", "--as-of", "2022-10-01").stdout
    assert "市财政局的措施（牵头 5 项、配合 4 项）" in text


@pytest.mark.parametrize("typed", ["３．２", " 3.2 "])
def test_show__full_width_or_padded_id_is_still_a_measure(runner: CliRunner, typed: str) -> None:
    assert run_json(runner, DATA, "show", typed)["id"] == "3.2"


def test_units__county_roles_read_as_role_and_leader(runner: CliRunner) -> None:
    text = run(runner, DATA, "units", "国家电网临泽县供电公司", "--format", "md").stdout
    assert "临泽县获得电力：组长单位（责任领导 李国志）" in text
    assert "的措施" not in text  # county duties only: no empty measure table


def test_list_json__streamed_a_measure_at_a_time_as_one_documented_array(runner: CliRunner) -> None:
    result = run(runner, DATA, "list", "--format", "json", "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows][:3] == ["1.1", "1.2", "1.3"] and len(rows) == 60
    assert result.stdout.startswith("[\n  {\n    ") and result.stdout.endswith("\n]\n")
    empty = run(runner, DATA, "list", "--format", "json", "--grep", "没有这样的措施文字", "--as-of", "2022-10-01")
    assert empty.exit_code == 0 and empty.stdout == "[]\n"
