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


def test_main__every_command_is_found_in_its_module() -> None:
    """`ledger overdue` imports cli/read.py alone: the table in cli/main.py must name every command's module."""
    import typer.main

    from bizenv_ledger.cli.main import COMMANDS, app, command_named

    group = typer.main.get_group(app)
    assert set(COMMANDS) == set(group.commands)
    for name, module in COMMANDS.items():
        callback = group.commands[name].callback
        assert (
            callback is not None
            and callback.__module__
            == f"bizenv_ledger.cli.{'indicators' if name in ('gap', 'show', 'units') else module}"
        )
    assert command_named(["--data", "d", "overdue", "--unit", "市财政局"]) == "overdue"
    assert command_named(["--data=d", "done", "3.2"]) == "done"
    assert command_named(["--workspace", "ledger.toml", "--data", "a", "--data", "b", "rollup"]) == "rollup"
    assert command_named(["--help"]) is None and command_named(["overdu"]) is None and command_named([]) is None


def test_main__help_and_a_mistyped_command_see_every_command() -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_COMPLETE")}
    top = subprocess.run([sys.executable, "-m", "bizenv_ledger", "--help"], capture_output=True, text=True, env=env)
    assert top.returncode == 0 and all(c in top.stdout for c in ("overdue", "export", "done", "history", "rollup"))
    typo = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "--data", str(DATA), "expor"], capture_output=True, text=True, env=env
    )
    assert typo.returncode == 2 and "export" in typo.stderr  # the suggestion knows every command


_COLLECTOR_PROBE = """
import gc
from bizenv_ledger.cli import main
from bizenv_ledger.cli.interrupt import start_up_over
main._pause_collector()
paused = not gc.isenabled()
start_up_over()
print(paused, gc.isenabled(), gc.get_freeze_count() > 0)
"""


def test_main__the_collector_is_paused_through_start_up_and_on_when_the_command_runs() -> None:
    proc = subprocess.run([sys.executable, "-c", _COLLECTOR_PROBE], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True", "True"]  # paused, on again, the start-up's objects frozen


def test_start_up_over__leaves_a_library_caller_s_collector_as_it_is() -> None:
    import gc

    from bizenv_ledger.cli.interrupt import start_up_over

    frozen = gc.get_freeze_count()
    start_up_over()  # the tests' CliRunner path: main() never paused the collector
    assert gc.isenabled() and gc.get_freeze_count() == frozen
