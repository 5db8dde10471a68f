"""A county file carries its own measures in the city's form, with ids qualified by the county."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.helpers import edit, run, run_json

COUNTY_MEASURE = """    member_units: [县自然资源局, 县住建局, 县市场监管局]
    measures:
      - id: "临泽县:3.1"
        text: 建立县级业扩报装全过程时限管控机制。
        units: [国家电网临泽县供电公司, 县发改局]
        deadline: 2022年10月
"""


def _add_county_measure(ledger_dir: Path, block: str = COUNTY_MEASURE) -> Path:
    county = ledger_dir / "counties" / "临泽县.yaml"
    text = county.read_text(encoding="utf-8")
    anchor = "    member_units: [县自然资源局, 县住建局, 县市场监管局]\n    measures: []\n"
    assert anchor in text
    county.write_text(text.replace(anchor, block, 1), encoding="utf-8")
    return county


def test_county_measure__loads_and_is_found_by_county_and_unit(runner: CliRunner, ledger_dir: Path) -> None:
    _add_county_measure(ledger_dir)
    assert run(runner, ledger_dir, "check").exit_code == 0
    items = run_json(runner, ledger_dir, "list", "--county", "临泽县", "--as-of", "2022-11-05")
    mine = next(i for i in items if i["id"] == "临泽县:3.1")
    assert mine["units"] == ["国家电网临泽县供电公司", "临泽县发改局"] and mine["due"] == "2022-10-31"
    assert mine["indicator"] == 3 and mine["light"] == "red"
    by_unit = run_json(runner, ledger_dir, "overdue", "--unit", "县发改局", "--as-of", "2022-11-05")
    assert [i["id"] for i in by_unit] == ["临泽县:3.1"]


def test_county_measure__unqualified_id_is_an_error_at_its_line(runner: CliRunner, ledger_dir: Path) -> None:
    county = _add_county_measure(ledger_dir, COUNTY_MEASURE.replace('"临泽县:3.1"', '"3.1"'))
    line = county.read_text(encoding="utf-8").splitlines().index('      - id: "3.1"') + 1
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    assert f"counties/临泽县.yaml:{line}:" in result.stderr and "应以“临泽县:”开头" in result.stderr


def test_county_measure__unknown_county_unit_gets_a_hint(runner: CliRunner, ledger_dir: Path) -> None:
    county = _add_county_measure(ledger_dir)
    edit(county, "units: [国家电网临泽县供电公司, 县发改局]", "units: [国家电网临泽县供电公司, 县发改委]")
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1 and "县发改委" in result.stderr and "Traceback" not in result.output
