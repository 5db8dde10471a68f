"""One change, start to finish: lock, re-read, plan, validate, write atomically, commit, or undo it all.

Nothing is written until the whole ledger, with the new text in place, has
passed every check, git is in a state to commit in, an identity is set, and
the commit itself has been built (and signed, when ``commit.gpgSign`` asks).
If moving HEAD to it then fails, the old bytes are put back: a change either
lands in the file and in git together, or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..model.errors import GitError, LedgerInvalid, WriteRefused
from ..store.files import atomic_write, check_writable, ledger_lock, lock_timeout
from .actions import Change, Context
from .git import NO_COMMITS, Repo, find_repo

__all__ = ["Outcome", "apply", "lock_file"]


@dataclass(frozen=True)
class Outcome:
    change: Change
    commit: str | None
    notes: list[str] = field(default_factory=list)  # for stderr: not committed, warnings


def lock_file(root: Path, repo: Repo | None) -> Path:
    """Inside .git when there is one (never committed, never untracked noise); else in the ledger folder."""
    return repo.git_dir / "ledger.lock" if repo else root / ".ledger.lock"


_NO_COMMIT_HINT = "，或加 --no-commit 只改文件、不提交"


def identity_message(missing: list[str], hint: str = _NO_COMMIT_HINT) -> str:
    commands = {"user.name": 'git config user.name "你的姓名"', "user.email": 'git config user.email "you@example.org"'}
    lines = "\n".join(f"  {commands[key]}" for key in missing)
    return f"没有设置 git 提交身份（{'、'.join(missing)}），未作任何修改。请先运行：\n{lines}\n{hint.lstrip('，')}".rstrip()


def check_repo(repo: Repo, hint: str = _NO_COMMIT_HINT) -> None:
    """Refuse to commit mid-merge/rebase, without an identity, or with no commit to build on, before anything is written."""
    if (operation := repo.operation_in_progress()) is not None:
        msg = f"仓库正处于未完成的{operation}之中，未作任何修改；请先完成或中止（--abort）后再试{hint}"
        raise GitError(msg)
    if missing := repo.identity_missing():
        raise GitError(identity_message(missing, hint))
    if repo.head() is None:
        raise GitError(f"{NO_COMMITS}{hint}")


def _check_clean(repo: Repo, root: Path, rels: list[str], hint: str) -> None:
    dirty = repo.uncommitted([repo.rel(root / rel) for rel in rels])
    if dirty:
        msg = (
            f"{'、'.join(dirty)} 有尚未提交的改动（或未纳入 git），未作任何修改。"
            f"工具只提交自己的修改：请先提交你的改动，或用 git stash 暂时收起{hint}"
        )
        raise GitError(msg)


def _validate(root: Path, change: Change) -> None:
    from ..store.loader import load_ledger

    result = load_ledger(root, use_cache=False, overrides=change.files)
    if result.problems:
        listed = "\n".join(f"  {p.render()}" for p in result.problems)
        msg = f"修改后台账将无法通过校验，未写入任何内容：\n{listed}"
        raise WriteRefused(msg)


def _write_all(root: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """Write every file; on any failure put back those already written. Returns the old contents."""
    old = {rel: (root / rel).read_bytes() for rel in files}
    written: list[str] = []
    rel = ""
    try:
        for rel, data in files.items():
            atomic_write(root / rel, data)
            written.append(rel)
    except BaseException as exc:
        _restore(root, {done: old[done] for done in written})
        if isinstance(exc, OSError):
            msg = f"写入 {rel} 失败（{exc.strerror or exc}），台账未作修改"
            raise WriteRefused(msg) from None
        raise
    return old


def _restore(root: Path, old: dict[str, bytes]) -> None:
    for rel, data in old.items():
        atomic_write(root / rel, data)


def apply(
    root: Path, planner: Callable[[Context], Change], *, commit: bool, today: date, optional: bool = True
) -> Outcome:
    """Plan and make one change under the writers' lock; see the module docstring.

    ``optional`` says whether the commit may be skipped (``--no-commit``); the
    messages suggest it only then (``undo`` must commit).
    """
    from ..store.loader import load_ledger

    hint = _NO_COMMIT_HINT if optional else ""
    repo = find_repo(root)
    committing = commit and repo is not None
    timeout = lock_timeout(dict(os.environ))
    with ledger_lock(lock_file(root, repo), timeout):
        if committing:
            assert repo is not None
            check_repo(repo, hint)
        loaded = load_ledger(root)  # after taking the lock: another writer may just have changed it
        if loaded.ledger is None:
            raise LedgerInvalid(loaded.problems)
        change = planner(Context(root, loaded.ledger, repo, today, Path.cwd()))
        for rel in change.files:
            check_writable(root / rel, rel)
        if not committing or repo is None:
            _validate(root, change)
            _write_all(root, change.files)
            return Outcome(change, None, [_not_committed(repo is None)])
        _check_clean(repo, root, list(change.files), hint)
        _validate(root, change)
        # The commit is built (and signed) before the file is touched, so a git failure leaves everything as it was.
        try:
            pending = repo.prepare_commit(
                {repo.rel(root / rel): data for rel, data in change.files.items()}, change.message.render()
            )
        except GitError as exc:
            raise GitError(f"{exc}{hint}") from None
        old = _write_all(root, change.files)
        try:
            repo.publish(pending, change.message.subject)
        except BaseException:
            if repo.head() != pending.commit:  # (an interrupt may come after HEAD moved: then the change stands)
                _restore(root, old)  # the file and git stay in step: no commit, no change
            raise
        notes = [warning] if (warning := repo.refresh_index(pending.rels)) else []
        if repo.detached():
            notes.append(
                f"提示：HEAD 处于分离状态（detached HEAD），提交 {pending.commit[:7]} 不在任何分支上；"
                f"如需保留，请运行 git switch -c <新分支名> 或 git branch <分支名> {pending.commit[:7]}。"
            )
        return Outcome(change, pending.commit, notes)


def _not_committed(no_repo: bool) -> str:
    if no_repo:
        return "提示：台账不在 git 仓库中，已写入文件，未提交（没有留下审计记录）。"
    return "提示：已写入文件，按 --no-commit 未提交；请自行提交。"
