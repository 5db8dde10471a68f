"""The installed program reports the parser's usage errors in Chinese, with exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bizenv_ledger.cli.usage import translate

LEDGER = str(Path(sys.executable).parent / "ledger")


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("No such option: --bogus", "没有选项 --bogus"),
        ("No such option: --unitt (Possible options: --unit)", "没有选项 --unitt（可能是：--unit）"),
        ("Missing argument 'target'.", "缺少参数 target"),
        ("Option '--unit' requires an argument.", "选项 --unit 需要一个值"),
        ("Got unexpected extra argument (x)", "多余的参数：x"),
        ("No such command 'nosuch'.", "没有命令“nosuch”"),
        (
            "Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'csv', 'md'.",
            "--format、-f 的值“xml”无效，可选：table、json、csv、md",
        ),
    ],
)
def test_translate__click_messages_in_chinese(english: str, chinese: str) -> None:
    assert translate(english) == chinese


def test_translate__unknown_message_passes_through() -> None:
    assert translate("Something new") == "Something new"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["overdue", "--bogus"], "没有选项 --bogus"),
        (["show"], "缺少参数 target"),
        (["list", "--format", "xml"], "无效"),
        (["nosuch"], "没有命令"),
    ],
)
def test_main__usage_errors_exit_2_in_chinese(args: list[str], expected: str) -> None:
    proc = subprocess.run([LEDGER, *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert expected in proc.stderr and "用法：ledger" in proc.stderr
    assert "Error:" not in proc.stderr and "Traceback" not in proc.stderr


def test_main__exit_codes_of_commands_pass_through(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[2] / "data"
    late = subprocess.run(
        [LEDGER, "--data", str(data), "overdue", "--exit-code", "--as-of", "2022-10-01"],
        capture_output=True,
        check=False,
    )
    ok = subprocess.run(
        [LEDGER, "--data", str(data), "overdue", "--exit-code", "--as-of", "2022-07-08"],
        capture_output=True,
        check=False,
    )
    unknown = subprocess.run(
        [LEDGER, "--data", str(data), "overdue", "--unit", "不存在的单位"], capture_output=True, text=True, check=False
    )
    assert (late.returncode, ok.returncode, unknown.returncode) == (1, 0, 1)
    assert "找不到责任单位" in unknown.stderr


def test_help__every_command_in_chinese() -> None:
    from typer.testing import CliRunner

    from bizenv_ledger.cli.main import app

    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0 and "命令：" in top.stdout
    names = [line.split()[0] for line in top.stdout.split("命令：", 1)[1].splitlines() if line.strip()]
    assert {"check", "list", "overdue", "gap", "show", "units", "done", "history", "undo", "export"} <= set(names)
    for name in names:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "用法：" in result.stdout and "选项：" in result.stdout and "显示本帮助并退出。" in result.stdout, name
        assert "Show this message" not in result.stdout and "[default:" not in result.stdout, name


def test_translate__option_with_spaces_is_still_chinese() -> None:
    assert translate("No such option: --amend $(touch x)") == "没有选项 --amend $(touch x)"


def test_main__empty_data_option_is_a_usage_error() -> None:
    proc = subprocess.run([LEDGER, "--data", "", "list"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "台账目录不能为空" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--data", "x"], "缺少命令（运行“ledger --help”查看全部命令）"),
        (["overdue", "--exit-code=yes"], "选项 --exit-code 不带值"),
    ],
)
def test_main__missing_command_and_a_value_for_a_flag_in_chinese(args: list[str], expected: str) -> None:
    """Found by the command-line fuzz (tests/cli/test_fuzz_commands.py): click said these in English."""
    proc = subprocess.run([LEDGER, *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert f"用法错误：{expected}" in proc.stderr
    assert "Missing" not in proc.stderr and "does not take" not in proc.stderr


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Got unexpected extra argument(s) ()", "多余的参数：（空文本）"),
        ("Got unexpected extra argument(s) (a b)", "多余的参数：a b"),
        ("Missing command.", "缺少命令（运行“ledger --help”查看全部命令）"),
        ("Option '--lead' does not take a value.", "选项 --lead 不带值"),
    ],
)
def test_translate__wordings_the_fuzz_found(english: str, chinese: str) -> None:
    """click 8.2 says "argument(s)", and an empty argument shows as "()": both stayed English."""
    assert translate(english) == chinese
