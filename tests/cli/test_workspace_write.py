"""Writes in a workspace: only to a ledger in a folder of the work tree, never to one read from a git ref."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.cli.main import app

from ..conftest import git
from ..workspaces import city_workspace


@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", "/dev/null")
    return city_workspace(tmp_path)


def _ws(city: Path, *args: str) -> list[str]:
    return ["--workspace", str(city / "ledger.toml"), *args]


def test_done__a_measure_from_a_git_ref_is_refused(city: Path) -> None:
    head = git(city, "rev-parse", "HEAD")
    result = CliRunner().invoke(app, _ws(city, "done", "临泽县:1.1", "--on", "2022-09-01", "--as-of", "2022-10-01"))
    assert result.exit_code == 1
    assert "只读：来自 git 引用 linze/main" in result.output
    assert git(city, "rev-parse", "HEAD") == head and git(city, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    "command", [["progress", "临泽县:1.2", "已开展培训"], ["reopen", "临泽县:2.1", "--reason", "复核未过"]]
)
def test_writes__every_measure_command_refuses_a_ref(city: Path, command: list[str]) -> None:
    result = CliRunner().invoke(app, _ws(city, *command, "--on", "2022-09-25", "--as-of", "2022-10-01"))
    assert result.exit_code == 1
    assert "只读：来自 git 引用 linze/main" in result.output


def test_done__a_qualified_id_is_written_to_its_own_folder(city: Path) -> None:
    args = _ws(city, "done", "2021:3.3", "-e", "张电〔2022〕12号", "--on", "2022-07-20", "--as-of", "2022-10-01")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    changed = git(city, "-c", "core.quotePath=false", "show", "--name-only", "--format=", "HEAD").strip()
    assert changed.startswith("plan-2021/indicators/03-")
    assert "status: done" in (city / changed).read_text(encoding="utf-8")
    assert "status: done" not in next((city / "data" / "indicators").glob("03-*.yaml")).read_text(encoding="utf-8")
    listed = CliRunner().invoke(app, _ws(city, "show", "2021:3.3", "--format", "json", "--as-of", "2022-10-01"))
    assert json.loads(listed.stdout)["status"] == "done"


def test_done__a_county_folder_in_the_work_tree_is_writable(city: Path) -> None:
    args = _ws(city, "done", "山丹县:2.1", "-e", "张电〔2022〕12号", "--on", "2022-09-01", "--as-of", "2022-10-01")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (
        git(city, "-c", "core.quotePath=false", "show", "--name-only", "--format=", "HEAD")
        .strip()
        .startswith("counties/山丹县/indicators/02-")
    )


def test_done__a_bare_id_is_the_first_ledgers(city: Path) -> None:
    result = CliRunner().invoke(
        app, _ws(city, "done", "3.3", "-e", "张电〔2022〕12号", "--on", "2022-07-20", "--as-of", "2022-10-01")
    )
    assert result.exit_code == 0, result.output
    assert (
        git(city, "-c", "core.quotePath=false", "show", "--name-only", "--format=", "HEAD")
        .strip()
        .startswith("data/indicators/03-")
    )


def test_done__the_confirmation_names_the_measure_as_typed_the_commit_keeps_its_own_id(city: Path) -> None:
    args = _ws(city, "done", "2021:3.2", "-e", "张电〔2022〕12号", "--on", "2022-07-20", "--as-of", "2022-10-01")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary, committed = result.stdout.splitlines()[:2]
    assert summary.startswith("已销号 2021:3.2 获得电力（")
    head = git(city, "rev-parse", "--short", "HEAD").strip()
    assert committed.startswith(f"已在台账“2021”提交 {head}：销号 3.2 获得电力：")
    message = git(city, "log", "-1", "--format=%B")
    assert message.startswith("销号 3.2 获得电力：") and "Ledger-Item: 3.2\n" in message  # the ledger's own id
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1
    assert "措施 2021:3.2 已于 2022-07-20 销号" in again.output and "ledger reopen 2021:3.2" in again.output


@pytest.mark.parametrize(
    ("command", "told"),
    [
        (["progress", "甘州区:1.2", "已开展培训"], "已记录 甘州区:1.2 开办企业 的进展"),
        (["postpone", "2021:3.2", "2022年12月", "--reason", "待验收"], "已将 2021:3.2 获得电力 的完成时限"),
    ],
)
def test_writes__confirmations_in_a_workspace_name_the_ledger(city: Path, command: list[str], told: str) -> None:
    result = CliRunner().invoke(app, _ws(city, *command, "--on", "2022-09-25", "--as-of", "2022-10-01"))
    assert result.exit_code == 0, result.output
    ledger = command[1].partition(":")[0]
    assert result.stdout.startswith(told) and f"已在台账“{ledger}”提交 " in result.stdout


def test_done__a_bare_id_is_confirmed_as_before(city: Path) -> None:
    args = _ws(city, "done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-07-20", "--as-of", "2022-10-01")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已销号 3.2 获得电力（") and "\n已提交 " in result.stdout
