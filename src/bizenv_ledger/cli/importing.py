"""``ledger import``: a plan document (and county lists) into a new ledger folder. Thin."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..render.progress import IMPORT_STEPS, step_progress
from .app import command, write_out
from .options import RegistryOpt

__all__: list[str] = []


@command("import")
def import_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="文件...", help="方案文件（.txt、.docx、.pdf）；其后可再给县区责任清单。", show_default=False
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="目录", help="写入的新台账目录（须不存在或为空）。")],
    units: RegistryOpt = None,
) -> None:
    """把方案文件导入为新台账（plan.yaml、units.yaml、indicators/、counties/），并写出导入报告。

    退出码：0 无需复核；1 已写入但有需要复核之处（见“导入报告.md”），或文件无法读取（未写入）；2 用法错误。
    """
    from ..importer import import_plan

    with step_progress("导入", IMPORT_STEPS) as progress:
        result = import_plan(list(files), out, progress=progress, units=units)
    write_out(result.summary)
    if result.needs_review:
        raise typer.Exit(1)
