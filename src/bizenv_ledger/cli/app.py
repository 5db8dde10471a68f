"""The typer application, its global options, and the one place that turns errors into exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from ..model.errors import LedgerError, LookupFailed, ProblemsFound, UsageError
from .help import ChineseCommand, ChineseGroup

if TYPE_CHECKING:
    from ..model.domain import Ledger

__all__ = ["AsOf", "Fmt", "OutputFormat", "State", "app", "command", "state"]

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="ledger",
    cls=ChineseGroup,
    help="营商环境对标整改提升工作台账：逾期、差距、销号与通报。",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


@dataclass
class State:
    data: str | None = None
    _loaded: Ledger | None = None

    def root(self) -> Path:
        from ..store.layout import find_ledger

        return find_ledger(self.data, Path.cwd(), dict(os.environ))

    def ledger(self, progress: Callable[[int, int], None] | None = None) -> Ledger:
        from ..store.loader import load_ledger

        if self._loaded is None:
            result = load_ledger(self.root(), progress=progress)
            if result.ledger is None:
                raise ProblemsFound(result.problems)
            self._loaded = result.ledger
        return self._loaded


_STATE = State()


def state() -> State:
    return _STATE


@app.callback()
def _global(
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            envvar="LEDGER_DATA",
            help="台账目录（含 plan.yaml 与 indicators/）；默认向上查找，找不到时用随包附带的 2022 年方案。",
        ),
    ] = None,
) -> None:
    """营商环境对标整改提升工作台账。"""
    if data is not None and not data.strip():
        raise typer.BadParameter("台账目录不能为空", param_hint="--data")
    _STATE.data = data
    _STATE._loaded = None


def _complain(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _problems_report(exc: ProblemsFound) -> str:
    """The problems drawn as a table for a person at a terminal; else one documented line each, for tools."""
    from ..render.output import colour_enabled, drawn_for_people, terminal_width
    from ..render.problems import problem_lines, problems_table

    if not drawn_for_people(sys.stderr):
        return problem_lines(exc.problems)
    from ..render.terminal import screens_text

    try:
        root: Path | None = _STATE.root()
    except LedgerError:
        root = None
    table = problems_table(exc.problems, root)
    return screens_text(table.layouts(), terminal_width(sys.stderr), colour_enabled(sys.stderr))


def _report(exc: LedgerError) -> int:
    if isinstance(exc, ProblemsFound):
        _complain(_problems_report(exc))
    elif isinstance(exc, LookupFailed):
        _complain(f"错误：{exc}")
    elif isinstance(exc, UsageError):
        _complain(f"用法错误：{exc}")
    else:
        _complain(f"错误：{exc}")
    return exc.exit_code


def command(name: str, **kwargs: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a command whose LedgerErrors become a message on stderr and an exit code."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def guarded(*args: P.args, **kw: P.kwargs) -> R:
            try:
                return fn(*args, **kw)
            except LedgerError as exc:
                raise typer.Exit(_report(exc)) from None
            except KeyboardInterrupt:
                _complain("已中断。")
                raise typer.Exit(130) from None
            except BrokenPipeError:
                raise typer.Exit(0) from None
            except OSError as exc:  # a disk or permission fault is the user's to fix, not a crash
                where = f"{exc.filename}：" if exc.filename else ""
                _complain(f"错误：{where}{exc.strerror or exc}")
                raise typer.Exit(1) from None

        app.command(name, cls=ChineseCommand, **kwargs)(guarded)
        return fn

    return decorate


def real_today() -> date:
    """Today in Asia/Shanghai by the machine's clock: the one place the clock is read."""
    from datetime import UTC, datetime

    from ..model.dates import today_in_shanghai

    return today_in_shanghai(datetime.now(UTC))


def parse_as_of(text: str | None) -> date:
    from ..model.dates import DeadlineError, parse_as_of

    if text is None:
        return real_today()
    try:
        return parse_as_of(text)
    except DeadlineError as exc:
        raise UsageError(f"--as-of：{exc}") from None


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        envvar="LEDGER_AS_OF",
        help="以哪一天为准（2022-10-01、2022/10/1、2022年10月1日）；默认上海时间今天。",
    ),
]
Fmt = Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式：table、json、csv、md。")]


def write_out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
