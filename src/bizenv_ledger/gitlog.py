"""Git plumbing for the audit trail: find the repository, check it is safe to commit, commit, read the log.

Every call passes arguments as a list and text on stdin, never through a shell.
A commit is built in a temporary index from HEAD plus exactly the files the
tool touched (read-tree, update-index, write-tree, commit-tree, update-ref), so
the user's other staged and unstaged changes are neither committed nor moved.
Hooks do not run (as with ``git commit --no-verify``); ``commit.gpgSign`` is honoured.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import GitError

__all__ = ["LogEntry", "Repo", "find_repo"]

_FIELD, _RECORD = "\x1f", "\x00"
_LOG_FORMAT = "%H%x1f%an%x1f%ae%x1f%aI%x1f%B"

# git-dir entries that mean an operation is half done, and what to call it.
_IN_PROGRESS = (
    ("MERGE_HEAD", "合并（merge）"),
    ("rebase-merge", "变基（rebase）"),
    ("rebase-apply", "变基（rebase）或 git am"),
    ("CHERRY_PICK_HEAD", "拣选（cherry-pick）"),
    ("REVERT_HEAD", "还原（revert）"),
    ("BISECT_LOG", "二分查找（bisect）"),
)


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # Pathspecs are file names, never globs; git never stops to ask for anything.
    return {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", **(extra or {})}


def _git(
    cwd: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, env=_env(env), capture_output=True, check=False)
    except FileNotFoundError:
        msg = "找不到 git 命令；请安装 git，或加 --no-commit 只改文件、不提交"
        raise GitError(msg) from None


def _out(proc: subprocess.CompletedProcess[bytes], what: str) -> str:
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        msg = f"git {what} 失败：{detail or f'退出码 {proc.returncode}'}"
        raise GitError(msg)
    return proc.stdout.decode("utf-8", "replace")


@dataclass(frozen=True)
class LogEntry:
    commit: str
    author: str
    email: str
    date: str  # ISO 8601 with the author's offset
    message: str


@dataclass(frozen=True)
class Repo:
    top: Path
    git_dir: Path

    def rel(self, path: Path) -> str:
        """``path`` relative to the top of the work tree, as git spells it."""
        return path.resolve().relative_to(self.top).as_posix()

    def run(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
        what = next(a for a in args if not a.startswith("-"))
        return _out(_git(self.top, *args, stdin=stdin, env=env), what)

    # -- is it safe to commit? -------------------------------------------------

    def operation_in_progress(self) -> str | None:
        for name, label in _IN_PROGRESS:
            if (self.git_dir / name).exists():
                return label
        return None

    def identity_missing(self) -> list[str]:
        """The identity settings git would need and cannot find (``user.name``, ``user.email``)."""
        proc = _git(self.top, "config", "--get-regexp", r"^(user|author|committer)\.(name|email)$")
        config: dict[str, str] = {}
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            key, _, value = line.partition(" ")
            config[key.lower()] = value.strip()
        missing = []
        for field in ("name", "email"):
            for role in ("author", "committer"):
                env_value = os.environ.get(f"GIT_{role.upper()}_{field.upper()}", "")
                fallback = os.environ.get("EMAIL", "") if field == "email" else ""
                if not (env_value or config.get(f"{role}.{field}") or config.get(f"user.{field}") or fallback):
                    missing.append(f"user.{field}")
                    break
        return missing

    def uncommitted(self, rels: list[str]) -> list[str]:
        """Which of ``rels`` hold changes not yet committed (staged, unstaged, untracked or untracked-new)."""
        tracked = set(self.run("ls-files", "-z", "--", *rels).split(_RECORD)) - {""}
        status = self.run("--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *rels)
        dirty = {entry[3:] for entry in status.split(_RECORD) if len(entry) > 3}
        return [rel for rel in rels if rel in dirty or rel not in tracked]

    # -- writing history ---------------------------------------------------------

    def head(self) -> str | None:
        proc = _git(self.top, "rev-parse", "--verify", "-q", "HEAD^{commit}")
        return proc.stdout.decode().strip() if proc.returncode == 0 else None

    def commit_files(self, rels: list[str], message: str, subject: str) -> tuple[str, str | None]:
        """Commit exactly ``rels`` as they are in the work tree on top of HEAD.

        Returns the new commit and a warning when the real index could not be refreshed.
        """
        parent = self.head()
        if parent is None:
            msg = "仓库还没有任何提交，无法只提交台账文件；请先提交一次"
            raise GitError(msg)
        index = self.git_dir / f"ledger-index-{os.getpid()}"
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            self.run("read-tree", parent, env=env)
            self.run("update-index", "--add", "--", *rels, env=env)
            tree = self.run("write-tree", env=env).strip()
            commit = self.run("commit-tree", tree, "-p", parent, "-F", "-", stdin=message.encode("utf-8")).strip()
            self.run("update-ref", "-m", f"ledger: {subject}", "HEAD", commit, parent)
        finally:
            index.unlink(missing_ok=True)
        # The user's index still holds the old blobs of these files; bring them level with the new HEAD.
        refreshed = _git(self.top, "update-index", "-q", "--", *rels)
        warning = None
        if refreshed.returncode != 0:
            warning = f"已提交，但未能刷新暂存区；请运行 git reset -q -- {' '.join(rels)}"
        return commit, warning

    # -- reading history ---------------------------------------------------------

    def log(self, *args: str) -> list[LogEntry]:
        out = self.run("log", "-z", f"--format={_LOG_FORMAT}", *args)
        entries = []
        for record in out.split(_RECORD):
            parts = record.split(_FIELD, 4)
            if len(parts) == 5:
                entries.append(LogEntry(*parts))
        return entries

    def changed_files(self, commit: str) -> list[tuple[str, str]]:
        """(status letter, path) of each file ``commit`` changed against its first parent."""
        out = self.run("diff-tree", "-r", "-z", "--no-commit-id", "--no-renames", "--name-status", f"{commit}^", commit)
        fields = [f for f in out.split(_RECORD) if f]
        return list(zip(fields[0::2], fields[1::2], strict=True))

    def blob(self, commit: str, rel: str) -> bytes:
        proc = _git(self.top, "cat-file", "blob", f"{commit}:{rel}")
        if proc.returncode != 0:
            msg = f"git 中找不到 {commit[:7]}:{rel}"
            raise GitError(msg)
        return proc.stdout


def find_repo(start: Path) -> Repo | None:
    """The work tree holding ``start``, or None (not in one, or no git installed)."""
    try:
        proc = _git(start, "rev-parse", "--show-toplevel", "--absolute-git-dir")
    except GitError:
        return None
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    if proc.returncode != 0 or len(lines) != 2:
        return None
    return Repo(Path(lines[0]).resolve(), Path(lines[1]).resolve())
