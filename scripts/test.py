"""Run every check the project has, on a fresh machine: ``python3 scripts/test.py`` (Windows: ``py scripts\\test.py``).

1. Provides what the tests need from the system, with apt-get where it is missing
   and can be installed (as root, or through sudo): Chromium for the board's
   browser test, a CJK font for its screenshot, ssh-keygen for the commit-signing
   tests. Elsewhere (no apt-get, Windows) it says what is missing and goes on: the
   tests that need it then fail, they never skip.
2. Makes the virtual environment .venv (or uses the one it runs in) and installs
   the project with its test tools: ``pip install ".[test]"``.
3. Runs pytest, ruff (check and format), mypy, lint-imports and ``ledger check``,
   all of them, and exits 1 if any failed.

``.ci/run`` runs exactly this. Options: ``--venv DIR``, ``--no-system`` (skip
step 1), ``--system-only`` (only step 1); arguments after ``--`` go to pytest.
Standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WINDOWS = os.name == "nt"


@dataclass(frozen=True)
class Need:
    """A system package the tests need, and how to tell it is there."""

    package: str  # the Debian package that provides it
    why: str
    present: Callable[[], bool]


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    proc = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(proc.stdout.strip())


# Add a line here when a test needs another system package (libreoffice, say).
def _has_calc() -> bool:
    """LibreOffice's spreadsheet module lies beside the soffice program, as Debian installs it."""
    soffice = shutil.which("soffice")
    return soffice is not None and (Path(soffice).resolve().parent / "libsclo.so").exists()


NEEDS = [
    Need("chromium", "the board's browser test (tests/browser)", lambda: shutil.which("chromium") is not None),
    Need("fonts-wqy-microhei", "Chinese text in the browser test's screenshot", _has_cjk_font),
    Need("openssh-client", "ssh-keygen for the commit-signing tests", lambda: shutil.which("ssh-keygen") is not None),
    Need(
        "libreoffice-writer-nogui",
        "the Word 通报 converted to PDF (tests/render/test_docx.py)",
        lambda: shutil.which("soffice") is not None,
    ),
    Need(
        "libreoffice-calc-nogui",
        "the workbook read back as shown (tests/render/test_xlsx_figures.py)",
        _has_calc,
    ),
    Need(
        "poppler-utils", "pdfinfo and pdftotext for the converted PDFs", lambda: shutil.which("pdftotext") is not None
    ),
]


def say(message: str) -> None:
    print(f"[test.py] {message}", flush=True)


def is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)  # POSIX only
    return geteuid is not None and geteuid() == 0


def apt_prefix(root: bool, which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """How to run apt-get here: directly as root, through sudo otherwise; None where it cannot be."""
    if WINDOWS or which("apt-get") is None:
        return None
    if root:
        return ["env", "DEBIAN_FRONTEND=noninteractive"]
    if which("sudo") is not None:
        return ["sudo", "env", "DEBIAN_FRONTEND=noninteractive"]
    return None


def apt_install(packages: Sequence[str], prefix: list[str]) -> bool:
    say(f"apt-get install {' '.join(packages)}")
    for args in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        if subprocess.run([*prefix, *args], check=False).returncode != 0:
            say(f"apt-get failed: {' '.join(args)}")
            return False
    return True


def provide_system_packages() -> None:
    missing = [need for need in NEEDS if not need.present()]
    if not missing:
        say("system packages: all present")
        return
    for need in missing:
        say(f"missing: {need.package} ({need.why})")
    prefix = apt_prefix(is_root())
    if prefix is None:
        say("cannot install them here (needs apt-get, as root or with sudo): the tests that need them will fail")
        return
    if apt_install([need.package for need in missing], prefix):
        still = [need.package for need in missing if not need.present()]
        if still:
            say(f"still missing after apt-get: {' '.join(still)}")


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if WINDOWS else "bin/python")


def venv_tool(venv: Path, name: str) -> str:
    return str(venv / ("Scripts" if WINDOWS else "bin") / (f"{name}.exe" if WINDOWS else name))


def make_venv(venv: Path) -> Path:
    """The virtual environment's python, made first if need be (with python3-venv from apt if that is missing)."""
    python = venv_python(venv)
    if python.exists():
        return python
    say(f"python -m venv {venv}")
    if subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False).returncode == 0:
        return python
    shutil.rmtree(venv, ignore_errors=True)
    package = f"python3.{sys.version_info.minor}-venv"
    prefix = apt_prefix(is_root())
    if prefix is None or not apt_install([package], prefix):
        say(f"could not make a virtual environment: install {package} (apt-get install python3-venv) and run again")
        sys.exit(1)
    if subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False).returncode != 0:
        sys.exit(1)
    return python


def checks(venv: Path, python: Path, pytest_args: Sequence[str]) -> list[tuple[str, list[str]]]:
    """What .ci/run has always run, in order."""
    return [
        ("pytest", [str(python), "-m", "pytest", *pytest_args]),
        ("ruff check", [venv_tool(venv, "ruff"), "check", "src", "tests", "benchmarks", "scripts"]),
        ("ruff format", [venv_tool(venv, "ruff"), "format", "--check", "src", "tests", "benchmarks", "scripts"]),
        ("mypy", [venv_tool(venv, "mypy")]),
        ("lint-imports", [venv_tool(venv, "lint-imports")]),
        ("ledger check", [venv_tool(venv, "ledger"), "--data", "data", "check"]),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install what the tests need and run every check.")
    parser.add_argument("--venv", type=Path, help="virtual environment to make or use (default: .venv)")
    parser.add_argument("--no-system", action="store_true", help="do not install system packages")
    parser.add_argument("--system-only", action="store_true", help="only install the system packages")
    parser.add_argument("pytest_args", nargs="*", help="given to pytest (after --)")
    args = parser.parse_args(argv)
    os.chdir(REPO)
    if not args.no_system:
        provide_system_packages()
    if args.system_only:
        return 0
    in_venv = sys.prefix != sys.base_prefix and args.venv is None
    venv = Path(sys.prefix) if in_venv else (args.venv or REPO / ".venv").resolve()
    python = Path(sys.executable) if in_venv else make_venv(venv)
    say(f'pip install ".[test]" into {venv}')
    if subprocess.run([str(python), "-m", "pip", "install", "--quiet", ".[test]"], check=False).returncode != 0:
        say("pip install failed")
        return 1
    failed = []
    for name, cmd in checks(venv, python, args.pytest_args):
        say(f"{name}: {' '.join([Path(cmd[0]).name, *cmd[1:]])}")
        if subprocess.run(cmd, check=False).returncode != 0:
            failed.append(name)
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return 1
    say("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
