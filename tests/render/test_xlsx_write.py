"""Writing report files: atomically, never half a file, errors named with the path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.cli.report import write_file
from bizenv_ledger.model.errors import WriteRefused
from tests.conftest import DATA
from tests.helpers import run


def test_write_file__replaces_an_existing_file_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


def test_write_file__new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_file(tmp_path / "a.csv", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644


def test_write_file__failure_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WriteRefused, match=r"台账\.xlsx"):
        write_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_write_file__interrupted_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_file(tmp_path / "b.html", b"<html>")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["export"], ["board"], ["report", "--month", "2022-09"]])
def test_report_commands__unwritable_output_exits_1_naming_the_path(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    out = blocker / "out.xlsx" if command == ["export"] else blocker / "out.html"
    result = run(runner, DATA, *command, "-o", str(out), "--as-of", "2022-10-01")
    assert result.exit_code == 1, result.output
    assert str(out) in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_export__to_a_directory_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").mkdir()
    result = run(runner, DATA, "export", "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1 and "这是一个目录" in result.stderr
