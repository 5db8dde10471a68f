"""Two clones of one ledger, edited at once, merged with plain ``git pull``: the merge driver at work.

Real repositories in tmp_path: a bare origin holding the plan, two clones, each side's real
``ledger`` write commands and commits, a push from one and a pull (a real ``git merge``) in
the other. Git runs the driver as it would for a user: ``ledger merge-driver`` found on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.store.yaml_reader import parse
from bizenv_ledger.write.edit import measure_path, metric_path
from tests.conftest import DATA, git
from tests.helpers import run, run_json

FILE01 = "indicators/01-开办企业与注销.yaml"
FILE03 = "indicators/03-获得电力.yaml"
DOC = "张电〔2022〕12号"


@dataclass(frozen=True)
class Clones:
    a: Path  # the ledger folder (data/) of the clone that pushes first
    b: Path  # the ledger folder of the clone that pulls and merges


def _clone(origin: Path, where: Path, name: str) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(where)], check=True, capture_output=True)
    git(where, "config", "user.name", name)
    git(where, "config", "user.email", f"{name}@example.org")
    return where / "data"


def _make(tmp_path: Path, runner: CliRunner, *, driver: bool) -> Clones:
    seed = tmp_path / "seed"
    shutil.copytree(DATA, seed / "data", ignore=shutil.ignore_patterns("sources"))
    git(seed, "init", "-q", "-b", "main")
    if driver:
        assert run(runner, None, "init-repo", str(seed / "data")).exit_code == 0
    git(seed, "add", ".")
    git(seed, "-c", "user.name=营商办", "-c", "user.email=office@example.org", "commit", "-q", "-m", "初始台账")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(seed), str(origin)], check=True, capture_output=True)
    a, b = _clone(origin, tmp_path / "a", "财政局"), _clone(origin, tmp_path / "b", "市场监管局")
    if driver:  # every clone registers the driver once: git does not carry it in the repository
        for data in (a, b):
            assert run(runner, None, "init-repo", str(data)).exit_code == 0
    return Clones(a, b)


@pytest.fixture
def clones(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Clones:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", os.devnull)
    # git runs `ledger merge-driver …` through the shell: the installed ledger of this environment
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assert shutil.which("ledger"), "the ledger command is installed beside the test's python"
    return _make(tmp_path, runner, driver=True)


def _write(runner: CliRunner, data: Path, *args: str) -> None:
    result = run(runner, data, *args)
    assert result.exit_code == 0, result.output


def _push_then_pull(clones: Clones) -> subprocess.CompletedProcess[str]:
    git(clones.a.parent, "push", "-q", "origin", "main")
    return subprocess.run(
        ["git", "pull", "--no-rebase", "--no-edit", "origin", "main"],
        cwd=clones.b.parent,
        capture_output=True,
        text=True,
        check=False,
    )


def _merged_cleanly(runner: CliRunner, clones: Clones) -> None:
    pulled = _push_then_pull(clones)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert git(clones.b.parent, "status", "--porcelain") == ""
    assert len(git(clones.b.parent, "rev-list", "--parents", "-1", "HEAD").split()) == 3  # a real merge commit
    for path in clones.b.rglob("*.yaml"):
        assert "<<<<<<<" not in path.read_text(encoding="utf-8"), path
    checked = run(runner, clones.b, "check")
    assert checked.exit_code == 0, checked.output


def _measure(data: Path, rel: str, measure_id: str) -> dict[str, object]:
    parsed, _ = parse((data / rel).read_bytes())
    assert parsed is not None
    path = measure_path(parsed.data, measure_id)
    assert path is not None
    node = parsed.data
    for part in path:
        node = node[part]
    return dict(node)


def test_merge_driver__progress_on_both_sides_of_one_measure_keeps_both_in_date_order(
    runner: CliRunner, clones: Clones
) -> None:
    _write(runner, clones.a, "progress", "1.1", "财政局：资金已拨付", "--on", "2022-09-01")
    _write(runner, clones.b, "progress", "1.1", "市场监管局：专区已设立", "--on", "2022-08-20")
    _write(runner, clones.b, "progress", "1.1", "市场监管局：同日第二条", "--on", "2022-09-01")
    _merged_cleanly(runner, clones)
    shown = run_json(runner, clones.b, "show", "1.1")
    assert [(p["on"], p["text"]) for p in shown["progress"]] == [
        ("2022-08-20", "市场监管局：专区已设立"),
        ("2022-09-01", "市场监管局：同日第二条"),  # ours first on the same date
        ("2022-09-01", "财政局：资金已拨付"),
    ]
    history = run_json(runner, clones.b, "history", "1.1")
    assert sorted(h["note"] for h in history if h["action"] == "progress") == sorted(
        ["财政局：资金已拨付", "市场监管局：专区已设立", "市场监管局：同日第二条"]
    )


def test_merge_driver__done_on_one_side_progress_on_the_other(runner: CliRunner, clones: Clones) -> None:
    _write(runner, clones.a, "done", "1.1", "--on", "2022-09-01", "--evidence", DOC, "--note", "已办结")
    _write(runner, clones.b, "progress", "1.1", "市场监管局：专区已设立", "--on", "2022-08-20")
    _merged_cleanly(runner, clones)
    shown = run_json(runner, clones.b, "show", "1.1")
    assert (shown["status"], shown["done_on"], shown["evidence"]) == ("done", "2022-09-01", [DOC])
    assert [p["text"] for p in shown["progress"]] == ["市场监管局：专区已设立"]
    # the merged ledger takes the next write as any other
    _write(runner, clones.b, "progress", "1.2", "合并后的第一条", "--on", "2022-09-02")


def test_merge_driver__two_readings_of_one_metric(runner: CliRunner, clones: Clones) -> None:
    _write(runner, clones.a, "record", "3", "high_voltage_days", "5", "--on", "2022-09-01", "--source", "供电公司")
    _write(runner, clones.b, "record", "3", "high_voltage_days", "6", "--on", "2022-08-20")
    _merged_cleanly(runner, clones)
    parsed, _ = parse((clones.b / FILE03).read_bytes())
    assert parsed is not None
    path = metric_path(parsed.data, "high_voltage_days")
    assert path is not None
    readings = parsed.data["metrics"][path[1]]["readings"]
    assert [(r["on"], r["value"]) for r in readings] == [("2022-08-20", 6), ("2022-09-01", 5)]


def test_merge_driver__postponement_on_one_side_progress_on_the_other(runner: CliRunner, clones: Clones) -> None:
    _write(runner, clones.a, "postpone", "1.3", "2022年12月", "--reason", "系统改造", "--on", "2022-08-25")
    _write(runner, clones.b, "progress", "1.3", "税务局：已上线试运行", "--on", "2022-08-20")
    _merged_cleanly(runner, clones)
    shown = run_json(runner, clones.b, "show", "1.3")
    assert shown["deadline"] == "2022年12月"
    assert shown["original_deadline"] == "2022年8月"
    assert [p["text"] for p in shown["progress"]] == ["税务局：已上线试运行"]


def test_merge_driver__different_measures_and_files(runner: CliRunner, clones: Clones) -> None:
    _write(runner, clones.a, "progress", "1.1", "甲", "--on", "2022-09-01")
    _write(runner, clones.a, "record", "3", "high_voltage_days", "5", "--on", "2022-09-01")
    _write(runner, clones.b, "progress", "1.2", "乙", "--on", "2022-08-20")
    _write(runner, clones.b, "done", "1.6", "--on", "2022-08-30", "--evidence", DOC)
    _merged_cleanly(runner, clones)
    assert [p["text"] for p in run_json(runner, clones.b, "show", "1.1")["progress"]] == ["甲"]
    assert [p["text"] for p in run_json(runner, clones.b, "show", "1.2")["progress"]] == ["乙"]
    assert run_json(runner, clones.b, "show", "1.6")["done_on"] == "2022-08-30"


def test_merge_driver__closed_on_both_sides_with_different_dates_stays_a_conflict(
    runner: CliRunner, clones: Clones
) -> None:
    _write(runner, clones.a, "done", "1.1", "--on", "2022-09-01", "--evidence", DOC)
    _write(runner, clones.b, "done", "1.1", "--on", "2022-08-20", "--evidence", DOC)
    _write(runner, clones.b, "progress", "1.2", "另一项的进展", "--on", "2022-08-21")
    pulled = _push_then_pull(clones)
    assert pulled.returncode != 0
    said = pulled.stdout + pulled.stderr
    assert "措施 1.1 两边都已销号" in said
    assert "本地 2022-08-20" in said and "对方 2022-09-01" in said
    assert (
        git(clones.b.parent, "-c", "core.quotePath=false", "diff", "--name-only", "--diff-filter=U")
        .strip()
        .endswith("01-开办企业与注销.yaml")
    )
    text = (clones.b / FILE01).read_text(encoding="utf-8")
    assert text.count("<<<<<<<") == 1 and text.count(">>>>>>>") == 1
    ours, theirs = text.split("<<<<<<<")[1].split("=======")
    assert '"on": "2022-08-20"' in ours and '"on": "2022-09-01"' in theirs
    # the rest of the file merged: nothing lost outside the conflicting block
    assert '"另一项的进展"' in text


def test_merge_driver__same_closing_on_both_sides_merges(runner: CliRunner, clones: Clones) -> None:
    _write(runner, clones.a, "done", "1.1", "--on", "2022-09-01", "--evidence", DOC)
    _write(runner, clones.b, "done", "1.1", "--on", "2022-09-01", "--evidence", DOC)
    _write(runner, clones.b, "progress", "1.1", "乙", "--on", "2022-08-20")
    _merged_cleanly(runner, clones)
    assert _measure(clones.b, FILE01, "1.1")["closing"] == {
        "on": "2022-09-01",
        "evidence": [{"ref": DOC, "kind": "doc"}],
    }


def test_merge_driver__without_the_driver_progress_on_both_sides_conflicts(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", os.devnull)
    plain = _make(tmp_path, runner, driver=False)
    _write(runner, plain.a, "progress", "1.1", "甲", "--on", "2022-09-01")
    _write(runner, plain.b, "progress", "1.1", "乙", "--on", "2022-08-20")
    pulled = _push_then_pull(plain)
    assert pulled.returncode != 0
    assert "<<<<<<<" in (plain.b / FILE01).read_text(encoding="utf-8")
