"""Inputs that used to end in a Python traceback (issue 9, item 4): each is now a message and an exit code.

Found by a fuzz of malformed ledgers and bad arguments; tests/store/test_fuzz_ledger.py and
tests/cli/test_fuzz_commands.py keep that fuzz running.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import git
from tests.helpers import edit, run
from tests.writing import FILE03


def _no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def line_of(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


def _unchanged(data: Path, head: str) -> None:
    assert git(data.parent, "rev-parse", "HEAD") == head
    assert git(data.parent, "status", "--porcelain") == ""


@pytest.mark.parametrize("deadline", ["0000年底", "0000年11月", "0000-06-30", "0000年第三季度"])
def test_postpone__to_the_year_0000_is_a_usage_error(git_ledger: Path, runner: CliRunner, deadline: str) -> None:
    head = git(git_ledger.parent, "rev-parse", "HEAD")
    result = run(runner, git_ledger, "postpone", "3.2", deadline, "--reason", "x", "--on", "2022-08-20")
    _no_traceback(result)
    assert result.exit_code == 2, result.output
    assert f"新的完成时限：无法识别的完成时限“{deadline}”" in result.stderr
    _unchanged(git_ledger, head)


def test_check__a_deadline_in_the_year_0000_is_reported_at_its_line(ledger_dir: Path, runner: CliRunner) -> None:
    path = ledger_dir / FILE03
    edit(path, "deadline: 2022年11月", "deadline: 0000年11月")
    result = run(runner, ledger_dir, "check")
    _no_traceback(result)
    assert result.exit_code == 1
    assert (
        f"{path}:{line_of(path, '0000年11月')}:" in result.stderr and "无法识别的完成时限“0000年11月”" in result.stderr
    )


@pytest.mark.parametrize("digits", [4_301, 10_000])
def test_record__a_number_of_thousands_of_digits_is_a_usage_error(
    git_ledger: Path, runner: CliRunner, digits: int
) -> None:
    head = git(git_ledger.parent, "rev-parse", "HEAD")
    result = run(runner, git_ledger, "record", "获得电力", "高压办电时间", "9" * digits, "--on", "2022-10-01")
    _no_traceback(result)
    assert result.exit_code == 2, result.output
    assert "位数过多（超过 20 位）" in result.stderr
    _unchanged(git_ledger, head)


@pytest.mark.parametrize("typed", ["≤" + "1" * 5000, "1-" + "2" * 5000, "1" * 5000 + ".5天"])
def test_record__long_numbers_inside_other_forms_are_refused_too(
    git_ledger: Path, runner: CliRunner, typed: str
) -> None:
    result = run(runner, git_ledger, "record", "获得电力", "高压办电时间", typed, "--on", "2022-10-01")
    _no_traceback(result)
    assert result.exit_code == 2 and "位数过多" in result.stderr, result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("number: 3\n", "number: " + "3" * 4400 + "\n", "数字位数过多"),
        ("number: 3\n", "number: !!int 0x10\n", "标签 !!int 要求十进制整数"),
        ("number: 3\n", "number: !!int ''\n", "标签 !!int 要求十进制整数"),
        ("number: 3\n", "number: !!bool yes\n", "标签 !!bool 要求true 或 false"),
        ("number: 3\n", "number: true\n", "应为整数，而不是 true/false"),
        ("best: 2.7", "best: !!float abc", "标签 !!float 要求小数"),
        ("best: 2.7", "best: !!float .nan", "标签 !!float 要求小数"),
        ("best: 2.7", "best: " + "2" * 5000 + ".7", "数字位数过多"),
    ],
)
def test_check__explicit_tags_and_huge_numbers_in_the_yaml_are_problems(
    ledger_dir: Path, runner: CliRunner, old: str, new: str, message: str
) -> None:
    path = ledger_dir / FILE03
    edit(path, old, new)
    for args in (("check",), ("list",)):
        result = run(runner, ledger_dir, *args)
        _no_traceback(result)
        assert result.exit_code == 1, result.output
        assert str(path) in result.stderr
        if args == ("check",):
            assert message in result.stderr, result.stderr


def test_check__boolean_indicator_number_is_not_read_as_0_or_1(ledger_dir: Path, runner: CliRunner) -> None:
    """`number: !!bool yes` was read as 指标编号 0, `number: true` as 1 (pydantic takes a bool for an int)."""
    path = ledger_dir / "indicators/01-开办企业与注销.yaml"
    edit(path, "number: 1\n", "number: false\n")
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    assert f"{path}:{line_of(path, 'number: false')}:1: 应为整数，而不是 true/false［number］" in result.stderr
    assert "指标编号 0" not in result.stderr
