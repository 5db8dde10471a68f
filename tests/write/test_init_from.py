"""``ledger init DIR --from PLAN``: a new repository holding the imported plan and its 导入报告, committed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import CITY_SOURCE
from tests.helpers import run
from tests.importer.exact import loaded, measure_fields
from tests.importer.samples import CLEAN_PLAN


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_init_from__commits_the_imported_plan_with_its_report_and_asks_for_review(
    runner: CliRunner, tmp_path: Path, plan
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "新台账"
    result = run(runner, None, "init", str(target), "--from", str(CITY_SOURCE))
    assert result.exit_code == 1, result.output  # the proposed metrics need review
    assert "已新建台账并提交" in result.stdout and "需要复核" in result.stdout
    tracked = _git(target, "-c", "core.quotePath=false", "ls-files").splitlines()
    assert "导入报告.md" in tracked and "plan.yaml" in tracked and ".pre-commit-config.yaml" in tracked
    assert sum(1 for rel in tracked if rel.startswith("indicators/") and rel.endswith(".yaml")) == 18
    assert _git(target, "status", "--porcelain") == ""
    assert _git(target, "log", "--format=%s").splitlines() == [f"导入方案：{CITY_SOURCE.name}（ledger init --from）"]
    assert (target / "plan.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert measure_fields(loaded(target)) == measure_fields(plan)
    assert run(runner, target, "check").exit_code == 0


def test_init_from__a_plan_with_nothing_to_review_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "方案.txt"
    parts = ("全省最优目标", "目前现状", "整改提升目标")
    source.write_text("\n".join(x for x in CLEAN_PLAN.splitlines() if not any(p in x for p in parts)), encoding="utf-8")
    target = tmp_path / "台账"
    result = run(runner, None, "init", str(target), "--from", str(source))
    assert result.exit_code == 0, result.output
    assert [m.id for i in loaded(target).indicators for m in i.measures] == ["1.1", "1.2", "2.1"]


def test_init_from__an_unreadable_document_makes_no_repository(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "方案.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    target = tmp_path / "台账"
    result = run(runner, None, "init", str(target), "--from", str(source))
    assert result.exit_code == 1
    assert "另存为" in result.stderr and "Traceback" not in result.output
    assert not target.exists() and list(tmp_path.iterdir()) == [source]


def test_init_from__refuses_a_folder_that_holds_files(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "台账"
    target.mkdir()
    (target / "旧.txt").write_text("x", encoding="utf-8")
    result = run(runner, None, "init", str(target), "--from", str(CITY_SOURCE))
    assert result.exit_code == 2
    assert "不为空" in result.stderr
    assert [p.name for p in target.iterdir()] == ["旧.txt"]
