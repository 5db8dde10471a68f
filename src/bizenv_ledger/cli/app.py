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
    _root: Path | None = None
    _recovered: bool = False

    def root(self, *, recover: bool = True) -> Path:
        """The ledger's folder; first, unless told not to, repair what an interrupted write left there.

        Every command comes through here, reads included. Without a leftover journal
        this costs a few ``stat`` calls and runs no git. Writes pass ``recover=False``:
        they recover under the writers' lock themselves (``write.writer.apply``).
        """
        from ..store.layout import find_ledger, is_packaged_plan

        if self._root is None:
            self._root = find_ledger(self.data, Path.cwd(), dict(os.environ))
        if recover and not self._recovered and not is_packaged_plan(self._root):
            self._recovered = True
            from ..write.journal import pending

            if pending(self._root):
                from ..write.recovery import recover_pending

                for message in recover_pending(self._root):
                    _complain(message)
        return self._root

    def found_root(self) -> Path | None:
        """The ledger --data, LEDGER_DATA or the search names; None where only the shipped plan is left."""
        from ..store.layout import search_ledger

        return search_ledger(self.data, Path.cwd(), dict(os.environ))

    def ledger(self) -> Ledger:
        from ..store.loader import load_ledger

        if self._loaded is None:
            result = load_ledger(self.root())
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
    _STATE._root = None
    _STATE._recovered = False


def _complain(message: str) -> None:
    """Every message the tool prints: an argument or a text it echoes is shown escaped, never raw."""
    from ..render.safe import visible

    sys.stderr.write(visible(message.rstrip("\n")) + "\n")


def _report(exc: LedgerError) -> int:
    if isinstance(exc, ProblemsFound):
        for problem in exc.problems:
            _complain(problem.render())
        _complain(f"共 {len(exc.problems)} 个问题。")
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
