"""Usage errors from the command-line parser, said in Chinese.

typer's bundled click words its parser errors in English ("No such option: --x").
The users of this tool read Chinese, so the real program (``main``) runs typer
without its standalone error printing and says the same things in Chinese, with
the same exit codes (2 for usage errors).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import cache
from typing import Any

import typer

__all__ = ["run", "translate"]


def _names(text: str) -> str:
    """'--format' / '-f' → --format、-f; 'table', 'json' → table、json."""
    return "、".join(part.strip().strip("'\"") for part in re.split(r"\s*/\s*|,\s*", text) if part.strip())


@cache
def _rules() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    """Compiled only when a usage error actually happens."""
    return [
        (
            re.compile(r"^No such option: (\S+?)\.? Did you mean (\S+?)\?$"),
            lambda m: f"没有选项 {m[1]}，是否要用 {m[2]}？",
        ),
        (
            re.compile(r"^No such option: (\S+?)\s*\(Possible options: (.+)\)$"),
            lambda m: f"没有选项 {m[1]}（可能是：{m[2]}）",
        ),
        (re.compile(r"^No such option: (.+)$"), lambda m: f"没有选项 {m[1]}"),
        (
            re.compile(r"^No such command '(.+)'\. Did you mean (.+)\?$"),
            lambda m: f"没有命令“{m[1]}”，是否要用 {_names(m[2]).replace('、', ' 或 ')}？",
        ),
        (re.compile(r"^No such command '(.+)'\.$"), lambda m: f"没有命令“{m[1]}”"),
        (re.compile(r"^Missing command\.?$"), lambda m: "缺少命令（运行“ledger --help”查看全部命令）"),
        (re.compile(r"^Option '(.+)' does not take a value\.$"), lambda m: f"选项 {m[1]} 不带值"),
        (re.compile(r"^Missing argument '(.+)'\.?$"), lambda m: f"缺少参数 {m[1]}"),
        (re.compile(r"^Missing option '(.+)'\.?$"), lambda m: f"缺少选项 {_names(m[1])}"),
        (re.compile(r"^Missing parameter: (.+)$"), lambda m: f"缺少参数 {m[1]}"),
        (re.compile(r"^Option '(.+)' requires an argument\.$"), lambda m: f"选项 {m[1]} 需要一个值"),
        (re.compile(r"^Option '(.+)' requires (\d+) arguments\.$"), lambda m: f"选项 {m[1]} 需要 {m[2]} 个值"),
        # click 8.2 says "argument(s)"; an empty string typed as an argument shows as "()"
        (
            re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$"),
            lambda m: f"多余的参数：{m[1] or '（空文本）'}",
        ),
        (
            re.compile(r"^Invalid value for (.+?): '(.*)' is not one of (.+)\.$"),
            lambda m: f"{_names(m[1])} 的值“{m[2]}”无效，可选：{_names(m[3])}",
        ),
        (re.compile(r"^Invalid value for (.+?): (.+)$"), lambda m: f"{_names(m[1])} 的值无效：{m[2]}"),
        (re.compile(r"^Invalid value: (.+)$"), lambda m: f"值无效：{m[1]}"),
    ]


def translate(message: str) -> str:
    """The Chinese for one of click's usage messages; unknown ones pass through unchanged."""
    text = message.strip()
    for pattern, render in _rules():
        if match := pattern.match(text):
            return render(match)
    return text


# What a text starting with "-" or a negative number looks like when written after "--", per command
_DASH_EXAMPLES = {
    "progress": 'ledger progress 3.3 -- "-已上线"',
    "record": "ledger record 获得电力 高压办电时间 -- -1",
}
_TEXT_COMMANDS = {"progress", "postpone", "record", "reopen", "done"}
_UNKNOWN_OPTION = re.compile(r"^No such option: (\S+)")
_EXTRA = re.compile(r"^Got unexpected extra argument")


def hint(message: str, command: str | None, global_options: dict[str, str]) -> str:
    """A word on what was probably meant, for the mistakes people make with this tool's command line.

    ``global_options`` maps each option of ``ledger`` itself to how its value is written ("" for a flag).
    """
    if (m := _UNKNOWN_OPTION.match(message)) is not None:
        name = m[1].rstrip(".")
        if command is not None and name in global_options:
            value = global_options[name]
            example = f"ledger {name} {value} {command} …" if value else f"ledger {name}"
            return f"{name} 是全局选项，须写在命令之前，如：{example}"
        if not re.fullmatch(r"--?[A-Za-z][A-Za-z0-9-]*", name):  # -已上线, -1: text, not an option
            example = _DASH_EXAMPLES.get(command or "", f"ledger {command or '命令'} … -- -文字")
            return f"以 - 开头的文字或负数请写在 -- 之后（选项写在 -- 之前），如：{example}"
    if _EXTRA.match(message) and command in _TEXT_COMMANDS:
        return "含空格的文字请整个放在引号里"
    return ""


def _global_options(ctx: Any) -> dict[str, str]:
    root = ctx.find_root().command
    return {
        name: "" if getattr(param, "is_flag", False) else (param.metavar or "值")
        for param in root.params
        for name in getattr(param, "opts", [])
    }


def _show(exc: Any) -> None:
    from .help import localise_help

    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":  # `ledger` alone: the help is the answer
        sys.stderr.write(exc.format_message() + "\n")
        return
    message = exc.format_message()
    extra = ""
    if ctx is not None:
        sys.stderr.write(f"{localise_help(ctx.get_usage())}\n运行“{ctx.command_path} --help”查看帮助。\n\n")
        command = ctx.info_name if ctx.parent is not None else None
        extra = hint(message, command, _global_options(ctx))
    from ..render.safe import visible

    # the message may echo an argument: shown escaped
    sys.stderr.write(f"用法错误：{visible(translate(message))}\n" + (f"提示：{visible(extra)}\n" if extra else ""))


def run(app: typer.Typer, prog_name: str) -> int:
    """Run the app as the installed program does; return its exit code."""
    try:
        result = app(prog_name=prog_name, standalone_mode=False)
    except typer.TyperException as exc:  # click's ClickException family: usage errors and the like
        _show(exc)
        return int(getattr(exc, "exit_code", 2))
    except typer.Abort:
        sys.stderr.write("已取消。\n")
        return 1
    return result if isinstance(result, int) else 0
