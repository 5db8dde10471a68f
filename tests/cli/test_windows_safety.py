"""The program as Windows runs it: no POSIX-only module, no os.fchmod/pread, and GBK consoles.

Each test runs the real program in a subprocess through tests/posixless.py, which
makes ``import fcntl`` (and pwd, grp, termios, resource) fail and turns the tool's
own default-encoding warnings into errors.
"""

from __future__ import annotations

import errno
import json
import os
import pkgutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bizenv_ledger
from tests.conftest import git
from tests.helpers import run
from tests.writing import FILE03, commits

POSIXLESS = Path(__file__).resolve().parents[1] / "posixless.py"
GBK_OUT = "import io, sys; sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='gbk', line_buffering=True)\n"


def ledger(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The program without POSIX modules; output as bytes, so each test decides how to decode it."""
    cmd = [sys.executable, "-X", "warn_default_encoding", str(POSIXLESS), *args]
    return subprocess.run(cmd, capture_output=True, env={**os.environ, **(env or {})}, cwd=cwd, timeout=120)


def ok(proc: subprocess.CompletedProcess[bytes]) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Warning" not in err, err
    return proc.stdout.decode("utf-8")


def test_import__no_module_of_the_package_needs_a_posix_only_module() -> None:
    names = [
        m.name
        for m in pkgutil.walk_packages(bizenv_ledger.__path__, "bizenv_ledger.")
        if m.name != "bizenv_ledger.__main__"
    ]
    assert "bizenv_ledger.store.files" in names and "bizenv_ledger.write.writer" in names
    code = (
        f"import sys; sys.path.insert(0, {str(POSIXLESS.parent)!r}); import posixless; posixless.simulate()\n"
        f"import importlib\nfor name in {names!r}:\n    importlib.import_module(name)\n"
        "print('imported', len(sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("imported"), proc.stderr


def test_write_commands__work_without_fcntl_and_commit(git_ledger: Path) -> None:
    repo, data = git_ledger.parent, str(git_ledger)
    before = commits(repo)
    out = ok(ledger("--data", data, "done", "3.2", "--on", "2022-08-15", "--evidence", "张电〔2022〕12号"))
    assert "已提交" in out
    ok(ledger("--data", data, "progress", "3.3", "APP 消息推送已上线 ✅", "--on", "2022-08-25"))
    ok(ledger("--data", data, "record", "获得电力", "高压办电时间", "5", "--on", "2022-09-01", "--source", "月报"))
    assert commits(repo) == before + 3
    ok(ledger("--data", data, "undo"))
    assert commits(repo) == before + 4
    assert git(repo, "log", "-1", "--format=%(trailers:key=Ledger-Action,valueonly)").strip() == "undo"
    shown = json.loads(ok(ledger("--data", data, "show", "3.2", "--format", "json", "--as-of", "2022-09-02")))
    assert shown["status"] == "done"
    progress = json.loads(ok(ledger("--data", data, "show", "3.3", "--format", "json", "--as-of", "2022-09-02")))
    assert progress["latest_progress"]["text"] == "APP 消息推送已上线 ✅"
    assert git(repo, "status", "--porcelain").strip() == ""
    assert not (repo / ".git" / "ledger.lock").read_bytes()  # released


def test_write_commands__without_fcntl_still_exclude_each_other(git_ledger: Path) -> None:
    lock = git_ledger.parent / ".git" / "ledger.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(POSIXLESS.parent)!r}); import posixless; posixless.simulate()\n"
            "import time; from pathlib import Path; from bizenv_ledger.store.files import ledger_lock\n"
            f"with ledger_lock(Path({str(lock)!r}), 0):\n    print('ready', flush=True); time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        proc = ledger(
            "--data",
            str(git_ledger),
            "done",
            "3.2",
            "-e",
            "张电〔2022〕12号",
            "--on",
            "2022-08-15",
            env={"LEDGER_LOCK_TIMEOUT": "0.3"},
        )
    finally:
        holder.kill()
        holder.wait()
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and f"进程 {holder.pid}" in err and "Traceback" not in err, err


def test_exports__write_their_files_without_fcntl(ledger_dir: Path, tmp_path: Path) -> None:
    data, out = str(ledger_dir), tmp_path / "输出"
    out.mkdir()
    ok(ledger("--data", data, "export", "-o", str(out / "台账.xlsx"), "--as-of", "2022-10-01"))
    assert zipfile.is_zipfile(out / "台账.xlsx")
    ok(ledger("--data", data, "export", "-o", str(out / "财政局.csv"), "--unit", "市财政局", "--as-of", "2022-10-01"))
    assert (out / "财政局.csv").read_bytes().startswith("\ufeff序号".encode())
    ok(ledger("--data", data, "board", "-o", str(out / "挂图作战.html"), "--as-of", "2022-10-01"))
    assert "挂图作战" in (out / "挂图作战.html").read_text(encoding="utf-8")
    ok(ledger("--data", data, "report", "--month", "2022-09", "-o", str(out / "九月通报.html")))
    assert "通报" in (out / "九月通报.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["台账.xlsx", "财政局.csv", "挂图作战.html", "九月通报.html"]
    )


def test_done__without_fcntl_a_crlf_file_stays_crlf(git_ledger: Path) -> None:
    repo, target = git_ledger.parent, git_ledger / FILE03
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    git(repo, "commit", "-q", "-am", "CRLF")
    ok(ledger("--data", str(git_ledger), "done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-08-15"))
    after = target.read_bytes()
    assert b"    status: done\r\n" in after and after.count(b"\n") == after.count(b"\r\n")


READ_COMMANDS = [
    ("overdue", "--as-of", "2022-10-01"),
    ("list", "--as-of", "2023-06-01"),
    ("gap",),
    ("gap", "获得电力"),
    ("units",),
    ("show", "13.3", "--as-of", "2022-10-01"),
    ("show", "3.3", "--as-of", "2022-10-01"),
    ("show", "政府采购"),
    ("history", "3.2"),
    ("report", "--month", "2022-09"),
    ("check",),
]


def _gbk_ledger(git_ledger: Path) -> Path:
    """The git ledger with a closing (✓ in lists) and a progress note that GBK cannot write (emoji, •)."""
    ok(ledger("--data", str(git_ledger), "done", "3.2", "-e", "张电〔2022〕12号", "--on", "2022-08-15"))
    ok(ledger("--data", str(git_ledger), "progress", "3.3", "已上线 🚀 • 第二阶段 👩💻", "--on", "2022-08-25"))
    return git_ledger


@pytest.mark.parametrize("how", ["PYTHONIOENCODING", "pipe"])
def test_read_commands__gbk_stdout_decodes_and_never_crashes(git_ledger: Path, how: str) -> None:
    data = str(_gbk_ledger(git_ledger))
    outputs = []
    commands = (
        READ_COMMANDS if how == "PYTHONIOENCODING" else [c for c in READ_COMMANDS if c[0] in ("list", "show", "gap")]
    )
    for args in commands:
        if how == "PYTHONIOENCODING":
            proc = ledger("--data", data, *args, env={"PYTHONIOENCODING": "gbk", "COLUMNS": "200"})
        else:  # stdout a pipe whose encoding is GBK, as a redirected Windows console gives it
            code = f"{GBK_OUT}import runpy, sys; sys.argv = ['ledger', *sys.argv[1:]]\nrunpy.run_path({str(POSIXLESS)!r}, run_name='__main__')"
            proc = subprocess.run(
                [sys.executable, "-c", code, "--data", data, *args],
                capture_output=True,
                env={**os.environ, "COLUMNS": "200"},
                timeout=120,
            )
        assert proc.returncode == 0, (args, proc.stderr.decode("utf-8", "replace"))
        assert b"Traceback" not in proc.stderr, args
        outputs.append(proc.stdout.decode("gbk"))  # raises if anything but GBK was written
    text = "\n".join(outputs)
    assert "3.2" in text and "销号" in text  # without colour the light is a word, not a mark
    assert "已上线 ? · 第二阶段 ??" in text  # each emoji a ?, the bullet its look-alike (joiners are refused input)
    assert "░" not in text and "✓" not in text


def test_write__gbk_stdout_says_what_it_did(git_ledger: Path) -> None:
    proc = ledger(
        "--data", str(git_ledger), "progress", "3.2", "进展 ✓ 完成 💯", "--on", "2022-08-25",
        env={"PYTHONIOENCODING": "gbk"},
    )  # fmt: skip
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    out = proc.stdout.decode("gbk")
    assert "进展 √ 完成 ?" in out and "已提交" in out
    stored = git(git_ledger.parent, "log", "-1", "--format=%(trailers:key=Ledger-Note,valueonly)").strip()
    assert stored == "进展 ✓ 完成 💯"  # only the screen gets look-alikes: the ledger keeps what was typed


def test_usage_error__gbk_stderr_is_chinese_without_a_traceback() -> None:
    proc = ledger("overdue", "--within", "很久", env={"PYTHONIOENCODING": "gbk"})
    err = proc.stderr.decode("gbk")
    assert proc.returncode == 2 and "用法错误" in err and "Traceback" not in err


def test_export__file_open_in_excel_says_so(
    ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    def denied(src: object, dst: object) -> None:  # what Windows answers when Excel holds the file open
        raise PermissionError(errno.EACCES, "拒绝访问。", str(dst))

    monkeypatch.setattr(os, "replace", denied)
    target = tmp_path / "台账.xlsx"
    result = run(runner, ledger_dir, "export", "-o", str(target), "--as-of", "2022-10-01")
    assert result.exit_code == 1 and "正在 Excel、WPS 等程序中打开" in result.stderr and str(target) in result.stderr
    assert list(tmp_path.glob("*.tmp")) == [] and not target.exists()
