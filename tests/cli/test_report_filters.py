"""Every report honours every read-side filter and --as-of exactly as ``ledger list`` does, and the 2022-09
通报 names what an office would chase: dated steps already missed and measures about to fall due."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA
from tests.helpers import run, run_json

FILTERS = [
    ("--indicator", "政府采购"),
    ("--unit", "市交通局"),
    ("--unit", "临泽县人民政府", "--lead"),
    ("--status", "done"),
    ("--light", "red", "--light", "yellow"),
    ("--due-before", "2022-09-01"),
    ("--due-after", "2022-11-30"),
    ("--county", "临泽县"),
    ("--slipped",),
    ("--within", "30d", "--light", "yellow"),
]


@pytest.mark.parametrize("as_of", ["2022-07-08", "2022-10-01", "2023-01-01"])
@pytest.mark.parametrize("flt", FILTERS, ids=" ".join)
def test_export_board_report__select_what_list_selects(
    runner: CliRunner, tmp_path: Path, flt: tuple[str, ...], as_of: str
) -> None:
    listed = run_json(runner, DATA, "list", *flt, "--as-of", as_of)
    exported = run(runner, DATA, "export", "--format", "json", *flt, "--as-of", as_of)
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout)["measures"] == listed
    board = run(runner, DATA, "board", *flt, "--as-of", as_of)
    assert board.exit_code == 0, board.output
    tiles = re.findall(r'class="tile light-(\w+)" data-light="\w+" data-id="([^"]+)"', board.stdout)
    assert tiles == [(m["light"], m["id"]) for m in listed]
    report = run(runner, DATA, "report", "--month", as_of[:7], *flt, "--as-of", as_of)
    assert report.exit_code == 0, report.output
    assert f"所选范围内的{len(listed)}项整改措施中" in report.stdout


def test_export__format_option_is_case_insensitive(runner: CliRunner) -> None:
    result = run(runner, DATA, "export", "--format", "CSV", "--as-of", "2022-10-01")
    assert result.exit_code == 0 and result.stdout_bytes.startswith("\ufeff序号".encode())
    html = run(runner, DATA, "report", "--month", "2022-09", "--format", "HTML")
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "0000-01"])
def test_report__month_out_of_range_is_a_usage_error(runner: CliRunner, month: str) -> None:
    result = run(runner, DATA, "report", "--month", month)
    assert result.exit_code == 2, result.output
    assert "超出范围" in result.stderr and "Traceback" not in result.output


def test_report__september_names_missed_steps_and_measures_about_to_fall_due(runner: CliRunner) -> None:
    text = run(runner, DATA, "report", "--month", "2022-09").stdout
    assert "已完成1项，未完成59项" in text  # no “其中本月完成0项”
    assert (
        "另有3项措施尚未到期，但其阶段性节点已过期未完成：9.1（市政府金融办）的“全市上半年信贷总量实现同比多增”；"
        "13.3（市财政局）的“8月底前市级平台上线运行”；"
        "15.3（市大数据中心）的“6月底前整体资源挂接率达到90%以上”。"
    ) in text
    assert (
        "临期（7日内到期）的措施共3项：13.1（市财政局，9月30日到期）、13.3（市财政局，9月30日到期）、"
        "15.2（市大数据中心，9月30日到期）。"
    ) in text
    assert "2022年10月到期的措施共3项：14.3（各县人民政府）、15.3（市大数据中心）、16.2（市市场监管局）。" in text


def test_report__a_measure_due_soon_next_month_is_named_once(runner: CliRunner) -> None:
    text = run(runner, DATA, "report", "--month", "2022-09", "--within", "31d").stdout
    assert "临期（31日内到期）的措施共6项" in text and "14.3（各县人民政府，10月31日到期）" in text
    assert text.count("14.3（各县人民政府") == 1
    assert not any(line.startswith("2022年10月到期的措施") for line in text.splitlines())


def test_board__goals_name_the_other_indicators(runner: CliRunner) -> None:
    html = run(runner, DATA, "board", "--as-of", "2022-10-01").stdout
    others = re.search(r"<b>争取进入全省前五：</b>([^<]+)</li>", html)
    assert others is not None
    names = others[1].split("、")
    assert names[0] == "办理建筑许可" and "获得电力" not in names and "政府采购" not in others[1]
    assert "其他指标：" not in html


def test_report__html_keeps_ids_dates_and_headings_on_one_line(runner: CliRunner) -> None:
    html = run(runner, DATA, "report", "--month", "2022-09", "--format", "html").stdout
    assert "<td class=nw>3.3</td>" in html and "<td class=nw>2022-08-31</td>" in html
    assert "th{background:#eee;white-space:nowrap}" in html
    long_text = re.search(r"<td>([^<]{40,})</td>", html)
    assert long_text is not None  # a measure's text still wraps
