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
import time
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import GitError
from .git_locks import lock_in_the_way, stale_lock_message

__all__ = ["NO_COMMITS", "LogEntry", "Pending", "Repo", "find_repo", "merge_file"]

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


def merge_file(ours: Path, base: Path, theirs: Path, labels: tuple[str, str, str]) -> tuple[bytes, int]:
    """git's own line merge of three files (``git merge-file -p``): the text and how many conflicts it left."""
    label_args = [arg for label in labels for arg in ("-L", label)]
    proc = _git(ours.parent, "merge-file", "-p", *label_args, str(ours), str(base), str(theirs))
    if proc.returncode > 127:  # git says -1 on an error, seen here as 255
        raise GitError(f"git merge-file 失败：{proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout, proc.returncode


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
    """A commit built on ``parent`` and not yet published; the blobs before and after, by path."""

    commit: str
    parent: str
    rels: tuple[str, ...]
    old_blobs: dict[str, str]
    new_blobs: dict[str, str]


@dataclass(frozen=True)
class CommitSettings:
    """What ``git config`` says a commit needs: the identity settings missing, and whether to sign."""

    missing: list[str]
    signs: bool


def _true(value: str | None) -> bool:
    """A git boolean as ``git config --type=bool`` reads it (a key with no value is true)."""
    if value is None:
        return True
    word = value.strip().lower()
    if word in ("true", "yes", "on"):
        return True
    try:
        return int(word, 0) != 0
    except ValueError:
        return False


NO_COMMITS = (
    "仓库还没有任何提交，未作任何修改；工具只在已有的提交之上记录自己的修改，请先提交台账（git add、git commit）"
)


@dataclass(frozen=True)
class Repo:
    top: Path
    git_dir: Path  # this work tree's own (HEAD, index): .git, or .git/worktrees/NAME
    common_dir: Path  # shared by all work trees (refs, objects): .git

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

    @property
    def temp_index(self) -> Path:
        """Where this process builds its commits: never the user's index."""
        return self.git_dir / f"ledger-index-{os.getpid()}"

    def lock_files(self, ref: str | None) -> list[Path]:
        """The git lock files a commit by this tool takes: the index's, HEAD's and the branch's."""
        locks = [self.git_dir / "index.lock", self.git_dir / "HEAD.lock"]
        if ref is not None:
            locks.append(self.common_dir / f"{ref}.lock")
        return locks

    # -- is it safe to commit? -------------------------------------------------

    def operation_in_progress(self) -> str | None:
        for name, label in _IN_PROGRESS:
            if (self.git_dir / name).exists():
                return label
        return None

    def settings(self) -> CommitSettings:
        """What a commit needs of git's configuration, in one call: the identity, and whether to sign."""
        proc = self.git("config", "-z", "--get-regexp", r"^((user|author|committer)\.(name|email)|commit\.gpgsign)$")
        config: dict[str, str | None] = {}
        for item in proc.stdout.decode("utf-8", "replace").split(_RECORD):
            key, newline, value = item.partition("\n")
            if key:
                config[key.lower()] = value if newline else None  # the last setting wins, as git reads it
        missing = []
        for field in ("name", "email"):
            for role in ("author", "committer"):
                env_value = os.environ.get(f"GIT_{role.upper()}_{field.upper()}", "")
                fallback = os.environ.get("EMAIL", "") if field == "email" else ""
                if not (env_value or config.get(f"{role}.{field}") or config.get(f"user.{field}") or fallback):
                    missing.append(f"user.{field}")
                    break
        return CommitSettings(missing, "commit.gpgsign" in config and _true(config["commit.gpgsign"]))

    def identity_missing(self) -> list[str]:
        """The identity settings git would need and cannot find (``user.name``, ``user.email``)."""
        return self.settings().missing

    def uncommitted(self, rels: list[str]) -> list[str]:
        """Which of ``rels`` hold changes not yet committed (staged, unstaged, untracked, ignored or absent)."""
        args = (
            "--no-optional-locks",
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--ignored=traditional",
        )
        status = self.run(*args, "--", *rels)
        # Every path git knows of but has no change in is tracked and committed; one it lists is not.
        dirty = {entry[3:] for entry in status.split(_RECORD) if len(entry) > 3}
        return [rel for rel in rels if rel in dirty or not (self.top / rel).exists()]

    # -- writing history ---------------------------------------------------------

    def head(self) -> str | None:
        proc = self.git("rev-parse", "--verify", "-q", "HEAD^{commit}")
        return proc.stdout.decode().strip() if proc.returncode == 0 else None

    def head_ref(self) -> str | None:
        """The branch HEAD names (``refs/heads/main``), or None when HEAD is detached."""
        proc = self.git("symbolic-ref", "-q", "HEAD")
        return proc.stdout.decode("utf-8", "replace").strip() if proc.returncode == 0 else None

    def detached(self) -> bool:
        """HEAD names a commit, not a branch: a commit made now belongs to no branch."""
        return self.head_ref() is None

    def signs_commits(self) -> bool:
        """``commit.gpgSign`` is on (``git commit`` would sign; plumbing must be told with ``-S``)."""
        return self.settings().signs

    def prepare_commit(
        self, contents: dict[str, bytes], message: str, *, parent: str | None = None, sign: bool | None = None
    ) -> Pending:
        """Build, but do not publish, a commit of HEAD with ``contents`` (repo-relative path -> bytes).

        Nothing in the work tree, the index or any ref changes: the blobs are hashed
        from ``contents`` (through the path's filters, as ``git add`` would), the tree is
        written from a temporary index, and the commit (signed when ``commit.gpgSign``
        says so) is made with ``commit-tree``. A failure here, a signing failure
        included, therefore leaves everything as it was. ``parent`` and ``sign``: HEAD and
        ``commit.gpgSign`` as the caller has just read them (else they are read here).
        """
        parent = parent or self.head()
        if parent is None:
            raise GitError(NO_COMMITS)
        index = self.temp_index
        env = {"GIT_INDEX_FILE": str(index)}
        old_blobs, new_blobs = {}, {}
        try:
            self.run("read-tree", parent, env=env)
            for rel, data in contents.items():
                blob = self.run("hash-object", "-w", "--stdin", f"--path={rel}", stdin=data).strip()
                staged = self.run("ls-files", "-s", "-z", "--", rel, env=env).split(" ")
                mode = staged[0] if staged[0] in ("100644", "100755") else "100644"
                old_blobs[rel], new_blobs[rel] = (staged[1] if len(staged) > 1 else ""), blob
                self.run("update-index", "--add", "--cacheinfo", mode, blob, rel, env=env)
            tree = self.run("write-tree", env=env).strip()
        finally:
            index.unlink(missing_ok=True)
        signing = ["-S"] if (self.signs_commits() if sign is None else sign) else []
        # The message is UTF-8 whatever i18n.commitEncoding says (a GBK setting would mislabel it).
        tree_args = ("-c", "i18n.commitEncoding=UTF-8", "commit-tree", tree, "-p", parent, *signing, "-F", "-")
        proc = self.git(*tree_args, stdin=message.encode("utf-8"))
        if proc.returncode != 0 and signing:
            detail = proc.stderr.decode("utf-8", "replace").strip()
            msg = (
                f"按 commit.gpgSign 的设置签名提交失败，未作任何修改（{detail or f'退出码 {proc.returncode}'}）。"
                "请检查签名密钥（user.signingKey、gpg.format）"
            )
            raise GitError(msg)
        commit = _out(proc, "commit-tree").strip()
        return Pending(commit, parent, tuple(contents), old_blobs, new_blobs)

    def sync_index(self, commit: str, rels: tuple[str, ...]) -> None:
        """Set the user's index entries for ``rels`` to ``commit``'s (``git reset -q COMMIT -- rels``).

        Only those entries change; the work tree is not touched. Done before HEAD moves,
        so a plain ``git commit`` of the user's never stages the old text back.
        """
        deadline = time.monotonic() + 1.0
        while True:
            proc = self.git("reset", "-q", "--no-recurse-submodules", commit, "--", *rels, env={"LC_ALL": "C"})
            lock = lock_in_the_way(proc) if proc.returncode != 0 else None
            if lock is None or time.monotonic() >= deadline:
                break
            time.sleep(0.05)  # another git holds the index for a moment (an editor's status, say)
        if lock is not None:
            raise GitError(stale_lock_message(lock, "更新暂存区", ours=False))
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip() or f"退出码 {proc.returncode}"
            raise GitError(f"未能更新暂存区（git reset 失败：{detail}）")

    def publish(self, pending: Pending, subject: str) -> None:
        """Move HEAD to the prepared commit, only if it still points at its parent (compare and swap)."""
        args = ("update-ref", "-m", f"ledger: {subject}", "HEAD", pending.commit, pending.parent)
        proc = self.git(*args, env={"LC_ALL": "C"})
        if proc.returncode != 0:
            lock = lock_in_the_way(proc)
            if lock is not None:
                raise GitError(f"提交未能完成，台账未作修改：{stale_lock_message(lock, '移动 HEAD', ours=False)}")
            detail = proc.stderr.decode("utf-8", "replace").strip() or f"退出码 {proc.returncode}"
            msg = (
                "提交未能完成：HEAD 在此期间有变动，或分支正被另一个 git 进程更新；"
                f"台账未作修改，请稍后重试（git update-ref 失败：{detail}）"
            )
            raise GitError(msg)

    def commit_files(self, rels: list[str], message: str, subject: str) -> str:
        """Commit exactly ``rels`` as they are in the work tree on top of HEAD, the index brought level."""
        pending = self.prepare_commit({rel: (self.top / rel).read_bytes() for rel in rels}, message)
        self.sync_index(pending.commit, pending.rels)
        try:
            self.publish(pending, subject)
        except GitError:
            self.sync_index(pending.parent, pending.rels)
            raise
        return pending.commit

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

    def blob_ids(self, commit: str, rels: tuple[str, ...]) -> dict[str, str]:
        """The blob each of ``rels`` has in ``commit`` (a path it lacks is left out)."""
        out = self.run("ls-tree", "-z", "--full-tree", commit, "--", *rels)
        ids = {}
        for entry in out.split(_RECORD):
            meta, _, path = entry.partition("\t")
            if path and len(parts := meta.split()) == 3:
                ids[path] = parts[2]
        return ids

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
        args = ("rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir")
        proc = _git(start, *args, env={"LC_ALL": "C"})
    except GitError:
        return None
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    if proc.returncode == 0 and len(lines) == 3:
        # --git-common-dir may be relative to where git ran
        return Repo(Path(lines[0]).resolve(), Path(lines[1]).resolve(), (start / lines[2]).resolve())
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
