"""Git plumbing (gitlog.Repo) on real repositories in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bizenv_ledger.write.git import Repo, find_repo
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


@pytest.mark.parametrize(
    ("setting", "signs"),
    [
        ("true", True),
        ("yes", True),
        ("On", True),
        ("1", True),
        ("0", False),
        ("false", False),
        ("off", False),
        ("", False),  # set to the empty string: false, as git reads it
        (None, True),  # named with no value (``gpgSign`` alone on its line): true
    ],
)
def test_settings__reads_commit_gpgsign_as_git_does(git_ledger: Path, setting: str | None, signs: bool) -> None:
    """The identity and ``commit.gpgSign`` come from one ``git config`` call; the flag is read as ``--type=bool`` reads it."""
    repo = _repo(git_ledger)
    assert repo.settings().signs is False
    config = repo.git_dir / "config"
    line = "\tgpgSign\n" if setting is None else f"\tgpgSign = {setting}\n"
    config.write_text(config.read_text(encoding="utf-8") + "[commit]\n" + line, encoding="utf-8")
    if setting is not None:
        typed = subprocess.run(
            ["git", "config", "--type=bool", "--get", "commit.gpgSign"], cwd=repo.top, capture_output=True, text=True
        )
        assert (typed.stdout.strip() == "true") is signs  # what git itself says
    assert repo.settings() == type(repo.settings())([], signs)


def test_settings__a_value_holding_a_newline_or_the_last_of_several(
    git_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(git_ledger)
    git(repo.top, "config", "user.name", "营商办\n第二行")
    git(repo.top, "config", "--add", "commit.gpgSign", "true")
    git(repo.top, "config", "--add", "commit.gpgSign", "false")
    assert repo.settings().missing == [] and repo.settings().signs is False
    git(repo.top, "config", "user.name", "")
    for var in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.delenv(var, raising=False)
    assert repo.settings().missing == ["user.name"]


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


def test_uncommitted__an_ignored_file_and_one_that_is_not_there(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    ignored, absent = git_ledger / "indicators" / "98-ignored.yaml", git_ledger / "indicators" / "97-absent.yaml"
    (repo.top / ".gitignore").write_text("98-*.yaml\n", encoding="utf-8")
    ignored.write_text("x: 1\n", encoding="utf-8")
    plan = repo.rel(git_ledger / "plan.yaml")
    assert repo.uncommitted([plan, repo.rel(ignored), repo.rel(absent)]) == [repo.rel(ignored), repo.rel(absent)]


def test_uncommitted__a_file_in_an_ignored_folder(git_ledger: Path) -> None:
    """git status names an ignored folder, not the files in it, unless asked file by file: each must count."""
    repo = _repo(git_ledger)
    (git_ledger / ".gitignore").write_text("草稿/\n", encoding="utf-8")
    (git_ledger / "草稿").mkdir()
    inside = git_ledger / "草稿" / "高台县.yaml"
    inside.write_text("x: 1\n", encoding="utf-8")
    assert repo.uncommitted([repo.rel(inside), repo.rel(git_ledger / "plan.yaml")]) == [repo.rel(inside)]


def test_commit_files__commits_only_the_file_and_leaves_the_index_alone(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    target, staged, unstaged = (git_ledger / FILE03, git_ledger / "plan.yaml", git_ledger / "units.yaml")
    staged.write_text(staged.read_text(encoding="utf-8") + "# 暂存的改动\n", encoding="utf-8")
    git(repo.top, "add", str(staged))
    unstaged.write_text(unstaged.read_text(encoding="utf-8") + "# 未暂存的改动\n", encoding="utf-8")
    target.write_text(target.read_text(encoding="utf-8") + "# 工具的改动\n", encoding="utf-8")
    parent = repo.head()
    sha = repo.commit_files([repo.rel(target)], "主题\n\nLedger-Action: done\n", "主题")
    assert repo.head() == sha
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
    from bizenv_ledger.model.errors import GitError

    before = repo.head()
    with pytest.raises(GitError, match=r"main\.lock"):
        repo.commit_files([repo.rel(target)], "m\n", "m")
    assert repo.head() == before
    assert not list(repo.git_dir.glob("ledger-index-*"))


def _signing_key(tmp_path: Path) -> Path:
    if shutil.which("ssh-keygen") is None:
        pytest.fail("ssh-keygen is needed to make a signing key (.ci/run installs openssh-client)")
    key = tmp_path / "signing_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, capture_output=True)
    return key


def test_prepare_commit__touches_nothing_until_published(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    target = git_ledger / FILE03
    before, head, index = target.read_bytes(), repo.head(), git(repo.top, "ls-files", "-s", "--debug")
    new = before + "# 工具的改动\n".encode()
    pending = repo.prepare_commit({repo.rel(target): new}, "主题\n\nLedger-Action: done\n")
    assert target.read_bytes() == before and repo.head() == head
    assert git(repo.top, "ls-files", "-s", "--debug") == index
    assert git(repo.top, "show", f"{pending.commit}:data/{FILE03}").encode() == new
    assert git(repo.top, "rev-parse", f"{pending.commit}^").strip() == head
    repo.publish(pending, "主题")
    assert repo.head() == pending.commit


def test_prepare_commit__signs_when_commit_gpgsign_is_on(git_ledger: Path, tmp_path: Path) -> None:
    repo = _repo(git_ledger)
    git(repo.top, "config", "gpg.format", "ssh")
    git(repo.top, "config", "user.signingKey", str(_signing_key(tmp_path)))
    target = git_ledger / FILE03
    unsigned = repo.prepare_commit({repo.rel(target): b"x: 1\n"}, "m\n")
    assert "gpgsig" not in git(repo.top, "cat-file", "commit", unsigned.commit)
    git(repo.top, "config", "commit.gpgSign", "true")
    signed = repo.prepare_commit({repo.rel(target): b"x: 1\n"}, "m\n")
    assert "gpgsig" in git(repo.top, "cat-file", "commit", signed.commit)


def test_prepare_commit__keeps_the_files_mode_and_applies_its_filters(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    target = git_ledger / FILE03
    (repo.top / ".gitattributes").write_text("*.yaml text eol=lf\n", encoding="utf-8")
    git(repo.top, "update-index", "--chmod=+x", f"data/{FILE03}")
    git(repo.top, "add", ".gitattributes")
    git(repo.top, "commit", "-q", "-m", "属性")
    pending = repo.prepare_commit({repo.rel(target): b"a: 1\r\nb: 2\r\n"}, "m\n")
    listed = git(repo.top, "ls-tree", pending.commit, "--", f"data/{FILE03}")
    assert listed.startswith("100755 blob ")
    assert git(repo.top, "cat-file", "blob", listed.split()[2]) == "a: 1\nb: 2\n"  # as `git add` would store it


def test_log__a_repository_without_commits_has_no_history(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    repo = _repo(tmp_path)
    assert repo.head() is None and repo.log("-1", "HEAD") == []


def test_operation_in_progress__a_stopped_multi_commit_cherry_pick(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    (repo.git_dir / "sequencer").mkdir()
    assert repo.operation_in_progress() == "多提交的拣选或还原（cherry-pick/revert）"


def test_find_repo__a_repository_git_refuses_is_an_error_not_no_repository(
    git_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizenv_ledger.model.errors import GitError
    from bizenv_ledger.write import git as gitlog

    top = git_ledger.parent
    if os.geteuid() == 0:  # a real foreign owner needs root to arrange
        for path in [top, *top.rglob("*")]:
            os.lchown(path, 65534, 65534)
    else:
        refusal = f"fatal: detected dubious ownership in repository at '{top}'\n".encode()

        def refused(cwd: Path, *args: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
            return subprocess.CompletedProcess(["git", *args], 128, b"", refusal)

        monkeypatch.setattr(gitlog, "_git", refused)
    with pytest.raises(GitError, match="dubious ownership") as caught:
        find_repo(git_ledger)
    assert f"git config --global --add safe.directory {top}" in str(caught.value)


def test_prepare_commit__message_is_utf8_whatever_i18n_commit_encoding_says(git_ledger: Path) -> None:
    repo = _repo(git_ledger)
    git(repo.top, "config", "i18n.commitEncoding", "GBK")
    pending = repo.prepare_commit(
        {repo.rel(git_ledger / FILE03): b"x: 1\n"}, "销号 3.2 获得电力\n\nLedger-Action: done\n"
    )
    raw = subprocess.run(["git", "cat-file", "commit", pending.commit], cwd=repo.top, capture_output=True, check=True)
    assert b"\nencoding " not in raw.stdout and "销号 3.2 获得电力".encode() in raw.stdout
    repo.publish(pending, "销号")
    assert repo.log("-1")[0].message.startswith("销号 3.2 获得电力\n")


def test_done__reads_git_config_once_and_head_twice(git_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each git call costs a process: a write reads the identity and commit.gpgSign in one call, HEAD once
    before it plans and once for the journal (the commit is built on that), and the file's state in one."""
    from typer.testing import CliRunner

    from bizenv_ledger.write import git as gitmod
    from tests.helpers import run
    from tests.writing import EVIDENCE

    calls: list[tuple[str, ...]] = []
    real = gitmod._git

    def recording(cwd: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return real(cwd, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gitmod, "_git", recording)
    result = run(CliRunner(), git_ledger, "done", "3.1", "--on", "2022-09-30", "--evidence", EVIDENCE)
    assert result.exit_code == 0, result.output
    commands = [next(a for a in args if not a.startswith("-") and "=" not in a) for args in calls]
    assert commands.count("config") == 1
    assert sum(1 for args in calls if "HEAD^{commit}" in args) == 2
    assert "ls-files" not in [c for c, args in zip(commands, calls, strict=True) if "-s" not in args]
    assert commands.count("status") == 1
    assert "gpgsig" not in git(git_ledger.parent, "cat-file", "commit", "HEAD")
