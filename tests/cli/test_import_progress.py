"""ledger import's progress bar: on stderr when it is a terminal, never in a pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from bizenv_ledger.render import progress
from tests.conftest import CITY_SOURCE
from tests.helpers import run


def test_import_progress__a_terminal_sees_the_steps(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = io.StringIO()
    console = Console(file=terminal, force_terminal=True, width=80)
    monkeypatch.setattr(progress, "_terminal_console", lambda: console)
    result = run(runner, None, "import", str(CITY_SOURCE), "-o", str(tmp_path / "台账"))
    assert result.exit_code == 1, result.output
    shown = terminal.getvalue()
    assert "导入：" in shown and "\x1b[" in shown  # drawn with terminal codes
    assert "导入：校验" in shown or "导入：写入" in shown  # it moved through the steps
    assert "导入：" not in result.stdout  # the report on stdout stays clean


def test_import_progress__a_pipe_gets_no_bar(tmp_path: Path) -> None:
    env = {**os.environ, "LEDGER_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "import", str(CITY_SOURCE), "-o", str(tmp_path / "台账")],
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
    assert "导入报告".encode() in proc.stdout
    assert "导入：".encode() not in proc.stderr and b"\x1b[" not in proc.stderr
