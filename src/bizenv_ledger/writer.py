"""One change, start to finish: lock, re-read, plan, validate, write atomically, commit, or undo it all.

Nothing is written until the whole ledger, with the new text in place, has
passed every check, git is in a state to commit in, and an identity is set.
If the commit then fails, the old bytes are put back: a change either lands
in the file and in git together, or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ._fsio import atomic_write, check_writable, ledger_lock, lock_timeout
from .actions import Change, Context
from .errors import GitError, ProblemsFound, WriteRefused
from .gitlog import Repo, find_repo

__all__ = ["Outcome", "apply", "lock_file"]


@dataclass(frozen=True)
class Outcome:
    change: Change
    commit: str | None
    notes: list[str] = field(default_factory=list)  # for stderr: not committed, warnings


def lock_file(root: Path, repo: Repo | None) -> Path:
    """Inside .git when there is one (never committed, never untracked noise); else in the ledger folder."""
    return repo.git_dir / "ledger.lock" if repo else root / ".ledger.lock"


def identity_message(missing: list[str]) -> str:
    commands = {"user.name": 'git config user.name "你的姓名"', "user.email": 'git config user.email "you@example.org"'}
    lines = "\n".join(f"  {commands[key]}" for key in missing)
    return f"没有设置 git 提交身份（{'、'.join(missing)}），未作任何修改。请先运行：\n{lines}\n或加 --no-commit 只改文件、不提交。"


def check_repo(repo: Repo) -> None:
    """Refuse to commit mid-merge/rebase, or without an identity, before anything is written."""
    if (operation := repo.operation_in_progress()) is not None:
        msg = f"仓库正处于未完成的{operation}之中，未作任何修改；请先完成或中止（--abort）后再试，或加 --no-commit"
        raise GitError(msg)
    if missing := repo.identity_missing():
        raise GitError(identity_message(missing))


def _check_clean(repo: Repo, root: Path, rels: list[str]) -> None:
    dirty = repo.uncommitted([repo.rel(root / rel) for rel in rels])
    if dirty:
        msg = (
            f"{'、'.join(dirty)} 有尚未提交的改动（或未纳入 git），未作任何修改。"
            "工具只提交自己的修改：请先提交或暂存（git stash）你的改动，或加 --no-commit"
        )
        raise GitError(msg)


def _validate(root: Path, change: Change) -> None:
    from .loader import load_ledger

    result = load_ledger(root, use_cache=False, overrides=change.files)
    if result.problems:
        listed = "\n".join(f"  {p.render()}" for p in result.problems)
        msg = f"修改后台账将无法通过校验，未写入任何内容：\n{listed}"
        raise WriteRefused(msg)


def _write_all(root: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """Write every file; on failure put back those already written. Returns the old contents."""
    old = {rel: (root / rel).read_bytes() for rel in files}
    written: list[str] = []
    try:
        for rel, data in files.items():
            atomic_write(root / rel, data)
            written.append(rel)
    except OSError as exc:
        _restore(root, {rel: old[rel] for rel in written})
        msg = f"写入 {rel} 失败（{exc.strerror or exc}），台账未作修改"
        raise WriteRefused(msg) from None
    return old


def _restore(root: Path, old: dict[str, bytes]) -> None:
    for rel, data in old.items():
        atomic_write(root / rel, data)


def apply(root: Path, planner: Callable[[Context], Change], *, commit: bool, today: date) -> Outcome:
    """Plan and make one change under the writers' lock; see the module docstring."""
    from .loader import load_ledger

    repo = find_repo(root)
    committing = commit and repo is not None
    timeout = lock_timeout(dict(os.environ))
    with ledger_lock(lock_file(root, repo), timeout):
        if committing:
            assert repo is not None
            check_repo(repo)
        loaded = load_ledger(root)  # after taking the lock: another writer may just have changed it
        if loaded.ledger is None:
            raise ProblemsFound(loaded.problems)
        change = planner(Context(root, loaded.ledger, repo, today, Path.cwd()))
        for rel in change.files:
            check_writable(root / rel, rel)
        if committing:
            assert repo is not None
            _check_clean(repo, root, list(change.files))
        _validate(root, change)
        old = _write_all(root, change.files)
        if not committing:
            return Outcome(change, None, [_not_committed(repo is None)])
        assert repo is not None
        try:
            sha, warning = repo.commit_files(
                [repo.rel(root / rel) for rel in change.files], change.message.render(), change.message.subject
            )
        except BaseException:
            _restore(root, old)  # the file and git stay in step: no commit, no change
            raise
        return Outcome(change, sha, [warning] if warning else [])


def _not_committed(no_repo: bool) -> str:
    if no_repo:
        return "提示：台账不在 git 仓库中，已写入文件，未提交（没有留下审计记录）。"
    return "提示：已写入文件，按 --no-commit 未提交；请自行提交。"
