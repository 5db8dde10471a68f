"""A progress bar on stderr for work that runs long: a large ledger's check, export or board.

It shows only on a terminal (never in a pipe, a log or CI), and only once the work
has taken a second, or at once when the ledger is large, so everyday commands on the
plan never flash one. rich is imported only when the bar is shown.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import Any, TextIO

__all__ = ["LARGE", "WorkProgress"]

LARGE = 2000  # measures: a ledger this size shows its bar at once
DELAY = 1.0  # seconds: smaller work shows a bar only once it has run this long


def wanted(stream: TextIO) -> bool:
    """A bar only for a person watching: stderr a terminal, not CI, colour or not."""
    if os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class WorkProgress:
    """``with WorkProgress("校验台账") as tick: work(progress=tick)``: ``tick(done, total)`` moves the bar."""

    def __init__(self, label: str, *, large: bool = False, stream: TextIO | None = None, delay: float = DELAY) -> None:
        self.label = label
        self.large = large
        self.stream = stream or sys.stderr
        self.delay = delay
        self.on = wanted(self.stream)
        self.started = 0.0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> WorkProgress:
        self.started = time.monotonic()
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self.on:
            return
        if self._bar is None:
            if not self.large and time.monotonic() - self.started < self.delay:
                return
            self._start(total)
        self._bar.update(self._task, completed=done, total=total)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(file=self.stream, highlight=False, markup=False, emoji=False)
        self._bar = Progress(
            TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        )  # fmt: skip
        self._task = self._bar.add_task(self.label, total=total)
        self._bar.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
