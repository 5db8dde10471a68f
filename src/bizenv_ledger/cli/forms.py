"""The departments' 报送表: form (make them), intake (read them back), review (复核), remind (督办通知).

Thin: parse the options, call one function below, show the result.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..model.errors import UsageError
from .app import command
from .options import date_option
from .write import MeasureArg, NoCommit, OnOpt, TodayOpt, _run

__all__: list[str] = []

_KINDS = {"销号": "close", "close": "close", "延期": "postpone", "postpone": "postpone"}


@command("review")
def review_cmd(
    measure: MeasureArg,
    accept: Annotated[bool, typer.Option("--accept", help="同意：销号申请转为销号，延期申请改用新时限。")] = False,
    return_: Annotated[bool, typer.Option("--return", help="退回整改：申请不予同意，措施仍未完成。")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="退回理由（--return 时必填）。")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="复核哪一项：销号 或 延期（两项都在待复核时必填）。")
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
