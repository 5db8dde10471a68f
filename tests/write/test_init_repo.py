"""``ledger init-repo`` (and ``ledger init``): the ledger's files name the merge driver, the clone defines it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bizenv_ledger.write.init import MERGE_DRIVER
from tests.conftest import git
from tests.helpers import run


def _attr(repo: Path, attribute: str, rel: str) -> str:
    return git(repo, "-c", "core.quotePath=false", "check-attr", attribute, "--", rel).rsplit(": ", 1)[1].strip()


def test_init__new_repository_has_the_driver_configured(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "新台账"
    assert run(runner, None, "init", str(target)).exit_code == 0
    assert git(target, "config", "merge.ledger.driver").strip() == MERGE_DRIVER
    assert _attr(target, "merge", "indicators/01-开办企业与注销.yaml") == "ledger"
    assert _attr(target, "merge", "plan.yaml") == "ledger"
    assert _attr(target, "merge", ".pre-commit-config.yaml") == "unspecified"
    assert _attr(target, "text", "counties/临泽县.yaml") == "unset"  # line ends kept as written


def test_init_repo__registers_the_driver_once_and_scopes_it_to_the_ledger(runner: CliRunner, git_ledger: Path) -> None:
    repo = git_ledger.parent
    first = run(runner, None, "init-repo", str(git_ledger))
    assert first.exit_code == 0, first.output
    assert "请提交 .gitattributes" in first.output
    attributes = (git_ledger / ".gitattributes").read_text(encoding="utf-8")
    assert "/indicators/*.yaml merge=ledger" in attributes
    assert git(repo, "config", "merge.ledger.driver").strip() == MERGE_DRIVER
    assert _attr(repo, "merge", "data/indicators/03-获得电力.yaml") == "ledger"
    assert _attr(repo, "merge", "data/counties/临泽县.yaml") == "ledger"
    assert _attr(repo, "merge", "data/schemas/plan.schema.json") == "unspecified"
    again = run(runner, git_ledger, "init-repo")  # from --data; nothing more to add
    assert again.exit_code == 0, again.output
    assert "已含合并驱动的设置" in again.output
    assert (git_ledger / ".gitattributes").read_text(encoding="utf-8") == attributes


def test_init_repo__outside_git_is_refused(runner: CliRunner, ledger_dir: Path) -> None:
    result = run(runner, None, "init-repo", str(ledger_dir))
    assert result.exit_code == 1
    assert "不在 git 仓库的工作区中" in result.output
    assert not (ledger_dir / ".gitattributes").exists()


def test_init_repo__a_folder_without_plan_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, None, "init-repo", str(tmp_path))
    assert result.exit_code == 1
    assert "找不到 plan.yaml" in result.output
