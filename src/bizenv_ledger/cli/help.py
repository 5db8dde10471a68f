"""Help screens in Chinese: typer's bundled click writes its headings and stock texts in English."""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperCommand, TyperGroup

__all__ = ["ChineseCommand", "ChineseGroup", "localise_help"]

_WORDS = [
    ("Usage: ", "用法："),
    ("Options:", "选项："),
    ("Arguments:", "参数："),
    ("Commands:", "命令："),
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("Install completion for the current shell.", "为当前 shell 安装命令补全。"),
    (
        "Show completion for the current shell, to copy it or customize the installation.",
        "显示当前 shell 的补全脚本，便于复制或自行安装。",
    ),
]
_BRACKETS = [
    (re.compile(r"\[default: ([^\]]*)\]"), r"［默认：\1］"),
    (re.compile(r"\[env var: ([^\]]*)\]"), r"［环境变量：\1］"),
    (re.compile(r"\[required\]"), "［必填］"),
]


def localise_help(text: str) -> str:
    # click wraps the long completion text over two lines; join it back before replacing
    text = re.sub(r"to copy it or\s+customize", "to copy it or customize", text)
    for english, chinese in _WORDS:
        text = text.replace(english, chinese)
    for pattern, replacement in _BRACKETS:
        text = pattern.sub(replacement, text)
    return text


def _rewrite(formatter: Any) -> None:
    formatter.buffer[:] = [localise_help("".join(formatter.buffer))]


class ChineseGroup(TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)
        _rewrite(formatter)


class ChineseCommand(TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)
        _rewrite(formatter)
