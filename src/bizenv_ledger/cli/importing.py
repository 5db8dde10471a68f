"""``ledger import``: a plan document (and county lists) into a new ledger folder. Thin."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import command, write_out

if TYPE_CHECKING:
    from rich.console import Console

__all__: list[str] = []

_STEPS = ("读取", "解析", "责任单位", "校验", "写入")


def _terminal_console() -> Console | None:
    """rich's console on stderr when stderr is a terminal; None for pipes, files, tests and CI."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def progress_bar() -> Iterator[Callable[[str], None] | None]:
    """A rich progress bar of the import's steps on a terminal; nothing otherwise."""
    console = _terminal_console()
    if console is None:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(TextColumn("导入：{task.description}"), BarColumn(), console=console, transient=True) as bar:
        task = bar.add_task(_STEPS[0], total=len(_STEPS))

        def advance(step: str) -> None:
            following = _STEPS.index(step) + 1 if step in _STEPS else 0
            bar.update(task, advance=1, description=_STEPS[following] if following < len(_STEPS) else "完成")
            bar.refresh()  # each step is quick: show it now, not at the next tick

        yield advance


@command("import")
def import_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="文件...", help="方案文件（.txt、.docx、.pdf）；其后可再给县区责任清单。", show_default=False
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="目录", help="写入的新台账目录（须不存在或为空）。")],
    units: Annotated[
        Path | None,
        typer.Option(
            "--units", metavar="文件", help="已有的责任单位登记表（units.yaml）：文件中的写法按其名称与别名解析。"
        ),
    ] = None,
) -> None:
    """把方案文件导入为新台账（plan.yaml、units.yaml、indicators/、counties/），并写出导入报告。

    退出码：0 无需复核；1 已写入但有需要复核之处（见“导入报告.md”），或文件无法读取（未写入）；2 用法错误。
    """
    from ..importer import import_plan

    with progress_bar() as progress:
        result = import_plan(list(files), out, progress=progress, units=units)
    write_out(result.summary)
    if result.needs_review:
        raise typer.Exit(1)
