"""The write commands refuse text the ledger must not hold (exit 2, the option named, nothing written).

Control characters, bidi overrides and other invisible characters, Unicode
noncharacters (git rewrites them as mojibake in the commit), over-long texts,
evidence from inside ``.git`` and a bare 号 for a document number.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.model.domain import Closing
from bizenv_ledger.model.text import LONG_TEXT, REFERENCE, UNSAFE
from bizenv_ledger.store.loader import load_ledger
from tests.conftest import git
from tests.helpers import run, run_json
from tests.writing import FILE03, REFUSED, commits

ON = ("--on", "2022-08-15")


def _refused(runner: CliRunner, data: Path, *args: str) -> str:
    """Run a write that must be refused: exit 2, the file and the history as they were; its message."""
    before, count = (data / FILE03).read_bytes(), commits(data.parent)
    result = run(runner, data, *args)
    assert result.exit_code == 2, result.output
    assert (data / FILE03).read_bytes() == before and commits(data.parent) == count
    assert UNSAFE.findall(result.stderr) == [] and "Traceback" not in result.output
    return result.stderr


def _closing(data: Path) -> Closing:
    ledger = load_ledger(data, use_cache=False).ledger
    assert ledger is not None
    closing = next(m for i in ledger.indicators for m in i.measures if m.id == "3.2").closing
    assert closing is not None
    return closing


def test_done__note_with_the_issues_escape_sequence_is_refused(git_ledger: Path, runner: CliRunner) -> None:
    err = _refused(runner, git_ledger, "done", "3.2", *ON, "--note", REFUSED["escape"])
    assert "--note 含有控制字符 U+001B（ESC），位于第 1 个字符" in err


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_progress__refused_character_exit_2(git_ledger: Path, runner: CliRunner, name: str) -> None:
    text = REFUSED[name]
    bad = next(ch for ch in text if UNSAFE.match(ch))
    err = _refused(runner, git_ledger, "progress", "3.2", *ON, "--", text)
    assert "用法错误：进展情况含有" in err and f"U+{ord(bad):04X}" in err


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("done", "3.2", *ON, "--note", "备注\x07"), "--note"),
        (("done", "3.2", *ON, "-e", "张电〔2022〕12号\u202e"), "--evidence"),
        (("postpone", "3.2", "2022年12月", "--reason", "原因\x9b", *ON), "--reason"),
        (("postpone", "3.2", "2022年12月\x1b[2J", "--reason", "原因", *ON), "新的完成时限"),
        (("record", "获得电力", "high_voltage_days", "5", "--source", "月报\x7f", *ON), "--source"),
    ],
)
def test_write__each_text_option_refuses_control_characters(
    git_ledger: Path, runner: CliRunner, args: tuple[str, ...], named: str
) -> None:
    err = _refused(runner, git_ledger, *args)
    assert f"用法错误：{named}" in err and "含有" in err


def test_reopen__reason_with_a_bidi_override_is_refused(git_ledger: Path, runner: CliRunner) -> None:
    assert run(runner, git_ledger, "done", "3.2", *ON).exit_code == 0
    err = _refused(runner, git_ledger, "reopen", "3.2", "--reason", REFUSED["rlo"], "--on", "2022-08-20")
    assert "--reason 含有双向文本控制符 U+202E" in err


def test_done__note_of_43000_characters_is_refused(git_ledger: Path, runner: CliRunner) -> None:
    err = _refused(runner, git_ledger, "done", "3.2", *ON, "--note", "很长的说明" * 8600)
    assert f"--note 长度 43000 字，超过上限 {LONG_TEXT} 字" in err


def test_done__note_at_the_limit_is_accepted(git_ledger: Path, runner: CliRunner) -> None:
    note = "长" * LONG_TEXT
    result = run(runner, git_ledger, "done", "3.2", *ON, "--note", note)
    assert result.exit_code == 0, result.output
    assert run_json(runner, git_ledger, "show", "3.2")["done_note"] == note


def test_progress__windows_line_ends_are_stored_as_newlines(git_ledger: Path, runner: CliRunner) -> None:
    result = run(runner, git_ledger, "progress", "3.2", *ON, "--", "第一行\r\n第二行")
    assert result.exit_code == 0, result.output
    shown = run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-08-15")
    assert shown["latest_progress"]["text"] == "第一行\n第二行"


@pytest.mark.parametrize("text", ["a\ufffeb", "a\uffffb", "a\U0010ffffb"])
def test_progress__noncharacter_is_refused_rather_than_garbled_by_git(
    git_ledger: Path, runner: CliRunner, text: str
) -> None:
    """git's commit check rewrote U+FFFE as "ï¿¾" in the commit, so `history` showed mojibake."""
    err = _refused(runner, git_ledger, "progress", "3.2", *ON, "--", text)
    assert "非字符" in err
    assert run_json(runner, git_ledger, "history") == []


def test_done__evidence_longer_than_its_limit_is_refused(git_ledger: Path, runner: CliRunner) -> None:
    url = "https://example.org/" + "a" * REFERENCE
    err = _refused(runner, git_ledger, "done", "3.2", *ON, "-e", url)
    assert f"--evidence 长度 {len(url)} 字，超过上限 {REFERENCE} 字" in err


# ---------------------------------------------------------------- evidence


@pytest.mark.parametrize("typed", [".git/config", ".git/HEAD", "data/../.git/config", "./.git//config", ".GIT/config"])
def test_done__evidence_inside_dot_git_is_refused(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    repo = git_ledger.parent
    monkeypatch.chdir(repo)
    if typed.startswith(".GIT") and not (repo / ".GIT").exists():
        os.symlink(".git", repo / ".GIT")  # a case-sensitive file system: the same folder by another spelling
    err = _refused(runner, git_ledger, "done", "3.2", *ON, "-e", typed)
    assert "在 git 的内部目录（.git）中，不能作为佐证材料" in err


def test_done__evidence_symlink_into_dot_git_is_refused(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_ledger.parent
    (repo / "佐证").mkdir()
    os.symlink("../.git/config", repo / "佐证" / "验收.pdf")
    git(repo, "add", "佐证")
    git(repo, "commit", "-q", "-m", "佐证")
    monkeypatch.chdir(repo)
    err = _refused(runner, git_ledger, "done", "3.2", *ON, "-e", "佐证/验收.pdf")
    assert "佐证文件 佐证/验收.pdf 在 git 的内部目录（.git）中" in err


@pytest.mark.parametrize("typed", ["号", "12号", "〔2022〕号", "〔2022〕12号", "第5号", "2022年12号", "张电〔22〕12号"])
def test_done__evidence_that_is_not_a_document_number_is_refused(
    git_ledger: Path, runner: CliRunner, typed: str
) -> None:
    err = _refused(runner, git_ledger, "done", "3.2", *ON, "-e", typed)
    assert f"佐证材料“{typed}”既不是文号" in err and "张电〔2022〕12号" in err


@pytest.mark.parametrize(
    "typed",
    [
        "张电〔2022〕12号",
        "甘政办发〔2022〕45号",
        "张营商办〔2022〕3号",
        "张政办发[2022]3号",
        "甘政发（２０２２）１２号",
        "国办发【2020】第24号",
        "关于印发优化营商环境方案的通知（甘政办发〔2022〕45号）",
    ],
)
def test_done__real_document_numbers_are_accepted(git_ledger: Path, runner: CliRunner, typed: str) -> None:
    result = run(runner, git_ledger, "done", "3.2", *ON, "-e", typed)
    assert result.exit_code == 0, result.output
    closing = _closing(git_ledger)
    assert [(e.ref, e.kind) for e in closing.evidence] == [(typed, "doc")]
