"""The shipped plan is read-only, but a checkout's data/ found by the search is the user's to write."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.store import layout
from tests.helpers import run, run_json


def test_done__a_found_ledger_is_writable_even_where_it_is_the_checkouts_shipped_plan(
    ledger_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In a source checkout (editable install) the shipped plan *is* <repo>/data; run from the repo, the
    # search finds that same folder, and the write must go ahead as it does for an installed copy.
    monkeypatch.setattr(layout, "SHIPPED_PLAN", ledger_dir)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    monkeypatch.chdir(ledger_dir.parent)
    result = run(runner, None, "done", "3.2", "--on", "2022-08-15")
    assert result.exit_code == 0, result.output
    assert run_json(runner, ledger_dir, "show", "3.2", "--as-of", "2022-09-01")["status"] == "done"


def test_done__the_installed_packages_own_plan_is_refused_even_when_named(
    ledger_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout, "PACKAGED_PLAN", ledger_dir)  # as if ledger_dir were site-packages/bizenv_ledger/plan
    before = (ledger_dir / "indicators" / "03-获得电力.yaml").read_bytes()
    result = run(runner, ledger_dir, "done", "3.2", "--on", "2022-08-15")
    assert result.exit_code == 1 and "是随包附带的方案，只读" in result.stderr
    assert (ledger_dir / "indicators" / "03-获得电力.yaml").read_bytes() == before
