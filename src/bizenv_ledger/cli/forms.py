"""The departments' 报送表: form (make them), intake (read them back), review (复核), remind (督办通知).

Thin: parse the options, call one function below, show the result.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..model.errors import UsageError
from ..render.safe import visible
from . import completion
from .app import AsOf, command, parse_as_of, real_today, state, write_out
from .options import date_option
from .write import MeasureArg, NoCommit, OnOpt, TodayOpt, _run

if TYPE_CHECKING:
    from ..model.domain import Ledger
    from ..model.forms import FormReading

__all__: list[str] = []

_KINDS = {"销号": "close", "close": "close", "延期": "postpone", "postpone": "postpone"}


@command("review")
def review_cmd(
    measure: MeasureArg,
    accept: Annotated[bool, typer.Option("--accept", help="同意：销号申请转为销号，延期申请改用新时限。")] = False,
    return_: Annotated[bool, typer.Option("--return", help="退回整改：申请不予同意，措施仍未完成。")] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="原因", help="退回理由（--return 时必填）。")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", metavar="种类", help="复核哪一项：销号 或 延期（两项都在待复核时必填）。")
    ] = None,
    on: OnOpt = None,
    no_commit: NoCommit = False,
    as_of: TodayOpt = None,
) -> None:
    """复核责任单位的销号申请或延期申请：--accept 同意，--return --reason … 退回。"""
    from ..write.review import plan_review

    if accept == return_:
        raise UsageError("请给出 --accept（同意）或 --return（退回）之一")
    if return_ and not (reason or "").strip():
        raise UsageError("--return 须同时给出 --reason（退回理由）")
    if kind is not None and kind.strip() not in _KINDS:
        raise UsageError(f"--kind 只能是 销号 或 延期，而不是“{kind}”")
    planner = plan_review(
        measure,
        accept=accept,
        reason=reason,
        kind=_KINDS[kind.strip()] if kind else None,
        day=date_option(on, "--on"),
    )
    _run(planner, no_commit=no_commit, as_of=as_of)


def _units_with_forms(ledger: Ledger, as_of: date) -> list[str]:
    """Every registered unit (not a collective) that has an open measure, as lead or cooperating."""
    from ..model.names import UnitIndex
    from ..queries.measures import measure_views

    index = UnitIndex.build(ledger.registry)
    names: set[str] = set()
    for v in measure_views(ledger, as_of):
        if v.status == "open":
            names |= {u for u in index.expand(v.units) if u not in index.collectives}
    return sorted(names)


def _form_bytes(root: Path, ledger: Ledger, unit: str, as_of: date) -> tuple[bytes, int]:
    from .. import __version__
    from ..queries.cycles import current_period
    from ..queries.intake import form_views
    from ..render.form_xlsx import FormSpec, form_workbook
    from .report import data_version

    views = form_views(ledger, unit, as_of)
    spec = FormSpec(
        ledger.plan, unit, current_period(ledger.plan.reporting, as_of), as_of, __version__, data_version(root)
    )
    return form_workbook(spec, views), len(views)


@command("form")
def form_cmd(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="路径", help="报送表文件（.xlsx）；--all 时为目录。")
    ],
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", metavar="单位", help="责任单位（全称、别名或唯一片段）。", autocompletion=completion.units
        ),
    ] = None,
    all_units: Annotated[bool, typer.Option("--all", help="为每个有未完成措施的单位各生成一份。")] = False,
    as_of: AsOf = None,
) -> None:
    """生成责任单位的进展报送表（.xlsx）：未完成措施只读，单位填写本期进展、完成情况、佐证材料等。"""
    from ..model.names import UnitIndex
    from .report import write_file

    if (unit is None) == (not all_units):
        raise UsageError("请给出 --unit 单位 或 --all 之一")
    day = parse_as_of(as_of)
    st = state()
    ledger, root = st.ledger(), st.root()
    if unit is not None:
        canon = UnitIndex.build(ledger.registry).find(unit)
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"-o：报送表应为 .xlsx 文件，而不是“{output.name}”")
        data, n = _form_bytes(root, ledger, canon, day)
        write_file(output, data)
        write_out(visible(f"已生成{canon}的报送表（{n} 项未完成措施）：{output}") + "\n")
        return
    output.mkdir(parents=True, exist_ok=True)
    units = _units_with_forms(ledger, day)
    for name in units:
        data, _ = _form_bytes(root, ledger, name, day)
        write_file(output / f"{name}报送表.xlsx", data)
    write_out(visible(f"已为 {len(units)} 个单位生成报送表：{output}") + "\n")


@command("intake")
def intake_cmd(
    files: Annotated[list[Path], typer.Argument(metavar="文件...", help="填好的报送表（.xlsx 或 .csv），可多个。")],
    apply: Annotated[
        bool, typer.Option("--apply", help="记录下来（每份报送表提交一次）；不加则只显示将作的修改。")
    ] = False,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", metavar="单位", help="只接收该单位的报送表。", autocompletion=completion.units),
    ] = None,
    on: OnOpt = None,
    as_of: TodayOpt = None,
) -> None:
    """读回责任单位填好的报送表：默认只显示将记录的进展、销号申请与延期申请；--apply 才记录。"""
    from ..model.names import UnitIndex
    from ..queries.intake import propose
    from ..store.forms_read import read_form
    from ..write.intake import proposal_lines

    today = _today(as_of)
    day = date_option(on, "--on") or today
    if day > today:
        raise UsageError(f"--on：进展日期 {day.isoformat()} 晚于今天（{today.isoformat()}）")
    ledger = state().ledger()
    expected = UnitIndex.build(ledger.registry).find(unit) if unit else None
    readings = [read_form(path, str(path)) for path in files]
    proposals = [propose(ledger, r, on=day, today=today, expected_unit=expected) for r in readings]
    problems = [x for p in proposals for x in p.problems]
    for p in proposals:
        sys.stderr.writelines(visible(w) + "\n" for w in p.warnings)
        head = f"{p.reading.file}（{p.unit or '单位不明'}，{len(p.changes)} 项将记录）："
        write_out(visible("\n".join([head, *proposal_lines(p)])) + "\n")
    if problems:
        sys.stderr.writelines(visible(x.render()) + "\n" for x in problems)
        sys.stderr.write(f"共 {len(problems)} 个问题，未作任何修改。\n")
        raise typer.Exit(1)
    if not apply:
        write_out("以上为预览，未作任何修改；确认无误后加 --apply 记录。\n")
        return
    _apply_all(readings, day, expected, as_of)


def _apply_all(readings: list[FormReading], day: date, expected: str | None, as_of: str | None) -> None:
    from ..write.intake import NothingToDo, plan_intake

    for reading in readings:
        try:
            _run(plan_intake(reading, on=day, expected_unit=expected), no_commit=False, as_of=as_of, optional=False)
        except NothingToDo as exc:
            write_out(visible(str(exc)) + "\n")


def _today(as_of: str | None) -> date:
    now = real_today()
    today = date_option(as_of, "--as-of") or now
    if today > now:
        raise UsageError(f"--as-of：写命令不能把今天设为以后的日期（今天是 {now.isoformat()}）")
    return today


@command("remind")
def remind_cmd(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="目录", help="督办通知写入的目录（每单位一份 .md 与 .docx）。"),
    ] = None,
    reply_days: Annotated[
        int, typer.Option("--reply-days", metavar="天数", help="要求几日内反馈（默认 5）。", min=1, max=60)
    ] = 5,
    as_of: AsOf = None,
) -> None:
    """督办：列出本报送期未报送进展的单位与有红黄灯措施的单位，并为每个单位写一份督办通知。"""
    from datetime import timedelta

    from ..queries.cycles import current_period, unit_reports
    from ..queries.measures import measure_views
    from ..render.bulletin import blocks_markdown
    from ..render.docx import blocks_docx
    from ..render.notice import Notice, notice_blocks
    from .report import write_file

    day = parse_as_of(as_of)
    ledger = state().ledger()
    period = current_period(ledger.plan.reporting, day)
    reports = unit_reports(ledger, measure_views(ledger, day), period, day)
    notices = []
    for r in reports:
        flagged = [v for v in r.open_measures if v.light in ("red", "yellow")]
        if r.missing or r.late or flagged:
            notices.append(Notice(ledger.plan, r, period, flagged, day, day + timedelta(days=reply_days)))
    missing = [n.report.unit for n in notices if n.report.missing]
    lines = [f"督办 · {period.label}进展（应于 {period.due.isoformat()} 前报送）· 截至 {day.isoformat()}"]
    lines.append(f"未报送（{len(missing)}）：{'、'.join(missing) or '无'}")
    flagged_units = [f"{n.report.unit}（{len(n.flagged)}）" for n in notices if n.flagged]
    lines.append(f"有红黄灯措施（{len(flagged_units)}）：{'、'.join(flagged_units) or '无'}")
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        for n in notices:
            blocks = notice_blocks(n)
            write_file(output / f"{n.report.unit}督办通知.md", blocks_markdown(blocks).encode("utf-8"))
            write_file(output / f"{n.report.unit}督办通知.docx", blocks_docx(blocks))
        lines.append(f"已写入 {len(notices)} 份督办通知：{output}")
    write_out(visible("\n".join(lines)) + "\n")
