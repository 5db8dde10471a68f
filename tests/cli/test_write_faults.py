"""Bad input and faults: each gets a clear message and exit code, and the files and git stay as they were."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import git
from tests.helpers import run
from tests.writing import FILE03


def _snapshot(data: Path) -> dict[str, bytes]:
    files = {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}
    return {k: v for k, v in files.items() if not k.startswith(".ledger.lock")}


@pytest.fixture
def frozen(git_ledger: Path) -> Iterator[Path]:
    """The git ledger; on teardown, asserts that neither its files nor HEAD nor the index changed."""
    repo = git_ledger.parent
    files, head = _snapshot(git_ledger), git(repo, "rev-parse", "HEAD")
    index = git(repo, "ls-files", "-s", "--debug")
    yield git_ledger
    assert _snapshot(git_ledger) == files
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "ls-files", "-s", "--debug") == index
    assert not [p for p in git_ledger.rglob("*.tmp")]


def _fails(runner: CliRunner, data: Path, code: int, *args: str) -> str:
    result = run(runner, data, *args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.stderr


def test_done__unknown_id_exit_1(frozen: Path, runner: CliRunner) -> None:
    err = _fails(runner, frozen, 1, "done", "3.9", "--on", "2022-08-15")
    assert "找不到措施“3.9”" in err and "3.1" in err


def test_record__unknown_metric_exit_1(frozen: Path, runner: CliRunner) -> None:
    err = _fails(runner, frozen, 1, "record", "获得电力", "用水时间", "5", "--on", "2022-10-01")
    assert "没有指标项“用水时间”" in err and "高压办电时间" in err


def test_record__ambiguous_metric_exit_1(frozen: Path, runner: CliRunner) -> None:
    err = _fails(runner, frozen, 1, "record", "获得电力", "高压", "5", "--on", "2022-10-01")
    assert "不唯一" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("done", "3.2", "--on", "2022-13-45"), "无法识别的日期"),
        (("done", "3.2", "--on", "2022-07-07"), "早于方案印发日期"),
        (("done", "3.2", "--on", "2999-01-01"), "晚于今天"),
        (("progress", "3.2", "进展", "--on", "昨天"), "无法识别的日期"),
        (("postpone", "3.2", "明年", "--reason", "x", "--on", "2022-08-20"), "无法识别的完成时限"),
        (("postpone", "3.2", "2022年7月", "--reason", "x", "--on", "2022-08-20"), "应晚于"),
        (("record", "电力", "高压办电时间", "五天", "--on", "2022-10-01"), "无法识别的读数"),
        (("record", "电力", "多渠道", "3", "--on", "2022-10-01"), "应为是 或 否"),
        (("done", "3.2", "--on", "2022-08-15", "-e", "no/such/file.pdf"), "找不到这个文件"),
        (("done", "3.2", "--on", "2022-08-15", "--note", "  "), "--note 不能为空"),
        (
            ("record", "电力", "高压办电时间", "4.5小时", "--on", "2022-10-01"),
            "单位是“天”，读数“4.5小时”的单位“小时”与之不符",
        ),
        (("record", "电力", "高压办电时间", "五天", "--on", "2022-10-01"), "无法识别的读数“五天”"),
        (("done", "3.2", "--as-of", "someday"), "--as-of"),
    ],
)
def test_write__bad_argument_values_exit_2(
    frozen: Path, runner: CliRunner, args: tuple[str, ...], message: str
) -> None:
    assert message in _fails(runner, frozen, 2, *args)


def test_done__read_only_file_exit_1(frozen: Path, runner: CliRunner) -> None:
    target = frozen / FILE03
    target.chmod(0o444)
    try:
        err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    finally:
        target.chmod(0o644)
    assert "只读" in err and FILE03 in err


def test_done__lock_held_by_a_hung_process_exit_1_after_a_bounded_wait(
    frozen: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = frozen.parent / ".git" / "ledger.lock"
    code = (
        "import sys, time; from pathlib import Path; from bizenv_ledger.store.files import ledger_lock\n"
        "with ledger_lock(Path(sys.argv[1]), 0):\n    print('ready', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("LEDGER_LOCK_TIMEOUT", "0.3")
        err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    finally:
        holder.kill()
        holder.wait()
    assert f"进程 {holder.pid}" in err and "等待 0.3 秒" in err


def test_done__repository_mid_merge_exit_1(frozen: Path, runner: CliRunner) -> None:
    (frozen.parent / ".git" / "MERGE_HEAD").write_text(git(frozen.parent, "rev-parse", "HEAD"))
    try:
        err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    finally:
        (frozen.parent / ".git" / "MERGE_HEAD").unlink()
    assert "合并（merge）" in err


def test_done__repository_mid_rebase_exit_1(git_ledger: Path, runner: CliRunner) -> None:
    repo, plan = git_ledger.parent, git_ledger / "plan.yaml"
    base = plan.read_text(encoding="utf-8")
    git(repo, "checkout", "-q", "-b", "side")
    plan.write_text(base + "# side\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "side")
    git(repo, "checkout", "-q", "main")
    plan.write_text(base + "# main\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "main")
    rebase = subprocess.run(["git", "rebase", "side"], cwd=repo, capture_output=True, check=False)
    assert rebase.returncode != 0
    before = (git_ledger / FILE03).read_bytes()
    err = _fails(runner, git_ledger, 1, "done", "3.2", "--on", "2022-08-15")
    assert "变基（rebase）" in err
    assert (git_ledger / FILE03).read_bytes() == before


@pytest.mark.parametrize("staged", [False, True])
def test_done__users_uncommitted_change_to_the_same_file_exit_1(
    git_ledger: Path, runner: CliRunner, staged: bool
) -> None:
    target = git_ledger / FILE03
    edited = target.read_text(encoding="utf-8") + "# 用户的改动\n"
    target.write_text(edited, encoding="utf-8")
    if staged:
        git(git_ledger.parent, "add", str(target))
    err = _fails(runner, git_ledger, 1, "done", "3.2", "--on", "2022-08-15")
    assert "尚未提交的改动" in err and "--no-commit" in err
    assert target.read_text(encoding="utf-8") == edited


def test_done__no_git_identity_exit_1_with_the_commands_to_run(
    frozen: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(var, raising=False)
    config = frozen.parent / ".git" / "config"
    saved = config.read_text()
    git(frozen.parent, "config", "--unset", "user.name")
    git(frozen.parent, "config", "--unset", "user.email")
    try:
        err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    finally:
        config.write_text(saved)
    assert 'git config user.name "' in err and 'git config user.email "' in err and "--no-commit" in err


def test_reopen__result_that_fails_validation_is_not_written(frozen: Path, runner: CliRunner) -> None:
    err = _fails(runner, frozen, 1, "reopen", "6.1", "--reason", "复核", "--on", "2022-08-01")
    assert "无法通过校验" in err and "已整改" in err and "06-纳税.yaml" in err


def test_done__interrupted_write_leaves_the_old_file_and_no_commit(
    frozen: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    assert "写入" in err and "未作修改" in err


def test_done__branch_lock_held_is_refused_before_anything_is_written(frozen: Path, runner: CliRunner) -> None:
    lock = frozen.parent / ".git" / "refs" / "heads" / "main.lock"
    lock.write_text("")  # another git process is updating the branch, or one was killed doing so
    try:
        err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    finally:
        lock.unlink()
    assert "未作任何修改" in err and f"git 的锁文件 {lock}" in err and f"rm {lock}" in err


def _content(data: Path) -> tuple[dict[str, bytes], str, str]:
    """The files, HEAD and the index's entries (not their cached stat data, which a put-back refreshes)."""
    repo = data.parent
    return _snapshot(data), git(repo, "rev-parse", "HEAD"), git(repo, "ls-files", "-s")


def test_done__head_moved_meanwhile_puts_the_old_file_and_index_entry_back(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizenv_ledger.write.git import Pending, Repo

    repo, real = git_ledger.parent, Repo.publish

    def someone_commits_first(self: Repo, pending: Pending, subject: str) -> None:
        # a commit made elsewhere (another work tree, a fetch and reset): it does not take our staged entry along
        tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
        other = git(repo, "commit-tree", tree, "-p", "HEAD", "-m", "同事的提交").strip()
        git(repo, "update-ref", "HEAD", other)
        real(self, pending, subject)

    files, _, index = _content(git_ledger)
    monkeypatch.setattr(Repo, "publish", someone_commits_first)
    err = _fails(runner, git_ledger, 1, "done", "3.2", "--on", "2022-08-15")
    assert "git update-ref 失败" in err and "台账未作修改" in err
    assert _snapshot(git_ledger) == files and git(repo, "ls-files", "-s") == index
    assert git(repo, "log", "-1", "--format=%s").strip() == "同事的提交"
    assert git(repo, "status", "--porcelain") == ""
    assert not (repo / ".git" / "ledger-journal.json").exists()


def test_done__invalid_ledger_is_reported_not_edited(frozen: Path, runner: CliRunner) -> None:
    plan = frozen / "plan.yaml"
    saved = plan.read_bytes()
    plan.write_bytes(saved.replace(b'issued: "2022-07-08"', b'issued: "sometime"'))
    try:
        err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    finally:
        plan.write_bytes(saved)
    assert "plan.yaml" in err and "共 1 个问题" in err


def test_done__the_shipped_plan_is_never_written(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, None, "done", "3.2")  # no --data, no ledger above the cwd
    assert result.exit_code == 1 and "随包附带的方案只读" in result.stderr


def test_done__no_identity_is_fine_with_no_commit(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.delenv(var, raising=False)
    git(git_ledger.parent, "config", "--unset", "user.name")
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "--no-commit")
    assert result.exit_code == 0, result.output


def test_done__commit_gpgsign_without_a_usable_key_exit_1_nothing_written(frozen: Path, runner: CliRunner) -> None:
    repo = frozen.parent
    git(repo, "config", "commit.gpgSign", "true")
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "user.signingKey", str(repo / "no-such-key"))
    err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    assert "按 commit.gpgSign 的设置签名提交失败，未作任何修改" in err and "--no-commit" in err


def test_done__commit_gpgsign_is_honoured(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    if shutil.which("ssh-keygen") is None:
        pytest.fail("ssh-keygen is needed to make a signing key (.ci/run installs openssh-client)")
    key = tmp_path / "signing_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, capture_output=True)
    repo = git_ledger.parent
    for name, value in (("commit.gpgSign", "true"), ("gpg.format", "ssh"), ("user.signingKey", str(key))):
        git(repo, "config", name, value)
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15")
    assert result.exit_code == 0, result.output
    assert "gpgsig" in git(repo, "cat-file", "commit", "HEAD")


def test_done__repository_without_commits_exit_1_says_what_to_do(
    ledger_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    git(ledger_dir, "init", "-q")
    git(ledger_dir, "config", "user.name", "营商办 测试")
    git(ledger_dir, "config", "user.email", "office@example.org")
    git(ledger_dir, "add", ".")
    before = (ledger_dir / FILE03).read_bytes()
    err = _fails(runner, ledger_dir, 1, "done", "3.2", "--on", "2022-08-15")
    assert "仓库还没有任何提交" in err and "git commit" in err and "--no-commit" in err
    assert (ledger_dir / FILE03).read_bytes() == before
    err = _fails(runner, ledger_dir, 1, "undo")
    assert "仓库还没有任何提交" in err and "--no-commit" not in err
    assert run(runner, ledger_dir, "history").stdout.endswith("没有找到台账变更记录。\n")


def test_done__detached_head_commits_and_says_the_commit_is_on_no_branch(git_ledger: Path, runner: CliRunner) -> None:
    git(git_ledger.parent, "checkout", "-q", "--detach")
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15")
    assert result.exit_code == 0, result.output
    head = git(git_ledger.parent, "rev-parse", "--short=7", "HEAD").strip()
    assert f"HEAD 处于分离状态（detached HEAD），提交 {head} 不在任何分支上" in result.stderr
    assert "git switch -c" in result.stderr


def test_done__symlinked_file_is_refused(frozen: Path, runner: CliRunner) -> None:
    target = frozen / FILE03
    real = frozen.parent / "real.yaml"
    real.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(real)
    try:
        err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15", "--no-commit")
    finally:
        target.unlink()
        target.write_bytes(real.read_bytes())
        real.unlink()
    assert "符号链接" in err


def test_done__folder_without_write_permission_is_refused(
    frozen: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.access
    folder = frozen / "indicators"

    def access(path: object, mode: int, **kw: object) -> bool:
        return False if Path(str(path)) == folder else real(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    err = _fails(runner, frozen, 1, "done", "3.2", "--on", "2022-08-15")
    assert "所在的文件夹不可写" in err


def test_undo__refusals_do_not_suggest_no_commit(frozen: Path, runner: CliRunner) -> None:
    (frozen.parent / ".git" / "MERGE_HEAD").write_text(git(frozen.parent, "rev-parse", "HEAD"))
    try:
        err = _fails(runner, frozen, 1, "undo")
    finally:
        (frozen.parent / ".git" / "MERGE_HEAD").unlink()
    assert "合并（merge）" in err and "--no-commit" not in err


def test_done__unreadable_evidence_file_exit_2_in_chinese(
    frozen: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    (frozen.parent / "佐证.pdf").write_bytes(b"%PDF")

    def denied(*args: object, **kw: object) -> object:
        raise PermissionError(13, "权限不够")

    monkeypatch.setattr(hashlib, "file_digest", denied)
    try:
        err = _fails(runner, frozen, 2, "done", "3.2", "--on", "2022-08-15", "-e", str(frozen.parent / "佐证.pdf"))
    finally:
        (frozen.parent / "佐证.pdf").unlink()
    assert "无法读取佐证文件" in err and "权限不够" in err


def test_progress__undecodable_text_exit_2(frozen: Path) -> None:
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "ledger"),
            "--data",
            str(frozen),
            "progress",
            "3.2",
            b"\xff\xfe".decode("utf-8", "surrogateescape"),
            "--on",
            "2022-08-15",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "代理码位" in proc.stderr and "Traceback" not in proc.stderr


def test_done__interrupt_before_head_moves_puts_the_old_file_back(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizenv_ledger.write.git import Repo

    def interrupted(self: Repo, *args: object) -> None:
        raise KeyboardInterrupt

    before = _content(git_ledger)
    monkeypatch.setattr(Repo, "publish", interrupted)
    _fails(runner, git_ledger, 130, "done", "3.2", "--on", "2022-08-15")
    assert _content(git_ledger) == before
    assert git(git_ledger.parent, "status", "--porcelain") == ""
    assert not (git_ledger.parent / ".git" / "ledger-journal.json").exists()


def test_done__interrupt_after_head_moved_keeps_the_change(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizenv_ledger.write.git import Pending, Repo

    real = Repo.publish

    def publish_then_interrupt(self: Repo, pending: Pending, subject: str) -> None:
        real(self, pending, subject)
        raise KeyboardInterrupt

    monkeypatch.setattr(Repo, "publish", publish_then_interrupt)
    before = git(git_ledger.parent, "rev-parse", "HEAD")
    assert run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15").exit_code == 130
    assert git(git_ledger.parent, "rev-parse", "HEAD~1") == before
    committed = git(git_ledger.parent, "show", f"HEAD:data/{FILE03}")
    assert (git_ledger / FILE03).read_text(encoding="utf-8") == committed and "status: done" in committed


def test_done__as_of_in_the_future_is_refused(frozen: Path, runner: CliRunner) -> None:
    message = _fails(runner, frozen, 2, "done", "3.2", "--as-of", "9999-12-31", "--on", "9999-12-31")
    assert "写命令不能把今天设为以后的日期" in message
