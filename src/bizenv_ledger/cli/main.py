"""Command-line entry point: ``ledger`` / ``bizenv-ledger`` / ``python -m bizenv_ledger``.

A Ctrl-C in the first moments of a run (while typer, pydantic and the commands are
imported) used to print a KeyboardInterrupt traceback. So ``main``'s first line makes
Ctrl-C end the process at once with "已中断。" and exit code 130, before importing
anything; nothing has been changed yet that would need undoing. When a command starts,
``cli.interrupt.start_up_over`` makes Ctrl-C a KeyboardInterrupt again, so that a write
can put its file back before the command wrapper reports it.

Importing this module costs nothing, on purpose: no ``typing`` (20 ms on a busy machine),
and the app is imported inside ``main``. Before the package's first line runs (the
interpreter's own start-up) a Ctrl-C is CPython's to report: no program can catch it.

An everyday read command (``ledger overdue …``) registers only itself: typer builds every
registered command's parameters on each run, and the other commands' cost the read path a
tenth of its time. Help, completion and anything else register them all.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy knows the name
if TYPE_CHECKING:
    from types import FrameType

    import typer

__all__ = ["EXIT_INTERRUPTED", "INTERRUPTED", "READ_COMMANDS", "command_name", "leave_at_once", "main"]  # and `app`

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
INTERRUPTED = "已中断。"
READ_COMMANDS = frozenset({"check", "list", "overdue", "gap", "show", "units", "rollup"})


def leave_at_once(signum: int, frame: FrameType | None) -> None:
    """The Ctrl-C handler while the program starts."""
    # os.write, not sys.stderr: the signal may have come in the middle of a buffered write.
    os.write(2, (INTERRUPTED + "\n").encode())
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    """The installed ``ledger`` program: usage errors are reported in Chinese (exit 2), Ctrl-C as 已中断 (130)."""
    # The interpreter itself loaded _signal (the C module under signal): importing it runs no finder,
    # so not one Python line runs before Ctrl-C is handled. `import signal` would import enum first.
    import _signal  # type: ignore[import-not-found]

    _signal.signal(_signal.SIGINT, leave_at_once)
    try:
        from .console import adapt_streams
        from .usage import run

        adapt_streams()  # a GBK console (Chinese Windows) gets look-alikes, never a UnicodeEncodeError

        code = run(_app(sys.argv[1:]), "ledger")
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # see below
    except KeyboardInterrupt:  # a Ctrl-C after a command ended, on the way out
        _signal.signal(_signal.SIGINT, leave_at_once)
        from .interrupt import interrupted

        code = interrupted()
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    # The work is done, or given up: a Ctrl-C now changes nothing. Ignored, it stays ignored while Python
    # shuts down, which would otherwise put back the default action and let a late Ctrl-C kill the process.
    sys.exit(code)


def command_name(argv: list[str]) -> str | None:
    """The command a command line asks for, past the global ``--data DIR`` and ``--workspace FILE``.

    None for ``--help`` and the like.
    """
    args = iter(argv)
    for arg in args:
        if arg in ("--data", "--workspace"):
            next(args, None)
        elif not arg.startswith(("--data=", "--workspace=")):
            return None if arg.startswith("-") else arg
    return None


def _app(argv: list[str] | None = None) -> typer.Typer:
    """The app with only the read command ``argv`` asks for, if it asks for one; else with every command."""
    from .app import app, register_all, register_only

    completing = any(k.endswith("_COMPLETE") for k in os.environ)
    name = command_name(argv) if argv is not None and not completing else None
    if name in READ_COMMANDS:
        register_only(name)
        from . import read as _cli_read  # registers the one command asked for

        return app
    register_all()
    from . import forms as _cli_forms  # noqa: F401  (registers form, intake, review, remind)
    from . import importing as _cli_importing  # noqa: F401  (registers import)
    from . import read as _cli_read  # noqa: F401
    from . import report as _cli_report  # noqa: F401  (registers export, board, report)
    from . import tools as _cli_tools  # noqa: F401  (registers schema, init, init-repo, merge-driver)
    from . import write as _cli_write  # noqa: F401  (registers done, reopen, progress, postpone, record, undo, history)

    return app


def __getattr__(name: str) -> object:
    """``from bizenv_ledger.cli.main import app`` (tests, completion scripts) gets the app with every command."""
    if name == "app":
        return _app()
    raise AttributeError(name)
