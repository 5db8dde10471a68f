"""督办: who has not reported in the period, stale measures, and the 督办通知 (Markdown and Word)."""

from __future__ import annotations

from pathlib import Path

import docx
from typer.testing import CliRunner

from tests.conftest import git
from tests.helpers import edit, run, run_json


def test_remind__lists_units_not_reported_and_writes_notices(
    git_ledger: Path, runner: CliRunner, tmp_path: Path
) -> None:
    def missing() -> list[str]:
        result = run(runner, git_ledger, "remind", "-o", str(tmp_path / "n"), "--as-of", "2022-10-08")
        assert result.exit_code == 0, result.output
        line = next(line for line in result.output.splitlines() if line.startswith("未报送"))
        return line.split("：", 1)[1].split("、")

    assert {"市财政局", "市税务局"} <= set(missing())
    assert (
        run(runner, git_ledger, "progress", "13.1", "检查2次", "--on", "2022-10-03", "--as-of", "2022-10-08").exit_code
        == 0
    )
    now = missing()
    assert "市财政局" not in now and "市税务局" in now  # a report by the lead (no unit given) counts for the lead
    md = (tmp_path / "n" / "市税务局督办通知.md").read_text(encoding="utf-8")
    assert md.startswith("# 优化营商环境对标整改提升工作督办通知") and "市税务局：" in md
    assert "尚未报送2022年9月工作进展（应于2022年10月5日前报送）" in md
    assert "请于2022年10月13日前" in md
    word = docx.Document(str(tmp_path / "n" / "市税务局督办通知.docx"))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "优化营商环境对标整改提升工作督办通知" and "市税务局：" in texts
    assert word.tables and word.tables[0].rows[0].cells[0].text == "编号"


def test_list_stale__measures_without_a_report_in_the_period(git_ledger: Path, runner: CliRunner) -> None:
    before = {r["id"] for r in run_json(runner, git_ledger, "list", "--stale", "--as-of", "2022-10-08")}
    assert "13.1" in before
    assert (
        run(runner, git_ledger, "progress", "13.1", "检查2次", "--on", "2022-10-04", "--as-of", "2022-10-08").exit_code
        == 0
    )
    after = {r["id"] for r in run_json(runner, git_ledger, "list", "--stale", "--as-of", "2022-10-08")}
    assert before - after == {"13.1"}


def test_reporting__plan_may_set_a_quarterly_cycle(git_ledger: Path, runner: CliRunner) -> None:
    edit(git_ledger / "plan.yaml", "\noverall_goal:", "\nreporting: {cycle: quarterly, due_day: 10}\n\noverall_goal:")
    assert run(runner, git_ledger, "check").exit_code == 0
    result = run(runner, git_ledger, "remind", "--as-of", "2022-10-08")
    assert "2022年第3季度进展（应于 2022-10-10 前报送）" in result.output
    edit(git_ledger / "plan.yaml", "due_day: 10", "due_day: 31")
    bad = run(runner, git_ledger, "check")
    assert bad.exit_code == 1 and "报送截止日应为 1 至 28 日" in bad.output


def test_bulletin__reporting_section_says_on_time_late_and_missing(git_ledger: Path, runner: CliRunner) -> None:
    edit(git_ledger / "plan.yaml", "\noverall_goal:", "\nreporting: {cycle: monthly, due_day: 5}\n\noverall_goal:")
    git(git_ledger.parent, "commit", "-qam", "报送周期")
    assert (
        run(runner, git_ledger, "progress", "13.1", "检查2次", "--on", "2022-10-04", "--as-of", "2022-10-20").exit_code
        == 0
    )
    assert (
        run(runner, git_ledger, "progress", "1.3", "改造", "--on", "2022-10-09", "--as-of", "2022-10-20").exit_code == 0
    )
    result = run(runner, git_ledger, "report", "--month", "2022-10", "-f", "md", "--as-of", "2022-10-20")
    assert result.exit_code == 0, result.output
    section = result.output.split("## 八、各责任单位报送情况", 1)[1].split("## 九、", 1)[0]
    assert "2022年9月工作进展应于10月5日前报送" in section
    on_time = next(line for line in section.splitlines() if line.startswith("| 按时报送"))
    late = next(line for line in section.splitlines() if line.startswith("| 逾期报送"))
    assert "市财政局" in on_time and "市税务局（10月9日）" in late
