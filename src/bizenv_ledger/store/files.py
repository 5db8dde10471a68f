"""Atomic file writes and the writers' lock.

A write goes to a temporary file in the same directory, is fsynced, renamed over
the original and the directory fsynced, so a crash leaves either the old file or
the new one, never half of each. Writers take an exclusive ``flock`` on one lock
file per ledger, wait a bounded time, and otherwise say who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ..model.dates import SHANGHAI
from ..model.errors import LockBusy, UsageError, WriteRefused

__all__ = ["DEFAULT_LOCK_TIMEOUT", "atomic_write", "check_writable", "ledger_lock", "lock_timeout"]

DEFAULT_LOCK_TIMEOUT = 10.0
_POLL = 0.05


def check_writable(path: Path, shown: str) -> None:
    """Refuse, before anything is changed, a file that cannot be replaced as it is.

    A read-only file (chmod a-w, refused even for root), a symbolic link (renaming
    over it would turn it into a plain file) and a file in a folder where no new
    file can be made (the temporary file goes there) are all refused.
    """
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        msg = f"无法读取 {shown}：{exc.strerror}"
        raise WriteRefused(msg) from None
    if stat.S_ISLNK(mode):
        msg = f"{shown} 是符号链接，未作任何修改（工具只改普通文件；请直接对链接指向的台账操作）"
        raise WriteRefused(msg)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        msg = f"{shown} 是只读文件，未作任何修改（如确需修改，请先 chmod u+w {shown}）"
        raise WriteRefused(msg)
    if not os.access(path.parent, os.W_OK | os.X_OK):
        msg = f"{shown} 所在的文件夹不可写（无法在其中建临时文件），未作任何修改"
        raise WriteRefused(msg)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temporary file, fsync, rename, fsync the directory. Keeps the mode."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def lock_timeout(env: dict[str, str]) -> float:
    text = env.get("LEDGER_LOCK_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        msg = f"LEDGER_LOCK_TIMEOUT 应为秒数（如 10），而不是“{text}”"
        raise UsageError(msg)
    return value


def _holder(fd: int) -> str:
    """What the holding process wrote into the lock file: pid, command, since when."""
    try:
        raw = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    except OSError:
        return ""
    pid, _, rest = raw.partition("\n")
    command, _, since = rest.partition("\n")
    if not pid.strip():
        return ""
    return f"进程 {pid.strip()}（{command.strip() or '未知命令'}，{since.strip() or '时间不详'} 起）"


def _announce(fd: int) -> None:
    since = datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")  # the office's clock, whatever the machine's zone
    info = f"{os.getpid()}\n{' '.join(['ledger', *sys.argv[1:]])[:200]}\n{since}\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, info.encode("utf-8", "replace"), 0)


@contextlib.contextmanager
def ledger_lock(lock_file: Path, timeout: float) -> Iterator[None]:
    """Hold the ledger's exclusive lock; wait at most ``timeout`` seconds for it."""
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        msg = f"无法创建锁文件 {lock_file}：{exc.strerror}"
        raise WriteRefused(msg) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    who = _holder(fd) or "另一进程"
                    msg = f"台账正被{who}修改，已等待 {timeout:g} 秒仍未释放，未作任何修改；请稍后再试（锁文件：{lock_file}）"
                    raise LockBusy(msg) from None
                time.sleep(_POLL)
        _announce(fd)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
