"""Shared settings and values of the two fuzz tests (issue 9): bounded, reproducible, and hang-proof.

CI runs a fixed number of examples in a fixed order (``derandomize``), so a failure is
the same failure on every machine. Set LEDGER_FUZZ_EXAMPLES to run more by hand, and
LEDGER_FUZZ_SEED to explore other orders: ``LEDGER_FUZZ_EXAMPLES=2000 LEDGER_FUZZ_SEED=7 pytest tests -k fuzz``.
"""

from __future__ import annotations

import faulthandler
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

_EXAMPLES = int(os.environ.get("LEDGER_FUZZ_EXAMPLES", "60"))
_SEED = os.environ.get("LEDGER_FUZZ_SEED")

FUZZ = settings(
    max_examples=_EXAMPLES,
    derandomize=_SEED is None,
    deadline=timedelta(seconds=15),  # a slow example is a bug (a blow-up), not a slow CI machine
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def fuzz(test: Callable[..., None]) -> Callable[..., None]:
    """The fuzz settings, and LEDGER_FUZZ_SEED's order when one is given."""
    bounded = FUZZ(test)
    return seed(int(_SEED))(bounded) if _SEED is not None else bounded


# How long one example may run before it counts as a hang: the process is stopped with every
# thread's stack on stderr (faulthandler works on Windows too).
HANG_SECONDS = 60


@contextmanager
def no_hang() -> Iterator[None]:
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=sys.stderr)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


# Values that broke the tool once, or that a hurried edit produces.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "3.50",
    "9" * 5000,
    "1" * 4301 + ".5",
    "1e309",
    "nan",
    ".nan",
    "-.inf",
    "0x10",
    "010",
    "1_000",
    "yes",
    "no",
    "on",
    "~",
    "null",
    "true",
    "0000年底",
    "0000年11月",
    "0000-01-01",
    "00000101",
    "9999-12-31",
    "9999年底",
    "2022-02-30",
    "2022年13月",
    "明年",
    "已整改",
    "2022年9月，长期坚持",
    "≤60",
    "≥1000",
    "110-180",
    "180-110",
    "是",
    "否",
    "3.2",
    "13.1",
    "99.9",
    "临泽县:3.1",
    "获得电力",
    "高压办电时间",
    "市财政局",
    "市财正局",
    "六县区人民政府",
    "\x00",
    "\x07",
    "\t",
    "\r\n",
    "\u2028",
    "\ufeff",
    "\u202e",
    "' OR 1=1 --",
    "$(touch pwned)",
    "--format",
    "-",
    "--",
    "🙂" * 50,
    "长" * 10_000,
]

hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))


@dataclass(frozen=True)
class Ran:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_program(runner: CliRunner, data: Path, *args: str) -> Ran:
    """Run the command line as the installed ``ledger`` does (usage errors in Chinese), in-process."""
    from bizenv_ledger.cli.main import app
    from bizenv_ledger.cli.usage import run

    exception: BaseException | None = None
    with runner.isolation() as (out, err, _), patch.object(sys, "argv", ["ledger", "--data", str(data), *args]):
        try:
            code = run(app, "ledger")  # type: ignore[arg-type]
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:  # what the test must never see
            exception, code = exc, -1
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue().decode(errors="replace"), err.getvalue().decode(errors="replace")
    return Ran(code, stdout, stderr, exception)
