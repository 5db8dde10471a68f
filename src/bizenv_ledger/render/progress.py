"""A progress bar on stderr for work that runs long: a large ledger's check, export or board.

``step_progress`` is the same for work told in named steps (``ledger import``).

It shows only on a terminal (never in a pipe, a log or CI), and only once the work
has taken a second, or at once when the ledger is large, so everyday commands on the
plan never flash one. rich is imported only when the bar is shown.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["IMPORT_STEPS", "LARGE", "WorkProgress", "step_progress"]

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


IMPORT_STEPS = ("读取", "解析", "责任单位", "校验", "写入")


def _terminal_console() -> Console | None:
    """rich's console on stderr when a person watches it; None for pipes, files, tests and CI."""
    if not wanted(sys.stderr):
        return None
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False, emoji=False)


@contextmanager
def step_progress(label: str, steps: Sequence[str]) -> Iterator[Callable[[str], None] | None]:
    """A bar through ``steps`` on a terminal (``LABEL：step``); None otherwise. Call it with each step done."""
    console = _terminal_console()
    if console is None:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(TextColumn(f"{label}：{{task.description}}"), BarColumn(), console=console, transient=True) as bar:
        task = bar.add_task(steps[0], total=len(steps))

        def advance(step: str) -> None:
            following = steps.index(step) + 1 if step in steps else 0
            bar.update(task, advance=1, description=steps[following] if following < len(steps) else "完成")
            bar.refresh()  # each step is quick: show it now, not at the next tick

        yield advance
