"""Command-line entry point: ``ledger`` / ``bizenv-ledger`` / ``python -m bizenv_ledger``."""

from __future__ import annotations

import sys

from . import forms as _cli_forms  # noqa: F401  (registers form, intake, review, remind)
from . import read as cli_read  # noqa: F401  (registers the read commands)
from . import report as _cli_report  # noqa: F401  (registers export, board, report)
from . import tools as _cli_tools  # noqa: F401  (registers schema, init)
from . import write as _cli_write  # noqa: F401  (registers done, reopen, progress, postpone, record, undo, history)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """The installed ``ledger`` program: usage errors are reported in Chinese (exit 2)."""
    from .console import adapt_streams
    from .usage import run

    adapt_streams()  # a GBK console (Chinese Windows) gets look-alikes, never a UnicodeEncodeError

    sys.exit(run(app, "ledger"))
