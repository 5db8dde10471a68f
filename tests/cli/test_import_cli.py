"""ledger import at the command line: exit codes, the report on the terminal and on disk, refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import CITY_SOURCE, DATA
from tests.helpers import run
from tests.importer.exact import loaded, measure_fields
from tests.importer.samples import CLEAN_PLAN


def test_import_cli__real_plan_is_written_and_needs_review(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "新台账"
    result = run(runner, None, "import", str(CITY_SOURCE), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "导入报告" in result.stdout and "需要复核" in result.stdout
    assert "“市交通局”与“市交通运输局”相近" in result.stdout
    report = (out / "导入报告.md").read_text(encoding="utf-8")
    assert report.startswith("# 导入报告") and "## 措施来源" in report
    checked = run(runner, out, "check")
    assert checked.exit_code == 0, checked.output


def test_import_cli__a_clean_plan_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "方案.txt"
    # without 全省最优目标 / 目前现状 / 整改提升目标 there is no figure to propose, and so nothing to review
    parts = ("全省最优目标", "目前现状", "整改提升目标")
    source.write_text("\n".join(x for x in CLEAN_PLAN.splitlines() if not any(p in x for p in parts)), encoding="utf-8")
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "需要复核：无" in result.stdout
    ledger = loaded(out)
    assert [m.id for i in ledger.indicators for m in i.measures] == ["1.1", "1.2", "2.1"]
    assert ledger.plan.doc_number == "某营商办〔2022〕5号"
    assert [len(i.metrics) for i in ledger.indicators] == [0, 0]


def test_import_cli__figures_are_proposed_for_review_so_the_plan_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "方案.txt"
    source.write_text(CLEAN_PLAN, encoding="utf-8")
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(source), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "建议的指标项：" in result.stdout
    metrics = loaded(out).indicators[0].metrics
    assert [(m.name, m.best, m.baseline) for m in metrics][:1] == [
        ("服务基本规范", True, True)
    ]  # 服务规范 and 服务基本规范 paired by name
    assert run(runner, out, "check").exit_code == 0


def test_import_cli__missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(tmp_path / "没有.txt"), "-o", str(out))
    assert result.exit_code == 2
    assert "找不到文件" in result.stderr
    assert not out.exists()


def test_import_cli__old_binary_doc_is_refused_and_nothing_written(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "方案.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(source), "-o", str(out))
    assert result.exit_code == 1
    assert "另存为" in result.stderr and ".docx" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_import_cli__gb18030_text_is_detected_and_said(runner: CliRunner, tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "方案-gbk.txt"
    source.write_bytes(CITY_SOURCE.read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(source), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "编码 GB18030" in result.stdout
    assert measure_fields(loaded(out)) == measure_fields(plan)


def test_import_cli__undecodable_text_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "乱码.txt"
    source.write_bytes("（一）开办企业".encode() + b"\xff\xfe\xfd\x81\x20" * 3)
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(source), "-o", str(out))
    assert result.exit_code == 1
    assert "无法识别文字编码" in result.stderr
    assert not out.exists()


def test_import_cli__a_text_with_no_plan_in_it_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "便条.txt"
    source.write_text("今天下午三点开会。\n", encoding="utf-8")
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(source), "-o", str(out))
    assert result.exit_code == 1
    assert "没有读出任何指标或任务" in result.stderr
    assert not out.exists()


def test_import_cli__runs_as_a_real_program(tmp_path: Path) -> None:
    out = tmp_path / "台账"
    cmd = [
        sys.executable,
        "-m",
        "bizenv_ledger",
        "import",
        str(CITY_SOURCE),
        str(DATA / "sources" / "临泽县优化营商环境对标提升责任清单.txt"),
        "-o",
        str(out),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    check = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "--data", str(out), "check"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "60 项措施" in check.stdout
