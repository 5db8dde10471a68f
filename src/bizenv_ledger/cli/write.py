"""Write commands: done, reopen, progress, postpone, record, undo; and history. Thin: parse, plan, apply, report.

The date a fact happened is ``--on`` (default: today in Asia/Shanghai). ``--as-of``
on a write command only says which day counts as today (for that default and the
"not after today" check); unlike the read side it does not read LEDGER_AS_OF, so a
date set for looking at old reports is never written into the ledger by mistake.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..model.errors import UsageError, WriteRefused
from . import completion
from .app import AsOf, Fmt, OutputFormat, command, parse_as_of, real_today, state, write_out
from .options import LedgerOpt, date_option

if TYPE_CHECKING:
    from ..write.actions import Planner

__all__: list[str] = []

MeasureArg = Annotated[
    str, typer.Argument(metavar="措施编号", help="措施编号（如 3.2）。", autocompletion=completion.measures)
]
OnOpt = Annotated[
    str | None,
    typer.Option("--on", metavar="日期", help="发生日期（2022-08-15、2022/8/15、2022年8月15日）；默认今天。"),
]
NoCommit = Annotated[bool, typer.Option("--no-commit", help="只改文件，不提交 git。")]
TodayOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="日期", help="把哪一天当作今天（默认上海时间今天）；写命令不读取 LEDGER_AS_OF。"),
]
ReasonOpt = Annotated[str, typer.Option("--reason", metavar="原因", help="原因。")]


def _root() -> Path:
    from ..store.layout import is_packaged_plan

    root = state().found_root()
    if root is None:  # the read commands would fall back on the shipped plan
        msg = "没有找到台账目录（用 --data 或 LEDGER_DATA 指定）；随包附带的方案只读，不会被修改"
        raise WriteRefused(msg)
    if is_packaged_plan(root):
        msg = f"{root} 是随包附带的方案，只读，不会被修改；请把它复制到自己的文件夹，再用 --data 指定该文件夹"
        raise WriteRefused(msg)
    return root


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a write goes: the folder (None: found as usual), the measure's id there, and how the user knows it."""

    root: Path | None
    local: str
    shown: str | None = None  # a workspace's 2021:3.2, where the ledger's own id (3.2) is not what the user typed
    ledger: str | None = None  # that ledger's name, for the confirmation of the commit


def _where(typed: str | None) -> _Where:
    """In a workspace: the folder of the ledger that holds the measure (``None``: the primary's), and its ids.

    Only a ledger in a folder of the work tree is written; one read from a git ref is read-only.
    """
    ws = state().workspace()
    if ws is None:
        return _Where(None, typed or "")
    ledger = state().ledger()
    member, qualified = ledger.members[0], typed or ""
    if typed is not None:
        from ..model.names import find_measure

        qualified = find_measure(ledger, typed)[1].id
        member = next(m for m in ledger.members if m.name == ledger.measure_ledger[qualified])
    if member.ref is not None or member.root is None:
        msg = f"只读：来自 git 引用 {member.ref}（台账“{member.name}”）；请在该台账自己的仓库中修改并推送，本工作区 git fetch 后即可看到"
        raise WriteRefused(msg)
    if not member.prefix:  # the first ledger: its ids are the ones typed
        return _Where(Path(member.root), qualified)
    return _Where(Path(member.root), qualified[len(member.prefix) :], qualified, member.name)


def _run(
    planner: Planner,
    *,
    no_commit: bool,
    as_of: str | None,
    optional: bool = True,
    root: Path | None = None,
    ledger: str | None = None,
) -> None:
    """Apply; ``ledger`` names the workspace ledger committed to, where it is not the first (its commit keeps its ids)."""
    from ..write.writer import apply

    now = real_today()
    today = date_option(as_of, "--as-of") or now
    if today > now:  # a write may pretend to be in the past, never in the future
        raise UsageError(f"--as-of：写命令不能把今天设为以后的日期（今天是 {now.isoformat()}）")
    from ..render.safe import visible

    if root is None and state().workspace() is not None:
        root = _where(None).root
    outcome = apply(root or _root(), planner, commit=not no_commit, today=today, optional=optional, notify=_tell)
    write_out(visible(outcome.change.summary) + "\n")
    if outcome.commit:
        where = f"在台账“{ledger}”" if ledger else ""
        write_out(visible(f"已{where}提交 {outcome.commit[:7]}：{outcome.change.message.subject}") + "\n")
    sys.stderr.writelines(visible(note) + "\n" for note in outcome.notes)


def _tell(message: str) -> None:
    from ..render.safe import visible

    sys.stderr.write(visible(message) + "\n")


@command("done")
def done_cmd(
    measure: MeasureArg,
    on: OnOpt = None,
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="说明", help="销号说明；与 --no-evidence 同用时写没有佐证材料的原因。"),
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            "-e",
            metavar="材料",
            help="佐证材料：文号（张电〔2022〕12号）、网址，或仓库内的文件；可多次给出。",
        ),
    ] = None,
    no_evidence: Annotated[
        bool,
        typer.Option("--no-evidence", help="确实没有佐证材料时用，须同时用 --note 写明原因（记入提交）。"),
    ] = False,
    no_commit: NoCommit = False,
    as_of: TodayOpt = None,
) -> None:
    """销号：把一项措施标为已完成，记下日期、佐证材料与说明，并提交一次 git。

    须给出佐证材料（--evidence）；确实没有的，用 --no-evidence --note 原因 写明。
    """
    from ..write.actions import plan_done

    w = _where(measure)
    planner = plan_done(w.local, date_option(on, "--on"), note, evidence or [], no_evidence=no_evidence, shown=w.shown)
    _run(planner, no_commit=no_commit, as_of=as_of, root=w.root, ledger=w.ledger)


@command("reopen")
def reopen_cmd(
    measure: MeasureArg,
    reason: ReasonOpt,
    on: OnOpt = None,
    no_commit: NoCommit = False,
    as_of: TodayOpt = None,
) -> None:
    """退回整改：已销号的措施改回未完成，原销号记录作为退回记录保留。"""
    from ..write.actions import plan_reopen

    w = _where(measure)
    planner = plan_reopen(w.local, date_option(on, "--on"), reason, shown=w.shown)
    _run(planner, no_commit=no_commit, as_of=as_of, root=w.root, ledger=w.ledger)


@command("progress")
def progress_cmd(
    measure: MeasureArg,
    text: Annotated[
        str, typer.Argument(metavar="进展", help="进展情况。以 - 开头的文本写在 -- 之后，--on 等选项写在 -- 之前。")
    ],
    on: OnOpt = None,
    no_commit: NoCommit = False,
    as_of: TodayOpt = None,
) -> None:
    """记录一条带日期的进展情况。"""
    from ..write.actions import plan_progress

    w = _where(measure)
    planner = plan_progress(w.local, date_option(on, "--on"), text, shown=w.shown)
    _run(planner, no_commit=no_commit, as_of=as_of, root=w.root, ledger=w.ledger)


@command("postpone")
def postpone_cmd(
    measure: MeasureArg,
    new_deadline: Annotated[
        str, typer.Argument(metavar="新时限", help="新的完成时限（2022年10月、2022年底、2022-10-31）。")
    ],
    reason: ReasonOpt,
    on: OnOpt = None,
    no_commit: NoCommit = False,
    as_of: TodayOpt = None,
) -> None:
    """延期：改用新的完成时限，原时限与原因记入延期记录；之后 list --slipped 可见。"""
    from ..write.actions import plan_postpone

    w = _where(measure)
    planner = plan_postpone(w.local, new_deadline, date_option(on, "--on"), reason, shown=w.shown)
    _run(planner, no_commit=no_commit, as_of=as_of, root=w.root, ledger=w.ledger)


@command("record")
def record_cmd(
    indicator: Annotated[
        str,
        typer.Argument(
            metavar="指标", help="指标（编号、全称、简称或唯一片段）。", autocompletion=completion.indicators
        ),
    ],
    metric: Annotated[
        str,
        typer.Argument(
            metavar="指标项",
            help="指标项（键名、名称或唯一片段），如 high_voltage_days 或 高压办电时间。",
            autocompletion=completion.metrics,
        ),
    ],
    value: Annotated[
        str, typer.Argument(metavar="读数", help="读数：5、2.7、是/否、110-180、≤60、≥1000（负数写在 -- 之后）。")
    ],
    on: OnOpt = None,
    source: Annotated[str | None, typer.Option("--source", metavar="来源", help="数据来源。")] = None,
    no_commit: NoCommit = False,
    as_of: TodayOpt = None,
) -> None:
    """记录指标项的一次新读数；基线不变，gap 用最新读数并显示进度。"""
    from ..write.readings import plan_record

    _run(plan_record(indicator, metric, value, date_option(on, "--on"), source), no_commit=no_commit, as_of=as_of)


@command("undo")
def undo_cmd(as_of: TodayOpt = None) -> None:
    """撤销工具自己最近的一次修改（须是仓库最近的一次提交），以一次新的提交还原。"""
    from ..write.undo import plan_undo

    _run(plan_undo(), no_commit=False, as_of=as_of, optional=False)


@command("history")
def history_cmd(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="措施或指标", help="措施编号（如 3.2）或指标；不给则列出全部。", autocompletion=completion.targets
        ),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", metavar="单位", help="牵头单位（全称、别名或唯一片段）。", autocompletion=completion.units
        ),
    ] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="日期", help="只看该日及以后的提交。")] = None,
    only: LedgerOpt = None,
    fmt: Fmt = OutputFormat.table,
    as_of: AsOf = None,
) -> None:
    """变更记录：由 git 提交重建谁在何时做了什么（销号、退回、进展、延期、读数、撤销）。工作区中列出各台账的变更。"""
    from .history import history_entries, history_output, history_scope

    until = parse_as_of(as_of) if as_of else None
    first = date_option(since, "--since")
    state().root()  # an interrupted write repaired first, as every command does
    state().select(only)
    scope = history_scope(target, unit)
    entries, notes = history_entries(scope, first, until)
    write_out(history_output(entries, scope.title, fmt.value, notes))
