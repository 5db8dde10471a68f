"""Records become dataclasses when first used; until then their fields are known without it."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from bizenv_ledger.model import domain
from bizenv_ledger.model.records import fields_of, record
from bizenv_ledger.model.workspace import MemberIndicator


def _fresh() -> type:
    @record
    class Sample:
        """A record defined for one test, so that nothing has used it yet."""

        name: str
        count: int = 0
        tags: list[str] = dataclasses.field(default_factory=list)

    return Sample


def _made(cls: type) -> bool:
    return isinstance(cls.__dict__.get("__dataclass_fields__"), dict)


def test_record__constructing_one_writes_its_init_alone() -> None:
    sample = _fresh()
    assert not _made(sample)
    made = sample("市财政局", 2)
    assert not _made(sample) and "__init__" in sample.__dict__  # the constructor, not the whole dataclass
    assert (made.name, made.count, made.tags) == ("市财政局", 2, [])
    assert sample("市税务局").tags is not made.tags  # each its own list, as default_factory makes it
    assert sample(tags=["甲"], name="市税务局").tags == ["甲"]
    with pytest.raises(TypeError):
        sample()  # the name has no default


def test_record__made_a_dataclass_when_asked_for_more_than_its_init() -> None:
    sample = _fresh()
    init = sample.__init__  # type: ignore[misc]
    made = sample("市财政局", 2)
    assert repr(made).endswith("Sample(name='市财政局', count=2, tags=[])")
    assert _made(sample) and sample.__init__ is init  # type: ignore[misc]  (dataclass keeps the one written)
    assert [f.name for f in dataclasses.fields(sample)] == ["name", "count", "tags"]


def test_record__repr_fields_and_replace_work_on_a_record_built_without_init() -> None:
    sample = _fresh()
    built = object.__new__(sample)  # as the cache decoder builds them
    built.__dict__.update(name="市财政局", count=3, tags=[])
    assert repr(built).endswith("Sample(name='市财政局', count=3, tags=[])")
    assert [f.name for f in dataclasses.fields(sample)] == ["name", "count", "tags"]
    assert dataclasses.replace(built, count=4).count == 4
    assert dataclasses.is_dataclass(built)


def test_record__compares_by_identity() -> None:
    sample = _fresh()
    assert sample("市财政局") != sample("市财政局")


def test_record__with_eq_compares_and_hashes_by_value_before_and_after_it_is_made() -> None:
    @record(eq=True)
    class Figure:
        """A value type defined for this test."""

        amount: int
        unit: str = "天"

    built = [object.__new__(Figure) for _ in range(2)]  # as the cache decoder builds records: no __init__
    for obj in built:
        obj.__dict__.update(amount=5, unit="天")
    assert not _made(Figure)
    assert built[0] == built[1] and len({built[0], built[1]}) == 1  # the first comparison makes it a dataclass
    assert _made(Figure)
    assert Figure(5) == built[0] and Figure(6) != built[0] and hash(Figure(5)) == hash(built[1])


def test_record__the_query_and_value_types_compare_by_value() -> None:
    from bizenv_ledger.model.dates import parse_deadline
    from bizenv_ledger.model.errors import Problem
    from bizenv_ledger.queries.measures import Filters

    assert parse_deadline("2022年9月底") == parse_deadline("2022年9月底")
    assert Filters(unit="市财政局") == Filters(unit="市财政局") != Filters(unit="市税务局")
    assert len({Problem("a.yaml", 1, 1, "缺少"), Problem("a.yaml", 1, 1, "缺少")}) == 1
    one, two = Decimal(1), Decimal(2)
    assert domain.Range(one, two) == domain.Range(one, two) != domain.Bound(at_most=two)


def test_fields_of__matches_the_dataclass_fields_of_every_domain_record() -> None:
    for name in domain.__all__:
        cls = getattr(domain, name)
        if not isinstance(cls, type):
            continue
        specs = [(s.name, s.type, s.default, s.default_factory) for s in fields_of(cls)]
        real = [(f.name, str(f.type), f.default, f.default_factory) for f in dataclasses.fields(cls)]
        assert specs == real, name


def test_fields_of__a_record_extending_another_lists_the_base_fields_first() -> None:
    names = [s.name for s in fields_of(MemberIndicator)]
    assert names[: len(fields_of(domain.Indicator))] == [s.name for s in fields_of(domain.Indicator)]
    assert names == [f.name for f in dataclasses.fields(MemberIndicator)]


_COUNT_MADE = """
import atexit, sys
sys.argv = ["ledger", "--data", sys.argv[1], "list"]
from bizenv_ledger.model import domain
def report():
    made = [n for n in domain.__all__ if isinstance(getattr(domain, n), type)
            and isinstance(getattr(domain, n).__dict__.get("__dataclass_fields__"), dict)]
    sys.stderr.write("MADE=" + ",".join(made) + "\\n")
atexit.register(report)
from bizenv_ledger.cli.main import main
main()
"""


def test_record__a_warm_read_makes_no_record_a_whole_dataclass(ledger_dir: Path) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    runs = [
        subprocess.run([sys.executable, "-c", _COUNT_MADE, str(ledger_dir)], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    assert "开办企业" in runs[-1].stdout
    made = runs[-1].stderr.rsplit("MADE=", 1)[1].strip().split(",")
    # the second run reads the cache: it constructs the one Ledger that holds the records, and the
    # decoder the shared empty MetricSources, which writes their constructors alone; Bound and Range
    # are ordinary dataclasses
    assert set(made) - {""} <= {"Bound", "Range"}, made


def test_record__a_plain_subclass_of_an_unused_record_is_built() -> None:
    sample = _fresh()

    class Plain(sample):  # type: ignore[valid-type,misc]
        pass

    built = Plain("市财政局")
    assert built.name == "市财政局" and dataclasses.is_dataclass(Plain)
