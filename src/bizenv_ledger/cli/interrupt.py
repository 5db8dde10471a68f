"""Ctrl-C inside a command: a KeyboardInterrupt, so a write can undo; reported as "已中断。", exit code 130.

While the program starts, Ctrl-C ends it at once (``cli.main.leave_at_once``); this
module is what the command wrapper (``cli.app.command``) uses once a command runs.
"""

from __future__ import annotations

import signal
import sys

__all__ = ["caused_by_ctrl_c", "interrupted", "start_up_over"]


def start_up_over() -> None:
    """A command starts: Ctrl-C raises KeyboardInterrupt again (only if the entry point changed it), and the
    collector, paused by the entry point while the program was imported, runs again."""
    from .main import leave_at_once, resume_collector

    resume_collector()

    if signal.getsignal(signal.SIGINT) is leave_at_once:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def caused_by_ctrl_c(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt lies under ``exc``: Python 3.11 turns one raised while a class is
    created (a dataclass, during a lazy import) into "RuntimeError: Error calling __set_name__"."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__
    return False


def interrupted() -> int:
    """Say that a KeyboardInterrupt stopped the command; the exit code to leave with."""
    from .main import EXIT_INTERRUPTED, INTERRUPTED

    # CPython remembers a KeyboardInterrupt that escaped an exec() of a string (dataclasses and
    # pydantic build their methods that way, so a Ctrl-C during an import often lands there) and,
    # though the program handled it, ends itself by SIGINT on the way out instead of exiting 130.
    # Each exec() of a string starts by forgetting it.
    exec("pass")
    try:
        sys.stderr.write(INTERRUPTED + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return EXIT_INTERRUPTED
