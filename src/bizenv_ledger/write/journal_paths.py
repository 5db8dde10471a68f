"""Where a write's journal lives, and whether one was left behind: on the start-up path of every command.

``pending`` costs a few ``stat`` calls and imports nothing beyond ``os`` and ``pathlib``
(the journal itself, with its records, is ``journal.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["GIT_JOURNAL", "LOOSE_JOURNAL", "ledger_paths", "lock_beside", "pending"]

GIT_JOURNAL = "ledger-journal.json"  # in the git dir, beside .git/ledger.lock
LOOSE_JOURNAL = ".ledger/journal.json"  # outside git: in the ledger's git-ignored tool folder, beside the lock


def ledger_paths(root: Path, git_dir: Path | None) -> tuple[Path, Path]:
    """The writers' lock and the journal it guards: inside .git when there is one, else in the ledger folder."""
    if git_dir is not None:
        return git_dir / "ledger.lock", git_dir / GIT_JOURNAL
    return root / ".ledger" / "ledger.lock", root / LOOSE_JOURNAL


def lock_beside(journal: Path) -> Path:
    return journal.with_name("ledger.lock")


def _git_dir_near(root: Path) -> Path | None:
    """The git dir a write from ``root`` would use, found by looking, without running git.

    ``GIT_DIR`` when set; else the nearest ``.git`` above ``root``, a folder or a
    ``gitdir:`` file (a linked work tree or a submodule). An exotic layout this misses
    is still recovered by the next write, which asks git itself.
    """
    if env := os.environ.get("GIT_DIR"):
        return Path(env).resolve()
    try:
        start = root.resolve()
    except OSError:
        return None
    for folder in (start, *start.parents):
        dotgit = folder / ".git"
        if dotgit.is_dir():
            return dotgit
        if dotgit.is_file():
            try:
                line = dotgit.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            return (folder / line.removeprefix("gitdir:").strip()).resolve() if line.startswith("gitdir:") else None
    return None


def pending(root: Path) -> list[Path]:
    """The journals left behind for ``root``'s ledger (normally none: then only a few stats were spent)."""
    candidates = [root / LOOSE_JOURNAL]
    if (git_dir := _git_dir_near(root)) is not None:
        candidates.append(git_dir / GIT_JOURNAL)
    return [path for path in candidates if path.exists()]
