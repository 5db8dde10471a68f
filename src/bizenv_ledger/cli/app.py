"""The typer application, its global options, and the one place that turns errors into exit codes."""

from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from typer._completion_classes import completion_init  # typer is pinned to 0.28 (pyproject)

from ..model.errors import LedgerError, LedgerInvalid, LookupFailed, Problem, ProblemsFound, UsageError
from .help import ChineseCommand, ChineseGroup
from .interrupt import caused_by_ctrl_c, interrupted, start_up_over
from .state import State, state

if TYPE_CHECKING:
    pass

__all__ = ["AsOf", "Fmt", "OutputFormat", "State", "app", "command", "complain", "state"]

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="ledger",
    cls=ChineseGroup,
    help="营商环境对标整改提升工作台账：逾期、差距、销号与通报。",
    no_args_is_help=True,
    # our own --install-completion / --show-completion (cli/shell_setup.py); the tab-time side stays typer's
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


# typer registers its completion classes only with add_completion=True: the scripts we install talk to them
completion_init()


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


def _eager(action: Callable[[typer.Context], None]) -> Callable[[typer.Context, bool], None]:
    """An option that acts at once and exits (--version, completion); its usage errors said as the wrapper does."""

    def callback(ctx: typer.Context, value: bool) -> None:
        if not value or ctx.resilient_parsing:
            return
        try:
            action(ctx)
        except UsageError as exc:
            raise typer.Exit(_report(exc)) from None
        raise typer.Exit(0)

    return callback


def _version(ctx: typer.Context) -> None:
    from .. import __version__

    sys.stdout.write(f"ledger（bizenv-ledger）{__version__}\n")


def _install_completion(ctx: typer.Context) -> None:
    from .shell_setup import run_install

    run_install(ctx)


def _show_completion(ctx: typer.Context) -> None:
    from .shell_setup import run_show

    run_show(ctx)


@app.callback()
def _global(
    ctx: typer.Context,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            # no envvar="LEDGER_DATA": click splits a list option's variable at whitespace, and
            # "D:\\My Documents\\台账" would be two ledgers. store.layout.find_ledger reads it whole.
            metavar="目录",
            help="台账目录（含 plan.yaml 与 indicators/，或其上一级）；默认向上查找，找不到时用随包附带的 2022 年方案。"
            "可多次给出，合为一个工作区（名称=目录，如 2021=../plan-2021）。",
        ),
    ] = None,
    workspace: Annotated[
        str | None,
        typer.Option("--workspace", metavar="文件", help="工作区文件 ledger.toml（或其所在目录）；默认向上查找。"),
    ] = None,
    _version_flag: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, expose_value=False, callback=_eager(_version), help="显示版本并退出。"
        ),
    ] = False,
    _install_flag: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            is_eager=True,
            expose_value=False,
            callback=_eager(_install_completion),
            help="安装命令补全；可在其后写明 shell（bash、zsh、fish、powershell、pwsh），不写则按当前 shell。"
            "动手前先列出要写入的文件和要改动的启动文件。",
        ),
    ] = False,
    _show_flag: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            is_eager=True,
            expose_value=False,
            callback=_eager(_show_completion),
            help="显示补全脚本（可在其后写明 shell），便于复制或自行安装；不改动任何文件。",
        ),
    ] = False,
) -> None:
    """营商环境对标整改提升工作台账。"""
    if data is not None and any(not d.strip() for d in data):
        raise typer.BadParameter("台账目录不能为空", param_hint="--data")
    if workspace is not None and not workspace.strip():
        raise typer.BadParameter("工作区文件不能为空", param_hint="--workspace")
    if workspace is not None and data:
        # one would be ignored: say so rather than read another ledger than the one named (LEDGER_DATA yields)
        raise typer.BadParameter("--data 与 --workspace 只能给一个", param_hint="--workspace")
    # every field anew, not one by one: a command run in the same process (tests) inherits nothing
    state().__init__(  # type: ignore[misc]
        data=data[0] if data and len(data) == 1 else None,
        many=data if data and len(data) > 1 else None,
        workspace_file=workspace,
    )


def complain(message: str) -> None:
    """Every message the tool prints: an argument or a text it echoes is shown escaped, never raw."""
    from ..render.safe import visible

    sys.stderr.write(visible(message.rstrip("\n")) + "\n")


def _in_brief(problems: list[Problem]) -> str:
    """Which files have problems and how many: a read or write command refuses, ``check`` says the rest."""
    per_file = Counter(p.path for p in problems)
    lines = [f"台账未通过校验，共 {len(problems)} 个问题，命令未执行："]
    lines += [f"  {path}：{count} 个问题" for path, count in per_file.items()]
    lines.append("请运行“ledger check”查看每个问题的位置与说明，改正后再试。")
    return "\n".join(lines)


def _problems_report(exc: ProblemsFound) -> str:
    """The problems drawn as a table for a person at a terminal; else one documented line each, for tools."""
    from ..render.output import colour_enabled, drawn_for_people, is_terminal, terminal_width
    from ..render.problems import problem_lines, problems_table

    if not drawn_for_people(sys.stderr):
        return problem_lines(exc.problems)
    from ..render.text import screens_text

    try:
        root: Path | None = state().root()
    except LedgerError:
        root = None
    table = problems_table(exc.problems, root)
    width, colour = terminal_width(sys.stderr), colour_enabled(sys.stderr)
    return screens_text(table.layouts(), width, colour, terminal=is_terminal(sys.stderr))


def _report(exc: LedgerError) -> int:
    if isinstance(exc, LedgerInvalid):
        complain(_in_brief(exc.problems))
    elif isinstance(exc, ProblemsFound):
        sys.stderr.write(_problems_report(exc))  # the renderers show every text through render/safe.py
    elif isinstance(exc, LookupFailed):
        complain(f"错误：{exc}")
    elif isinstance(exc, UsageError):
        complain(f"用法错误：{exc}")
    else:
        complain(f"错误：{exc}")
    return exc.exit_code


def command(name: str, **kwargs: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a command whose LedgerErrors become a message on stderr and an exit code."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def guarded(*args: P.args, **kw: P.kwargs) -> R:
            start_up_over()  # from here on a write may need to undo: Ctrl-C is a KeyboardInterrupt again
            try:
                return fn(*args, **kw)
            except LedgerError as exc:
                raise typer.Exit(_report(exc)) from None
            except KeyboardInterrupt:
                raise typer.Exit(interrupted()) from None
            except BrokenPipeError:
                raise typer.Exit(0) from None
            except OSError as exc:  # a disk or permission fault is the user's to fix, not a crash
                where = f"{exc.filename}：" if exc.filename else ""
                complain(f"错误：{where}{exc.strerror or exc}")
                raise typer.Exit(1) from None
            except Exception as exc:
                if caused_by_ctrl_c(exc):  # a Ctrl-C that Python wrapped in another exception
                    raise typer.Exit(interrupted()) from None
                raise

        def register() -> None:
            app.command(name, cls=ChineseCommand, **kwargs)(guarded)

        if _ONLY and name != _ONLY[0]:
            _DEFERRED[name] = register
        else:
            register()
        return fn

    return decorate


# typer builds every registered command's parameters on each run: an everyday read command
# registers itself alone (cli/main.py); the others wait here until the whole app is asked for.
_ONLY: list[str] = []
_DEFERRED: dict[str, Callable[[], None]] = {}


def register_only(name: str) -> None:
    """From now on register only the command ``name``; keep the others for ``register_all``."""
    _ONLY[:] = [name]


def register_all() -> None:
    """Register every command: the deferred ones now, the rest as their modules are imported."""
    _ONLY.clear()
    for register in _DEFERRED.values():
        register()
    _DEFERRED.clear()


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
        metavar="日期",
        help="以哪一天为准（2022-10-01、2022/10/1、2022年10月1日）；默认上海时间今天。",
    ),
]
Fmt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", case_sensitive=False, help="输出格式：table、json、csv、md（大小写均可）。"),
]


def write_out(text: str | Iterable[str]) -> None:
    """Text to stdout; given pieces (a long table drawn a chunk at a time), each is written as it comes."""
    for piece in [text] if isinstance(text, str) else text:
        sys.stdout.write(piece)
    sys.stdout.flush()
