"""``ledger history`` rebuilt from the commits, and ``ledger undo``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import git
from tests.helpers import run, run_json
from tests.writing import FILE03, commits


def _at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    """Make the next commit's author and committer dates ``when``."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)


def _ok(runner: CliRunner, data: Path, *args: str) -> str:
    result = run(runner, data, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def story(git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Six changes by two people over three months, and one hand edit in between."""
    _at(monkeypatch, "2022-08-05T10:00:00+08:00")
    _ok(runner, git_ledger, "progress", "3.2", "完成方案", "--on", "2022-08-05")
    _at(monkeypatch, "2022-08-15T16:00:00+08:00")
    _ok(
        runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "-e", "张电〔2022〕12号", "-e", "https://example.org/x"
    )
    git(git_ledger.parent, "config", "user.name", "市财政局 李四")
    _at(monkeypatch, "2022-09-20T09:00:00+08:00")
    _ok(runner, git_ledger, "postpone", "13.1", "2022年12月", "--reason", "系统升级", "--on", "2022-09-20")
    (git_ledger / "plan.yaml").write_text(
        (git_ledger / "plan.yaml").read_text(encoding="utf-8") + "# 手工\n", encoding="utf-8"
    )
    git(git_ledger.parent, "commit", "-q", "-am", "手工修改")
    git(git_ledger.parent, "config", "user.name", "营商办 测试")
    _at(monkeypatch, "2022-10-01T11:00:00+08:00")
    _ok(runner, git_ledger, "reopen", "3.2", "--reason", "佐证不全", "--on", "2022-10-01")
    _at(monkeypatch, "2022-10-08T11:00:00+08:00")
    _ok(runner, git_ledger, "record", "获得电力", "high_voltage_days", "5", "--on", "2022-10-08", "--source", "月报")
    return git_ledger


def test_history__round_trip_of_every_action(story: Path, runner: CliRunner) -> None:
    entries = run_json(runner, story, "history")
    assert [(e["action"], e["item"]) for e in entries] == [
        ("progress", "3.2"),
        ("done", "3.2"),
        ("postpone", "13.1"),
        ("reopen", "3.2"),
        ("record", "获得电力/high_voltage_days"),
    ]
    progress, done, postpone, reopen, record = entries
    assert progress["note"] == "完成方案" and progress["on"] == "2022-08-05"
    assert done["evidence"] == ["张电〔2022〕12号", "https://example.org/x"] and done["unit"] == "国网张掖供电公司"
    assert done["author"] == "营商办 测试" and done["committed"] == "2022-08-15T16:00:00+08:00"
    assert postpone["author"] == "市财政局 李四" and postpone["unit"] == "市财政局"
    assert (postpone["deadline_old"], postpone["deadline_new"], postpone["reason"]) == (
        "2022年9月，长期坚持",
        "2022年12月",
        "系统升级",
    )
    assert reopen["reason"] == "佐证不全"
    assert (record["metric"], record["value"], record["source"], record["indicator"]) == (
        "高压办电时间",
        "5",
        "月报",
        3,
    )


def test_history__of_one_measure_tells_its_story_in_a_table(story: Path, runner: CliRunner) -> None:
    out = _ok(runner, story, "history", "3.2")
    assert out.splitlines()[0] == "台账变更记录 · 措施 3.2"
    rows = [line for line in out.splitlines() if line.startswith("2022-")]  # a row may wrap onto more lines
    assert [r.split()[4] for r in rows] == ["进展", "销号", "退回整改"]
    assert "佐证：张电〔2022〕12号、" in out and "https://example.org/x" in out and "原因：佐证不全" in out
    assert out.rstrip().endswith("共 3 条。")


def test_history__filters_by_indicator_unit_and_dates(story: Path, runner: CliRunner) -> None:
    assert len(run_json(runner, story, "history", "获得电力")) == 4  # 3.2's three and the reading
    assert [e["item"] for e in run_json(runner, story, "history", "--unit", "市财政局")] == ["13.1"]
    assert [e["action"] for e in run_json(runner, story, "history", "--since", "2022-09-20")] == [
        "postpone",
        "reopen",
        "record",
    ]
    assert [e["action"] for e in run_json(runner, story, "history", "--as-of", "2022-08-31")] == ["progress", "done"]
    assert run_json(runner, story, "history", "3.1") == []
    assert "没有找到台账变更记录" in _ok(runner, story, "history", "3.1")


def test_history__a_reading_is_named_by_its_metric_not_its_yaml_key(
    story: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # each entry on one line
    row = next(line for line in _ok(runner, story, "history").splitlines() if "记录" in line and "月报" in line)
    assert "获得电力 · 高压办电时间" in row and "high_voltage_days" not in row
    assert run_json(runner, story, "history")[-1]["item"] == "获得电力/high_voltage_days"  # JSON keeps the key


def test_history__times_are_shanghai_time_with_the_offset_in_table_and_json(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, "2022-08-15T08:30:00+00:00")  # committed on a machine set to UTC
    _ok(runner, git_ledger, "progress", "3.2", "完成方案", "--on", "2022-08-15")
    (entry,) = run_json(runner, git_ledger, "history")
    assert entry["committed"] == "2022-08-15T16:30:00+08:00"
    assert "2022-08-15 16:30+08:00" in _ok(runner, git_ledger, "history")


def test_history__unit_resolves_fragments_and_collectives_as_list_does(git_ledger: Path, runner: CliRunner) -> None:
    _ok(runner, git_ledger, "progress", "14.3", "县级平台改造", "--on", "2022-09-01")  # led by 各县人民政府
    _ok(runner, git_ledger, "progress", "1.1", "开办专区", "--on", "2022-09-01")
    lead = [m["id"] for m in run_json(runner, git_ledger, "list", "--unit", "临泽县人民政府", "--lead")]
    assert "14.3" in lead
    assert [e["item"] for e in run_json(runner, git_ledger, "history", "--unit", "临泽县人民政府")] == ["14.3"]
    assert [e["item"] for e in run_json(runner, git_ledger, "history", "--unit", "各县人民政府")] == ["14.3"]
    assert [e["item"] for e in run_json(runner, git_ledger, "history", "--unit", "市市场监管")] == ["1.1"]
    assert run_json(runner, git_ledger, "history", "--unit", "市财政局") == []


def test_history__unknown_target_and_outside_git(
    story: Path, runner: CliRunner, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    assert run(runner, story, "history", "3.9").exit_code == 1
    assert run(runner, story, "history", "--since", "上周").exit_code == 2
    outside = run(runner, ledger_dir, "history")
    assert outside.exit_code == 1 and "不在 git 仓库中" in outside.stderr


def test_undo__reverts_the_last_change_as_a_new_commit(story: Path, runner: CliRunner) -> None:
    repo = story.parent
    before_record = git(repo, "show", f"HEAD~1:data/{FILE03}")
    record_sha = git(repo, "rev-parse", "HEAD").strip()
    count = commits(repo)
    out = _ok(runner, story, "undo")
    assert f"已撤销 {record_sha[:7]} 的记录" in out
    assert commits(repo) == count + 1
    assert (story / FILE03).read_text(encoding="utf-8") == before_record
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("撤销：记录 获得电力 高压办电时间 = 5\n")
    assert "Ledger-Action: undo\nLedger-Item: 获得电力/high_voltage_days\nLedger-Indicator: 3\n" in message
    assert f"Ledger-Reverts: {record_sha}\nLedger-Undone-Action: record\n" in message
    entries = run_json(runner, story, "history")
    assert entries[-2]["undone_by"] == entries[-1]["commit"] and entries[-1]["action"] == "undo"
    assert "已被" in _ok(runner, story, "history", "获得电力")
    rows = {r["key"]: r for r in run_json(runner, story, "gap", "3", "--as-of", "2022-10-15")}
    assert rows["high_voltage_days"]["current"] == 6


def test_undo__only_once_and_only_the_tools_own_head(story: Path, runner: CliRunner) -> None:
    _ok(runner, story, "undo")
    again = run(runner, story, "undo")
    assert again.exit_code == 1 and "最近一次提交（" in again.stderr and "）已是一次撤销" in again.stderr
    assert "HEAD" not in again.stderr  # git's word, not the office's
    (story / "plan.yaml").write_text(
        (story / "plan.yaml").read_text(encoding="utf-8") + "# 又一次手工修改\n", encoding="utf-8"
    )
    git(story.parent, "commit", "-q", "-am", "手工修改二")
    count = commits(story.parent)
    foreign = run(runner, story, "undo")
    assert foreign.exit_code == 1 and "不是台账工具的提交" in foreign.stderr and "手工修改二" in foreign.stderr
    assert "HEAD" not in foreign.stderr
    assert commits(story.parent) == count


def test_undo__keeps_the_users_staged_change_and_refuses_a_dirty_file(story: Path, runner: CliRunner) -> None:
    repo = story.parent
    other = story / "units.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "# 暂存\n", encoding="utf-8")
    git(repo, "add", str(other))
    target = story / FILE03
    target.write_text(target.read_text(encoding="utf-8") + "# 未提交\n", encoding="utf-8")
    dirty = run(runner, story, "undo")
    assert dirty.exit_code == 1 and "尚未提交的改动" in dirty.stderr
    git(repo, "checkout", "--", str(target))
    _ok(runner, story, "undo")
    assert git(repo, "status", "--porcelain=v1").splitlines() == ["M  data/units.yaml"]


def test_undo__outside_git_is_refused(ledger_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    result = run(runner, ledger_dir, "undo")
    assert result.exit_code == 1 and "不在 git 仓库中" in result.stderr
