"""Git plumbing (gitlog.Repo) on real repositories in tmp_path."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bizenv_ledger.gitlog import Repo, find_repo
from tests.conftest import git
from tests.writing import FILE03


def _repo(data: Path) -> Repo:
    repo = find_repo(data)
    assert repo is not None
    return repo


def test_find_repo__outside_a_work_tree_is_none(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    assert find_repo(ledger_dir) is None


def test_find_repo__finds_the_top_from_the_data_folder(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    assert repo.top == git_ledger.parent.resolve()
    assert repo.rel(git_ledger / FILE03) == f"data/{FILE03}"


def test_identity_missing__without_config_or_environment(git_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(var, raising=False)
    repo = _repo(git_ledger)
    assert repo.identity_missing() == []
    git(repo.top, "config", "--unset", "user.name")
    git(repo.top, "config", "--unset", "user.email")
    assert repo.identity_missing() == ["user.name", "user.email"]
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "环境变量")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "env@example.org")
    assert repo.identity_missing() == []


def test_operation_in_progress__a_conflicted_merge(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    target = git_ledger / "plan.yaml"
    git(repo.top, "checkout", "-q", "-b", "other")
    target.write_text(target.read_text(encoding="utf-8") + "# other\n", encoding="utf-8")
    git(repo.top, "commit", "-q", "-am", "other")
    git(repo.top, "checkout", "-q", "main")
    target.write_text(target.read_text(encoding="utf-8") + "# main\n", encoding="utf-8")
    git(repo.top, "commit", "-q", "-am", "main")
    assert repo.operation_in_progress() is None
    merge = subprocess.run(["git", "merge", "-q", "other"], cwd=repo.top, capture_output=True, check=False)
    assert merge.returncode != 0
    assert repo.operation_in_progress() == "合并（merge）"


def test_uncommitted__staged_unstaged_and_untracked(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    plan, units, new = git_ledger / "plan.yaml", git_ledger / "units.yaml", git_ledger / "indicators" / "99-new.yaml"
    rels = [repo.rel(p) for p in (plan, units)]
    assert repo.uncommitted(rels) == []
    plan.write_text(plan.read_text(encoding="utf-8") + "# x\n", encoding="utf-8")
    units.write_text(units.read_text(encoding="utf-8") + "# y\n", encoding="utf-8")
    git(repo.top, "add", str(units))
    new.write_text("x: 1\n", encoding="utf-8")
    assert repo.uncommitted([*rels, repo.rel(new)]) == [*rels, repo.rel(new)]


def test_commit_files__commits_only_the_file_and_leaves_the_index_alone(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    target, staged, unstaged = (git_ledger / FILE03, git_ledger / "plan.yaml", git_ledger / "units.yaml")
    staged.write_text(staged.read_text(encoding="utf-8") + "# 暂存的改动\n", encoding="utf-8")
    git(repo.top, "add", str(staged))
    unstaged.write_text(unstaged.read_text(encoding="utf-8") + "# 未暂存的改动\n", encoding="utf-8")
    target.write_text(target.read_text(encoding="utf-8") + "# 工具的改动\n", encoding="utf-8")
    parent = repo.head()
    sha, warning = repo.commit_files([repo.rel(target)], "主题\n\nLedger-Action: done\n", "主题")
    assert warning is None and repo.head() == sha
    assert git(repo.top, "rev-parse", f"{sha}^").strip() == parent
    assert (
        git(repo.top, "-c", "core.quotePath=false", "diff-tree", "--no-commit-id", "--name-only", "-r", sha).strip()
        == f"data/{FILE03}"
    )
    status = git(repo.top, "status", "--porcelain=v1", "-uno").splitlines()
    assert status == ["M  data/plan.yaml", " M data/units.yaml"]
    assert git(repo.top, "log", "-1", "--format=%B").strip() == "主题\n\nLedger-Action: done"


def test_commit_files__refuses_when_head_moved_meanwhile(git_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(git_ledger)
    target = git_ledger / FILE03
    target.write_text(target.read_text(encoding="utf-8") + "# x\n", encoding="utf-8")
    (repo.git_dir / "refs" / "heads" / "main.lock").write_text("")  # someone else is updating the branch
    from bizenv_ledger.errors import GitError

    before = repo.head()
    with pytest.raises(GitError, match="update-ref"):
        repo.commit_files([repo.rel(target)], "m\n", "m")
    assert repo.head() == before
    assert not list(repo.git_dir.glob("ledger-index-*"))
