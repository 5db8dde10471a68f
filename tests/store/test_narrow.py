"""A read that shows one unit's measures makes only those from the cache, and shows exactly what the whole ledger would.

The real plan with the 临泽县 list, warm and cold; ``--unit`` and ``--lead`` as the read side scopes them.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.model.names import UnitIndex, all_measures
from bizenv_ledger.queries.measures import Filters, kept_views, unit_keep
from bizenv_ledger.store.loader import load_ledger
from tests.helpers import edit, run

AS_OF = date(2022, 10, 1)


def _ids(ledger: Ledger) -> list[str]:
    return [m.id for _, m in all_measures(ledger)]


def _scoped_ids(ledger: Ledger, unit: str, lead: bool) -> list[str]:
    canon = UnitIndex.build(ledger.registry).find(unit)
    return [v.id for v in kept_views(ledger, AS_OF, 7, Filters(unit=canon, lead=lead))]


@pytest.mark.parametrize(("unit", "lead"), [("市财政局", False), ("市财政局", True), ("六县区人民政府", False)])
def test_load_ledger__narrowed_from_the_cache_holds_the_units_measures_only(
    ledger_dir: Path, unit: str, lead: bool
) -> None:
    whole = load_ledger(ledger_dir).ledger  # fills the cache
    assert whole is not None
    narrowed = load_ledger(ledger_dir, narrow=functools.partial(unit_keep, unit=unit, lead=lead))
    assert narrowed.ledger is not None and narrowed.records == {}  # for showing: nothing to cache or check from
    kept = _ids(narrowed.ledger)
    assert kept
    if unit == "市财政局":  # a unit with a share of the plan: the others were never made
        assert len(kept) < len(_ids(whole)) / 2
    assert kept == _scoped_ids(whole, unit, lead)  # exactly the measures --unit would show, in order
    assert _scoped_ids(narrowed.ledger, unit, lead) == kept
    assert [i.number for i in narrowed.ledger.indicators] == [i.number for i in whole.indicators]
    assert repr(narrowed.ledger.registry) == repr(whole.registry) and repr(narrowed.ledger.plan) == repr(whole.plan)


def test_load_ledger__a_file_to_read_again_loads_the_ledger_whole(ledger_dir: Path) -> None:
    """Never build on a narrowed record: with any file changed, the ledger is loaded (and cached) whole."""
    load_ledger(ledger_dir)
    edit(ledger_dir / "indicators" / "05-登记财产.yaml", "# ", "#  ")
    narrowed = load_ledger(ledger_dir, narrow=functools.partial(unit_keep, unit="市财政局"))
    fresh = load_ledger(ledger_dir, use_cache=False)
    assert narrowed.ledger is not None and fresh.ledger is not None
    assert narrowed.reread == ["indicators/05-登记财产.yaml"]
    assert repr(narrowed.ledger) == repr(fresh.ledger)
    after = load_ledger(ledger_dir)  # and what it cached is the whole ledger
    assert after.reread == [] and after.ledger is not None and repr(after.ledger) == repr(fresh.ledger)


def test_unit_keep__a_unit_not_found_narrows_nothing(ledger_dir: Path) -> None:
    whole = load_ledger(ledger_dir).ledger
    assert whole is not None
    assert unit_keep(whole.registry, "没有这个单位") is None
    assert unit_keep(whole.registry, "局") is None  # not unique
    narrowed = load_ledger(ledger_dir, narrow=functools.partial(unit_keep, unit="没有这个单位"))
    assert narrowed.ledger is not None and _ids(narrowed.ledger) == _ids(whole)


@pytest.mark.parametrize(
    "args",
    [
        ["overdue", "--unit", "市财政局", "--within", "30"],
        ["overdue", "--unit", "财政", "--lead"],
        ["list", "--unit", "六县区人民政府", "--status", "open"],
        ["list", "--unit", "市财政局", "--format", "json"],
        ["list", "--unit", "没有这个单位"],
        ["list", "--unit", "市财政局", "--county", "临泽"],
    ],
)
def test_read__narrowed_warm_output_is_the_cold_output(
    ledger_dir: Path, runner: CliRunner, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizenv_ledger.store import cache_format

    cold = run(runner, ledger_dir, *args, "--as-of", "2022-10-01")  # no cache yet: the whole ledger is read
    narrowed: list[str] = []
    real = cache_format._narrow

    def counting(raw: object, kind: str, keep: object) -> None:
        narrowed.append(kind)
        real(raw, kind, keep)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_format, "_narrow", counting)
    warm = run(runner, ledger_dir, *args, "--as-of", "2022-10-01")  # from the cache, narrowed
    # a unit not found, or not unique, narrows nothing: the read says so from the whole ledger
    assert narrowed.count("Indicator") == (0 if cold.stderr else 18)
    assert load_ledger(ledger_dir).reread == []
    assert (warm.exit_code, warm.stdout, warm.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    assert cold.stdout or cold.stderr


def test_decode_entry__a_countys_measures_are_narrowed_too(plan: Ledger) -> None:
    """The 临泽县 list holds no measures of its own yet: given some (the plan's, under its indicators), the
    county's record made for one unit keeps that unit's, in each of its indicators."""
    import dataclasses

    from bizenv_ledger.model.domain import County
    from bizenv_ledger.store.cache_format import decode_entry, encode_entry

    county = plan.counties[0]
    by_number = {i.number: i.measures for i in plan.indicators}
    filled = dataclasses.replace(
        county, indicators=[dataclasses.replace(ci, measures=list(by_number[ci.number])) for ci in county.indicators]
    )
    keep = unit_keep(plan.registry, "市财政局")
    assert keep is not None
    narrowed = decode_entry(encode_entry(filled), County, {}, keep)
    index = UnitIndex.build(plan.registry)
    for whole, part in zip(filled.indicators, narrowed.indicators, strict=True):
        assert [m.id for m in part.measures] == [m.id for m in whole.measures if "市财政局" in index.expand(m.units)]
    assert sum(len(ci.measures) for ci in narrowed.indicators) > 0
    assert repr(decode_entry(encode_entry(filled), County)) == repr(filled)


def test_read__a_command_after_a_narrowed_one_in_the_same_process_sees_every_measure(
    ledger_dir: Path, runner: CliRunner
) -> None:
    """The CLI's state is made anew for each command: the narrowing of one never reaches the next."""
    run(runner, ledger_dir, "list")
    narrowed = run(runner, ledger_dir, "list", "--unit", "市财政局", "--format", "json")
    assert narrowed.exit_code == 0, narrowed.output
    whole = run(runner, ledger_dir, "list", "--format", "json")
    assert whole.exit_code == 0, whole.output
    assert len(json.loads(whole.stdout)) == 60 > len(json.loads(narrowed.stdout)) > 0
