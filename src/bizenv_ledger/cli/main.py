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

A command line that names its command (``ledger overdue …``) imports only that command's module
and registers only that command: typer builds every registered command's parameters on each
run, and the others' cost a read a third of its start-up. Help, a mistyped command and
completing a command's name register them all.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy knows the name
if TYPE_CHECKING:
    from types import FrameType

    import typer

__all__ = [
    "COMMANDS",
    "EXIT_INTERRUPTED",
    "INTERRUPTED",
    "command_named",
    "leave_at_once",
    "main",
    "resume_collector",
]  # and `app`, through __getattr__

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
INTERRUPTED = "已中断。"


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
    _pause_collector()
    try:
        code = _quick_tab() if "_LEDGER_COMPLETE" in os.environ else None
        if code is None:
            from .. import store
            from .console import adapt_streams
            from .usage import run

            store.freeze_after_load = True  # a short-lived process: what it loads is never garbage (see there)

            adapt_streams()  # a GBK console (Chinese Windows) gets look-alikes, never a UnicodeEncodeError

            code = run(_app(_completing() or sys.argv[1:]), "ledger")
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # see below
    except KeyboardInterrupt:  # a Ctrl-C after a command ended, on the way out
        _signal.signal(_signal.SIGINT, leave_at_once)
        from .interrupt import interrupted

        code = interrupted()
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    # The work is done, or given up: a Ctrl-C now changes nothing. Ignored, it stays ignored while Python
    # shuts down, which would otherwise put back the default action and let a late Ctrl-C kill the process.
    sys.exit(code)


def _quick_tab() -> int | None:
    """A Tab that the names index answers, printed as typer would without importing it (cli/quick_tab.py)."""
    from .quick_tab import answer

    answered = answer(os.environ)
    if answered is None:
        return None
    from .console import adapt_streams

    adapt_streams()
    text, code = answered
    if text is not None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    return code


_paused = [False]  # whether main() paused the collector; a library caller (the tests) never has


def _pause_collector() -> None:
    # The start-up makes a hundred thousand objects (typer, rich, the commands), none of them garbage: the
    # collector would scan them again and again. resume_collector() turns it on when the command starts.
    import gc

    gc.disable()
    _paused[0] = True


def resume_collector() -> None:
    """The collector on again, the start-up's objects out of its sight (gc.freeze): only if main() paused it."""
    if _paused[0]:
        import gc

        _paused[0] = False
        gc.freeze()
        gc.enable()


# Which module registers each command: `ledger overdue` imports cli/read.py alone, and typer builds
# three commands instead of thirty (a third of a read's start-up). tests/cli/test_entry_points.py
# checks this table against the app.
COMMANDS = {
    **dict.fromkeys(("check", "list", "overdue", "gap", "show", "units"), "read"),
    **dict.fromkeys(("done", "reopen", "progress", "postpone", "record", "undo", "history"), "write"),
    **dict.fromkeys(("export", "board", "report"), "report"),
    **dict.fromkeys(("form", "intake", "review", "remind"), "forms"),
    **dict.fromkeys(("schema", "init", "init-repo", "merge-driver"), "tools"),
    "rollup": "read",
    "import": "importing",
}
# in the order their commands are listed by `ledger --help`
_MODULES = ("forms", "importing", "read", "report", "tools", "write")
_GLOBAL_VALUED = ("--data", "--workspace")


def command_named(args: list[str]) -> str | None:
    """The command a command line runs, when it can be told without the app; None for help and the like."""
    words = iter(args)
    for word in words:
        if word in _GLOBAL_VALUED:
            next(words, None)
        elif word.startswith(("--data=", "--workspace=")):
            continue
        elif word.startswith("-"):
            return None  # --help, --version, completion: they need every command
        else:
            return word if word in COMMANDS else None
    return None


def _completing() -> list[str] | None:
    """At a Tab (the shell sets typer's variables): the words typed before the one being completed.

    Only the command's own module is then needed (completing the command's name itself needs them all).
    """
    if not any(name.endswith("_COMPLETE") and name.startswith("_") for name in os.environ):
        return None
    if "COMP_WORDS" in os.environ:  # bash: the words, and the index of the one being completed
        words = os.environ["COMP_WORDS"].split()
        done = words[1 : int(os.environ.get("COMP_CWORD", "0") or 0)]
    else:  # zsh, fish, PowerShell: the line so far, the word being completed last unless a space ends it
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = line.split()
        done = words[1:] if line.endswith(" ") else words[1:-1]
    return done if command_named(done) is not None else []


def _app(args: list[str] | None = None) -> typer.Typer:
    """The app with every command, or with only the one module that ``args``' command needs."""
    import importlib

    from .app import app, register_all, register_only

    command = command_named(args) if args is not None else None
    if command is not None:
        register_only(command)  # typer then builds one command's parameters, not thirty's
        importlib.import_module(f"{__package__}.{COMMANDS[command]}")
        return app
    register_all()
    for module in _MODULES:
        importlib.import_module(f"{__package__}.{module}")  # registers its commands
    return app


def __getattr__(name: str) -> object:
    """``from bizenv_ledger.cli.main import app`` (tests, completion scripts) gets the app with every command."""
    if name == "app":
        return _app()
    raise AttributeError(name)
