"""``ledger init``: a new ledger repository that passes check, and pre-commit refusing a broken ledger."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bizenv_ledger.store.json_schema import KINDS, schema_text
from tests.conftest import REPO
from tests.helpers import run

BIN = Path(sys.executable).parent


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        LEDGER_CACHE_DIR=str(tmp_path / "cache"),
        GIT_AUTHOR_NAME="营商办", GIT_AUTHOR_EMAIL="office@example.invalid",
        GIT_COMMITTER_NAME="营商办", GIT_COMMITTER_EMAIL="office@example.invalid",
    )  # fmt: skip
    env.pop("LEDGER_DATA", None)
    return env


def _git(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


def test_init__makes_a_repository_that_passes_check(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "新台账"
    result = run(runner, None, "init", str(target))
    assert result.exit_code == 0, result.output
    assert "已新建台账" in result.output
    checked = run(runner, target, "check")
    assert checked.exit_code == 0, checked.output
    assert "0 项指标" in checked.output
    tracked = subprocess.run(["git", "ls-files"], cwd=target, capture_output=True, text=True, check=True).stdout
    assert set(tracked.split()) >= {"plan.yaml", "units.yaml", "indicators/.gitkeep", ".pre-commit-config.yaml"}
    status = subprocess.run(["git", "status", "--porcelain"], cwd=target, capture_output=True, text=True, check=True)
    assert status.stdout == ""
    for kind in KINDS:
        assert (target / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind)
    assert (
        (target / "plan.yaml")
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=schemas/plan.schema.json\n")
    )
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".init")]


def test_init__refuses_a_folder_with_files_and_leaves_it_alone(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "已有"
    target.mkdir()
    (target / "笔记.txt").write_text("别动", encoding="utf-8")
    result = run(runner, None, "init", str(target))
    assert result.exit_code == 1
    assert "不是空目录" in result.output
    assert [p.name for p in target.iterdir()] == ["笔记.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".init")]


def test_init__without_a_git_identity_says_how_and_leaves_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        env.pop(key)
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "home"), GIT_CONFIG_NOSYSTEM="1")
    (tmp_path / "home").mkdir()
    proc = subprocess.run(
        [str(BIN / "ledger"), "init", str(tmp_path / "新台账")], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1, proc.stderr
    assert "git config --global user.email" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_pre_commit__refuses_a_broken_ledger_and_lets_a_good_one_through(tmp_path: Path) -> None:
    env = _env(tmp_path)
    repo = tmp_path / "台账"
    init = subprocess.run([str(BIN / "ledger"), "init", str(repo)], env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    installed = subprocess.run(
        [str(BIN / "pre-commit"), "install"], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    plan = repo / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("issued:", "issud:"), encoding="utf-8")
    _git(repo, env, "add", "plan.yaml")
    refused = _git(repo, env, "commit", "-m", "改错的发文信息")
    assert refused.returncode != 0
    assert "未知字段" in refused.stdout + refused.stderr
    assert _git(repo, env, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    plan.write_text(plan.read_text(encoding="utf-8").replace("issud:", "issued:"), encoding="utf-8")
    _git(repo, env, "add", "plan.yaml")
    (repo / "units.yaml").write_text(
        (repo / "units.yaml")
        .read_text(encoding="utf-8")
        .replace("units: []", "units:\n  - name: 市财政局\n    level: 市直"),
        encoding="utf-8",
    )
    _git(repo, env, "add", "units.yaml")
    accepted = _git(repo, env, "commit", "-m", "登记市财政局")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "校验台账（ledger check）" in accepted.stdout + accepted.stderr
    assert _git(repo, env, "rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_pre_commit_hooks_manifest__is_valid(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(BIN / "pre-commit"), "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        env=_env(tmp_path), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
