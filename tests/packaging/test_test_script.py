"""scripts/test.py, the README's test command: which system packages it installs, and how.

The apt-get branch runs against a fake PATH (fake apt-get, fc-list, chromium …),
since no test can remove the machine's real packages.
"""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "test.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bizenv_test_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _fake_path(tmp_path: Path, *present: str) -> tuple[dict[str, str], Path]:
    """A PATH holding only a logging apt-get and env, plus the tools named in ``present``."""
    bin_dir, log = tmp_path / "bin", tmp_path / "apt.log"
    bin_dir.mkdir()
    _fake(bin_dir, "apt-get", f'echo "$*" >> "{log}"')
    _fake(bin_dir, "env", 'shift; exec "$@"')  # `env DEBIAN_FRONTEND=noninteractive apt-get …`
    _fake(bin_dir, "fc-list", "echo 'WenQuanYi Micro Hei:style=Regular'" if "font" in present else "true")
    for tool in ("chromium", "ssh-keygen", "soffice", "pdftotext"):
        if tool in present:
            _fake(bin_dir, tool, "true")
    if "soffice" in present:
        (bin_dir / "libsclo.so").write_bytes(b"")  # LibreOffice Calc, beside soffice
    return {**os.environ, "PATH": str(bin_dir)}, log


def _system_only(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(SCRIPT), "--system-only"]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)


def test_test_script__installs_what_is_missing_with_apt_get(tmp_path: Path) -> None:
    assert hasattr(os, "geteuid") and os.geteuid() == 0, "CI and the development machine run as root"
    env, log = _fake_path(tmp_path, "ssh-keygen", "pdftotext")
    proc = _system_only(env)
    assert proc.returncode == 0, proc.stderr
    assert "missing: chromium" in proc.stdout and "missing: fonts-wqy-microhei" in proc.stdout
    calls = log.read_text(encoding="utf-8").splitlines()
    # ssh-keygen and pdftotext were there
    assert calls == [
        "update -qq",
        "install -y -qq chromium fonts-wqy-microhei libreoffice-writer-nogui libreoffice-calc-nogui",
    ]


def test_test_script__installs_nothing_when_all_is_present(tmp_path: Path) -> None:
    env, log = _fake_path(tmp_path, "chromium", "ssh-keygen", "font", "soffice", "pdftotext")
    proc = _system_only(env)
    assert proc.returncode == 0 and "all present" in proc.stdout, proc.stdout + proc.stderr
    assert not log.exists()


def test_apt_prefix__root_direct_sudo_otherwise_none_without_either() -> None:
    script = _script()
    tools = {"apt-get": "/usr/bin/apt-get", "sudo": "/usr/bin/sudo"}
    assert script.apt_prefix(True, tools.get) == ["env", "DEBIAN_FRONTEND=noninteractive"]
    assert script.apt_prefix(False, tools.get) == ["sudo", "env", "DEBIAN_FRONTEND=noninteractive"]
    assert script.apt_prefix(False, {"apt-get": "/usr/bin/apt-get"}.get) is None
    assert script.apt_prefix(True, {}.get) is None  # not Debian: nothing to install with


def test_test_script__runs_what_ci_runs() -> None:
    assert (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("exec python3 scripts/test.py")
    script = _script()
    names = [name for name, _ in script.checks(Path("/v"), Path("/v/bin/python"), [])]
    assert names == ["pytest", "ruff check", "ruff format", "mypy", "lint-imports", "ledger check"]
    assert {need.package for need in script.NEEDS} >= {"chromium", "fonts-wqy-microhei", "openssh-client"}


class _Runs:
    """Stands in for subprocess.run: records each command, fails ``python -m venv`` the first time."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, cmd: list[str], check: bool = False) -> subprocess.CompletedProcess[str]:
        self.calls.append(cmd)
        first_venv = cmd[1:3] == ["-m", "venv"] and sum(c[1:3] == ["-m", "venv"] for c in self.calls) == 1
        return subprocess.CompletedProcess(cmd, 1 if first_venv else 0)


def test_make_venv__installs_python3_venv_when_debian_lacks_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script, runs = _script(), _Runs()
    monkeypatch.setattr(script.subprocess, "run", runs)
    monkeypatch.setattr(script, "apt_prefix", lambda root: ["env", "DEBIAN_FRONTEND=noninteractive"])
    script.make_venv(tmp_path / ".venv")
    package = f"python3.{sys.version_info.minor}-venv"
    assert [c[2:] for c in runs.calls if "apt-get" in c] == [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", package],
    ]
    assert sum(c[1:3] == ["-m", "venv"] for c in runs.calls) == 2  # tried again after the install


def test_make_venv__without_apt_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _script()
    monkeypatch.setattr(script.subprocess, "run", _Runs())
    monkeypatch.setattr(script, "apt_prefix", lambda root: None)
    with pytest.raises(SystemExit) as stopped:
        script.make_venv(tmp_path / ".venv")
    assert stopped.value.code == 1 and "apt-get install python3-venv" in capsys.readouterr().out
