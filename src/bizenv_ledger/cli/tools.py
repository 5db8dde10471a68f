"""Commands around the ledger rather than in it: ``schema``, ``init``, and git's ``init-repo`` / ``merge-driver``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..model.errors import UsageError, WriteRefused
from .app import command, real_today, state, write_out
from .options import RegistryOpt

__all__: list[str] = []


@command("schema")
def schema_cmd(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="[种类]", help="哪一种文件：plan、units、indicator 或 county；不给则输出全部。", show_default=False
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="目录", help="写入这个目录（每种文件一个“种类.schema.json”）。"),
    ] = None,
) -> None:
    """输出台账文件的 JSON Schema（draft 2020-12），供编辑器边写边校验。"""
    from ..store.json_schema import KINDS, json_schema, schema_text
    from .report import write_file

    kinds = list(KINDS)
    if kind is not None:
        chosen = kind.strip().lower()
        if chosen not in KINDS:
            raise UsageError(f"没有“{kind}”这种文件；可用：{'、'.join(kinds)}")
        kinds = [chosen]
    if out is None:
        if len(kinds) == 1:
            write_out(schema_text(kinds[0]))
        else:
            write_out(json.dumps({k: json_schema(k) for k in kinds}, ensure_ascii=False, indent=2) + "\n")
        return
    out.mkdir(parents=True, exist_ok=True)
    for k in kinds:
        write_file(out / f"{k}.schema.json", schema_text(k).encode("utf-8"))
    sys.stderr.write(f"已写入 {len(kinds)} 个 JSON Schema：{out}\n")


@command("init")
def init_cmd(
    directory: Annotated[
        Path, typer.Argument(metavar="目录", help="新台账的目录（不存在或为空）。", show_default=False)
    ],
    source: Annotated[
        list[Path] | None,
        typer.Option(
            "--from",
            metavar="文件",
            help="从方案文件（.txt、.docx、.pdf）导入；可重复，其后给县区责任清单。",
            show_default=False,
        ),
    ] = None,
    units: RegistryOpt = None,
) -> None:
    """新建台账并做第一次 git 提交；给 --from 时导入方案文件，连同导入报告一起提交。

    退出码：0 完成；1 已新建并提交，但导入结果有需要复核之处（见“导入报告.md”）；2 用法错误。
    """
    from ..write.init import init_ledger

    if units is not None and not source:
        raise UsageError("--units 须与 --from 一起使用：只有导入方案时才按登记表解析单位写法")
    if not source:
        result = init_ledger(directory, real_today())
        write_out(
            f"已新建台账：{result.root}（{len(result.files)} 个文件，提交 {result.commit[:7]}）\n"
            "下一步：填写 plan.yaml 的发文信息，添加 indicators/ 下的指标文件，然后运行 ledger check。\n"
            "启用提交前校验：pip install pre-commit，再在该目录运行 pre-commit install。\n"
        )
        return
    from ..importer import build_import
    from ..render.progress import IMPORT_STEPS, step_progress

    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(f"“{directory}”已存在且不为空：请换一个新目录")
    with step_progress("导入", IMPORT_STEPS) as progress:
        files, imported = build_import(list(source), directory, progress=progress, units=units)
    names = "、".join(path.name for path in source)
    result = init_ledger(directory, real_today(), files, message=f"导入方案：{names}（ledger init --from）")
    write_out(imported.summary)
    write_out(f"已新建台账并提交：{result.root}（{len(result.files)} 个文件，提交 {result.commit[:7]}）\n")
    if imported.needs_review:
        write_out("导入结果有需要复核之处：请对照“导入报告.md”修改，运行 ledger check，再提交。\n")
        raise typer.Exit(1)


@command("init-repo")
def init_repo_cmd(
    directory: Annotated[
        Path | None, typer.Argument(help="台账目录；默认按 --data、LEDGER_DATA 或向上查找。", show_default=False)
    ] = None,
) -> None:
    """在本仓库启用台账的合并驱动：写入 .gitattributes，并在本克隆的 .git/config 中登记 ledger merge-driver。"""
    from ..store.layout import is_packaged_plan
    from ..write.init import setup_merge

    root = directory if directory is not None else state().found_root()
    if root is None or not (root / "plan.yaml").is_file():
        raise WriteRefused(f"“{root or Path.cwd()}”不是台账目录（找不到 plan.yaml）；请用 --data 或参数指定")
    if is_packaged_plan(root):
        raise WriteRefused(f"{root} 是随包附带的方案，只读")
    attributes, added = setup_merge(root)
    done = f"已在 {attributes} 中加入 {len(added)} 行，" if added else f"{attributes} 已含合并驱动的设置，"
    write_out(
        f"{done}并在本克隆的 git 配置中登记了 ledger merge-driver。\n"
        + (
            "请提交 .gitattributes（git add .gitattributes && git commit），其他人拉取后也各运行一次 ledger init-repo。\n"
            if added
            else ""
        )
    )


@command("merge-driver")
def merge_driver_cmd(
    base: Annotated[Path, typer.Argument(help="共同祖先版本（git 的 %O）。", show_default=False)],
    ours: Annotated[Path, typer.Argument(help="本地版本，合并结果写回这里（git 的 %A）。", show_default=False)],
    theirs: Annotated[Path, typer.Argument(help="对方版本（git 的 %B）。", show_default=False)],
    path: Annotated[str, typer.Argument(help="文件在仓库中的路径（git 的 %P）。", show_default=False)] = "",
) -> None:
    """git 合并驱动（由 git merge 调用）：按措施、指标项合并台账文件，两边的进展、读数都保留，按日期排序。

    两边改得不同的内容（如同一措施两边销号日期不同）保留为冲突，退出码 1。
    """
    from ..render.safe import visible
    from ..write.merge import merge_files

    outcome = merge_files(base, ours, theirs, path or ours.name)
    if outcome.conflicts and not outcome.structural:
        sys.stderr.write(visible(f"{path}：无法按结构合并（{outcome.fallback}），已改用 git 的文本合并。") + "\n")
    for message in outcome.conflicts:
        sys.stderr.write(visible(f"合并冲突：{path}：{message}") + "\n")
    if outcome.conflicts:
        sys.stderr.write(
            visible("请在文件中保留正确的一份（删去 <<<<<<< ======= >>>>>>> 标记），再 git add 并提交。") + "\n"
        )
        raise typer.Exit(1)
