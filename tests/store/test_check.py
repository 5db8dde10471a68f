"""store/check: ``ledger check`` reads one file at a time and finds what a load finds, in the same order."""

from __future__ import annotations

import weakref
from pathlib import Path

import pytest

from bizenv_ledger.store import build
from bizenv_ledger.store.loader import check_ledger, load_ledger
from tests.helpers import edit
from tests.writing import FILE03

COUNTY_MEASURE = """    member_units: [县自然资源局, 县住建局, 县市场监管局]
    measures:
      - id: "临泽县:3.1"
        text: 建立县级业扩报装全过程时限管控机制。
        units: [国家电网临泽县供电公司, 县发改局, 县未登记局]
        deadline: 明年
"""


def _broken(ledger_dir: Path) -> None:
    """Problems of most checks, in files whose order by number is not their order by name, and two counties."""
    county = ledger_dir / "counties" / "临泽县.yaml"
    edit(county, "    member_units: [县自然资源局, 县住建局, 县市场监管局]\n    measures: []\n", COUNTY_MEASURE)
    edit(county, "    lead_units: [县市场监管局]\n", "    lead_units: [县无此局]\n")
    other = county.read_text(encoding="utf-8").replace("临泽县", "高台县")
    (ledger_dir / "counties" / "高台县.yaml").write_text(other, encoding="utf-8")
    edit(ledger_dir / "indicators/04-获得用水用气.yaml", "number: 4\n", "number: 5\n")
    edit(ledger_dir / "indicators/05-登记财产.yaml", "number: 5\n", "number: 4\n")
    edit(ledger_dir / FILE03, "    deadline: 2022年8月\n", "    deadline: 明年\n")
    edit(ledger_dir / "indicators/13-政府采购.yaml", 'id: "13.2"', 'id: "3.1"')  # a duplicate across files
    edit(ledger_dir / "indicators/02-办理建筑许可.yaml", "[市住建局, 市自然资源局]", "[市住建局, 市自然资原局]")
    edit(ledger_dir / "plan.yaml", "issuer: 张掖市", "issuer: 张掖\u200b市")  # a text check of plan.yaml
    edit(
        ledger_dir / "units.yaml",
        "  - name: 市自然资源局\n",
        "  - name: 市住建局\n    level: 市直\n  - name: 市自然资源局\n",
    )


def test_check_ledger__the_problems_of_a_load_in_its_order(ledger_dir: Path) -> None:
    _broken(ledger_dir)
    loaded = load_ledger(ledger_dir, use_cache=False)
    checked = check_ledger(ledger_dir)
    assert len(loaded.problems) >= 10
    assert {"plan.yaml", "units.yaml"} <= {p.path.rsplit("/", 1)[-1] for p in loaded.problems}
    assert [p.render() for p in checked.problems] == [p.render() for p in loaded.problems]
    assert checked.problems == loaded.problems
    counties = [p.path.rsplit("/", 1)[-1] for p in checked.problems if "/counties/" in p.path]
    assert counties.count("临泽县.yaml") >= 3 and counties.count("高台县.yaml") >= 3


def test_check_ledger__counts_what_a_load_holds(ledger_dir: Path) -> None:
    loaded = load_ledger(ledger_dir, use_cache=False)
    checked = check_ledger(ledger_dir)
    assert loaded.ledger is not None and checked.problems == []
    measures = sum(len(i.measures) for i in loaded.ledger.indicators)
    assert (checked.indicators, checked.measures, checked.units) == (
        len(loaded.ledger.indicators),
        measures,
        len(loaded.ledger.registry.units),
    )


def test_check_ledger__a_missing_folder_is_said_as_a_load_says_it(tmp_path: Path) -> None:
    assert check_ledger(tmp_path / "nowhere").problems == load_ledger(tmp_path / "nowhere").problems


def test_check_ledger__holds_one_files_record_at_a_time(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When a file is read, the records of the files before it are gone (only their ids are kept)."""
    real = build._Collector.read
    records: list[weakref.ref[object]] = []
    alive_at_read: list[int] = []

    def read(self: build._Collector, rel: str, cls: type) -> object:
        alive_at_read.append(sum(ref() is not None for ref in records))
        value = real(self, rel, cls)
        if value is not None and rel.startswith(("indicators/", "counties/")):
            records.append(weakref.ref(value))
        return value

    monkeypatch.setattr(build._Collector, "read", read)
    assert check_ledger(ledger_dir).problems == []
    assert len(records) == 19 and max(alive_at_read) == 0
