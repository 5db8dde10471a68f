"""The report commands through the CLI: the monthly 通报, format choice, usage errors, and the terminal bar charts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len as cell_width
from typer.testing import CliRunner

from tests.conftest import DATA
from tests.helpers import run, run_json
from tests.queries.test_report_scenario import september

TITLE = "张掖市优化营商环境对标整改提升工作进展通报（2022年9月）"


def _report(runner: CliRunner, *args: str, data: Path = DATA) -> str:
    result = run(runner, data, "report", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _section(text: str, heading: str) -> str:
    """The Markdown between ``## 三、heading`` (whatever its number) and the next ``## ``."""
    found = re.search(rf"^## [一二三四五六七八九十]+、{heading}$", text, flags=re.MULTILINE)
    assert found, heading
    end = text.find("\n## ", found.end())
    return text[found.start() : end if end != -1 else None]


def _ids(section: str) -> list[str]:
    return re.findall(r"^\| (\d+\.\d+) \|", section, flags=re.MULTILINE)


def test_report__september_markdown_reads_like_a_bulletin(runner: CliRunner) -> None:
    text = _report(runner, "--month", "2022-09")
    assert text.startswith(f"# {TITLE}\n")
    assert "根据《张掖市2022年优化营商环境对标整改提升工作方案》（张营商办〔2022〕3号）要求" in text
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == [
        "一、总体进展", "二、本月完成事项", "三、本月退回整改事项", "四、本月新增逾期事项", "五、逾期未完成事项",
        "六、本月延期事项", "七、各责任单位按期完成情况", "八、指标数据变化", "九、下步工作要求",
    ]  # fmt: skip
    assert text.rstrip().endswith("张掖市优化营商环境工作领导小组办公室\n\n2022年9月30日")
    prose = [line for line in text.splitlines() if line and not line.startswith(("|", "#"))]
    assert all(not re.search(r"[\u4e00-\u9fff][,;:()][\u4e00-\u9fff]?", line) for line in prose), prose


def test_report__september_sections_list_the_right_measures(runner: CliRunner) -> None:
    text = _report(runner, "--month", "2022-09")
    assert _ids(_section(text, "本月新增逾期事项")) == ["1.3", "1.6", "2.1", "3.2", "5.2", "14.2", "17.4", "18.1"]
    still = _ids(_section(text, "逾期未完成事项"))
    assert still[:7] == ["3.3", "5.1", "8.1", "8.2", "15.1", "15.4", "15.5"] and len(still) == 15
    assert "本月无完成销号的措施。" in text and "本月无延期事项。" in text and "本月无退回整改事项。" in text


def test_report__with_events_lists_finished_postponed_and_moved(runner: CliRunner, ledger_dir: Path) -> None:
    text = _report(runner, "--month", "2022年9月", data=september(ledger_dir))
    assert _ids(_section(text, "本月完成事项")) == ["3.2", "13.3"]
    assert "其中1项超过完成时限才完成（3.2）。" in text
    assert _ids(_section(text, "本月延期事项")) == ["3.3", "3.1"]
    moved = _section(text, "指标数据变化")
    assert "| 获得电力 | 高压办电时间 | 天 | 5.5（2022-08-10） | 4（2022-09-15） | 改善 | 2.7 | 落后 1.3 |" in moved


def test_report__lists_the_months_reopenings_with_the_closing_they_undid(
    runner: CliRunner, ledger_dir: Path, tmp_path: Path
) -> None:
    data = september(ledger_dir)
    text = _report(runner, "--month", "2022-09", data=data)
    section = _section(text, "本月退回整改事项")
    assert _ids(section) == ["2.1"]
    assert "本月共有1项措施经复核退回整改" in section and "其中1项已超过完成时限" in section
    row = next(line for line in section.splitlines() if line.startswith("| 2.1 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[3:] == [
        "市住建局", "2022-09-05", "张住建〔2022〕30号", "2022-09-29", "复核发现联合验收尚未实际运行",
        "仍逾期，已逾期30天",
    ]  # fmt: skip
    assert "2.1" in _ids(_section(text, "逾期未完成事项"))  # sent back after its deadline: overdue again
    assert "2.1" not in _ids(_section(text, "本月完成事项"))
    assert "退回整改的措施，请牵头单位按复核意见抓紧整改" in _section(text, "下步工作要求")
    html_out = tmp_path / "九月.html"
    assert run(runner, data, "report", "--month", "2022-09", "-o", str(html_out)).exit_code == 0
    html = html_out.read_text(encoding="utf-8")
    assert "<h2>三、本月退回整改事项</h2>" in html
    assert "<td>复核发现联合验收尚未实际运行</td>" in html and "<td class=nw>2022-09-05</td>" in html
    # before the 29th, nothing had been sent back
    early = _report(runner, "--month", "2022-09", "--as-of", "2022-09-28", data=data)
    assert "本月无退回整改事项。" in early


def test_report__as_of_is_honoured(runner: CliRunner, ledger_dir: Path) -> None:
    text = _report(runner, "--month", "2022-09", "--as-of", "2022-09-12", data=september(ledger_dir))
    assert "现将截至2022年9月12日全市" in text
    assert _ids(_section(text, "本月延期事项")) == ["3.3"]
    assert _ids(_section(text, "本月完成事项")) == ["2.1"]  # closed on the 5th, sent back only on the 29th


def test_report__filters_are_honoured(runner: CliRunner) -> None:
    sept = _report(runner, "--month", "2022-09", "--unit", "市财政局")
    assert "（范围：责任单位：市财政局（含牵头与配合））" in sept
    assert "本月无新增逾期事项。" in sept
    octo = _report(runner, "--month", "2022-10", "--unit", "市财政局")
    assert _ids(_section(octo, "本月新增逾期事项")) == ["13.1", "13.3"]
    only_red = _report(runner, "--month", "2022-10", "--indicator", "8", "--light", "red")
    assert "所选范围内的2项整改措施中" in only_red


def test_report__html_to_a_file_by_extension(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "九月通报.html"
    result = run(runner, DATA, "report", "--month", "2022-09", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and str(out) in result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and f"<h1>{TITLE}</h1>" in html
    assert html.count("<table>") == 3 and "<script" not in html


def test_report__format_option_and_markdown_file(runner: CliRunner, tmp_path: Path) -> None:
    html = _report(runner, "--month", "2022-09", "--format", "html")
    assert html.startswith("<!DOCTYPE html>")
    out = tmp_path / "通报.md"
    assert run(runner, DATA, "report", "--month", "2022-09", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith(f"# {TITLE}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2022-13"], "--month"),
        (["--month", "九月"], "--month"),
        (["--month", "2022-09", "--as-of", "2022-08-31"], "早于所报月份"),
        (["--month", "2022-09", "--format", "pdf"], "--format"),
        (["--month", "2022-09", "--status", "late"], "--status"),
        (["--month", "2022-09", "--lead"], "--lead"),
        (["--month", "2022-09", "--due-before", "someday"], "--due-before"),
    ],
)
def test_report__usage_errors_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = run(runner, DATA, "report", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_report__unknown_unit_exits_1_with_candidates(runner: CliRunner) -> None:
    result = run(runner, DATA, "report", "--month", "2022-09", "--unit", "财政")
    assert result.exit_code == 1 and "市财政局" in result.stderr and "不唯一" in result.stderr


def test_report__unknown_county_exits_1_naming_the_known_ones(runner: CliRunner) -> None:
    result = run(runner, DATA, "report", "--month", "2022-09", "--county", "甘州区")
    assert result.exit_code == 1 and "--county" in result.stderr and "台账中有：临泽县" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "-o"),
        (["-o", "台账.txt"], "判断格式"),
        (["--format", "xlsx"], "须写入文件"),
        (["--format", "ods", "-o", "a.ods"], "--format"),
    ],
)
def test_export__usage_errors_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = run(runner, DATA, "export", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_export__csv_and_json_to_stdout(runner: CliRunner) -> None:
    result = run(runner, DATA, "export", "--format", "json", "--as-of", "2022-10-01", "--indicator", "3")
    assert result.exit_code == 0, result.output
    assert [m["id"] for m in json.loads(result.stdout)["measures"]] == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    csv_out = run(runner, DATA, "export", "--format", "csv", "--as-of", "2022-10-01", "--slipped")
    assert csv_out.exit_code == 0 and csv_out.stdout_bytes.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("command", ["export", "board", "report"])
def test_report_commands__have_help(runner: CliRunner, command: str) -> None:
    result = run(runner, None, command, "--help")
    assert result.exit_code == 0 and "--as-of" in result.stdout and "--unit" in result.stdout


# --- bar charts in the terminal ---------------------------------------------------------------------


def test_gap__ranking_table_is_followed_by_score_bars(runner: CliRunner) -> None:
    text = run(runner, DATA, "gap", "--as-of", "2022-10-01").stdout
    chart = text[text.index("对标得分（满格 = 达到全省最优）") :]
    lines = chart.splitlines()[1:]
    assert len(lines) == 18
    full = next(line for line in lines if " 6 纳税" in line)
    assert "█" * 20 in full and full.rstrip().endswith("100")
    assert "—（无可比项）" in next(line for line in lines if "跨境贸易" in line)
    bars_at = {cell_width(line[: line.index("█")]) for line in lines if "█" in line}
    assert len(bars_at) == 1  # every bar starts in the same column, whatever the CJK label


def test_gap__one_indicator_has_a_bar_per_metric(runner: CliRunner) -> None:
    text = run(runner, DATA, "gap", "电力", "--as-of", "2022-10-01").stdout
    chart = text[text.index("对标得分（满格") :].splitlines()[1:]
    assert len(chart) == 7 and chart[0].lstrip().startswith("高压办电时间")


def test_units__table_is_followed_by_on_time_bars(runner: CliRunner) -> None:
    text = run(runner, DATA, "units", "--as-of", "2022-10-01").stdout
    chart = text[text.index("按期完成率与逾期项数") :]
    assert re.search(r"市税务局 +█{10} {10} +50%　逾期 ■ 1", chart)  # without colour the track is blank
    assert "另有" in chart.splitlines()[-1]


def test_gap_and_units__json_and_csv_have_no_bars(runner: CliRunner) -> None:
    assert run_json(runner, DATA, "gap", "--as-of", "2022-10-01")[0]["rank"] == 1
    assert run_json(runner, DATA, "units", "--as-of", "2022-10-01")[0]["unit"]
    for args in (["gap"], ["gap", "3"], ["units"]):
        for fmt in ("csv", "md", "json"):
            out = run(runner, DATA, *args, "--format", fmt, "--as-of", "2022-10-01").stdout
            assert "█" not in out and "░" not in out, (args, fmt)


def test_report__a_month_not_yet_ended_stops_at_today_and_says_so(runner: CliRunner) -> None:
    from bizenv_ledger.cli.app import real_today

    today = real_today()
    result = run(runner, DATA, "report", "--month", f"{today.year}-{today.month}")
    assert result.exit_code == 0, result.output
    assert f"通报截至今天（{today.isoformat()}），落款日期也是今天" in result.stderr
    assert result.stdout.rstrip().endswith(f"{today.year}年{today.month}月{today.day}日")  # signed today, not later


def test_report__a_month_not_yet_begun_is_refused(runner: CliRunner) -> None:
    from bizenv_ledger.cli.app import real_today

    today = real_today()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    result = run(runner, DATA, "report", "--month", f"{year}-{month:02d}")
    assert result.exit_code == 2 and "尚未开始" in result.stderr and "--as-of" in result.stderr
    asked = run(runner, DATA, "report", "--month", f"{year}-{month:02d}", "--as-of", f"{year}-{month:02d}-28")
    assert asked.exit_code == 0 and "晚于今天" in asked.stderr  # done as asked, with a word
