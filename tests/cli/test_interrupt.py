"""Ctrl-C while the program starts (issue 9): "已中断。", exit code 130, never a KeyboardInterrupt traceback.

Each run is a real process. Python reports every finished import on stderr
(PYTHONPROFILEIMPORTTIME), so the test knows when ``main`` has started: the first import
that finishes after the entry module's own. It sends SIGINT a set time after that: while
typer, pydantic and the commands are imported, while the ledger is read, while it is
shown. (Before ``main``'s first line there is the interpreter's own start-up: a Ctrl-C
there is CPython's to report, and no program can catch it.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.cli.main import leave_at_once
from tests.conftest import DATA, git
from tests.helpers import run

BIN = Path(sys.executable).parent
ENTRY_LOADED = "bizenv_ledger.cli.main"
DELAYS_MS = [0, 1, 3, 6, 10, 20, 35, 50, 80, 120, 200]  # the last ones land as the program ends
WRITE_DELAYS_MS = [0, 30, 120]
WAYS_IN = {"python -m": [sys.executable, "-m", "bizenv_ledger"], "ledger": [str(BIN / "ledger")]}


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # bytecode as an installed package has it, kept out of the source tree
    return {**env, "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"), "LEDGER_CACHE_DIR": str(tmp_path / "cache")}


def _interrupt(argv: list[str], env: dict[str, str], delay_ms: int, after: str = ENTRY_LOADED) -> tuple[int, str]:
    """Run ``argv``, send SIGINT ``delay_ms`` after the import that follows ``after``'s; exit code and stderr."""
    proc = subprocess.Popen(
        argv, env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    seen: list[str] = []
    for line in proc.stderr:  # e.g. the entry module is imported; the next import to finish is inside main()
        seen.append(line)
        if seen[-2:-1] and seen[-2].rstrip().endswith(after):
            break
    time.sleep(delay_ms / 1000)
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=60)
    stderr = "".join(seen) + rest
    return proc.returncode, "\n".join(line for line in stderr.splitlines() if not line.startswith("import time:"))


@pytest.mark.parametrize("way", list(WAYS_IN))
def test_ctrl_c__at_any_moment_of_start_up_is_exit_130_without_traceback(tmp_path: Path, way: str) -> None:
    argv = [*WAYS_IN[way], "--data", str(DATA), "list", "--as-of", "2022-10-01"]
    env = _env(tmp_path)
    warm = subprocess.run(argv, env=env, capture_output=True, text=True, check=False, timeout=60)
    assert warm.returncode == 0, warm.stderr  # the bytecode and the ledger cache are written
    interrupted = 0
    for delay in DELAYS_MS:
        code, stderr = _interrupt(argv, env, delay)
        assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, (delay, stderr)
        assert code in (130, 0), (delay, code, stderr)  # 0: the listing was already out
        if code == 130:
            interrupted += 1
            assert stderr.strip().endswith("已中断。"), (delay, stderr)
    assert interrupted >= len(DELAYS_MS) // 2  # the early ones land while the program is still starting


def test_ctrl_c__during_a_write_leaves_the_file_and_git_as_they_were(tmp_path: Path, git_ledger: Path) -> None:
    """Inside a command Ctrl-C is a KeyboardInterrupt again, so the write undoes what it began (not os._exit)."""
    env = _env(tmp_path)
    repo = git_ledger.parent
    argv = [*WAYS_IN["python -m"], "--data", str(git_ledger), "progress", "3.2", "已完成现场勘查", "--on", "2022-08-15"]
    warm = subprocess.run([*argv[:5], "list"], env=env, capture_output=True, text=True, check=False, timeout=60)
    assert warm.returncode == 0, warm.stderr
    interrupted = 0
    for delay in WRITE_DELAYS_MS:
        head = git(repo, "rev-parse", "HEAD")
        code, stderr = _interrupt(argv, env, delay, after="bizenv_ledger.write.writer")
        assert "Traceback" not in stderr, (delay, stderr)
        assert code in (130, 0), (delay, code, stderr)
        assert git(repo, "status", "--porcelain") == ""  # never a file changed without its commit
        if code == 130:
            interrupted += 1
            assert stderr.count("已中断。") == 1, stderr
            assert git(repo, "rev-parse", "HEAD") == head
        else:
            assert git(repo, "rev-parse", "HEAD~1") == head  # the whole change, committed
    assert interrupted >= 1


def test_command__gets_keyboard_interrupt_back_from_the_start_up_handler(runner: CliRunner) -> None:
    """The entry point's quick exit must not outlive start-up: a write needs its KeyboardInterrupt to undo."""
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, leave_at_once)
    try:
        result = run(runner, DATA, "check")
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.exit_code == 0, result.output


def test_command__a_ctrl_c_python_wrapped_in_a_runtime_error_is_still_130(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python 3.11 turns a KeyboardInterrupt during a class's creation (a lazy import of a dataclass module)
    into "RuntimeError: Error calling __set_name__"; it printed a traceback with exit code 1."""
    from bizenv_ledger.queries import measures

    def interrupted_import(*_: object, **__: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance 'members'") from exc

    monkeypatch.setattr(measures, "kept_views", interrupted_import)  # what `list` asks for its views
    result = run(runner, DATA, "list", "--as-of", "2022-10-01")
    assert result.exit_code == 130
    assert result.stderr == "已中断。\n"


def test_command__any_other_runtime_error_is_not_taken_for_ctrl_c(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizenv_ledger.queries import measures

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(measures, "kept_views", broken)  # what `list` asks for its views
    result = run(runner, DATA, "list", "--as-of", "2022-10-01")
    assert isinstance(result.exception, RuntimeError)  # a bug stays a bug, for the tests to see
