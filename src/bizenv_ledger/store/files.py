"""Atomic file writes and the writers' lock.

A write goes to a temporary file in the same directory, is fsynced, renamed over
the original and (on POSIX) the directory fsynced, so a crash leaves either the
old file or the new one, never half of each. Writers take an exclusive lock on
one lock file per ledger, wait a bounded time, and otherwise say who holds it.

Nothing here imports a POSIX-only module: the lock is filelock's native one
(``flock`` on POSIX, ``LockFileEx`` on Windows), imported when a lock is taken.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType

from ..model.dates import SHANGHAI
from ..model.errors import LockBusy, UsageError, WriteRefused

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "TOOL_DIR",
    "atomic_write",
    "check_writable",
    "ledger_lock",
    "lock_timeout",
    "tool_dir",
]

DEFAULT_LOCK_TIMEOUT = 10.0
_POLL = 0.05
# Only POSIX can open a directory to fsync it (Windows refuses; NTFS orders the rename itself).
_DIRECTORY_FSYNC = os.name == "posix"
# Windows' os.open defaults to text mode, which would turn the holder's "\n" into "\r\n".
_BINARY = getattr(os, "O_BINARY", 0)
# Windows locks byte 0 of the lock file and no other process may read it meanwhile:
# the holder's note starts after this one padding byte, so a waiter can still read who it is.
_PAD = b" "
# Outside git the lock lives in this folder beside the data, whose own .gitignore keeps it out of any `git add .`.
TOOL_DIR = ".ledger"
_TOOL_DIR_IGNORE = "# bizenv-ledger 的锁文件等，不纳入 git\n*\n"


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
    if not _DIRECTORY_FSYNC:
        return
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
            if hasattr(os, "fchmod"):  # POSIX (and Windows from Python 3.13); elsewhere a new file is writable anyway
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


def tool_dir(root: Path) -> Path:
    """``<root>/.ledger/``, made with a .gitignore of ``*`` so that nothing in it is ever committed."""
    folder = root / TOOL_DIR
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        try:
            folder.mkdir(exist_ok=True)
            ignore.write_text(_TOOL_DIR_IGNORE, encoding="utf-8", newline="\n")
        except OSError as exc:
            msg = f"无法在台账目录中建立 {TOOL_DIR}/ 文件夹（存放锁文件）：{exc.strerror or exc}"
            raise WriteRefused(msg) from None
    return folder


def _holder(fd: int) -> str:
    """What the holding process wrote into the lock file: pid, command, since when."""
    try:
        os.lseek(fd, len(_PAD), os.SEEK_SET)
        raw = os.read(fd, 4096).decode("utf-8", "replace")
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
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, _PAD + info.encode("utf-8", "replace"))


def _busy(fd: int, lock_file: Path, timeout: float) -> LockBusy:
    who = _holder(fd) or "另一进程"
    msg = f"台账正被{who}修改，已等待 {timeout:g} 秒仍未释放，未作任何修改；请稍后再试（锁文件：{lock_file}）"
    return LockBusy(msg)


def _filelock() -> ModuleType:
    """filelock, imported on the first lock (never on the read path)."""
    import warnings

    with warnings.catch_warnings():  # where there is no flock it warns that only its soft lock is left: we know
        warnings.simplefilter("ignore")
        import filelock
    return filelock


def _try_native(fd: int) -> bool | None:
    """Take the native lock without waiting: True got it, False held elsewhere, None no native lock here."""
    try:
        return bool(_filelock().lock_descriptor(fd, blocking=False))
    except OSError as exc:
        if exc.errno == errno.ENOSYS:  # a platform with neither flock nor LockFileEx
            return None
        raise


@contextlib.contextmanager
def _soft_lock(fd: int, lock_file: Path, deadline: float, timeout: float) -> Iterator[None]:
    """Where the system has no file locks: filelock's marker file (exclusive create), stale ones reclaimed."""
    filelock = _filelock()
    soft = filelock.SoftFileLock(f"{lock_file}.soft")
    try:
        soft.acquire(timeout=max(0.0, deadline - time.monotonic()), poll_interval=_POLL)
    except filelock.Timeout:
        raise _busy(fd, lock_file, timeout) from None
    try:
        yield
    finally:
        soft.release()


@contextlib.contextmanager
def _exclusive(fd: int, lock_file: Path, timeout: float) -> Iterator[None]:
    deadline = time.monotonic() + timeout
    while (got := _try_native(fd)) is False:
        if time.monotonic() >= deadline:
            raise _busy(fd, lock_file, timeout)
        time.sleep(_POLL)
    if got is None:
        with _soft_lock(fd, lock_file, deadline, timeout):
            yield
        return
    try:
        yield
    finally:
        _filelock().unlock_descriptor(fd)


@contextlib.contextmanager
def ledger_lock(lock_file: Path, timeout: float) -> Iterator[None]:
    """Hold the ledger's exclusive lock; wait at most ``timeout`` seconds for it."""
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | _BINARY, 0o644)
    except OSError as exc:
        msg = f"无法创建锁文件 {lock_file}：{exc.strerror}"
        raise WriteRefused(msg) from None
    try:
        with _exclusive(fd, lock_file, timeout):
            _announce(fd)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)  # released: no stale holder named
    finally:
        os.close(fd)
