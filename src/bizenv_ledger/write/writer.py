"""One change, start to finish: lock, recover, re-read, plan, validate, journal, commit, write, publish.

Nothing is written until the whole ledger, with the new text in place, has
passed every check, git is in a state to commit in, an identity is set, and
the commit itself has been built (and signed, when ``commit.gpgSign`` asks).
Then, in this order: the journal records the intent (``journal.py``), the file is
written atomically, the user's index entry for it is set to the new blob, and HEAD
is moved by compare-and-swap: the commit point. If anything fails before HEAD
moved, the old bytes and the old index entry are put back; if the process is
killed instead, the journal lets the next ledger command do the same
(``recovery.py``). The index is brought level *before* HEAD moves, so no moment
exists where a plain ``git commit`` of the user's would stage the old text back
over a recorded change. See docs/write-safety.md.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..model.errors import GitError, LedgerInvalid, LookupFailed, WriteRefused
from ..store.files import atomic_write, check_writable, ledger_lock, lock_timeout, tool_dir
from ..store.layout import LoadResult
from ..store.loader import collector_paused
from .actions import Change, Context
from .git import NO_COMMITS, Pending, Repo, find_repo
from .git_locks import stale_lock_message
from .journal import FileIntent, Journal, ledger_paths, remove_journal, write_journal
from .scope import Scoped

__all__ = ["Outcome", "apply", "lock_file"]


@dataclass(frozen=True)
class Outcome:
    change: Change
    commit: str | None
    notes: list[str] = field(default_factory=list)  # for stderr: not committed, warnings


def lock_file(root: Path, repo: Repo | None) -> Path:
    """Inside .git when there is one (never committed, never untracked noise).

    Outside git, in ``<data>/.ledger/`` beside the data (so every writer of a shared folder finds
    it), a folder whose own .gitignore keeps it out of the commits of anyone who later runs
    ``git init`` and ``git add .`` there.
    """
    if repo is None:
        tool_dir(root)  # makes the folder and its .gitignore
    return ledger_paths(root, repo.git_dir if repo else None)[0]


_NO_COMMIT_HINT = "，或加 --no-commit 只改文件、不提交"


def identity_message(missing: list[str], hint: str = _NO_COMMIT_HINT) -> str:
    commands = {"user.name": 'git config user.name "你的姓名"', "user.email": 'git config user.email "you@example.org"'}
    lines = "\n".join(f"  {commands[key]}" for key in missing)
    return f"没有设置 git 提交身份（{'、'.join(missing)}），未作任何修改。请先运行：\n{lines}\n{hint.lstrip('，')}".rstrip()


def check_repo(repo: Repo, hint: str = _NO_COMMIT_HINT) -> bool:
    """Refuse to commit mid-merge/rebase, without an identity, or with no commit to build on, before anything is written.

    Whether the commit is to be signed (``commit.gpgSign``), read with the identity.
    """
    if (operation := repo.operation_in_progress()) is not None:
        msg = f"仓库正处于未完成的{operation}之中，未作任何修改；请先完成或中止（--abort）后再试{hint}"
        raise GitError(msg)
    settings = repo.settings()
    if settings.missing:
        raise GitError(identity_message(settings.missing, hint))
    if repo.head() is None:
        raise GitError(f"{NO_COMMITS}{hint}")
    return settings.signs


def _check_clean(repo: Repo, root: Path, rels: list[str], hint: str) -> None:
    dirty = repo.uncommitted([repo.rel(root / rel) for rel in rels])
    if dirty:
        msg = (
            f"{'、'.join(dirty)} 有尚未提交的改动（或未纳入 git），未作任何修改。"
            f"工具只提交自己的修改：请先提交你的改动，或用 git stash 暂时收起{hint}"
        )
        raise GitError(msg)


def _validate(root: Path, change: Change, loaded: LoadResult) -> LoadResult:
    """The ledger with the change in place, checked: the changed files parsed and checked on their own,
    the checks across files run on all (``store.build``); the other files as they were loaded.

    A change of one list item's lines (``Change.items``) has that item validated in its place and the
    checks that can see it run (``store.focus.check_items``). After a load of the touched files alone
    (``_load``), a change that leaves the facts the checks across files read as they were needs no
    other file (``store.focus.check_focused``); any other is checked against the whole ledger, loaded now.
    """
    from ..store.focus import check_focused, check_items
    from ..store.loader import load_ledger

    result = check_items(root, change.files, loaded, change.items) if change.items else None
    if result is None and _partial(loaded):
        result = check_focused(root, change.files, loaded)
    if result is None:
        base = load_ledger(root) if _partial(loaded) else loaded
        result = load_ledger(root, overrides=change.files, base=base)
    if result.problems:
        listed = "\n".join(f"  {p.render()}" for p in result.problems)
        msg = f"修改后台账将无法通过校验，未写入任何内容：\n{listed}"
        raise WriteRefused(msg)
    return result


def _remember(root: Path, validated: LoadResult, change: Change) -> None:
    """Cache the ledger as the write left it, so that the next command parses nothing."""
    from ..store.loader import remember

    try:
        remember(root, validated, written=change.files)
    except Exception:  # the change is made; a cache not written only costs the next command some time
        return


def _write_all(root: Path, files: dict[str, bytes]) -> None:
    """Write every file; on any failure put back those already written."""
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


def _restore(root: Path, old: dict[str, bytes]) -> None:
    for rel, data in old.items():
        if (root / rel).read_bytes() != data:
            atomic_write(root / rel, data)


def _journal(path: Path, journal: Journal) -> None:
    try:
        write_journal(path, journal)
    except OSError as exc:
        msg = f"写入日志 {path} 失败（{exc.strerror or exc}），台账未作修改"
        raise WriteRefused(msg) from None


def _intent(root: Path, change: Change, repo: Repo | None, phase: str) -> Journal:
    files = tuple(
        FileIntent((root / rel).resolve(), repo.rel(root / rel) if repo else "", (root / rel).read_bytes(), data)
        for rel, data in change.files.items()
    )
    journal = Journal(phase, os.getpid(), time.time(), change.message.subject, files)
    if repo is None or phase == "write":  # an uncommitted write touches no git state
        return journal
    ref = repo.head_ref()
    return replace(
        journal,
        top=str(repo.top),
        git_dir=str(repo.git_dir),
        common_dir=str(repo.common_dir),
        ref=ref or "",
        old_head=repo.head() or "",
        temp_index=str(repo.temp_index),
        locks=tuple(str(lock) for lock in repo.lock_files(ref)),
    )


def _all_old(journal: Journal) -> bool:
    return all(f.path.read_bytes() == f.old for f in journal.files)


def _recover_first(journal_path: Path, notify: Callable[[str], None]) -> None:
    """Finish what a killed writer left before making a change of our own; refuse while something is in the way."""
    from .recovery import recover_held

    repair = recover_held(journal_path)
    if repair.blocked:
        raise GitError("\n".join([*repair.messages, "上次中断的写入遗留的问题尚未解决，本次未作任何修改。"]))
    for message in repair.messages:
        notify(message)


def _ignore(message: str) -> None:
    return None


def apply(
    root: Path,
    planner: Callable[[Context], Change],
    *,
    commit: bool,
    today: date,
    optional: bool = True,
    notify: Callable[[str], None] = _ignore,
) -> Outcome:
    """Plan and make one change under the writers' lock; see the module docstring.

    ``optional`` says whether the commit may be skipped (``--no-commit``); the
    messages suggest it only then (``undo`` must commit). ``notify`` hears what
    recovery repaired of an earlier, interrupted write.
    """
    hint = _NO_COMMIT_HINT if optional else ""
    repo = find_repo(root)
    committing = commit and repo is not None
    timeout = lock_timeout(dict(os.environ))
    journal_path = ledger_paths(root, repo.git_dir if repo else None)[1]
    with ledger_lock(lock_file(root, repo), timeout):
        _recover_first(journal_path, notify)
        signs = False
        if committing:
            assert repo is not None
            signs = check_repo(repo, hint)
        with collector_paused():  # hundreds of thousands of new objects, none of them garbage
            change, loaded = _plan(root, planner, repo, today)
        for rel in change.files:
            check_writable(root / rel, rel)
        if not committing or repo is None:
            with collector_paused():
                validated = _validate(root, change, loaded)
            _write_uncommitted(root, change, repo, journal_path)
            _remember(root, validated, change)
            return Outcome(change, None, [_not_committed(repo is None)])
        _check_clean(repo, root, list(change.files), hint)
        with collector_paused():
            validated = _validate(root, change, loaded)
        outcome = _commit(root, change, repo, journal_path, hint, signs=signs)
        _remember(root, validated, change)
        return outcome


def _load(root: Path, planner: Callable[[Context], Change], *, whole: bool = False) -> LoadResult:
    """The ledger under the lock (another writer may just have changed it): for a ``Scoped`` planner the
    files it is about (``store.focus``) when the cache and its index are current, else every file."""
    from ..store.focus import load_focused
    from ..store.loader import load_ledger

    loaded = None if whole or not isinstance(planner, Scoped) else load_focused(root, planner.files)
    if loaded is None:
        loaded = load_ledger(root)
    if loaded.ledger is None:
        raise LedgerInvalid(loaded.problems)
    return loaded


def _partial(loaded: LoadResult) -> bool:
    return any(rel not in loaded.records for rel in loaded.stamps)


def _node_counts(loaded: LoadResult) -> dict[str, int]:
    """The YAML nodes of each file ``loaded`` found current in the cache or read itself, where known."""
    counts = {rel: entry.nodes for rel, entry in loaded.lines.items() if entry.nodes is not None}
    return counts | loaded.nodes


def _plan(
    root: Path, planner: Callable[[Context], Change], repo: Repo | None, today: date
) -> tuple[Change, LoadResult]:
    """The change, and the load it was planned on. A planner that finds nothing in the files it is about
    is planned again on the whole ledger, which says what is there instead."""
    loaded = _load(root, planner)
    for whole in (False, True):
        if whole:
            loaded = _load(root, planner, whole=True)
        assert loaded.ledger is not None
        try:
            return planner(Context(root, loaded.ledger, repo, today, Path.cwd(), _node_counts(loaded))), loaded
        except LookupFailed:
            if whole or not _partial(loaded):
                raise
    raise AssertionError  # the loop returns or raises


def _write_uncommitted(root: Path, change: Change, repo: Repo | None, journal_path: Path) -> None:
    intent = _intent(root, change, repo, "write")
    _journal(journal_path, intent)
    try:
        _write_all(root, change.files)
    except BaseException:
        if _all_old(intent):  # else the journal stays, for the next command to finish
            remove_journal(journal_path)
        raise
    remove_journal(journal_path)


def _check_git_locks(intent: Journal, wait: float = 1.0) -> None:
    """A git lock file still there after a moment (a hung or killed git) would fail the commit halfway: refuse first."""
    deadline = time.monotonic() + wait
    while held := [Path(name) for name in intent.locks if Path(name).exists()]:
        if time.monotonic() >= deadline:
            blocked = "更新暂存区" if held[0].name == "index.lock" else "移动 HEAD"
            raise GitError(f"未作任何修改：{stale_lock_message(held[0], blocked, ours=False)}")
        time.sleep(0.05)  # another git (an editor's status, say) is usually done within a moment


def _commit(root: Path, change: Change, repo: Repo, journal_path: Path, hint: str, *, signs: bool) -> Outcome:
    intent = _intent(root, change, repo, "prepare")
    _check_git_locks(intent)
    # Before the first change (the temporary index). Without the files' bytes: recovery from this phase
    # changes no file, and at 100,000 measures the bytes are megabytes to encode and fsync.
    _journal(journal_path, replace(intent, files=tuple(replace(f, old=b"", new=b"") for f in intent.files)))
    try:
        # Built (and signed) before the file is touched, so a git failure leaves everything as it was.
        contents, message = {f.rel: f.new for f in intent.files}, change.message.render()
        pending = repo.prepare_commit(contents, message, parent=intent.old_head or None, sign=signs)
        files = tuple(
            replace(f, old_blob=pending.old_blobs[f.rel], new_blob=pending.new_blobs[f.rel]) for f in intent.files
        )
        intent = replace(intent, phase="commit", commit=pending.commit, files=files)
        _journal(journal_path, intent)
    except BaseException as exc:
        remove_journal(journal_path)  # only a dangling object was made; prepare_commit removed its index
        if isinstance(exc, GitError):
            raise GitError(f"{exc}{hint}") from None
        raise
    try:
        _write_all(root, change.files)
        try:
            repo.sync_index(pending.commit, pending.rels)
        except GitError as exc:
            raise GitError(f"提交未能完成，台账未作修改：{exc}") from None
        repo.publish(pending, change.message.subject)  # the commit point
    except BaseException:
        _undo_unpublished(repo, pending, intent, journal_path)
        raise
    remove_journal(journal_path)
    notes = []
    if not intent.ref:
        notes.append(
            f"提示：HEAD 处于分离状态（detached HEAD），提交 {pending.commit[:7]} 不在任何分支上；"
            f"如需保留，请运行 git switch -c <新分支名> 或 git branch <分支名> {pending.commit[:7]}。"
        )
    return Outcome(change, pending.commit, notes)


def _undo_unpublished(repo: Repo, pending: Pending, intent: Journal, journal_path: Path) -> None:
    """After a failure: unless HEAD moved to our commit, make the files and index entries agree with HEAD again.

    That is the old bytes and blobs, unless someone else's ``git commit`` in the
    moment before ours took the freshly staged text along (then it is in HEAD, and
    stays). An interrupt may come after HEAD moved: then the change stands (the index
    is already level). If this fails too, the journal stays and the next ledger
    command finishes the job.
    """
    from .recovery import align_with_head

    try:
        if repo.head() != pending.commit:
            align_with_head(repo, intent)
    except Exception:
        return
    remove_journal(journal_path)


def _not_committed(no_repo: bool) -> str:
    if no_repo:
        return "提示：台账不在 git 仓库中，已写入文件，未提交（没有留下审计记录）。"
    return "提示：已写入文件，按 --no-commit 未提交；请自行提交。"
