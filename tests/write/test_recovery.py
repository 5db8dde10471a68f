"""The write-ahead journal and the recovery that reads it: format, finding it cheaply, deciding, locks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bizenv_ledger.write.journal import (
    FileIntent,
    Journal,
    ledger_paths,
    pending,
    pid_alive,
    read_journal,
    write_journal,
)
from bizenv_ledger.write.recovery import recover_held
from tests.conftest import git
from tests.crashing import assert_level, crash, journal, leftovers, stand_in_git
from tests.helpers import run, run_json
from tests.writing import FILE03


def _journal(tmp_path: Path, **changes: Any) -> Journal:
    files = (FileIntent(tmp_path / "a.yaml", "data/a.yaml", "\ufeff旧\r\n".encode(), b"\xff new", "1" * 40, "2" * 40),)
    base = Journal(
        "commit", 4242, 1660000000.5, "销号 3.2", files, commit="3" * 40, locks=(str(tmp_path / "HEAD.lock"),)
    )
    return replace(base, **changes)


def test_journal__round_trips_bytes_exactly(tmp_path: Path) -> None:
    written = _journal(tmp_path, top=str(tmp_path), ref="refs/heads/main", temp_index="/x/ledger-index-1")
    write_journal(tmp_path / "ledger-journal.json", written)
    assert read_journal(tmp_path / "ledger-journal.json") == written
    assert [p.name for p in tmp_path.iterdir()] == ["ledger-journal.json"]  # no temporary file left


@pytest.mark.parametrize("subject", ["销号 3.2", "\x000\x00", "\x001\x00"], ids=["plain", "mark-0", "mark-1"])
def test_journal__written_as_json_dumps_writes_it(tmp_path: Path, subject: str) -> None:
    """The files' base64 is set in after the rest is dumped: byte for byte the plain dump, whatever the subject."""
    import base64
    import json

    from bizenv_ledger.write.journal import FORMAT

    written = _journal(tmp_path, subject=subject, top=str(tmp_path), ref="refs/heads/main")
    write_journal(tmp_path / "ledger-journal.json", written)
    record = {
        "format": FORMAT,
        **{k: getattr(written, k) for k in ("phase", "pid", "started", "subject", "top", "git_dir", "common_dir")},
        **{k: getattr(written, k) for k in ("ref", "old_head", "commit", "temp_index")},
        "locks": list(written.locks),
        "files": [
            {
                "path": str(f.path),
                "rel": f.rel,
                "old_blob": f.old_blob,
                "new_blob": f.new_blob,
                "old": base64.b64encode(f.old).decode("ascii"),
                "new": base64.b64encode(f.new).decode("ascii"),
            }
            for f in written.files
        ],
    }
    raw = (tmp_path / "ledger-journal.json").read_bytes()
    assert raw == json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
    assert read_journal(tmp_path / "ledger-journal.json") == written


def test_journal__unreadable_one_is_reported_and_blocks_writes(tmp_path: Path) -> None:
    path = tmp_path / "ledger-journal.json"
    path.write_text("{not json", encoding="utf-8")
    repair = recover_held(path)
    assert repair.blocked and "无法读取写入日志" in repair.messages[0] and path.exists()


def test_pending__finds_the_journal_in_the_git_dir_of_a_linked_work_tree(git_ledger: Path, tmp_path: Path) -> None:
    repo = git_ledger.parent
    linked = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", str(linked))
    git_dir = Path(git(linked, "rev-parse", "--absolute-git-dir").strip())
    assert pending(linked / "data") == []
    (git_dir / "ledger-journal.json").write_text("{}", encoding="utf-8")
    assert pending(linked / "data") == [git_dir / "ledger-journal.json"]
    assert pending(git_ledger) == []  # the main work tree has its own


def test_pending__outside_git_the_journal_sits_in_the_ledger_folder(ledger_dir: Path) -> None:
    lock, path = ledger_paths(ledger_dir, None)
    assert (lock, path) == (ledger_dir / ".ledger" / "ledger.lock", ledger_dir / ".ledger" / "journal.json")
    path.parent.mkdir()
    path.write_text("{}", encoding="utf-8")
    assert pending(ledger_dir) == [path]


def test_pid_alive__this_process_and_a_finished_one() -> None:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert pid_alive(os.getpid()) and not pid_alive(int(done.stdout))


@pytest.mark.parametrize(
    ("lock_age", "pid", "ours"),
    [(0.0, None, True), (3600.0, None, False), (0.0, "parent", False)],
    ids=["made-during-the-write", "older-than-the-write", "writer-still-running"],
)
def test_recovery__a_git_lock_is_ours_only_if_made_during_the_write_by_a_dead_writer(
    tmp_path: Path, lock_age: float, pid: str | None, ours: bool
) -> None:
    target = tmp_path / "a.yaml"
    target.write_bytes("\ufeff旧\r\n".encode())
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True).stdout)
    started = time.time() - 10
    path = tmp_path / "ledger-journal.json"
    entry = _journal(tmp_path, phase="write", pid=os.getppid() if pid == "parent" else dead, started=started)
    write_journal(path, entry)
    lock = tmp_path / "HEAD.lock"
    lock.write_text("")
    os.utime(lock, (started - lock_age + 1, started - lock_age + 1))
    repair = recover_held(path)
    assert "已修复上次中断的写入" in repair.messages[0]
    assert any(f"{lock} 是上次被中断的台账写入留下的" in m for m in repair.messages) is ours
    assert repair.blocked is ours and path.exists() is ours and lock.exists()  # never deleted here


def test_recovery__a_file_edited_after_the_crash_is_not_overwritten(
    git_ledger: Path, runner: CliRunner, tmp_path: Path
) -> None:
    repo = git_ledger.parent
    crash(git_ledger, stand_in_git(tmp_path / "bin"), "before:reset")  # file written, HEAD and index old
    edited = (git_ledger / FILE03).read_text(encoding="utf-8") + "# 用户事后的改动\n"
    (git_ledger / FILE03).write_text(edited, encoding="utf-8")
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert "在中断之后又被改动过，未覆盖" in result.stderr
    assert (git_ledger / FILE03).read_text(encoding="utf-8") == edited
    assert git(repo, "diff", "--cached", "--name-only") == "" and leftovers(git_ledger) == []


def test_recovery__an_uncommitted_write_killed_at_the_rename_outside_git(
    ledger_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    before = (ledger_dir / FILE03).read_bytes()
    crash(
        ledger_dir,
        stand_in_git(tmp_path / "bin"),
        "rename",
        "done",
        "3.2",
        "-e",
        "张电〔2022〕12号",
        "--on",
        "2022-08-15",
    )
    assert (ledger_dir / ".ledger" / "journal.json").exists() and list((ledger_dir / "indicators").glob(".*.tmp"))
    result = run(runner, ledger_dir, "list", "--as-of", "2022-10-01")
    assert "已修复上次中断的写入" in result.stderr and "写入未完成" in result.stderr
    assert (ledger_dir / FILE03).read_bytes() == before
    assert not list(ledger_dir.rglob("*.tmp")) and not (ledger_dir / ".ledger" / "journal.json").exists()


def test_recovery__no_commit_write_killed_after_writing_is_complete(
    git_ledger: Path, runner: CliRunner, tmp_path: Path
) -> None:
    from bizenv_ledger.write.journal import FileIntent as Intent

    target = git_ledger / FILE03
    old = target.read_bytes()
    new = old + "# 已写入\n".encode()
    target.write_bytes(new)  # the write landed; the process died before removing its journal
    entry = Journal("write", 1 << 22, time.time(), "销号 3.2", (Intent(target.resolve(), f"data/{FILE03}", old, new),))
    write_journal(journal(git_ledger), entry)
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert "文件已全部写入（未提交 git）" in result.stderr and target.read_bytes() == new
    assert leftovers(git_ledger) == []
    git(git_ledger.parent, "checkout", "--", f"data/{FILE03}")
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))


def test_recovery__blocked_by_an_index_lock_says_so_keeps_the_journal_and_finishes_later(
    git_ledger: Path, runner: CliRunner, tmp_path: Path
) -> None:
    repo = git_ledger.parent
    crash(git_ledger, stand_in_git(tmp_path / "bin"), "before:reset")
    lock = (repo / ".git" / "index.lock").resolve()
    lock.write_text("")  # as a git killed while writing the index leaves it
    result = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    assert "未能修复上次中断的写入" in result.stderr and "下次运行台账命令时会再试" in result.stderr
    assert f"{lock} 是上次被中断的台账写入留下的" in result.stderr and f"rm {lock}" in result.stderr
    assert journal(git_ledger).exists()
    refused = run(runner, git_ledger, "done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-08-20")
    assert refused.exit_code == 1 and "本次未作任何修改" in refused.stderr
    lock.unlink()
    again = run(runner, git_ledger, "list", "--as-of", "2022-10-01")
    assert "已修复上次中断的写入" in again.stderr and "已撤回" in again.stderr
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))


def test_recovery__a_journal_of_an_unknown_phase_is_reported_not_acted_on(tmp_path: Path) -> None:
    path = tmp_path / "ledger-journal.json"
    write_journal(path, _journal(tmp_path, phase="future-phase"))
    repair = recover_held(path)
    assert repair.blocked and "无法识别" in repair.messages[0] and path.exists()


def test_recovery__a_writer_killed_writing_its_first_journal_leaves_nothing_after_the_next_write(
    git_ledger: Path, runner: CliRunner, tmp_path: Path
) -> None:
    crash(git_ledger, stand_in_git(tmp_path / "bin"), "rename:ledger-journal.json")
    git_dir = git_ledger.parent / ".git"
    assert [p.name for p in git_dir.glob(".ledger-journal.json.*.tmp")] and not journal(git_ledger).exists()
    result = run(runner, git_ledger, "done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-08-20")
    assert result.exit_code == 0, result.output
    assert "已修复" not in result.stderr  # nothing of the user's was touched: there is nothing to say
    assert_level(git_ledger, run_json(runner, git_ledger, "history"))
