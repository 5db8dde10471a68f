"""The installed program reports the parser's usage errors in Chinese, with exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bizenv_ledger.cli.usage import translate
from tests.conftest import DATA

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
        (["show"], "缺少参数 措施或指标"),
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
    listing = top.stdout.split("命令：", 1)[1].splitlines()
    names = [m[1] for line in listing if (m := re.match(r"^  ([a-z]+)  ", line))]  # not the wrapped lines
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


# ---------------------------------------------------------------- issue 8, item 4: nothing English or internal


def _usage_error(*args: str) -> str:
    proc = subprocess.run([LEDGER, *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Error:" not in proc.stderr
    return proc.stderr


def test_main__unknown_command_suggests_the_near_one_in_chinese() -> None:
    err = _usage_error("lsit")
    assert "用法错误：没有命令“lsit”，是否要用 list？" in err and "Did you mean" not in err


def test_translate__extra_arguments_in_click_8_wording() -> None:
    assert translate("Got unexpected extra argument(s) (3.3)") == "多余的参数：3.3"


def test_main__extra_word_of_a_text_says_to_quote_it() -> None:
    err = _usage_error("--data", str(DATA), "progress", "3.3", "已", "上线")
    assert "用法错误：多余的参数：上线\n提示：含空格的文字请整个放在引号里" in err


def test_main__usage_line_names_the_arguments_in_chinese() -> None:
    err = _usage_error("--data", str(DATA), "postpone", "3.2")
    assert "用法：ledger postpone [选项] 措施编号 新时限\n" in err and "用法错误：缺少参数 新时限" in err
    assert "[OPTIONS]" not in err and "{" not in err and "new_deadline" not in err


def test_main__a_text_starting_with_a_dash_is_pointed_to_double_dash() -> None:
    err = _usage_error("--data", str(DATA), "progress", "3.3", "-已上线")
    assert "用法错误：没有选项 -已\n" in err
    assert '提示：以 - 开头的文字或负数请写在 -- 之后（选项写在 -- 之前），如：ledger progress 3.3 -- "-已上线"' in err
    negative = _usage_error("--data", str(DATA), "record", "获得电力", "高压办电时间", "-1")
    assert "ledger record 获得电力 高压办电时间 -- -1" in negative


def test_main__a_global_option_after_the_command_says_where_it_goes() -> None:
    err = _usage_error("check", "--data", str(DATA))
    assert "用法错误：没有选项 --data\n提示：--data 是全局选项，须写在命令之前，如：ledger --data 目录 check …" in err


def test_main__version_and_short_help() -> None:
    from bizenv_ledger import __version__

    version = subprocess.run([LEDGER, "--version"], capture_output=True, text=True, check=False)
    assert (version.returncode, version.stdout) == (0, f"ledger（bizenv-ledger）{__version__}\n")
    for args in (["-h"], ["list", "-h"]):
        short = subprocess.run([LEDGER, *args], capture_output=True, text=True, check=False)
        assert short.returncode == 0 and short.stdout.startswith("用法：ledger") and "-h, --help" in short.stdout


def test_help__no_english_placeholders_or_yaml_keys_in_any_command() -> None:
    from typer.testing import CliRunner

    from bizenv_ledger.cli.main import app

    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    names = [m[1] for line in top.stdout.splitlines() if (m := re.match(r"^  ([a-z]+)  ", line))]
    for screen in [top.stdout] + [runner.invoke(app, [name, "--help"]).stdout for name in names]:
        for internal in ("<str>", "<path>", "[OPTIONS]", "COMMAND", "[ARGS]", "{", "reopenings", "postponements"):
            assert internal not in screen, (internal, screen[:200])
        assert "env var" not in screen and "Install completion" not in screen


def test_help__chinese_columns_line_up_as_the_terminal_shows_them() -> None:
    """click counts characters; a Chinese one takes two columns, so the help came out ragged."""
    from typer.testing import CliRunner

    from bizenv_ledger.cli.help import _width
    from bizenv_ledger.cli.main import app

    out = CliRunner().invoke(app, ["record", "--help"]).stdout
    options = out.split("选项：\n", 1)[1].splitlines()
    heads = [m[1] for line in options if (m := re.match(r"^(  -\S.*?  +)\S", line))]  # the option, padded
    starts = {_width(head) for head in heads}
    assert len(starts) == 1, options  # every option's help starts in the same column
    assert max(_width(line) for line in out.splitlines()) <= 80


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
