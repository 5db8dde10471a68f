"""ledger import --units: the document's spellings resolve to an existing registry's names and aliases."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bizenv_ledger.importer import REPORT_FILE, import_plan
from bizenv_ledger.model.names import UnitIndex
from tests.conftest import CITY_SOURCE, DATA
from tests.helpers import run

from .exact import loaded


def test_import_units__resolve_to_the_canonical_names_of_data(tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "台账"
    import_plan([CITY_SOURCE], out, units=DATA / "units.yaml")
    imported = loaded(out)
    mine, theirs = UnitIndex.build(imported.registry), UnitIndex.build(plan.registry)
    written = {u for i in imported.indicators for m in i.measures for u in m.units}
    assert len(written) > 30
    assert {u: mine.resolve_exact(u) for u in written} == {u: theirs.resolve_exact(u) for u in written}
    assert mine.resolve_exact("市交通局") == "市交通运输局"
    report = (out / REPORT_FILE).read_text(encoding="utf-8")
    assert "市交通局" not in report  # data/ records it as an alias: no near miss to ask about


def test_import_units__a_new_spelling_near_a_known_one_asks_did_you_mean(tmp_path: Path) -> None:
    units = tmp_path / "units.yaml"
    text = (DATA / "units.yaml").read_text(encoding="utf-8").replace("aliases: [市交通局]", "aliases: []")
    assert text != (DATA / "units.yaml").read_text(encoding="utf-8")
    units.write_text(text, encoding="utf-8")
    out = tmp_path / "台账"
    result = import_plan([CITY_SOURCE], out, units=units)
    assert result.needs_review
    assert "“市交通局”不在已有登记表中，是否即“市交通运输局”" in result.report
    registry = loaded(out).registry
    assert "市交通局" in [u.name for u in registry.units]  # registered as new, not merged


def test_import_units__a_missing_registry_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(CITY_SOURCE), "-o", str(out), "--units", str(tmp_path / "无.yaml"))
    assert result.exit_code == 2
    assert "找不到责任单位登记表" in result.stderr
    assert not out.exists()


def test_import_units__a_broken_registry_is_refused_naming_the_line(runner: CliRunner, tmp_path: Path) -> None:
    units = tmp_path / "units.yaml"
    units.write_text("units:\n  - name: 市发改委\n    level: [\n", encoding="utf-8")
    out = tmp_path / "台账"
    result = run(runner, None, "import", str(CITY_SOURCE), "-o", str(out), "--units", str(units))
    assert result.exit_code == 1
    assert "责任单位登记表" in result.stderr and "units.yaml:4:1" in result.stderr  # file and line
    assert not out.exists()


def test_init_from__units_resolve_like_import(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "台账"
    result = run(runner, None, "init", str(out), "--from", str(CITY_SOURCE), "--units", str(DATA / "units.yaml"))
    assert result.exit_code == 1, result.output  # made and committed, with the items to review the plan always has
    assert UnitIndex.build(loaded(out).registry).resolve_exact("市交通局") == "市交通运输局"
    assert "市交通局" not in (out / REPORT_FILE).read_text(encoding="utf-8")


def test_init__units_without_from_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, None, "init", str(tmp_path / "台账"), "--units", str(DATA / "units.yaml"))
    assert result.exit_code == 2 and "--units 须与 --from 一起使用" in result.stderr
    assert not (tmp_path / "台账").exists()


def test_import_units__a_broken_registry_is_named_as_the_user_named_it(runner: CliRunner, tmp_path: Path) -> None:
    units = tmp_path / "旧台账单位.yaml"
    units.write_text("units:\n  - name: 市发改委\n    level: [\n", encoding="utf-8")
    result = run(runner, None, "import", str(CITY_SOURCE), "-o", str(tmp_path / "台账"), "--units", str(units))
    assert result.exit_code == 1 and "旧台账单位.yaml:4:1" in result.stderr, result.stderr
