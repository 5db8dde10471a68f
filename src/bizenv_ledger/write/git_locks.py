"""Git's lock files in the way of a write: which one, from git's message, and what to tell the user about it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

__all__ = ["lock_in_the_way", "stale_lock_message"]


_LOCK_IN_THE_WAY = re.compile(r"Unable to create '(.+?\.lock)': File exists")


def lock_in_the_way(proc: subprocess.CompletedProcess[bytes]) -> Path | None:
    """The lock file that made git give up (its message in English: the call ran with LC_ALL=C)."""
    found = _LOCK_IN_THE_WAY.search(proc.stderr.decode("utf-8", "replace"))
    return Path(found[1]) if found else None


def stale_lock_message(lock: Path, blocked: str, *, ours: bool) -> str:
    """Say which git lock file is in the way, whose it probably is, and the command that clears it."""
    whose = (
        "是上次被中断的台账写入留下的（写入进程已不在运行）"
        if ours
        else "存在：可能另一个 git 进程正在运行，也可能是此前被中断的 git 进程遗留的"
    )
    clear = f'del "{lock}"' if os.name == "nt" else f"rm {shlex.quote(str(lock))}"
    return (
        f"git 的锁文件 {lock} {whose}；在它被删除之前，git 无法{blocked}。"
        f"请确认没有其他 git 进程在运行后删除它：\n  {clear}"
    )
