"""Help screens in Chinese: typer's bundled click writes its headings and stock texts in English,
and measures text in characters, so Chinese help came out misaligned and wrapped at twice the width."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import typer
from typer._click.formatting import HelpFormatter  # typer is pinned to 0.28, which bundles click (pyproject)
from typer.core import TyperCommand, TyperGroup

__all__ = ["ChineseCommand", "ChineseGroup", "localise_help", "wrap"]

_WORDS = [
    ("Usage: ", "用法："),
    (" [OPTIONS]", " [选项]"),
    (" COMMAND [ARGS]...", " 命令 [参数]..."),
    (" [ARGS]...", " [参数]..."),
    ("Options:", "选项："),
    ("Arguments:", "参数："),
    ("Commands:", "命令："),
    ("Show this message and exit.", "显示本帮助并退出。"),
]
# Patterns as text, not compiled here: re compiles (and caches) them when help is first shown,
# so a command that shows none never pays for them.
_BRACKETS = [
    (r"\[default:\s+([^\]]*)\]", r"［默认：\1］"),
    (r"\[env\s+var:\s+([^\]]*)\]", r"［环境变量：\1］"),
    (r"\[required\]", "［必填］"),
]


# typer writes a required argument as {name} in the usage line; people read the plain word
_REQUIRED = r"\{([^{}\s]+)\}"


def localise_help(text: str) -> str:
    if text.startswith("Usage: "):
        head, nl, tail = text.partition("\n")
        text = re.sub(_REQUIRED, r"\1", head) + nl + tail
    for english, chinese in _WORDS:
        text = text.replace(english, chinese)
    for pattern, replacement in _BRACKETS:
        text = re.sub(pattern, replacement, text)
    return text


def _width(text: str) -> int:
    """Terminal columns: wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


# a run of Latin letters, digits and the marks inside options and words (--due-before, 2022-10-01) is not cut
_TOKEN = r"［[^］]*］|[A-Za-z0-9_\-./:%@~$<>|=+]+|\s+|."
# Chinese typesetting: a line never starts with closing punctuation; it hangs at the end of the line before
_CLOSING = frozenset("，。、；：？！）」』》〕】”’")


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` columns (each with its indent), counting a Chinese character as two.

    As Chinese is set, a line never starts with closing punctuation: the character before goes down with it.
    """
    lines: list[str] = []
    line: list[str] = []  # the tokens of the line being filled

    def used() -> int:
        return _width(rest if lines else first) + sum(map(_width, line))

    for token in re.findall(_TOKEN, " ".join(text.split())):
        if token.isspace():
            if line:
                line.append(" ")
            continue
        if line and used() + _width(token) > width:
            carried = [line.pop()] if token in _CLOSING and len(line) > 1 and not line[-1].isspace() else []
            lines.append(((rest if lines else first) + "".join(line)).rstrip())
            line = carried
        line.append(token)
    lines.append(((rest if lines else first) + "".join(line)).rstrip())
    return lines


class _Formatter(HelpFormatter):
    """click's HelpFormatter with columns measured as a terminal shows them."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for k, paragraph in enumerate(p for p in re.split(r"\n\s*\n", localise_help(text)) if p.strip()):
            self.write(("\n" if k else "") + "\n".join(wrap(paragraph, self.width, indent, indent)) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((_width(a) for a, _ in rows), default=0), col_max) + col_spacing
        pad = " " * (self.current_indent + first_col)
        for term, english in rows:
            text = localise_help(english)  # before wrapping, so a bracket is never cut in two
            head = " " * self.current_indent + term
            if not text:
                self.write(head + "\n")
                continue
            if _width(term) <= first_col - col_spacing:
                start = head + " " * (first_col - _width(term))
            else:
                self.write(head + "\n")
                start = pad
            self.write("\n".join(wrap(text, max(self.width, len(pad) + 20), start, pad)) + "\n")


class _Context(typer.Context):
    formatter_class = _Formatter


def _rewrite(formatter: Any) -> None:
    formatter.buffer[:] = [localise_help("".join(formatter.buffer))]


class ChineseGroup(TyperGroup):
    context_class = _Context

    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)
        _rewrite(formatter)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if any(a.startswith(("--install-completion", "--show-completion")) for a in args):
            from .shell_setup import take_shell_word  # subprocess and the rest only when asked for

            args = take_shell_word(ctx, list(args), set(self.commands))
        return list(super().parse_args(ctx, args))


class ChineseCommand(TyperCommand):
    context_class = _Context

    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)
        _rewrite(formatter)
