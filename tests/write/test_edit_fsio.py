"""Atomic writes and the writers' lock (_fsio)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bizenv_ledger.model.errors import LockBusy, UsageError, WriteRefused
from bizenv_ledger.store import files as _fsio
from bizenv_ledger.store.files import atomic_write, check_writable, ledger_lock, lock_timeout

OLD = "旧内容：# 注释\n" * 100
NEW = "新内容\n"


def _file(tmp_path: Path, mode: int = 0o640) -> Path:
    path = tmp_path / "f.yaml"
    path.write_text(OLD, encoding="utf-8")
    path.chmod(mode)
    return path


def test_atomic_write__replaces_content_and_keeps_the_mode(tmp_path: Path) -> None:
    path = _file(tmp_path)
    atomic_write(path, NEW.encode())
    assert path.read_text(encoding="utf-8") == NEW
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]


@pytest.mark.parametrize("victim", ["replace", "fsync"])
def test_atomic_write__interrupted_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, victim: str
) -> None:
    path = _file(tmp_path)

    def crash(*args: object) -> None:
        raise OSError(5, "模拟的磁盘错误")

    monkeypatch.setattr(os, victim, crash)
    with pytest.raises(OSError):
        atomic_write(path, NEW.encode())
    assert path.read_text(encoding="utf-8") == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]  # no temporary file left behind


def test_check_writable__read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    path = _file(tmp_path, 0o444)
    with pytest.raises(WriteRefused, match="只读"):
        check_writable(path, "f.yaml")
    path.chmod(0o644)
    check_writable(path, "f.yaml")


def test_lock_timeout__from_the_environment() -> None:
    assert lock_timeout({}) == _fsio.DEFAULT_LOCK_TIMEOUT
    assert lock_timeout({"LEDGER_LOCK_TIMEOUT": "0.5"}) == 0.5
    for bad in ("soon", "-1", "nan"):
        with pytest.raises(UsageError):
            lock_timeout({"LEDGER_LOCK_TIMEOUT": bad})


def test_ledger_lock__is_reentrant_after_release(tmp_path: Path) -> None:
    lock = tmp_path / "ledger.lock"
    with ledger_lock(lock, 0):
        assert str(os.getpid()) in lock.read_text()
    with ledger_lock(lock, 0):
        pass
    assert lock.read_text() == ""  # released: holder info cleared


HOLDER = """
import sys, time
from pathlib import Path
from bizenv_ledger.store.files import ledger_lock
with ledger_lock(Path(sys.argv[1]), 0):
    print("ready", flush=True)
    time.sleep(60)
"""


def test_ledger_lock__held_by_a_hung_process_waits_a_bounded_time_and_names_it(tmp_path: Path) -> None:
    lock = tmp_path / "ledger.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(LockBusy) as caught, ledger_lock(lock, 0.3):
            pass
        waited = time.monotonic() - started
        assert 0.3 <= waited < 3
        assert f"进程 {holder.pid}" in str(caught.value) and "0.3 秒" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
