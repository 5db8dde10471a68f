"""Shared fixtures: the real plan copied into tmp_path, a CliRunner, and a git repository around it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.store.loader import load_ledger

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CITY_SOURCE = DATA / "sources" / "张掖市2022年优化营商环境对标整改提升工作方案.txt"
COUNTY_SOURCE = DATA / "sources" / "临泽县优化营商环境对标提升责任清单.txt"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's cache, git identity or LEDGER_* settings."""
    monkeypatch.setenv("LEDGER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for var in ("LEDGER_DATA", "LEDGER_AS_OF", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def plan() -> Ledger:
    result = load_ledger(DATA, {"LEDGER_CACHE_DIR": "/nonexistent-cache"}, use_cache=False)
    assert result.ledger is not None, [p.render() for p in result.problems]
    return result.ledger


@pytest.fixture
def ledger_dir(tmp_path: Path) -> Path:
    """A private copy of the real plan's data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("sources"))
    return target


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_SYSTEM": "/dev/null"}
    out = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return out.stdout


@pytest.fixture
def git_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A git repository holding a copy of the plan under data/, with one commit and an identity."""
    repo = tmp_path / "repo"
    shutil.copytree(DATA, repo / "data", ignore=shutil.ignore_patterns("sources"))
    commit_ledger(repo, monkeypatch)
    yield repo / "data"


def commit_ledger(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``repo`` (holding data/) a git repository with an identity and one commit of the ledger."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", "/dev/null")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "营商办 测试")
    git(repo, "config", "user.email", "office@example.org")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "初始台账")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


AS_OF = date(2022, 10, 1)
