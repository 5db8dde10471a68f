"""The board marks the open measures with no progress report in the current reporting period, as list --stale lists them."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from tests.helpers import run, run_json

AS_OF = ("--as-of", "2022-09-30")


def _stale_tiles(html: str) -> set[str]:
    return set(re.findall(r'<div class="tile light-[a-z]+" data-light="[a-z]+" data-id="([^"]+)" data-stale', html))


def test_board__marks_what_list_stale_lists(git_ledger: Path, runner: CliRunner) -> None:
    before = run(runner, git_ledger, "board", *AS_OF)
    assert before.exit_code == 0, before.output
    stale = {m["id"] for m in run_json(runner, git_ledger, "list", "--stale", *AS_OF)}
    assert "3.4" in stale and _stale_tiles(before.stdout) == stale
    assert f"尚未报送进展：{len(stale)}项" in before.stdout

    reported = run(
        runner, git_ledger, "progress", "3.4", "已召开政企联席会议", "--on", "2022-09-10", "--as-of", "2022-09-30"
    )
    assert reported.exit_code == 0, reported.output
    after = run(runner, git_ledger, "board", *AS_OF)
    assert _stale_tiles(after.stdout) == stale - {"3.4"}
    assert 'data-id="3.4"' in after.stdout  # still on the wall, no longer marked
