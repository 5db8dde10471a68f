"""Finish or roll back a write that was killed part-way, so that HEAD, the index and the files agree again.

Every command runs ``recover_pending`` before it loads the ledger (``cli/app.py``),
and every write runs ``recover_held`` once it holds the writers' lock. A journal
left behind (``journal.py``) says what the write was doing; the decision is made by
comparing HEAD with the journal:

- phase ``prepare``: nothing outside the temporary index was changed; clean up.
- phase ``commit``, HEAD is the new commit: the change stands; the files get their
  new bytes and the index entries the new blobs (roll forward).
- phase ``commit``, HEAD is still the old commit: the change never happened; the
  files get their old bytes back and the index entries the old blobs (roll back).
- phase ``commit``, HEAD is neither: the user has moved on; nothing is touched.
- phase ``write`` (no commit): every file new means done, else the new ones go back.

A file that is neither its old nor its new bytes was edited after the crash and is
never overwritten. Then the leftovers go (the temporary index, our temporary files),
and a git lock file the killed writer left (``HEAD.lock``, ``index.lock``, the
branch's) is reported with the command that clears it; it is never deleted here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .journal import lock_beside, pending, pid_alive, read_journal, remove_journal, write_journal

if TYPE_CHECKING:
    from .git import Repo
    from .journal import FileIntent, Journal

__all__ = ["Repair", "align_with_head", "recover_held", "recover_pending"]

_MTIME_SLACK = 2.0  # seconds: file systems with coarse timestamps (FAT keeps two)


@dataclass
class Repair:
    """What recovery did, to say on stderr; ``blocked`` when something is still in the way of a write."""

    messages: list[str] = field(default_factory=list)
    blocked: bool = False


def recover_pending(root: Path) -> list[str]:
    """For any command: repair what a killed write left for ``root``; skip silently while a writer is at work."""
    from ..model.errors import LockBusy, WriteRefused
    from ..store.files import ledger_lock

    messages: list[str] = []
    for journal in pending(root):
        try:
            with ledger_lock(lock_beside(journal), 0):
                messages += recover_held(journal).messages
        except LockBusy:
            continue  # a writer holds the lock: its journal is live, not left behind
        except WriteRefused as exc:  # the lock file could not even be opened
            messages.append(f"未能检查上次中断的写入：{exc}")
    return messages


def recover_held(journal_path: Path) -> Repair:
    """Repair under the writers' lock (the caller holds it). Nothing to do, and no git run, without a journal."""
    from ..model.errors import LedgerError

    if not journal_path.exists():
        _sweep_unjournalled(journal_path)
        return Repair()
    try:
        journal = read_journal(journal_path)
    except (OSError, ValueError) as exc:
        msg = f"无法读取写入日志 {journal_path}（{exc}）。请用 git status 检查台账文件，确认无误后删除该文件"
        return Repair([msg], blocked=True)
    if journal.phase == "stale-lock":
        return _still_locked(journal_path, journal)
    try:
        done = _settle(journal)
        removed = _remove_leftovers(journal_path, journal)
        return _finish(journal_path, journal, f"已修复上次中断的写入{_which(journal)}：{done}{removed}")
    except (LedgerError, OSError, ValueError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        msg = f"未能修复上次中断的写入{_which(journal)}：{detail}。下次运行台账命令时会再试"
        return Repair([msg, *_lock_messages(_our_locks(journal))], blocked=True)


def _which(journal: Journal) -> str:
    from datetime import UTC, datetime

    from ..model.dates import SHANGHAI

    since = datetime.fromtimestamp(journal.started, UTC).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    return f"（“{journal.subject}”，进程 {journal.pid}，{since} 开始）"


def _settle(journal: Journal) -> str:
    if journal.phase == "prepare":
        return "它在提交之前就中断了，文件、暂存区与 HEAD 都未改动，该修改未生效；如仍需要，请重新执行原命令"
    if journal.phase == "write":
        return _settle_files(journal)
    if journal.phase == "commit":
        return _settle_commit(journal)
    msg = f"写入日志的阶段“{journal.phase}”无法识别"
    raise ValueError(msg)


def _put(files: tuple[FileIntent, ...], *, new: bool) -> tuple[list[str], list[str]]:
    """Give each file its old or new bytes, unless it is neither (edited since). (written, left alone)."""
    from ..store.files import atomic_write

    written, foreign = [], []
    for f in files:
        want, other = (f.new, f.old) if new else (f.old, f.new)
        try:
            current: bytes | None = f.path.read_bytes()
        except FileNotFoundError:
            current = None
        if current == want:
            continue
        if current == other:
            atomic_write(f.path, want)
            written.append(f.rel or f.path.name)
        else:
            foreign.append(f.rel or f.path.name)
    return written, foreign


def _foreign_note(foreign: list[str]) -> str:
    if not foreign:
        return ""
    return f"；{'、'.join(foreign)} 在中断之后又被改动过，未覆盖，请用 git status 检查"


def _settle_files(journal: Journal) -> str:
    states = [_bytes_or_none(f.path) for f in journal.files]
    if all(state == f.new for state, f in zip(states, journal.files, strict=True)):
        return "文件已全部写入（未提交 git），无需改动"
    written, foreign = _put(journal.files, new=False)
    back = f"已把 {'、'.join(written)} 恢复原样" if written else "文件仍是原样"
    return f"写入未完成，{back}，该修改未生效；如仍需要，请重新执行原命令{_foreign_note(foreign)}"


def _bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def align_with_head(repo: Repo, journal: Journal) -> tuple[str, list[str], list[str]]:
    """Make the write's files and their index entries agree with HEAD as it is now.

    A file gets its new bytes where HEAD holds the new blob, its old bytes where HEAD
    holds the old one, and is left alone where HEAD holds neither or the file is
    neither (edited since). Its index entry is set to HEAD's. Returns HEAD and the
    files (written, left alone).
    """
    head = repo.head() or ""
    rels = tuple(f.rel for f in journal.files)
    in_head = repo.blob_ids(head, rels) if head else {}
    written, foreign = [], []
    for f in journal.files:
        blob = in_head.get(f.rel)
        if blob not in (f.new_blob, f.old_blob):
            foreign.append(f.rel)
            continue
        done, left = _put((f,), new=blob == f.new_blob)
        written += done
        foreign += left
    if head:
        repo.sync_index(head, rels)
    return head, written, foreign


def _settle_commit(journal: Journal) -> str:
    from .git import Repo

    repo = Repo(Path(journal.top), Path(journal.git_dir), Path(journal.common_dir))
    head, written, foreign = align_with_head(repo, journal)
    note = _foreign_note(foreign)
    if head == journal.commit:
        filled = f"，已补写 {'、'.join(written)}" if written else ""
        return f"提交 {journal.commit[:7]} 已经完成{filled}，暂存区已与之一致{note}"
    back = f"已把 {'、'.join(written)} 恢复原样" if written else "文件仍是原样"
    if head == journal.old_head:
        return (
            f"提交尚未完成（HEAD 仍是 {head[:7]}），已撤回：{back}，暂存区与 HEAD 一致，该修改未生效；"
            f"如仍需要，请重新执行原命令{note}"
        )
    return (
        f"HEAD 在中断之后被移动过（写入前是 {journal.old_head[:7]}，现在是 {head[:7] or '无'}；"
        f"工具的提交 {journal.commit[:7]} 未生效），文件与暂存区已按现在的 HEAD 对齐"
        f"{'（' + '、'.join(written) + ' 已改写）' if written else ''}；请用 git log 与 git status 检查{note}"
    )


def _remove_leftovers(journal_path: Path, journal: Journal) -> str:
    """Delete our temporary files: the commit's index, the atomic writes' ``.NAME.*.tmp``. Says which."""
    removed: list[str] = []
    places = {(f.path.parent, f.path.name) for f in journal.files} | {(journal_path.parent, journal_path.name)}
    for folder, name in sorted(places):
        for entry in _entries(folder):
            if entry.name.startswith(f".{name}.") and entry.name.endswith(".tmp"):
                entry.unlink(missing_ok=True)
                removed.append(entry.name)
    if journal.git_dir:
        # under the writers' lock no other writer is building a commit: every such index is a leftover
        for entry in sorted(_entries(Path(journal.git_dir))):
            if entry.name.startswith("ledger-index-"):
                entry.unlink(missing_ok=True)
                removed.append(entry.name)
    return f"；已删除遗留的临时文件 {'、'.join(removed)}" if removed else ""


def _sweep_unjournalled(journal_path: Path) -> None:
    """A writer killed while writing its first journal left only that journal's temporary file: delete it.

    Nothing else can exist then (the journal comes before every other change), so
    this is silent. One listing of the folder; the read path never comes here.
    """
    for entry in _entries(journal_path.parent):
        if entry.name.startswith(f".{journal_path.name}.") and entry.name.endswith(".tmp"):
            entry.unlink(missing_ok=True)


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _our_locks(journal: Journal) -> list[Path]:
    """The git lock files the killed writer left: made since it started, and it no longer runs."""
    if journal.pid != os.getpid() and pid_alive(journal.pid):
        return []
    ours = []
    for name in journal.locks:
        lock = Path(name)
        try:
            made = lock.stat().st_mtime
        except OSError:
            continue
        if made >= journal.started - _MTIME_SLACK:
            ours.append(lock)
    return ours


def _lock_messages(locks: list[Path]) -> list[str]:
    from .git_locks import stale_lock_message

    return [
        stale_lock_message(lock, "更新暂存区" if lock.name == "index.lock" else "移动 HEAD，提交都会失败", ours=True)
        for lock in locks
    ]


def _finish(journal_path: Path, journal: Journal, message: str) -> Repair:
    """Delete the journal; or, while a git lock of ours is in the way, keep it (phase stale-lock) to say so again."""
    locks = _our_locks(journal)
    if not locks:
        remove_journal(journal_path)
        return Repair([message])
    write_journal(journal_path, replace(journal, phase="stale-lock", files=(), locks=tuple(map(str, locks))))
    return Repair([message, *_lock_messages(locks)], blocked=True)


def _still_locked(journal_path: Path, journal: Journal) -> Repair:
    """The data was repaired earlier; only our git lock files were left. Gone: done, silently."""
    locks = [Path(name) for name in journal.locks if Path(name).exists()]
    if not locks:
        remove_journal(journal_path)
        return Repair()
    return Repair(_lock_messages(locks), blocked=True)
