"""Killing a real ledger process at an exact moment of a write, and checking that git and the files agree after.

The moment is chosen with a stand-in ``git`` placed first on PATH: it runs the real
git, but at the subcommand named by ``LEDGER_CRASH_GIT`` (``before:reset``,
``after:update-ref`` …) it sends SIGKILL to the ledger process that called it, just
before or just after running the real one. ``lock:SUBCOMMAND`` also leaves a
``.git/HEAD.lock`` behind, as a git killed while updating HEAD does.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import git
from tests.writing import FILE03

STAND_IN = """#!/bin/sh
sub=""
skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    -c|-C) skip=1 ;;
    -*) ;;
    *) sub="$a"; break ;;
  esac
done
when="${LEDGER_CRASH_GIT%%:*}"
at="${LEDGER_CRASH_GIT#*:}"
if [ -n "$LEDGER_CRASH_GIT" ] && [ "$sub" = "$at" ]; then
  case "$when" in
    before) kill -9 "$PPID"; exit 1 ;;
    after) "$REAL_GIT" "$@"; rc=$?; kill -9 "$PPID"; exit $rc ;;
    lock) : > .git/HEAD.lock; kill -9 "$PPID"; exit 128 ;;
  esac
fi
exec "$REAL_GIT" "$@"
"""

# Kills the process at the rename that puts a file ending in KILL_AT_RENAME_OF in place: its temporary file is left.
KILL_AT_RENAME = """
import os, signal, sys
real = os.replace
def replace(src, dst, *args, **kwargs):
    if str(dst).endswith(os.environ["KILL_AT_RENAME_OF"]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *args, **kwargs)
os.replace = replace
sys.argv[0] = "ledger"
from bizenv_ledger.cli.main import main
main()
"""

WRITE = ("progress", "3.2", "完成可研批复", "--on", "2022-08-15")


def stand_in_git(folder: Path) -> Path:
    """Write the stand-in ``git`` into ``folder`` and return the folder (to put first on PATH)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "git"
    real = shutil.which("git")
    assert real is not None
    script.write_text(STAND_IN.replace('"$REAL_GIT"', f'"{real}"'), encoding="utf-8")
    script.chmod(0o755)
    return folder


def crash(data: Path, bin_dir: Path, at: str, *args: str) -> None:
    """Run a write as a real process and have it killed at ``at``.

    ``at`` is a stand-in mode (``after:update-ref``), ``rename`` (of the ledger file)
    or ``rename:NAME`` (of the file whose name ends in NAME, the journal say).
    """
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "LEDGER_CRASH_GIT": at}
    argv = ["--data", str(data), *(args or WRITE)]
    if at.startswith("rename"):
        cmd = [sys.executable, "-c", KILL_AT_RENAME, *argv]
        env.pop("LEDGER_CRASH_GIT")
        env["KILL_AT_RENAME_OF"] = at.partition(":")[2] or ".yaml"
    else:
        cmd = [sys.executable, "-m", "bizenv_ledger", *argv]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, cwd=data.parent)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stdout, proc.stderr)


def journal(data: Path) -> Path:
    return data.parent / ".git" / "ledger-journal.json"


def leftovers(data: Path) -> list[str]:
    """Temporary files of ours, and the journal: none may remain once a command has run."""
    git_dir = data.parent / ".git"
    found = [p.name for p in git_dir.iterdir() if p.name.startswith("ledger-index-") or p.name.endswith(".tmp")]
    found += [p.relative_to(data).as_posix() for p in data.rglob("*.tmp")]
    return found + ([journal(data).name] if journal(data).exists() else [])


def ledger_commits(repo: Path) -> list[str]:
    """The commits ``git log`` has that carry the tool's trailers, oldest first."""
    out = git(repo, "log", "--reverse", "--format=%H", "--grep=^Ledger-Action:")
    return out.split()


def assert_level(data: Path, history: list[dict[str, object]]) -> None:
    """HEAD, the index and the files agree, nothing of ours is left, and ``history`` is what HEAD holds."""
    repo = data.parent
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert leftovers(data) == []
    assert (data / FILE03).read_text(encoding="utf-8") == git(repo, "show", f"HEAD:data/{FILE03}")
    assert [entry["commit"] for entry in history] == ledger_commits(repo)
