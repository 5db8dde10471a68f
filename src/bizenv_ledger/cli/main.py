"""Command-line entry point: ``ledger`` / ``bizenv-ledger`` / ``python -m bizenv_ledger``.

An everyday read command (``ledger overdue …``) registers only the read commands: typer
builds every registered command's parameters on each run, and the writing and report
commands' cost the read path a tenth of its time. Help, completion and anything else
register them all.
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["app", "main"]  # noqa: F822  (app is given by __getattr__, with every command registered)

READ_COMMANDS = frozenset({"check", "list", "overdue", "gap", "show", "units"})


def command_name(argv: list[str]) -> str | None:
    """The command a command line asks for, past the global ``--data DIR``; None for ``--help`` and the like."""
    args = iter(argv)
    for arg in args:
        if arg == "--data":
            next(args, None)
        elif not arg.startswith("--data="):
            return None if arg.startswith("-") else arg
    return None


def _register(argv: list[str]) -> None:
    from . import read  # noqa: F401  (registers check, list, overdue, gap, show, units)

    completing = any(k.endswith("_COMPLETE") for k in os.environ)
    if command_name(argv) in READ_COMMANDS and not completing:
        return
    from . import (
        report,  # noqa: F401  (registers export, board, report)
        write,  # noqa: F401  (registers done, reopen, progress, postpone, record, undo, history)
    )


def __getattr__(name: str) -> Any:
    """``from bizenv_ledger.cli.main import app``: the app with every command registered."""
    if name == "app":
        _register([])
        from .app import app

        return app
    raise AttributeError(name)


def main() -> None:
    """The installed ``ledger`` program: usage errors are reported in Chinese (exit 2)."""
    from .app import app
    from .usage import run

    _register(sys.argv[1:])
    sys.exit(run(app, "ledger"))
