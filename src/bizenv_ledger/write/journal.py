"""The write-ahead journal: what a write is about to do, on disk before it does any of it.

A write records its intent (the files with their old and new bytes, the commit it
builds, HEAD before, the branch, its temporary index and its pid) in a small JSON
file beside the writers' lock, written atomically and fsynced, before its first
change; it moves the journal from phase ``prepare`` to ``commit`` once the commit
exists, and deletes it when everything is level. A journal still there means the
writer was killed: the next ledger command finishes or rolls the write back
(``recovery.py``). The format and the phases are described in docs/write-safety.md.

Where the journal lives, and whether one was left behind, is ``journal_paths.py``: that
is on the start-up path of every command, this is not.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .journal_paths import ledger_paths, lock_beside, pending

__all__ = [
    "FORMAT",
    "FileIntent",
    "Journal",
    "ledger_paths",
    "lock_beside",
    "pending",
    "pid_alive",
    "read_journal",
    "remove_journal",
    "write_journal",
]

FORMAT = 1


@dataclass(frozen=True)
class FileIntent:
    """One file a write changes: where it is, as git spells it, and its bytes before and after."""

    path: Path
    rel: str  # relative to the top of the work tree ("" outside git)
    old: bytes
    new: bytes
    old_blob: str = ""
    new_blob: str = ""


@dataclass(frozen=True)
class Journal:
    """A write's intent; see docs/write-safety.md for each field and phase."""

    phase: str  # prepare | commit | write | stale-lock
    pid: int
    started: float  # time.time() when the journal was first written
    subject: str  # the commit subject (or what the write does), to say which write was interrupted
    files: tuple[FileIntent, ...]
    top: str = ""  # the work tree, git dir and common dir; empty outside git
    git_dir: str = ""
    common_dir: str = ""
    ref: str = ""  # the branch HEAD named ("" when detached or outside git)
    old_head: str = ""
    commit: str = ""  # the commit built, once phase is commit
    temp_index: str = ""
    locks: tuple[str, ...] = field(default=())  # the git lock files a kill could leave (ours if newer than started)


def _encode(journal: Journal) -> bytes:
    """The journal as JSON (``indent=1``). The files' bytes, base64 (megabytes of it, twice a write), are set
    in after the rest is dumped, byte for byte what dumping them would give (base64 needs no escape)."""
    import base64
    import json

    blobs: list[bytes] = []

    def blob(data: bytes) -> str:
        blobs.append(base64.b64encode(data))
        return f"\x00{len(blobs) - 1}\x00"  # dumped as "\u0000…\u0000": no base64 text looks like it

    record = {
        "format": FORMAT,
        **{key: getattr(journal, key) for key in ("phase", "pid", "started", "subject", "top", "git_dir")},
        **{key: getattr(journal, key) for key in ("common_dir", "ref", "old_head", "commit", "temp_index")},
        "locks": list(journal.locks),
        "files": [
            {
                "path": str(f.path),
                "rel": f.rel,
                "old_blob": f.old_blob,
                "new_blob": f.new_blob,
                "old": blob(f.old),
                "new": blob(f.new),
            }
            for f in journal.files
        ],
    }
    text = json.dumps(record, ensure_ascii=False, indent=1)
    marks = [json.dumps(f"\x00{k}\x00") for k in range(len(blobs))]
    if any(text.count(mark) != 1 for mark in marks):  # a path or subject that is a mark itself: the slow way
        return json.dumps(_plain(record, blobs), ensure_ascii=False, indent=1).encode("utf-8")
    parts: list[bytes] = []
    for mark, data in zip(marks, blobs, strict=True):
        before, _, text = text.partition(mark)
        parts += [before.encode("utf-8"), b'"', data, b'"']
    return b"".join([*parts, text.encode("utf-8")])


def _plain(record: dict[str, Any], blobs: list[bytes]) -> dict[str, Any]:
    files = [
        {**f, "old": blobs[2 * k].decode("ascii"), "new": blobs[2 * k + 1].decode("ascii")}
        for k, f in enumerate(record["files"])
    ]
    return {**record, "files": files}


def _decode(raw: bytes) -> Journal:
    import base64
    import json

    record = json.loads(raw.decode("utf-8"))
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        msg = "格式不对"
        raise ValueError(msg)
    files = tuple(
        FileIntent(
            Path(f["path"]),
            str(f["rel"]),
            base64.b64decode(f["old"]),
            base64.b64decode(f["new"]),
            str(f.get("old_blob", "")),
            str(f.get("new_blob", "")),
        )
        for f in record["files"]
    )
    text = {key: str(record.get(key, "")) for key in ("top", "git_dir", "common_dir", "ref", "old_head")}
    return Journal(
        phase=str(record["phase"]),
        pid=int(record["pid"]),
        started=float(record["started"]),
        subject=str(record["subject"]),
        files=files,
        commit=str(record.get("commit", "")),
        temp_index=str(record.get("temp_index", "")),
        locks=tuple(str(lock) for lock in record.get("locks", [])),
        **text,
    )


def write_journal(path: Path, journal: Journal) -> None:
    """Atomically, and on disk (fsynced) before returning: the write's first change comes after this."""
    from ..store.files import atomic_write

    atomic_write(path, _encode(journal))


def read_journal(path: Path) -> Journal:
    """The journal at ``path``; ValueError (or OSError) when it cannot be read as one."""
    try:
        return _decode(path.read_bytes())
    except (KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None


def remove_journal(path: Path) -> None:
    path.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running (on Windows without ``os.kill``, which would end it)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
