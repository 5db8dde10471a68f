"""The JSON Schemas: generated from the pydantic schema, kept in data/schemas/, and as strict as check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from bizenv_ledger.store.json_schema import KINDS, json_schema, kind_of, modeline, schema_text
from bizenv_ledger.store.layout import ledger_files
from bizenv_ledger.store.yaml_reader import parse
from tests.conftest import DATA
from tests.helpers import edit, run


def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json_schema(kind)
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _data(path: Path) -> Any:
    parsed, problem = parse(path.read_bytes())
    assert problem is None and parsed is not None
    return parsed.data


def test_schema__kept_in_the_repository_as_generated() -> None:
    for kind in KINDS:
        assert (DATA / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind), kind


def test_schema__every_shipped_file_validates() -> None:
    rels = ledger_files(DATA)
    assert len(rels) == 21
    for rel in rels:
        kind = kind_of(rel)
        assert kind is not None, rel
        errors = list(_validator(kind).iter_errors(_data(DATA / rel)))
        assert not errors, (rel, [e.message for e in errors])


def test_schema__every_shipped_file_names_its_schema_on_the_first_line() -> None:
    for rel in ledger_files(DATA):
        first = (DATA / rel).read_text(encoding="utf-8").splitlines()[0]
        assert first == modeline(rel), rel
        target = (DATA / rel).parent / first.split("$schema=", 1)[1]
        assert target.resolve() == (DATA / "schemas" / f"{kind_of(rel)}.schema.json").resolve()


# what check refuses at the schema level: each must be refused by the schema too
BREAKS = [
    ("indicators/03-获得电力.yaml", "number: 3\n", "number: 3\nowner: 张三\n"),  # unknown key
    ("indicators/03-获得电力.yaml", "number: 3\n", "number: 三\n"),  # not an integer
    ("indicators/03-获得电力.yaml", "    deadline: 2022年8月\n", "    deadline: 2022年8月\n    status: finished\n"),
    ("indicators/03-获得电力.yaml", "    best: 2.7\n", "    best: 两天\n"),  # not a value
    ("indicators/03-获得电力.yaml", "    best: 2.7\n", "    best: {min: 1}\n"),  # half a range
    ("plan.yaml", 'issued: "2022-07-08"', 'issued: "2022-13-08"'),  # no such date
    ("plan.yaml", "doc_number: 张营商办〔2022〕3号\n", ""),  # required
    ("units.yaml", "  - name: 市人社局\n    level: 市直\n", "  - name: 市人社局\n"),  # required
    ("counties/临泽县.yaml", "county: 临泽县\n", "county: [临泽县]\n"),  # not text
]


@pytest.mark.parametrize(("rel", "old", "new"), BREAKS)
def test_schema__refuses_what_check_refuses(runner: CliRunner, ledger_dir: Path, rel: str, old: str, new: str) -> None:
    edit(ledger_dir / rel, old, new)
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1, result.output
    kind = kind_of(rel)
    assert kind is not None
    assert list(_validator(kind).iter_errors(_data(ledger_dir / rel))), (rel, new)


def test_schema_cmd__prints_one_or_writes_all(runner: CliRunner, tmp_path: Path) -> None:
    one = run(runner, DATA, "schema", "Indicator")
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    every = run(runner, DATA, "schema", "-o", str(tmp_path / "s"))
    assert every.exit_code == 0, every.output
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
    bad = run(runner, DATA, "schema", "measure")
    assert bad.exit_code == 2 and "没有“measure”这种文件" in bad.output
