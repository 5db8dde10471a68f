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
        (re.compile(r"^No such command '(.+)'\.$"), lambda m: f"没有命令“{m[1]}”"),
        (re.compile(r"^Missing argument '(.+)'\.?$"), lambda m: f"缺少参数 {m[1]}"),
        (re.compile(r"^Missing option '(.+)'\.?$"), lambda m: f"缺少选项 {_names(m[1])}"),
        (re.compile(r"^Missing parameter: (.+)$"), lambda m: f"缺少参数 {m[1]}"),
        (re.compile(r"^Option '(.+)' requires an argument\.$"), lambda m: f"选项 {m[1]} 需要一个值"),
        (re.compile(r"^Option '(.+)' requires (\d+) arguments\.$"), lambda m: f"选项 {m[1]} 需要 {m[2]} 个值"),
        (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), lambda m: f"多余的参数：{m[1]}"),
        (
            re.compile(r"^Invalid value for (.+?): '(.*)' is not one of (.+)\.$"),
            lambda m: f"{_names(m[1])} 的值“{m[2]}”无效，可选：{_names(m[3])}",
        ),
        (re.compile(r"^Invalid value for (.+?): (.+)$"), lambda m: f"{_names(m[1])} 的值无效：{m[2]}"),
    ]


def translate(message: str) -> str:
    """The Chinese for one of click's usage messages; unknown ones pass through unchanged."""
    text = message.strip()
    for pattern, render in _rules():
        if match := pattern.match(text):
            return render(match)
    return text


def _show(exc: Any) -> None:
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":  # `ledger` alone: the help is the answer
        sys.stderr.write(exc.format_message() + "\n")
        return
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage: ", "用法：", 1)
        sys.stderr.write(f"{usage}\n运行“{ctx.command_path} --help”查看帮助。\n\n")
    from ..render.safe import visible

    sys.stderr.write(f"用法错误：{visible(translate(exc.format_message()))}\n")  # it may echo an argument


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
