"""``ledger undo``: revert the tool's own last change, as a new commit, only when it is HEAD.

The revert is planned like any other change (the files as they were before that
commit, validated as a whole, written atomically, committed with trailers), so
the user's other staged and unstaged changes are left alone, unlike ``git revert``.
An undo is not itself undone: after one, HEAD is no longer a change to revert,
and running the original command again is the way back.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from ..model.dates import SHANGHAI
from ..model.errors import WriteRefused
from .actions import Change, Context, Planner
from .audit import ACTION_LABELS, CommitMessage, entry_from_log

__all__ = ["plan_undo"]


def plan_undo() -> Planner:
    def plan(ctx: Context) -> Change:
        repo = ctx.repo
        if repo is None:
            msg = "台账不在 git 仓库中，没有可撤销的提交"
            raise WriteRefused(msg)
        head = repo.log("-1", "HEAD")
        if not head:
            msg = "仓库还没有任何提交，没有可撤销的修改"
            raise WriteRefused(msg)
        entry = entry_from_log(head[0])
        if entry is None:
            subject = head[0].message.split("\n", 1)[0]
            msg = (
                f"最近一次提交（{head[0].commit[:7]} {subject}）不是台账工具的提交；"
                "undo 只撤销工具自己的修改，且须是仓库最近的一次提交"
            )
            raise WriteRefused(msg)
        if entry.action == "undo":
            msg = f"最近一次提交（{entry.commit[:7]}）已是一次撤销，不再撤销；如需恢复，请重新执行原来的命令"
            raise WriteRefused(msg)
        files = _files_before(ctx, entry.commit)
        label = ACTION_LABELS.get(entry.action, entry.action)
        when = entry.when.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        trailers = [
            ("Ledger-Action", "undo"),
            ("Ledger-Item", entry.item),
            ("Ledger-Indicator", str(entry.indicator) if entry.indicator is not None else ""),
            ("Ledger-Unit", entry.unit or ""),
            ("Ledger-Date", ctx.today.isoformat()),
            ("Ledger-Reverts", entry.commit),
            ("Ledger-Undone-Action", entry.action),
        ]
        body = (f"撤销 {entry.commit[:7]}（{entry.author} {when}）：{entry.subject}",)
        message = CommitMessage(f"撤销：{entry.subject}", body, tuple(trailers))
        return Change(files, message, f"已撤销 {entry.commit[:7]} 的{label}（{entry.item}）：{entry.subject}")

    return plan


def _files_before(ctx: Context, commit: str) -> dict[str, bytes]:
    """The ledger files ``commit`` changed, as they were in its parent (root-relative path -> bytes)."""
    assert ctx.repo is not None
    data_dir = PurePosixPath(ctx.repo.rel(ctx.root))
    files: dict[str, bytes] = {}
    for status, path in ctx.repo.changed_files(commit):
        inside = PurePosixPath(path).is_relative_to(data_dir) if str(data_dir) != "." else True
        if status != "M" or not inside:
            msg = f"提交 {commit[:7]} 改动了台账以外的文件或增删了文件（{path}），不能自动撤销"
            raise WriteRefused(msg)
        rel = PurePosixPath(path).relative_to(data_dir).as_posix() if str(data_dir) != "." else path
        files[rel] = ctx.repo.blob(f"{commit}^", path)
    if not files:
        msg = f"提交 {commit[:7]} 没有改动任何文件，无需撤销"
        raise WriteRefused(msg)
    return files
