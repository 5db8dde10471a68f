"""Git plumbing for the audit trail: find the repository, check it is safe to commit, commit, read the log.

Every call passes arguments as a list and text on stdin, never through a shell.
A commit is built in a temporary index from HEAD plus exactly the files the
tool touched (hash-object, read-tree, update-index, write-tree, commit-tree) before
anything is written, and published with a compare-and-swap update-ref afterwards,
so the user's other staged and unstaged changes are neither committed nor moved.

Every git the tool runs inside a repository runs with hooks and fsmonitor off
(``core.hooksPath`` pointed at a folder that does not exist, ``core.fsmonitor=false``):
no ``reference-transaction``, ``post-index-change`` or other hook, and no fsmonitor
program, runs. What still runs is what the user asked for: the path's clean filter
(as ``git add`` would run it) and, when ``commit.gpgSign`` is on, the signing program
(``-S`` is passed, since ``commit-tree`` does not read that setting by itself).
See docs/write-safety.md.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import GitError

__all__ = ["NO_COMMITS", "LogEntry", "Pending", "Repo", "find_repo"]

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
    ("sequencer", "多提交的拣选或还原（cherry-pick/revert）"),
)


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # Pathspecs are file names, never globs; git never stops to ask for anything.
    return {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", **(extra or {})}


# The folder git is told to find hooks in: never created, so no hook runs (see hook_free).
NO_HOOKS_DIR = "ledger-no-hooks"


def hook_free(git_dir: Path) -> tuple[str, ...]:
    """``-c`` options that keep git from running code the user did not ask this command to run.

    Hooks (``.git/hooks`` and ``core.hooksPath`` alike) and an fsmonitor program are off;
    ``core.fsync`` makes git flush the objects, refs and index it writes, so a power cut
    cannot leave a ref pointing at a commit that never reached the disk.
    """
    return (
        "-c",
        f"core.hooksPath={git_dir / NO_HOOKS_DIR}",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.fsync=committed,index",
    )


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
class Pending:
    """A commit built on ``parent`` and not yet published."""

    commit: str
    parent: str
    rels: tuple[str, ...]


NO_COMMITS = (
    "仓库还没有任何提交，未作任何修改；工具只在已有的提交之上记录自己的修改，请先提交台账（git add、git commit）"
)


@dataclass(frozen=True)
class Repo:
    top: Path
    git_dir: Path

    def rel(self, path: Path) -> str:
        """``path`` relative to the top of the work tree, as git spells it."""
        return path.resolve().relative_to(self.top).as_posix()

    def git(
        self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run git in the work tree with hooks and fsmonitor off (see ``hook_free``)."""
        return _git(self.top, *hook_free(self.git_dir), *args, stdin=stdin, env=env)

    def run(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
        what = next(a for a in args if not a.startswith("-"))
        return _out(self.git(*args, stdin=stdin, env=env), what)

    # -- is it safe to commit? -------------------------------------------------

    def operation_in_progress(self) -> str | None:
        for name, label in _IN_PROGRESS:
            if (self.git_dir / name).exists():
                return label
        return None

    def identity_missing(self) -> list[str]:
        """The identity settings git would need and cannot find (``user.name``, ``user.email``)."""
        proc = self.git("config", "--get-regexp", r"^(user|author|committer)\.(name|email)$")
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
        proc = self.git("rev-parse", "--verify", "-q", "HEAD^{commit}")
        return proc.stdout.decode().strip() if proc.returncode == 0 else None

    def detached(self) -> bool:
        """HEAD names a commit, not a branch: a commit made now belongs to no branch."""
        return self.git("symbolic-ref", "-q", "HEAD").returncode != 0

    def signs_commits(self) -> bool:
        """``commit.gpgSign`` is on (``git commit`` would sign; plumbing must be told with ``-S``)."""
        proc = self.git("config", "--type=bool", "--get", "commit.gpgSign")
        return proc.returncode == 0 and proc.stdout.decode().strip() == "true"

    def prepare_commit(self, contents: dict[str, bytes], message: str) -> Pending:
        """Build, but do not publish, a commit of HEAD with ``contents`` (repo-relative path -> bytes).

        Nothing in the work tree, the index or any ref changes: the blobs are hashed
        from ``contents`` (through the path's filters, as ``git add`` would), the tree is
        written from a temporary index, and the commit (signed when ``commit.gpgSign``
        says so) is made with ``commit-tree``. A failure here, a signing failure
        included, therefore leaves everything as it was.
        """
        parent = self.head()
        if parent is None:
            raise GitError(NO_COMMITS)
        index = self.git_dir / f"ledger-index-{os.getpid()}"
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            self.run("read-tree", parent, env=env)
            for rel, data in contents.items():
                blob = self.run("hash-object", "-w", "--stdin", f"--path={rel}", stdin=data).strip()
                staged = self.run("ls-files", "-s", "-z", "--", rel, env=env).split(" ", 1)[0]
                mode = staged if staged in ("100644", "100755") else "100644"
                self.run("update-index", "--add", "--cacheinfo", mode, blob, rel, env=env)
            tree = self.run("write-tree", env=env).strip()
        finally:
            index.unlink(missing_ok=True)
        sign = ["-S"] if self.signs_commits() else []
        # The message is UTF-8 whatever i18n.commitEncoding says (a GBK setting would mislabel it).
        tree_args = ("-c", "i18n.commitEncoding=UTF-8", "commit-tree", tree, "-p", parent, *sign, "-F", "-")
        proc = self.git(*tree_args, stdin=message.encode("utf-8"))
        if proc.returncode != 0 and sign:
            detail = proc.stderr.decode("utf-8", "replace").strip()
            msg = (
                f"按 commit.gpgSign 的设置签名提交失败，未作任何修改（{detail or f'退出码 {proc.returncode}'}）。"
                "请检查签名密钥（user.signingKey、gpg.format）"
            )
            raise GitError(msg)
        commit = _out(proc, "commit-tree").strip()
        return Pending(commit, parent, tuple(contents))

    def publish(self, pending: Pending, subject: str) -> None:
        """Move HEAD to the prepared commit, only if it still points at its parent (compare and swap)."""
        proc = self.git("update-ref", "-m", f"ledger: {subject}", "HEAD", pending.commit, pending.parent)
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip() or f"退出码 {proc.returncode}"
            msg = (
                "提交未能完成：HEAD 在此期间有变动，或分支正被另一个 git 进程更新；"
                f"台账未作修改，请稍后重试（git update-ref 失败：{detail}）"
            )
            raise GitError(msg)

    def refresh_index(self, rels: tuple[str, ...]) -> str | None:
        """Bring the user's index level with the new HEAD for ``rels``; a warning if that failed."""
        refreshed = self.git("update-index", "-q", "--", *rels)
        if refreshed.returncode != 0:
            return f"已提交，但未能刷新暂存区；请运行 git reset -q -- {' '.join(rels)}"
        return None

    def commit_files(self, rels: list[str], message: str, subject: str) -> tuple[str, str | None]:
        """Commit exactly ``rels`` as they are in the work tree on top of HEAD.

        Returns the new commit and a warning when the real index could not be refreshed.
        """
        pending = self.prepare_commit({rel: (self.top / rel).read_bytes() for rel in rels}, message)
        self.publish(pending, subject)
        return pending.commit, self.refresh_index(pending.rels)

    # -- reading history ---------------------------------------------------------

    def log(self, *args: str) -> list[LogEntry]:
        if self.head() is None:
            return []  # an unborn branch has no history yet
        out = self.run("log", "-z", "--encoding=UTF-8", f"--format={_LOG_FORMAT}", *args)
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
        proc = self.git("cat-file", "blob", f"{commit}:{rel}")
        if proc.returncode != 0:
            msg = f"git 中找不到 {commit[:7]}:{rel}"
            raise GitError(msg)
        return proc.stdout


def find_repo(start: Path) -> Repo | None:
    """The work tree holding ``start``, or None (not in one, or no git installed).

    A repository git will not use (one owned by another user, say) is an error,
    not "no repository": the change would otherwise be written with no commit.
    """
    try:
        # git's own words in English, whatever the locale, so "not a repository" can be told apart
        proc = _git(start, "rev-parse", "--show-toplevel", "--absolute-git-dir", env={"LC_ALL": "C"})
    except GitError:
        return None
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    if proc.returncode == 0 and len(lines) == 2:
        return Repo(Path(lines[0]).resolve(), Path(lines[1]).resolve())
    detail = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode == 0 or "not a git repository" in detail or "must be run in a work tree" in detail:
        return None
    if "dubious ownership" in detail:
        found = re.search(r"repository at '(.+?)'", detail)
        where = found[1] if found else "<仓库目录>"
        msg = (
            "git 拒绝使用台账所在的仓库：它属于另一个用户（dubious ownership），未作任何修改。"
            f"如确认可信，请先运行：\n  git config --global --add safe.directory {where}"
        )
    else:
        msg = f"无法使用台账所在的 git 仓库，未作任何修改：{detail or f'退出码 {proc.returncode}'}"
    raise GitError(msg)
