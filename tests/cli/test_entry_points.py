"""The installed console scripts and ``python -m`` all run the same program."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA

BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "argv", [[str(BIN / "ledger")], [str(BIN / "bizenv-ledger")], [sys.executable, "-m", "bizenv_ledger"]]
)
def test_entry_point__each_way_in_checks_the_plan(argv: list[str]) -> None:
    proc = subprocess.run([*argv, "--data", str(DATA), "check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "台账校验通过" in proc.stdout and "60 项措施" in proc.stdout


def test_entry_point__usage_error_exits_2_without_traceback() -> None:
    proc = subprocess.run(
        [str(BIN / "ledger"), "overdue", "--no-such-option"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_main__a_read_command_registers_only_the_read_commands_help_shows_them_all() -> None:
    from bizenv_ledger.cli.main import command_name

    assert command_name(["--data", "d", "overdue", "--unit", "x"]) == "overdue"
    assert command_name(["--data=d", "list"]) == "list"
    assert command_name(["--workspace", "ledger.toml", "--data", "a", "--data", "b", "rollup"]) == "rollup"
    assert command_name(["--help"]) is None and command_name([]) is None
    env = {k: v for k, v in os.environ.items() if not k.endswith("_COMPLETE")}
    top = subprocess.run([sys.executable, "-m", "bizenv_ledger", "--help"], capture_output=True, text=True, env=env)
    assert top.returncode == 0 and all(c in top.stdout for c in ("overdue", "export", "done", "history"))
    typo = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "--data", str(DATA), "expor"], capture_output=True, text=True, env=env
    )
    assert typo.returncode == 2 and "export" in typo.stderr  # the suggestion knows every command
