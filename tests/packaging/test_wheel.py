"""The wheel `pip install .` builds: it carries the plan (mapped from data/, no symbolic link) and works.

The wheel is built once per session from a copy of the sources (so the checkout
gets no build/ folder), offline with the test environment's setuptools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO

PLAN = "bizenv_ledger/plan/"


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("source")
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("src", "data"):
        shutil.copytree(REPO / name, src / name, ignore=junk)
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("bizenv_ledger-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--no-compile",
        "--target",
        str(target),
        str(wheel),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return target


def _ledger(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed copy (first on the path, ahead of any other install), run from ``cwd``."""
    code = "import sys, bizenv_ledger; print(bizenv_ledger.__file__, file=sys.stderr); from bizenv_ledger.cli.main import main; sys.argv[0] = 'ledger'; main()"
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("LEDGER_DATA", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_wheel__carries_the_plan_and_its_18_indicator_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert f"{PLAN}plan.yaml" in names and f"{PLAN}units.yaml" in names
    indicators = sorted(n for n in names if n.startswith(f"{PLAN}indicators/") and n.endswith(".yaml"))
    assert len(indicators) == 18
    assert indicators == sorted(f"{PLAN}indicators/{p.name}" for p in (DATA / "indicators").glob("*.yaml"))
    assert f"{PLAN}counties/临泽县.yaml" in names
    for name in (f"{PLAN}plan.yaml", indicators[2]):
        assert zipfile.ZipFile(wheel).read(name) == (DATA / name.removeprefix(PLAN)).read_bytes()
    assert not [n for n in names if n.startswith(f"{PLAN}sources/")]  # the documents stay in the repository


def test_pyproject__lists_every_package_of_the_source_tree() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(init.parent.relative_to(REPO / "src").parts) for init in (REPO / "src").rglob("__init__.py")}
    assert found <= set(config["packages"]), found - set(config["packages"])
    assert config["package-dir"]["bizenv_ledger.plan"] == "data"
    assert not (REPO / "src" / "bizenv_ledger" / "plan").exists()  # no symbolic link for Windows to mangle


def test_installed__lists_the_shipped_plan_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    proc = _ledger(installed, tmp_path, "list", "--as-of", "2022-10-01", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith(str(installed))  # this copy, not the checkout
    assert proc.stdout.count('"id":') == 60
    check = _ledger(installed, tmp_path, "check")
    assert check.returncode == 0 and str(installed / "bizenv_ledger" / "plan") in check.stdout, check.stderr


def test_installed__never_writes_its_own_plan(installed: Path, tmp_path: Path) -> None:
    plan = installed / "bizenv_ledger" / "plan"
    before = (plan / "indicators" / "03-获得电力.yaml").read_bytes()
    nothing_found = _ledger(installed, tmp_path, "done", "3.2", "--on", "2022-08-15")
    assert nothing_found.returncode == 1 and "随包附带的方案只读" in nothing_found.stderr
    named = _ledger(installed, tmp_path, "--data", str(plan), "done", "3.2", "--on", "2022-08-15")
    assert named.returncode == 1 and "是随包附带的方案" in named.stderr
    assert (plan / "indicators" / "03-获得电力.yaml").read_bytes() == before
