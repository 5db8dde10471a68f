"""Every write command, ``undo`` and ``history`` explain themselves in Chinese."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from bizenv_ledger.cli.main import app

WRITE_COMMANDS = ["done", "reopen", "progress", "postpone", "record", "undo", "history"]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_write_commands__are_all_registered() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    assert set(WRITE_COMMANDS) <= set(group.commands)


@pytest.mark.parametrize("name", WRITE_COMMANDS)
def test_write_command__has_chinese_help_for_itself_and_every_parameter(runner: CliRunner, name: str) -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    command = group.commands[name]
    assert command.help and _CJK.search(command.help), name
    for param in command.params:
        text = getattr(param, "help", None) or ""
        assert _CJK.search(text), f"{name} {param.name}: {text!r}"
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    # the help wraps at the terminal's width: compare the words, not the line breaks
    assert "".join(command.help.splitlines()[0].split()) in "".join(result.stdout.split())
    assert "（必填）" not in result.stdout  # typer marks required options itself


def test_top_level_help__lists_the_write_commands(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in WRITE_COMMANDS:
        assert re.search(rf"^\s+{name}\s+\S*[\u4e00-\u9fff]", result.stdout, re.M), name
