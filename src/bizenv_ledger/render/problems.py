"""``check``'s report: the problems found, as a table for people and as the documented lines for tools.

On a terminal (or wherever ``COLUMNS`` asks for a width) the problems are a table drawn
by rich, grouped by file, the message wrapped under itself. Elsewhere each problem is
one unwrapped line, ``path:line:col: message [field]（提示：hint）``, the form editors
and scripts read, as a compiler's errors are.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model.errors import Problem
from .screen import Column, Part, Screen, prose, words
from .table import Table

__all__ = ["problem_lines", "problems_table"]


def _short(path: str, root: Path | None) -> str:
    """A path inside the ledger, relative to it: the file's name is what a person looks for."""
    if root is None:
        return path
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def problems_table(problems: Sequence[Problem], root: Path | None) -> Table:
    title = f"台账校验 · {root}" if root is not None else "台账校验"
    table = Table(title, ["文件", "行", "列", "字段", "问题", "提示"], right={1, 2})
    screen = Screen(
        f"台账校验：发现 {len(problems)} 个问题" + (f" · {root}" if root is not None else ""),
        [Column("文件", max_width=24), Column("位置", "right"), Column("问题", flex=1, at_least=0.5)],
        notes=[prose(f"共 {len(problems)} 个问题。")],
    )
    shown_file = None
    for p in problems:
        table.add([p.path, str(p.line), str(p.col), p.label or p.field, p.message, p.hint])
        path = _short(p.path, root)
        parts: list[Part] = [prose(p.message)]
        if p.label or p.field:
            parts.append(words([f"［{p.label or p.field}］"], "dim"))
        if p.hint:
            parts.append(prose(f"提示：{p.hint}", "cyan"))
        # a file's name once, over its problems; a path is cut only between its folders
        file_cell = (
            () if path == shown_file else (words([s + "/" for s in path.split("/")[:-1]] + [path.split("/")[-1]]),)
        )
        screen.add(file_cell, f"{p.line}:{p.col}", tuple(parts))
        shown_file = path
    table.screens = [screen]
    return table


def problem_lines(problems: Sequence[Problem]) -> str:
    """The documented form, one problem a line, then the count."""
    return "".join(p.render() + "\n" for p in problems) + f"共 {len(problems)} 个问题。\n"
