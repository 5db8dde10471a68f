"""Small helpers shared by tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from bizenv_ledger.cli.main import app


def run(runner: CliRunner, data: Path | None, *args: str) -> Result:
    argv = (["--data", str(data)] if data is not None else []) + list(args)
    return runner.invoke(app, argv)


def run_json(runner: CliRunner, data: Path | None, *args: str) -> Any:
    result = run(runner, data, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
