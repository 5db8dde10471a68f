"""A write killed (SIGKILL) at each step: the next ledger command, a read or a write, repairs and says so."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import git
from tests.crashing import WRITE, assert_level, crash, journal, ledger_commits, leftovers, stand_in_git
from tests.helpers import run, run_json
from tests.writing import FILE03


def _head_has_progress(repo: Path) -> bool:
    return "完成可研批复" in git(repo, "show", f"HEAD:data/{FILE03}")


def _temp_index_left(data: Path) -> bool:
    return any(p.name.startswith("ledger-index-") for p in (data.parent / ".git").iterdir())


def _temp_file_left(data: Path) -> bool:
    return any((data / "indicators").glob(".*.tmp"))


def _file_written(data: Path) -> bool:
    return "完成可研批复" in (data / FILE03).read_text(encoding="utf-8")


def _index_staged(data: Path) -> bool:
    return git(data.parent, "diff", "--cached", "--name-only") != ""


def _head_moved(data: Path) -> bool:
    return _head_has_progress(data.parent)


def _nothing_yet(data: Path) -> bool:
    return not _file_written(data) and not _temp_index_left(data)


def _commit_built(data: Path) -> bool:
    return "unreachable commit" in git(data.parent, "fsck", "--unreachable", "--no-reflogs") and _nothing_yet(data)


# (where the writer dies, what that left behind, whether the change stands, what the repair says)
POINTS: list[tuple[str, Callable[[Path], bool], bool, str]] = [
    ("before:hash-object", _temp_index_left, False, "在提交之前就中断了"),
    ("after:hash-object", _temp_index_left, False, "已删除遗留的临时文件 ledger-index-"),
    ("after:commit-tree", _commit_built, False, "在提交之前就中断了"),
    ("rename", _temp_file_left, False, "文件仍是原样，暂存区与 HEAD 一致"),
    ("before:reset", _file_written, False, "已把 data/indicators/03-获得电力.yaml 恢复原样"),
    ("after:reset", _index_staged, False, "已撤回"),
    ("after:update-ref", _head_moved, True, "已经完成"),
]
IDS = [point[0] for point in POINTS]
# a roll back and a roll forward (the read test above already runs a write after each point)
WRITE_FIRST = [point for point in POINTS if point[0] in ("before:reset", "after:update-ref")]


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    return stand_in_git(tmp_path / "bin")


@pytest.mark.parametrize(("at", "left", "stands", "said"), POINTS, ids=IDS)
def test_crash__next_read_repairs_and_the_next_write_works(
    git_ledger: Path,
    runner: CliRunner,
    bin_dir: Path,
    at: str,
    left: Callable[[Path], bool],
    stands: bool,
    said: str,
) -> None:
    repo = git_ledger.parent
    crash(git_ledger, bin_dir, at)
    assert journal(git_ledger).exists() and left(git_ledger)  # killed where intended, with its traces
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    assert "已修复上次中断的写入" in result.stderr and said in result.stderr
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))
    assert _head_has_progress(repo) is stands
    assert len(ledger_commits(repo)) == (1 if stands else 0)
    again = run(runner, git_ledger, "done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-08-20")
    assert again.exit_code == 0, again.output
    assert "已修复" not in again.stderr
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))
    assert len(ledger_commits(repo)) == (2 if stands else 1)


@pytest.mark.parametrize("at", ["before:hash-object", "after:commit-tree"])
def test_crash__the_prepare_journal_holds_no_bytes_and_the_commit_journal_both(
    git_ledger: Path, bin_dir: Path, at: str
) -> None:
    """Killed before the file is touched, the journal names the file but carries none of its bytes
    (recovery from there changes no file); from phase commit on it carries the old and the new."""
    import json

    crash(git_ledger, bin_dir, at)
    record = json.loads(journal(git_ledger).read_bytes())
    assert record["phase"] == "prepare"
    assert [(f["rel"], f["old"], f["new"]) for f in record["files"]] == [(f"data/{FILE03}", "", "")]


def test_crash__the_commit_journal_holds_the_old_and_new_bytes(git_ledger: Path, bin_dir: Path) -> None:
    import base64
    import json

    before = (git_ledger / FILE03).read_bytes()
    crash(git_ledger, bin_dir, "before:reset")
    record = json.loads(journal(git_ledger).read_bytes())
    assert record["phase"] == "commit"
    (entry,) = record["files"]
    assert base64.b64decode(entry["old"]) == before
    assert base64.b64decode(entry["new"]) == (git_ledger / FILE03).read_bytes() != before


@pytest.mark.parametrize(("at", "left", "stands", "said"), WRITE_FIRST, ids=[point[0] for point in WRITE_FIRST])
def test_crash__next_write_repairs_first_then_commits(
    git_ledger: Path,
    runner: CliRunner,
    bin_dir: Path,
    at: str,
    left: Callable[[Path], bool],
    stands: bool,
    said: str,
) -> None:
    crash(git_ledger, bin_dir, at)
    result = run(runner, git_ledger, *WRITE)  # the same command again, as a user would
    assert result.exit_code == 0, result.output
    assert "已修复上次中断的写入" in result.stderr and said in result.stderr
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))
    assert len(ledger_commits(git_ledger.parent)) == (2 if stands else 1)


def test_crash__users_plain_commit_before_any_ledger_command_keeps_the_recorded_change(
    git_ledger: Path, runner: CliRunner, bin_dir: Path
) -> None:
    repo = git_ledger.parent
    crash(git_ledger, bin_dir, "after:update-ref")  # HEAD moved, the journal not yet removed
    (repo / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "用户自己的提交")
    assert _head_has_progress(repo)  # the index was level before HEAD moved: nothing staged the old text back
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert "已修复上次中断的写入" in result.stderr
    history = run_json(runner, git_ledger, "history")
    assert_level(git_ledger, history)
    assert [entry["action"] for entry in history] == ["progress"]


def test_crash__stale_index_is_made_level_so_a_users_commit_keeps_the_change(
    git_ledger: Path, runner: CliRunner, bin_dir: Path
) -> None:
    repo = git_ledger.parent
    crash(git_ledger, bin_dir, "after:update-ref")
    git(repo, "reset", "-q", "HEAD~1", "--", f"data/{FILE03}")  # the index a killed older version left: stale
    assert "完成可研批复" not in git(repo, "show", f":data/{FILE03}")
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert "已修复上次中断的写入" in result.stderr and "暂存区已与之一致" in result.stderr
    (repo / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "用户自己的提交")
    assert _head_has_progress(repo)
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))


def test_crash__users_commit_after_a_crash_before_head_moved_loses_nothing(
    git_ledger: Path, runner: CliRunner, bin_dir: Path
) -> None:
    repo = git_ledger.parent
    crash(git_ledger, bin_dir, "after:reset")  # file and index new, HEAD old
    git(repo, "commit", "-q", "-m", "用户自己的提交")  # takes the staged text along, under the user's message
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert "HEAD 在中断之后被移动过" in result.stderr and "文件与暂存区已按现在的 HEAD 对齐" in result.stderr
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))
    assert _head_has_progress(repo)


def test_crash__stale_head_lock_is_reported_with_the_command_to_clear_it(
    git_ledger: Path, runner: CliRunner, bin_dir: Path
) -> None:
    repo = git_ledger.parent
    lock = (repo / ".git" / "HEAD.lock").resolve()
    crash(git_ledger, bin_dir, "lock:update-ref")  # git killed while moving HEAD, then the writer
    assert lock.exists()
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    assert "已修复上次中断的写入" in result.stderr and "已撤回" in result.stderr
    assert f"git 的锁文件 {lock} 是上次被中断的台账写入留下的" in result.stderr
    assert f"rm {lock}" in result.stderr
    before = (git_ledger / FILE03).read_bytes(), git(repo, "rev-parse", "HEAD")
    refused = run(runner, git_ledger, "done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-08-20")
    assert refused.exit_code == 1 and f"rm {lock}" in refused.stderr and "本次未作任何修改" in refused.stderr
    assert ((git_ledger / FILE03).read_bytes(), git(repo, "rev-parse", "HEAD")) == before
    lock.unlink()  # what the message said to do
    quiet = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert run(runner, git_ledger, "done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-08-20").exit_code == 0
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))


def test_list__without_a_journal_runs_no_git_at_all(
    git_ledger: Path, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "git-calls.log"
    spy = tmp_path / "spy"
    spy.mkdir()
    (spy / "git").write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexit 1\n', encoding="utf-8")
    (spy / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{spy}{os.pathsep}{os.environ['PATH']}")
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    assert not log.exists() and leftovers(git_ledger) == []
