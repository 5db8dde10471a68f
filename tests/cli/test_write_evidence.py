"""A 销号 needs 佐证材料: ``--evidence``, or an explicit ``--no-evidence --note 原因`` that the commit records."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import git
from tests.helpers import run, run_json
from tests.writing import EVIDENCE, FILE03, commits


def test_done__without_evidence_is_a_usage_error_telling_both_ways(git_ledger: Path, runner: CliRunner) -> None:
    before, count = (git_ledger / FILE03).read_bytes(), commits(git_ledger.parent)
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15")
    assert result.exit_code == 2
    assert "销号须有佐证材料" in result.stderr and "--evidence" in result.stderr
    assert "--no-evidence --note 原因" in result.stderr
    assert (git_ledger / FILE03).read_bytes() == before and commits(git_ledger.parent) == count


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--no-evidence"], "--no-evidence 须同时用 --note 写明没有佐证材料的原因"),
        (["--no-evidence", "--note", "  "], "--no-evidence 须同时用 --note 写明没有佐证材料的原因"),
        (["--no-evidence", "--note", "会议纪要未印发", "-e", EVIDENCE], "--no-evidence 与 --evidence 不能同时给出"),
    ],
)
def test_done__no_evidence_needs_a_reason_and_no_evidence(
    git_ledger: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    count = commits(git_ledger.parent)
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert commits(git_ledger.parent) == count


def test_done__no_evidence_with_a_reason_is_recorded_as_such(git_ledger: Path, runner: CliRunner) -> None:
    reason = "现场验收，无书面材料"
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "--no-evidence", "--note", reason)
    assert result.exit_code == 0, result.output
    assert "无佐证材料" in result.stdout
    message = git(git_ledger.parent, "log", "-1", "--format=%B")
    assert f"佐证材料：无佐证材料（原因：{reason}）\n" in message
    assert f"Ledger-No-Evidence: {reason}\n" in message and "Ledger-Evidence" not in message
    (entry,) = run_json(runner, git_ledger, "history", "3.2")
    assert (entry["no_evidence"], entry["evidence"], entry["note"]) == (reason, [], reason)
    table = run(runner, git_ledger, "history", "3.2").stdout
    assert f"无佐证材料（原因：{reason}）" in table and f"备注：{reason}" not in table  # said once
    shown = run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-09-01")
    assert (shown["status"], shown["evidence"], shown["done_note"]) == ("done", [], reason)


def test_done__with_evidence_the_commit_has_no_no_evidence_trailer(git_ledger: Path, runner: CliRunner) -> None:
    assert run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "-e", EVIDENCE).exit_code == 0
    message = git(git_ledger.parent, "log", "-1", "--format=%B")
    assert f"Ledger-Evidence: {EVIDENCE}\n" in message and "No-Evidence" not in message
    assert run_json(runner, git_ledger, "history", "3.2")[0]["no_evidence"] is None
