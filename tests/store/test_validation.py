"""`ledger check` on broken ledgers: one kind of problem per test, each at its path:line:col.

Each test breaks a private copy of data/ (the ``ledger_dir`` fixture), either with a
one-line edit or by copying a whole file from tests/fixtures/broken/ over one of its
files, then asserts the rendered problem line, exit code 1 and that nothing crashed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from bizenv_ledger.store.loader import load_ledger
from tests.conftest import FIXTURES
from tests.helpers import edit, run, run_json

BROKEN = FIXTURES / "broken"
ELECTRICITY = "indicators/03-获得电力.yaml"
PROPERTY = "indicators/05-登记财产.yaml"
PROCUREMENT = "indicators/13-政府采购.yaml"
TENDERING = "indicators/14-招标投标.yaml"
START_UP = "indicators/01-开办企业与注销.yaml"
TAX = "indicators/06-纳税.yaml"
TRADE = "indicators/07-跨境贸易.yaml"
GOV_SERVICE = "indicators/15-政务服务.yaml"
INCLUSIVE = "indicators/18-包容普惠创新.yaml"
MARKET = "indicators/17-市场监管.yaml"
COUNTY = "counties/临泽县.yaml"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def at(path: Path, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column (in characters) of the nth occurrence of ``needle`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def rendered(path: Path, line: int, col: int, message: str, label: str = "", hint: str = "") -> str:
    """The documented form: ``path:line:col: message［label］（提示：hint）``, where the label names the
    field as people do: ``3.2 的 status`` (items by id, key or name, else counted from 1)."""
    return f"{path}:{line}:{col}: {message}" + (f"［{label}］" if label else "") + (f"（提示：{hint}）" if hint else "")


def check(runner: CliRunner, data: Path, *args: str) -> Result:
    result = run(runner, data, "check", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def failing(runner: CliRunner, data: Path) -> list[str]:
    """The problem lines of a check that must fail with exit code 1."""
    result = check(runner, data)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""  # problems go to stderr
    lines = result.stderr.splitlines()
    assert lines[-1] == f"共 {len(lines) - 1} 个问题。"
    return lines[:-1]


def problems_json(runner: CliRunner, data: Path) -> list[dict[str, Any]]:
    result = check(runner, data, "--format", "json")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["root"] == str(data)
    problems: list[dict[str, Any]] = payload["problems"]
    return problems


def assert_reports(runner: CliRunner, data: Path, expected: str, *, only: bool = False) -> list[str]:
    lines = failing(runner, data)
    assert expected in lines, "\n".join(lines)
    if only:
        assert lines == [expected]
    return lines


def replace_file(ledger: Path, rel: str, fixture: str) -> Path:
    target = ledger / rel
    shutil.copyfile(BROKEN / fixture, target)
    return target


# ---------------------------------------------------------------------------
# clean
# ---------------------------------------------------------------------------


def test_check__real_plan_is_clean(runner: CliRunner, ledger_dir: Path) -> None:
    result = check(runner, ledger_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("台账校验通过：")
    assert "18 项指标，60 项措施" in result.stdout


def test_check__json_when_clean(runner: CliRunner, ledger_dir: Path) -> None:
    result = check(runner, ledger_dir, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "root": str(ledger_dir), "problems": []}


# ---------------------------------------------------------------------------
# usage errors exit 2
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("check", "--format", "xml"), ("check", "--as-of", "not-a-date"), ("check", "--no-such-option")],
)
def test_check__usage_error_exits_2(runner: CliRunner, ledger_dir: Path, args: tuple[str, ...]) -> None:
    result = run(runner, ledger_dir, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_check__missing_directory_is_a_problem_not_a_crash(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert_reports(runner, missing, rendered(missing, 1, 1, "台账目录不存在", hint="用 --data 指定台账目录"), only=True)


# ---------------------------------------------------------------------------
# measure ids
# ---------------------------------------------------------------------------


def test_check__duplicate_measure_id(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, 'id: "1.2"', 'id: "1.1"')
    line, col = at(path, 'id: "1.1"', nth=2)
    message = f"措施编号“1.1”重复（另见 {START_UP}）"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "1.1（第 2 项） 的 id"), only=True)


def test_check__measure_id_of_another_indicator(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, 'id: "1.6"', 'id: "2.6"')
    line, col = at(path, 'id: "2.6"')
    expected = rendered(path, line, col, "措施编号“2.6”应为“1.序号”", "2.6 的 id", "如 1.1")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__measure_numbers_have_no_digit_cap(runner: CliRunner, ledger_dir: Path) -> None:
    """A province's indicator runs past 999 measures: 1.1000 and 1.123456 are ids like 1.6, and ``show`` finds them."""
    path = ledger_dir / START_UP
    edit(path, 'id: "1.5"', 'id: "1.1000"')
    edit(path, 'id: "1.6"', 'id: "1.123456"')
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 0, result.output
    shown = run_json(runner, ledger_dir, "show", "1.1000")
    assert json.dumps(shown, ensure_ascii=False).count('"1.1000"') >= 1


@pytest.mark.parametrize("written", ["1.", "1.1000a", "1.1.2", "1.１０００", "１.1000", "1.-1000", "101.1000"])
def test_check__a_long_measure_number_is_still_an_id(runner: CliRunner, ledger_dir: Path, written: str) -> None:
    """Only the cap on the digits went: an id is still 指标编号.序号 in ASCII digits, nothing else."""
    path = ledger_dir / START_UP
    edit(path, 'id: "1.6"', f'id: "{written}"')
    line, col = at(path, f'id: "{written}"')
    expected = rendered(path, line, col, f"措施编号“{written}”应为“1.序号”", f"{written} 的 id", "如 1.1")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__unquoted_id_is_not_read_as_a_number(runner: CliRunner, ledger_dir: Path) -> None:
    """``id: 1.10`` would be the float 1.1 in YAML 1.1; here it is refused with a hint to quote it."""
    path = ledger_dir / START_UP
    edit(path, 'id: "1.6"', "id: 1.10")
    line, col = at(path, "id: 1.10")
    expected = rendered(path, line, col, "应为文本；数字、日期样式的值请加引号", "measures 第 6 项 的 id")
    assert_reports(runner, ledger_dir, expected, only=True)


# ---------------------------------------------------------------------------
# units
# ---------------------------------------------------------------------------


def test_check__unknown_unit_with_did_you_mean(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, "units: [市财政局]", "units: [市财正局]")
    line, col = at(path, "市财正局")
    lines = failing(runner, ledger_dir)
    assert len(lines) == 1
    prefix = rendered(path, line, col, "责任单位“市财正局”未在 units.yaml 登记", "1.4 的 units 第 1 项")
    assert lines[0].startswith(prefix + "（提示：是否为：市财政局")


def test_check__unknown_unit_json_carries_field_and_hint(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, "units: [市财政局]", "units: [市财正局]")
    line, col = at(path, "市财正局")
    (problem,) = problems_json(runner, ledger_dir)
    assert {k: problem[k] for k in ("path", "line", "col", "field", "message")} == {
        "path": str(path),
        "line": line,
        "col": col,
        "field": "measures.3.units.0",
        "message": "责任单位“市财正局”未在 units.yaml 登记",
    }
    assert problem["label"] == "1.4 的 units 第 1 项"  # the field as people say it: by id, counted from 1
    assert problem["hint"].startswith("是否为：市财政局")


def test_check__unknown_county_unit(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(path, "lead_units: [县市场监管局]", "lead_units: [县市场监督局]")
    line, col = at(path, "县市场监督局")
    lines = failing(runner, ledger_dir)
    prefix = rendered(path, line, col, "责任单位“县市场监督局”未在 units.yaml 登记", "开办企业 的 lead_units 第 1 项")
    assert len(lines) == 1 and lines[0].startswith(prefix + "（提示：是否为：")
    assert "临泽县市场监管局" in lines[0]


def test_check__unit_with_no_near_name_asks_to_register_it(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, "units: [市财政局]", "units: [某某某]")
    line, col = at(path, "某某某")
    expected = rendered(
        path, line, col, "责任单位“某某某”未在 units.yaml 登记", "1.4 的 units 第 1 项", "请先在 units.yaml 登记该单位"
    )
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__alias_claimed_by_two_units(runner: CliRunner, ledger_dir: Path) -> None:
    """An alias that would merge two different bodies is an error, not a silent merge."""
    path = ledger_dir / "units.yaml"
    edit(
        path, "  - name: 市住建局\n    level: 市直\n", "  - name: 市住建局\n    level: 市直\n    aliases: [市交通局]\n"
    )
    line, col = at(path, "市交通局]", nth=2)  # the later of the two claims is the one reported
    expected = rendered(
        path, line, col, "名称“市交通局”同时属于“市住建局”和“市交通运输局”", "市交通运输局 的 aliases 第 1 项"
    )
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__alias_differing_only_in_width_or_spaces_is_the_same_name(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / "units.yaml"
    edit(
        path,
        "  - name: 市住建局\n    level: 市直\n",
        '  - name: 市住建局\n    level: 市直\n    aliases: ["市交通 局"]\n',
    )
    line, col = at(path, "市交通局]")  # 市交通运输局's alias, registered after the spaced one
    expected = rendered(
        path, line, col, "名称“市交通局”同时属于“市住建局”和“市交通运输局”", "市交通运输局 的 aliases 第 1 项"
    )
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__unit_registered_twice(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / "units.yaml"
    edit(path, "  - name: 市水务局\n", "  - name: 市水务局\n    level: 市直\n  - name: 市水务局\n")
    line, col = at(path, "- name: 市水务局", nth=2)
    expected = rendered(path, line, col + 2, "单位“市水务局”登记了两次", "市水务局（第 14 项） 的 name")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__collective_member_not_registered(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / "units.yaml"
    edit(path, "members: [临泽县人民政府, 高台县人民政府", "members: [临泽县政府, 高台县人民政府")
    line, col = at(path, "临泽县政府")
    expected = rendered(path, line, col, "成员“临泽县政府”未登记为单位", "各县人民政府 的 members 第 1 项")
    assert_reports(runner, ledger_dir, expected, only=True)


# ---------------------------------------------------------------------------
# indicator numbers
# ---------------------------------------------------------------------------


def test_check__indicator_missing(runner: CliRunner, ledger_dir: Path) -> None:
    (ledger_dir / INCLUSIVE).unlink()
    lines = failing(runner, ledger_dir)
    plan, county = ledger_dir / "plan.yaml", ledger_dir / COUNTY
    # the plan's goal and the county list still name it: both said, at their lines
    line, col = at(plan, "reach_best: [17, 18, 3]")
    col += len("reach_best: [17, ")  # the item 18 itself
    assert rendered(plan, line, col, "指标编号 18 不存在", "overall_goal 的 reach_best 第 2 项") in lines
    line, col = at(county, "number: 18")
    assert rendered(county, line, col, "指标编号 18 在方案中不存在", "包容普惠创新 的 number") in lines
    assert len(lines) == 2


def test_check__indicator_number_duplicated(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / INCLUSIVE
    edit(path, "number: 18", "number: 17")
    lines = failing(runner, ledger_dir)
    market = ledger_dir / MARKET
    assert rendered(market, 3, 1, f"指标编号 17 出现了 2 次（另见 {INCLUSIVE}）", "number") in lines
    assert rendered(path, 3, 1, f"指标编号 17 出现了 2 次（另见 {MARKET}）", "number") in lines
    assert rendered(ledger_dir / "plan.yaml", 1, 1, "指标编号 18 不存在", "overall_goal 的 reach_best 第 2 项") in [
        ln.replace(f":{ln.split(':')[1]}:{ln.split(':')[2]}:", ":1:1:") for ln in lines
    ]
    # the measures of the second file are reported in that file, at their own lines
    line, col = at(path, 'id: "18.5"')
    assert rendered(path, line, col, "措施编号“18.5”应为“17.序号”", "18.5 的 id", "如 17.1") in lines
    assert not any(line.startswith(f"{market}:") and "18." in line for line in lines)


def test_check__indicator_number_leaves_a_gap(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / INCLUSIVE
    edit(path, "number: 18", "number: 19")
    lines = failing(runner, ledger_dir)
    assert rendered(ledger_dir / "plan.yaml", 1, 1, "缺少指标：18（指标编号应从 1 起连续）") in lines


def test_check__indicator_number_not_positive(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / INCLUSIVE
    edit(path, "number: 18", "number: 0")
    lines = failing(runner, ledger_dir)
    assert rendered(path, 3, 1, "指标编号 0 应为正整数（从 1 起）", "number") in lines


def test_check__indicator_number_not_a_number(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / INCLUSIVE
    edit(path, "number: 18", "number: 十八")
    expected = rendered(path, 3, 1, "应为整数", "number")
    # the file cannot be read, so nothing is claimed about indicator 18 being missing
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__no_indicator_files_leaves_the_goal_pointing_nowhere(runner: CliRunner, ledger_dir: Path) -> None:
    """An empty indicators/ is a new ledger's state; the 2022 plan's 总体目标 then names indicators that are gone."""
    shutil.rmtree(ledger_dir / "indicators")
    shutil.rmtree(ledger_dir / "counties")
    (ledger_dir / "indicators").mkdir()
    lines = failing(runner, ledger_dir)
    assert [line.split(": ", 1)[1] for line in lines] == [
        f"指标编号 {n} 不存在［overall_goal 的 {key} 第 {k + 1} 项］"
        for key, numbers in (("reach_best", (17, 18, 3)), ("narrow_gap", (5, 1, 13)))
        for k, n in enumerate(numbers)
    ]


def test_check__a_plan_without_goal_or_indicators_is_valid(runner: CliRunner, ledger_dir: Path) -> None:
    """A 任务分工 plan has no 二、总体目标 and, before import, no indicators: a valid empty ledger."""
    shutil.rmtree(ledger_dir / "indicators")
    shutil.rmtree(ledger_dir / "counties")
    (ledger_dir / "indicators").mkdir()
    plan = ledger_dir / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text[: text.index("overall_goal:")], encoding="utf-8")
    result = check(runner, ledger_dir)
    assert result.exit_code == 0, result.output
    assert "0 项指标" in result.output


def test_check__missing_units_file(runner: CliRunner, ledger_dir: Path) -> None:
    (ledger_dir / "units.yaml").unlink()
    assert_reports(runner, ledger_dir, rendered(ledger_dir / "units.yaml", 1, 1, "缺少文件"), only=True)


# ---------------------------------------------------------------------------
# deadlines and status
# ---------------------------------------------------------------------------


def test_check__unreadable_deadline_at_its_line(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TENDERING
    edit(path, "deadline: 2022年8月", "deadline: 2022年13月")
    line, col = at(path, "deadline: 2022年13月")
    message = "无法识别的完成时限“2022年13月”（可写作 2022年12月、2022年底、2022-12-31，或再加“，长期坚持”）"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "14.2 的 deadline"), only=True)


@pytest.mark.parametrize("written", ["下个月", "2022年", "2022年12月，尽快", "2022-02-30", "12月"])
def test_check__other_unreadable_deadlines(runner: CliRunner, ledger_dir: Path, written: str) -> None:
    path = ledger_dir / TENDERING
    edit(path, "deadline: 2022年10月", f"deadline: {written}")
    line, col = at(path, f"deadline: {written}\n")
    (problem,) = problems_json(runner, ledger_dir)
    assert (problem["path"], problem["line"], problem["col"]) == (str(path), line, col)
    assert problem["field"] == "measures.2.deadline"
    assert problem["message"].startswith(f"无法识别的完成时限“{written}”")


def test_check__unreadable_milestone_deadline(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / PROCUREMENT
    edit(path, "        deadline: 2022年8月", "        deadline: 8月底")
    line, col = at(path, "deadline: 8月底")
    lines = failing(runner, ledger_dir)
    assert len(lines) == 1
    assert lines[0].startswith(rendered(path, line, col, "无法识别的完成时限“8月底”"))
    assert lines[0].endswith("［13.3 的 milestones 第 1 项 的 deadline］")


def test_check__done_before_plan_deadline_needs_status_done(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TAX
    text = path.read_text(encoding="utf-8")
    start, end = text.index("    status: done\n"), text.index('  - id: "6.2"')
    path.write_text(text[:start] + text[end:], encoding="utf-8")  # drop status and closing
    line, col = at(path, 'id: "6.1"')
    expected = rendered(path, line, col, "完成时限为“已整改”的措施，状态应为 done", "6.1 的 status")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__done_without_closing(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TAX
    edit(path, "    deadline: 2022年底\n", "    deadline: 2022年底\n    status: done\n")
    line, col = at(path, "status: done", nth=2)
    hint = "在该措施下写 closing:，其中 on 为销号日期，evidence 为佐证材料；或用 ledger done 销号"
    expected = rendered(path, line, col, "已销号的措施缺少销号记录（销号日期与佐证材料）", "6.2 的 status", hint)
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__open_with_closing(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TAX
    edit(path, "    status: done\n", "    status: open\n")
    line, col = at(path, "closing:")
    hint = "退回整改请用 ledger reopen：原销号记录会移入 reopenings，留档可查"
    expected = rendered(path, line, col, "未销号的措施不应有销号记录", "6.1 的 closing", hint)
    lines = assert_reports(runner, ledger_dir, expected)
    assert any("状态应为 done" in x for x in lines)


def test_check__closed_before_the_plan_although_not_already_fixed(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TAX
    edit(
        path, "    deadline: 2022年底\n", '    deadline: 2022年底\n    status: done\n    closing: {"on": 2022-01-05}\n'
    )
    line, col = at(path, '"on": 2022-01-05')
    expected = rendered(path, line, col, "销号日期早于方案印发日期，而完成时限不是“已整改”", "6.2 的 closing 的 on")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__impossible_closing_date(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TAX
    edit(path, '"on": "2021-06-01"', '"on": "2021-02-30"')
    line, col = at(path, '"on": "2021-02-30"')
    expected = rendered(path, line, col, "不是有效日期（应写作 YYYY-MM-DD）", "6.1 的 closing 的 on")
    assert_reports(runner, ledger_dir, expected, only=True)


# ---------------------------------------------------------------------------
# county file
# ---------------------------------------------------------------------------


def test_check__county_names_an_indicator_that_does_not_exist(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(path, "  - number: 18", "  - number: 19")
    line, col = at(path, "number: 19")
    expected = rendered(path, line, col, "指标编号 19 在方案中不存在", "包容普惠创新 的 number")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__county_indicator_name_disagrees_with_its_number(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(path, "    name: 包容普惠创新", "    name: 市场监管")
    line, col = at(path, "name: 市场监管", nth=2)
    hint = "第 18 项指标是“包容普惠创新”；或把“市场监管”加入其 short_names"
    expected = rendered(
        path, line, col, "县区指标“市场监管”与方案第 18 项名称不符", "市场监管（第 18 项） 的 name", hint
    )
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__county_file_named_otherwise_reports_in_that_file(runner: CliRunner, ledger_dir: Path) -> None:
    """Locations follow the file, not the county's name."""
    path = ledger_dir / "counties" / "linze.yaml"
    (ledger_dir / COUNTY).rename(path)
    edit(path, "  - number: 18", "  - number: 19")
    line, col = at(path, "number: 19")
    expected = rendered(path, line, col, "指标编号 19 在方案中不存在", "包容普惠创新 的 number")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__county_measure_id_must_name_the_county(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(
        path,
        "    measures: []\n\n  # 2（市方案（二））",
        '    measures:\n      - id: "1.1"\n'
        "        text: 县级措施\n        units: [县市场监管局]\n        deadline: 2022年12月\n\n  # 2（市方案（二））",
    )
    line, col = at(path, 'id: "1.1"')
    lines = failing(runner, ledger_dir)
    expected = rendered(path, line, col, "县区措施编号“1.1”应以“临泽县:”开头", "1.1 的 id", "如 临泽县:3.1")
    assert expected in lines
    # and it collides with the city's 1.1
    assert any(x.startswith(rendered(path, line, col, "措施编号“1.1”重复")) for x in lines)


def test_check__county_measure_with_qualified_id_is_fine(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(
        path,
        "    measures: []\n\n  # 2（市方案（二））",
        '    measures:\n      - id: "临泽县:1.1"\n'
        "        text: 县级措施\n        units: [县市场监管局]\n        deadline: 2022年12月\n\n  # 2（市方案（二））",
    )
    result = check(runner, ledger_dir)
    assert result.exit_code == 0, result.output


def test_check__county_metric_is_checked_like_the_plans(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(path, "        best: 1        # “时限为1个工作日”", "        best: true     # “时限为1个工作日”")
    line, col = at(path, "best: true     # “时限")
    message = "是/否类指标的方向应为 higher（“是”为好）"
    assert_reports(
        runner, ledger_dir, rendered(path, line, col, message, "objection_complaint_days 的 best"), only=True
    )


def test_check__county_metric_value_that_is_text(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(path, "        best: 1        # “时限为1个工作日”", "        best: 1个工作日")
    line, col = at(path, "best: 1个工作日")
    message = "应为数字、true/false、{min: 下限, max: 上限} 或 {at_most: 上限}/{at_least: 下限}"
    assert_reports(
        runner, ledger_dir, rendered(path, line, col, message, "objection_complaint_days 的 best"), only=True
    )


def test_check__county_metric_key_twice_in_one_row(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(path, "      - key: gov_property_disputes_2021", "      - key: double_random_coverage")
    line, col = at(path, "key: double_random_coverage", nth=2)
    message = "指标项键名“double_random_coverage”重复"
    assert_reports(
        runner, ledger_dir, rendered(path, line, col, message, "double_random_coverage（第 2 项） 的 key"), only=True
    )


def test_check__county_metric_keyed_like_the_plans_must_agree_in_unit(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / COUNTY
    edit(path, "        name: 用水时间\n        unit: 天\n", "        name: 用水时间\n        unit: 小时\n")
    line, col = at(path, "key: water_days")
    message = "县区指标项“water_days”（小时，越低越好）与方案第 4 项的同键指标项（天，越低越好）不一致"
    hint = "同一键名即同一指标项；不同的指标项请另取键名"
    expected = rendered(path, line, col, message, "water_days 的 key", hint)
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__county_metric_with_a_key_of_its_own_is_fine(runner: CliRunner, ledger_dir: Path) -> None:
    """objection_complaint_days is not in the plan's (十四): no twin to agree with."""
    path = ledger_dir / COUNTY
    edit(path, "        unit: 个工作日\n        direction: lower\n", "        unit: 小时\n        direction: lower\n")
    result = check(runner, ledger_dir)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------------------
# metrics
# ---------------------------------------------------------------------------


def test_check__at_most_on_a_higher_is_better_metric(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / GOV_SERVICE
    edit(path, "    target: 95\n", "    target: {at_most: 95}\n")
    line, col = at(path, "target: {at_most: 95}")
    message = "“不超过/以内”（at_most）只适用于越低越好（lower）的指标"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "full_online_rate 的 target"), only=True)


def test_check__at_least_on_a_lower_is_better_metric(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / ELECTRICITY
    edit(path, "    target: 5\n", "    target: {at_least: 5}\n")
    line, col = at(path, "target: {at_least: 5}")
    message = "“以上/不低于”（at_least）只适用于越高越好（higher）的指标"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "high_voltage_days 的 target"), only=True)


def test_check__bool_on_a_lower_is_better_metric(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / ELECTRICITY
    edit(
        path,
        "    name: 低压办电时间\n    unit: 天\n    direction: lower\n    best: 0.5",
        "    name: 低压办电时间\n    unit: 天\n    direction: lower\n    best: true",
    )
    line, col = at(path, "best: true")
    message = "是/否类指标的方向应为 higher（“是”为好）"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "low_voltage_days 的 best"), only=True)


def test_check__target_worse_than_baseline(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / PROCUREMENT
    edit(path, "    baseline: 7\n    target: 3\n", "    baseline: 7\n    target: 9\n")
    line, col = at(path, "target: 9")
    message = "整改目标 9 比基线 7 更差，与方向（越低越好）不符"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "challenge_days 的 target"), only=True)


def test_check__direction_flipped_makes_the_target_disagree(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / ELECTRICITY
    edit(
        path, "    unit: 天\n    direction: lower\n    best: 2.7", "    unit: 天\n    direction: higher\n    best: 2.7"
    )
    line, col = at(path, "target: 5")
    message = "整改目标 5 比基线 6 更差，与方向（越高越好）不符"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "high_voltage_days 的 target"), only=True)


def test_check__range_upside_down(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, "baseline: {min: 110, max: 180}", "baseline: {min: 180, max: 110}")
    line, col = at(path, "baseline: {min: 180")
    message = "区间下限 180 大于上限 110"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "seal_cost 的 baseline"), only=True)


def test_check__bound_with_both_sides(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / ELECTRICITY
    edit(path, "    target: 5\n", "    target: {at_most: 5, at_least: 1}\n")
    line, col = at(path, "target: {at_most")
    message = "界限值须且只须写 at_most 或 at_least 之一"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "high_voltage_days 的 target"), only=True)


def test_check__metric_value_that_is_text(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / ELECTRICITY
    edit(path, "    target: 5\n", "    target: 5天\n")
    line, col = at(path, "target: 5天")
    message = "应为数字、true/false、{min: 下限, max: 上限} 或 {at_most: 上限}/{at_least: 下限}"
    assert_reports(runner, ledger_dir, rendered(path, line, col, message, "high_voltage_days 的 target"), only=True)


def test_check__duplicate_metric_key_and_name(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / ELECTRICITY
    edit(path, "key: high_voltage_steps\n    name: 高压办电环节", "key: high_voltage_days\n    name: 高压办电时间")
    lines = failing(runner, ledger_dir)
    line, col = at(path, "key: high_voltage_days", nth=2)
    assert (
        rendered(path, line, col, "指标项键名“high_voltage_days”重复", "high_voltage_days（第 2 项） 的 key") in lines
    )
    line, col = at(path, "name: 高压办电时间", nth=2)
    assert rendered(path, line, col, "指标项名称“高压办电时间”重复", "high_voltage_days（第 2 项） 的 name") in lines
    assert len(lines) == 2


# ---------------------------------------------------------------------------
# schema: unknown keys, wrong types, lists and mappings
# ---------------------------------------------------------------------------


def test_check__unknown_key_typo(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / PROPERTY
    edit(path, "    text: 进一步", "    textt: 进一步")
    lines = failing(runner, ledger_dir)
    line, col = at(path, "textt:")
    assert rendered(path, line, col, "未知字段（拼写错误？）", "5.1 的 textt") in lines
    line, col = at(path, 'id: "5.1"')  # the measure itself, which lacks its text
    assert rendered(path, line, col, "缺少必填字段", "5.1 的 text") in lines
    assert len(lines) == 2


def test_check__unknown_top_level_key(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / "plan.yaml"
    edit(path, "doc_number:", "doc_numbr:")
    lines = failing(runner, ledger_dir)
    line, col = at(path, "doc_numbr:")
    assert rendered(path, line, col, "未知字段（拼写错误？）", "doc_numbr") in lines


def test_check__unquoted_decimal_in_a_text_field_says_quote_it(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TRADE
    edit(path, "current: 目前我市暂未建成海关工作点。", "current: 3.50")
    line, col = at(path, "current: 3.50")
    expected = rendered(path, line, col, "应为文本；数字、日期样式的值请加引号", "current")
    assert_reports(runner, ledger_dir, expected, only=True)
    assert "加引号" in expected


def test_check__number_in_a_unit_list_says_quote_it(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, "units: [市财政局]", "units: [12345]")
    line, col = at(path, "12345")
    expected = rendered(path, line, col, "应为文本；数字、日期样式的值请加引号", "1.4 的 units 第 1 项")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__text_where_a_list_belongs(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, "units: [市财政局]", "units: 市财政局")
    line, col = at(path, "units: 市财政局")
    assert_reports(runner, ledger_dir, rendered(path, line, col, "应为列表", "1.4 的 units"), only=True)


def test_check__list_where_a_mapping_belongs(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TAX
    edit(path, "    closing:\n", "    closing:\n      - x\n    old_closing:\n")
    line, col = at(path, "closing:\n      - x")
    lines = failing(runner, ledger_dir)
    assert rendered(path, line, col, "应为映射（键: 值）", "6.1 的 closing") in lines


def test_check__status_outside_the_allowed_words(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / TAX
    edit(path, "    status: done\n", "    status: closed\n")
    line, col = at(path, "status: closed")
    lines = failing(runner, ledger_dir)
    assert rendered(path, line, col, "取值不在允许范围内：'open' or 'done'", "6.1 的 status") in lines


# ---------------------------------------------------------------------------
# YAML 1.1 surprises do not change what the ledger means
# ---------------------------------------------------------------------------


def test_yaml_surprises__bare_iso_deadline_is_itself(runner: CliRunner, ledger_dir: Path) -> None:
    edit(ledger_dir / START_UP, "deadline: 2022年12月", "deadline: 2022-12-20")
    rows = {r["id"]: r for r in run_json(runner, ledger_dir, "list", "--as-of", "2022-07-08")}
    assert (rows["1.1"]["deadline"], rows["1.1"]["due"]) == ("2022-12-20", "2022-12-20")


def test_yaml_surprises__no_010_and_dates_stay_text(ledger_dir: Path) -> None:
    county = ledger_dir / COUNTY
    edit(county, "leader: 周延年", "leader: no")
    edit(
        ledger_dir / START_UP,
        "short_names: [开办企业, 企业开办, 企业注销]",
        "short_names: [开办企业, 企业开办, 企业注销, no, 010, 2022-07-08, on]",
    )
    result = load_ledger(ledger_dir, {}, use_cache=False)
    assert result.problems == []
    assert result.ledger is not None
    assert result.ledger.counties[0].indicators[0].leader == "no"
    assert result.ledger.indicators[0].short_names[-4:] == ["no", "010", "2022-07-08", "on"]


def test_yaml_surprises__decimals_are_exact(ledger_dir: Path) -> None:
    edit(ledger_dir / ELECTRICITY, "    best: 2.7\n", "    best: 2.70\n")
    result = load_ledger(ledger_dir, {}, use_cache=False)
    assert result.ledger is not None
    best = result.ledger.indicators[2].metrics[0].best
    assert isinstance(best, Decimal) and str(best) == "2.70"


def test_yaml_surprises__bare_dates_in_date_fields_are_dates(ledger_dir: Path) -> None:
    edit(ledger_dir / "plan.yaml", 'issued: "2022-07-08"', "issued: 2022-07-08")
    edit(ledger_dir / TAX, '"on": "2021-06-01"', "on: 2021-06-01")  # the key on stays "on"
    result = load_ledger(ledger_dir, {}, use_cache=False)
    assert result.problems == []
    assert result.ledger is not None
    assert result.ledger.plan.issued == date(2022, 7, 8)
    closing = result.ledger.indicators[5].measures[0].closing
    assert closing is not None and closing.on == date(2021, 6, 1)


def test_yaml_surprises__leading_zero_id_is_shown_as_written(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / START_UP
    edit(path, 'id: "1.6"', "id: 010")
    line, col = at(path, "id: 010")
    expected = rendered(path, line, col, "措施编号“010”应为“1.序号”", "010 的 id", "如 1.1")
    assert_reports(runner, ledger_dir, expected, only=True)


# ---------------------------------------------------------------------------
# malformed files (tests/fixtures/broken/)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "line", "col", "message"),
    [
        (
            "syntax_error.yaml",
            6,
            8,
            "YAML 语法错误：方括号列表里缺少“,”或“]”（方括号列表，始于第 5 行第 14 列）",
        ),
        (
            "bad_indent.yaml",
            5,
            2,
            "YAML 语法错误：缩进不一致：这里应当是一个键（一个映射，始于第 1 行第 1 列）",
        ),
        ("not_utf8.yaml", 2, 7, "不是 UTF-8 编码的文本（第 16 字节起无法解码）；请另存为 UTF-8"),
        ("empty.yaml", 1, 1, "文件是空的"),
        ("comments_only.yaml", 1, 1, "文件里只有注释，没有内容"),
        ("top_level_list.yaml", 1, 1, "文件顶层应为映射（键: 值），而不是列表"),
        ("alias_bomb.yaml", 5, 8, "不支持 YAML 锚点与别名（& 和 *），请直接写出内容"),
        ("deep_nesting.yaml", 3, 77, "嵌套超过 64 层，不像是台账文件"),
    ],
)
def test_check__malformed_file(
    runner: CliRunner, ledger_dir: Path, fixture: str, line: int, col: int, message: str
) -> None:
    path = replace_file(ledger_dir, PROPERTY, fixture)
    start = time.perf_counter()
    assert_reports(runner, ledger_dir, rendered(path, line, col, message), only=True)
    assert time.perf_counter() - start < 5


def test_check__malformed_units_file(runner: CliRunner, ledger_dir: Path) -> None:
    path = replace_file(ledger_dir, "units.yaml", "top_level_list.yaml")
    assert_reports(runner, ledger_dir, rendered(path, 1, 1, "文件顶层应为映射（键: 值），而不是列表"), only=True)


def test_check__fifty_megabyte_file_is_refused_quickly(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / PROPERTY
    line = ("# " + "填充" * 40 + "\n").encode()
    with path.open("ab") as fh:
        fh.write(line * -(-50 * 1024 * 1024 // len(line)))  # a valid YAML comment, 50 MB of it
    assert 50 * 1024 * 1024 <= path.stat().st_size < 51 * 1024 * 1024
    start = time.perf_counter()
    lines = failing(runner, ledger_dir)
    assert time.perf_counter() - start < 5
    assert lines == [rendered(path, 1, 1, "文件过大（50 MB，上限 5 MB）")]


def test_check__scalar_at_top_level(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / PROPERTY
    path.write_text("只是一句话\n", encoding="utf-8")
    assert_reports(runner, ledger_dir, rendered(path, 1, 1, "文件顶层应为映射（键: 值），而不是单个值"), only=True)


# ---------------------------------------------------------------------------
# every problem at once
# ---------------------------------------------------------------------------


def test_check__reports_problems_in_two_files_at_once(runner: CliRunner, ledger_dir: Path) -> None:
    edit(ledger_dir / START_UP, "units: [市财政局]", "units: [市财正局]")
    edit(ledger_dir / TENDERING, "deadline: 2022年8月", "deadline: 2022年13月")
    lines = failing(runner, ledger_dir)
    assert len(lines) == 2
    assert lines[0].startswith(f"{ledger_dir / START_UP}:")
    assert lines[1].startswith(f"{ledger_dir / TENDERING}:")


def test_check__reports_a_malformed_file_and_cross_file_problems_together(runner: CliRunner, ledger_dir: Path) -> None:
    """A file that cannot be read does not hide what is wrong elsewhere."""
    broken = replace_file(ledger_dir, PROPERTY, "syntax_error.yaml")
    edit(ledger_dir / START_UP, "units: [市财政局]", "units: [市财正局]")
    edit(ledger_dir / TRADE, "current: 目前我市暂未建成海关工作点。", "current: 3.50")
    edit(ledger_dir / TENDERING, "deadline: 2022年8月", "deadline: 2022年13月")
    edit(ledger_dir / COUNTY, "leader: 张昕音", "leader: [张昕音]")
    lines = failing(runner, ledger_dir)
    files = [line.split(":", 1)[0] for line in lines]
    assert sorted(files) == sorted(str(ledger_dir / rel) for rel in (PROPERTY, START_UP, TRADE, TENDERING, COUNTY)), (
        "\n".join(lines)
    )
    assert any(x.startswith(rendered(broken, 6, 8, "YAML 语法错误：")) for x in lines)
    # indicator 5 could not be read: it is not also reported as missing
    assert not any("缺少指标" in x or "指标编号 5 " in x for x in lines)


def test_check__json_gives_the_same_problems_as_text(runner: CliRunner, ledger_dir: Path) -> None:
    replace_file(ledger_dir, PROPERTY, "not_utf8.yaml")
    edit(ledger_dir / START_UP, "units: [市财政局]", "units: [市财正局]")
    edit(ledger_dir / INCLUSIVE, "number: 18", "number: 17")
    edit(ledger_dir / GOV_SERVICE, "    target: 95\n", "    target: {at_most: 95}\n")
    lines = failing(runner, ledger_dir)
    problems = problems_json(runner, ledger_dir)
    assert [
        rendered(Path(p["path"]), p["line"], p["col"], p["message"], p["label"], p["hint"]) for p in problems
    ] == lines
    assert len(lines) >= 5


# ---------------------------------------------------------------------------
# a real process
# ---------------------------------------------------------------------------


def test_check__subprocess_reports_malformed_files_without_traceback(ledger_dir: Path, tmp_path: Path) -> None:
    replace_file(ledger_dir, PROPERTY, "alias_bomb.yaml")
    replace_file(ledger_dir, TAX, "deep_nesting.yaml")
    replace_file(ledger_dir, TRADE, "not_utf8.yaml")
    edit(ledger_dir / START_UP, "units: [市财政局]", "units: [市财正局]")
    env = {**os.environ, "LEDGER_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("LEDGER_DATA", None)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "--data", str(ledger_dir), "check"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert time.perf_counter() - start < 20
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"{ledger_dir / PROPERTY}:5:8: 不支持 YAML 锚点与别名" in proc.stderr
    assert f"{ledger_dir / TAX}:3:77: 嵌套超过 64 层" in proc.stderr
    assert f"{ledger_dir / TRADE}:2:7: 不是 UTF-8 编码的文本" in proc.stderr
    assert f"{ledger_dir / START_UP}:" in proc.stderr and "市财正局" in proc.stderr
    assert proc.stderr.rstrip().endswith("共 4 个问题。")


# ---------------------------------------------------------------------------
# figures that cannot be (issue 8, item 6)
# ---------------------------------------------------------------------------


def test_check__negative_time_in_the_yaml(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / ELECTRICITY
    edit(path, "    best: 2.7\n", "    best: -2.7\n")
    line, col = at(path, "best: -2.7")
    expected = rendered(path, line, col, "以“天”计的数值不能为负数（-2.7）", "high_voltage_days 的 best")
    assert_reports(runner, ledger_dir, expected, only=True)


def test_check__negative_reading_and_two_readings_on_one_day(runner: CliRunner, ledger_dir: Path) -> None:
    path = ledger_dir / ELECTRICITY
    readings = (
        "    target: 5\n    readings:\n"
        '      - {"on": 2022-08-01, value: 5.5}\n'
        '      - {"on": 2022-09-01, value: -1}\n'
        '      - {"on": 2022-08-01, value: 5.4}\n'
    )
    edit(path, "    target: 5\n", readings)
    negative, twice = at(path, "value: -1"), at(path, '"on": 2022-08-01, value: 5.4')
    message = "以“天”计的数值不能为负数（-1）"
    day = "2022-08-01 已有一条读数（第 1 条），同一天只应有一条；请删去其一（用 ledger record 记录会替换该日原有读数）"
    lines = failing(runner, ledger_dir)
    assert rendered(path, *negative, message, "high_voltage_days 的 readings 第 2 项 的 value") in lines
    assert rendered(path, *twice, day, "high_voltage_days 的 readings 第 3 项 的 on") in lines
    assert len(lines) == 2


def test_check__negative_growth_rate_is_allowed(runner: CliRunner, ledger_dir: Path) -> None:
    edit(
        ledger_dir / TRADE,
        "    target: 15\n",
        '    target: 15\n    readings:\n      - {"on": 2022-09-01, value: -3.5}\n',
    )
    assert run(runner, ledger_dir, "check").exit_code == 0
