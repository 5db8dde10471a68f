"""`history` over a workspace: every ledger's changes, from its folder's repository or its ref's log, as one story."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bizenv_ledger.cli.main import app

from ..conftest import DATA, git
from ..workspaces import city_workspace

EVIDENCE = ["-e", "张电〔2022〕12号"]
AS_OF = ["--as-of", "2022-10-01"]


@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The city workspace after a closing in three of its folders and one in an office's own repository, fetched."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", "/dev/null")
    city = city_workspace(tmp_path)
    # 2021's and the city's own closings committed in the same second: git keeps no finer time, and the
    # repository's own order must tell them apart (the city's ledger comes first in ledger.toml)
    for target, when in (("2021:3.3", "07-20T10:00"), ("3.3", "07-20T10:00"), ("山丹县:2.1", "09-01T10:00")):
        monkeypatch.setenv("GIT_AUTHOR_DATE", f"2022-{when}:00+08:00")
        _ok(
            [
                "--workspace",
                str(city / "ledger.toml"),
                "done",
                target,
                *EVIDENCE,
                "--on",
                when[:5].join(["2022-", ""]),
                *AS_OF,
            ]
        )
    office = tmp_path / "offices" / "临泽县"
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2022-08-15T09:30:00+08:00")  # between the city's: one story, by time
    _ok(["--data", str(office / "data"), "done", "1.1", *EVIDENCE, "--on", "2022-08-15", *AS_OF])
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    git(city, "fetch", "-q", "linze")
    return city


def _ok(args: list[str]) -> Any:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result


def _history(city: Path, *args: str) -> list[dict[str, Any]]:
    result = _ok(["--workspace", str(city / "ledger.toml"), "history", *args, "--format", "json"])
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_history__every_ledger_s_changes_oldest_first_with_workspace_ids(city: Path) -> None:
    entries = _history(city)
    assert [(e["item"], e["ledger"], e["committed"]) for e in entries] == [
        ("2021:3.3", "2021", "2022-07-20T10:00:00+08:00"),
        ("3.3", "张掖市", "2022-07-20T10:00:00+08:00"),
        ("临泽县:1.1", "临泽县", "2022-08-15T09:30:00+08:00"),  # the office's repository, in the fetched ref's log
        ("山丹县:2.1", "山丹县", "2022-09-01T10:00:00+08:00"),
    ]


def test_history__one_measure_one_ledger_and_the_ledger_option(city: Path) -> None:
    assert [e["item"] for e in _history(city, "临泽县:1.1")] == ["临泽县:1.1"]
    assert [e["item"] for e in _history(city, "3.3")] == ["3.3"]  # a bare id is the first ledger's, not 2021's
    assert [e["item"] for e in _history(city, "--ledger", "临泽县", "--ledger", "2021")] == ["2021:3.3", "临泽县:1.1"]


def test_history__an_indicator_is_every_ledger_s_of_that_number_as_gap_reads_it(city: Path) -> None:
    name = next(p.stem.split("-", 1)[1] for p in (DATA / "indicators").glob("03-*.yaml"))
    assert [e["item"] for e in _history(city, name)] == ["2021:3.3", "3.3"]  # every ledger holds its own 3
    assert [e["item"] for e in _history(city, name, "--ledger", "2021")] == ["2021:3.3"]
    assert [e["item"] for e in _history(city, "3")] == ["2021:3.3", "3.3"]


def test_history__the_table_names_each_measure_as_the_workspace_does(city: Path) -> None:
    result = _ok(["--workspace", str(city / "ledger.toml"), "history"])
    assert "临泽县:1.1" in result.stdout and "2021:3.3" in result.stdout and "共 4 条。" in result.stdout


def test_history__a_ledger_outside_git_is_said_and_the_others_shown(tmp_path: Path, city: Path) -> None:
    loose = tmp_path / "loose"
    shutil.copytree(city / "counties" / "甘州区", loose)
    result = _ok(["--data", str(city / "data"), "--data", f"散件={loose}", "history", *AS_OF])
    said = result.stdout.replace("\n", "")  # the note wraps at the width
    assert f"台账“散件”（{loose}）不在 git 仓库中，没有变更记录。" in said
    assert "共 1 条。" in said  # the city's own closing of 3.3


def test_history__a_single_ledger_s_json_has_no_ledger_key(city: Path) -> None:
    result = _ok(["--data", str(city / "data"), "history", "--format", "json"])
    entries = json.loads(result.stdout)
    assert [e["item"] for e in entries] == ["3.3"] and all("ledger" not in e for e in entries)


def test_history__as_a_real_process_in_the_workspace_folder(city: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "history", "--format", "json"],
        cwd=city,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert {e["ledger"] for e in json.loads(proc.stdout)} == {"2021", "张掖市", "山丹县", "临泽县"}
