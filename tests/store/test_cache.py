"""The read cache cannot run code (issue 9, item 5): JSON in a private directory, rebuilt into the dataclasses.

The cache used to be a pickle: a file planted in LEDGER_CACHE_DIR ran whatever it
wanted on the next ``ledger list``. Now the cache is JSON of plain values, and a
cache directory or file that is not the user's own and private is never read.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import stat
import zlib
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.model import domain
from bizenv_ledger.store import cache_files, cache_format, cache_lines
from bizenv_ledger.store.loader import load_ledger
from tests.helpers import run_json


def cache_env(tmp_path: Path) -> dict[str, str]:
    return {"LEDGER_CACHE_DIR": str(tmp_path / "cache")}


def cache_path(ledger_dir: Path, tmp_path: Path, suffix: str = ".json") -> Path:
    return tmp_path / "cache" / f"{zlib.crc32(str(ledger_dir.resolve()).encode()):08x}{suffix}"


class _RunsCode:
    """Unpickling this writes a marker file: what a planted cache could do instead."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "pwned"))


# ---------------------------------------------------------------------------
# a planted file runs nothing
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".pickle", ".json"])
def test_cache__a_planted_pickle_runs_nothing(
    ledger_dir: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    marker = tmp_path / "marker"
    planted = cache_path(ledger_dir, tmp_path, suffix)
    planted.parent.mkdir(mode=0o700)
    planted.write_bytes(pickle.dumps(("fingerprint", _RunsCode(marker))))
    planted.chmod(0o600)
    monkeypatch.setenv("LEDGER_CACHE_DIR", str(tmp_path / "cache"))
    rows = run_json(runner, ledger_dir, "list", "--as-of", "2022-10-01")
    assert not marker.exists()
    assert len(rows) == 60


def test_cache__a_planted_json_of_other_classes_is_ignored(ledger_dir: Path, tmp_path: Path) -> None:
    env = cache_env(tmp_path)
    assert load_ledger(ledger_dir, env).ledger is not None  # writes the cache
    path = cache_path(ledger_dir, tmp_path)
    header, _, _ = path.read_bytes().partition(b"\n")
    path.write_bytes(header + b'\n{"_": "Popen", "args": ["touch", "x"]}')
    result = load_ledger(ledger_dir, env)
    assert result.ledger is not None and len(result.reread) == 21  # read again from the files
    assert load_ledger(ledger_dir, env).reread == []  # and the cache written anew


def _tampered(ledger_dir: Path, tmp_path: Path) -> Path:
    """A cache with the right fingerprint whose first measure's text was changed."""
    env = cache_env(tmp_path)
    assert load_ledger(ledger_dir, env).ledger is not None
    path = cache_path(ledger_dir, tmp_path)
    raw = path.read_bytes().decode()
    first = load_ledger(ledger_dir, env).ledger
    assert first is not None
    text = json.dumps(first.indicators[0].measures[0].text, ensure_ascii=False)
    assert text in raw
    lines = raw.encode().split(b"\n")
    n = next(i for i, line in enumerate(lines) if text.encode() in line)
    where, _, body = lines[n].partition(b"\t")
    body = body.replace(text.encode(), '"篡改过的措施"'.encode(), 1)
    rel, stamp, _, nodes = json.loads(where)
    # a deliberate edit keeps the line's checksum right: the checksum is against damage, not the owner
    lines[n] = json.dumps([rel, stamp, zlib.crc32(body), nodes], ensure_ascii=False).encode() + b"\t" + body
    path.write_bytes(b"\n".join(lines))
    return path


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o606])
def test_cache__a_file_others_may_read_or_write_is_never_trusted(ledger_dir: Path, tmp_path: Path, mode: int) -> None:
    path = _tampered(ledger_dir, tmp_path)
    path.chmod(mode)
    ledger = load_ledger(ledger_dir, cache_env(tmp_path)).ledger
    assert ledger is not None and ledger.indicators[0].measures[0].text != "篡改过的措施"


def test_cache__the_owners_private_file_is_what_is_trusted(ledger_dir: Path, tmp_path: Path) -> None:
    """The same tampered file at 0600 is read: the owner and the mode decide, and nothing else guards it."""
    path = _tampered(ledger_dir, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ledger = load_ledger(ledger_dir, cache_env(tmp_path)).ledger
    assert ledger is not None and ledger.indicators[0].measures[0].text == "篡改过的措施"


def test_cache__a_file_of_another_user_is_never_trusted(
    ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _tampered(ledger_dir, tmp_path)
    monkeypatch.setattr(os, "getuid", lambda: path.stat().st_uid + 1)  # as if someone else owned it
    result = load_ledger(ledger_dir, cache_env(tmp_path))
    assert result.ledger is not None and result.ledger.indicators[0].measures[0].text != "篡改过的措施"
    assert result.reread  # read from the files, and not written into a directory that is not ours


def test_cache__a_symlink_in_place_of_the_file_is_not_followed(ledger_dir: Path, tmp_path: Path) -> None:
    path = _tampered(ledger_dir, tmp_path)
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    ledger = load_ledger(ledger_dir, cache_env(tmp_path)).ledger
    assert ledger is not None and ledger.indicators[0].measures[0].text != "篡改过的措施"


def test_cache__directory_0700_and_files_0600(ledger_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)  # as an older version (or umask) left it
    assert load_ledger(ledger_dir, cache_env(tmp_path)).ledger is not None
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    written = sorted(folder.iterdir())  # the cache, and the names completion offers beside it
    assert [p.name.split(".", 1)[1] for p in written] == ["json", "names.json"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)


def test_cache__a_new_directory_is_private(ledger_dir: Path, tmp_path: Path) -> None:
    env = {"LEDGER_CACHE_DIR": str(tmp_path / "a" / "b" / "cache")}
    assert load_ledger(ledger_dir, env).ledger is not None
    assert stat.S_IMODE((tmp_path / "a" / "b" / "cache").stat().st_mode) == 0o700


def test_cache__a_cache_of_another_format_is_not_read(ledger_dir: Path, tmp_path: Path) -> None:
    env = cache_env(tmp_path)
    assert load_ledger(ledger_dir, env).ledger is not None
    path = cache_path(ledger_dir, tmp_path)
    raw = path.read_bytes()
    path.write_bytes(raw.replace(f'"format": {cache_format.FORMAT}'.encode(), b'"format": 999', 1))
    assert load_ledger(ledger_dir, env).reread  # read from the files


# ---------------------------------------------------------------------------
# the format
# ---------------------------------------------------------------------------


def _every_field_filled() -> domain.Ledger:
    closing = domain.Closing(date(2022, 9, 30), "已完成", [domain.Evidence("张电〔2022〕12号", "doc", "ab" * 32)])
    measure = domain.Measure(
        id="3.2",
        text="措施",
        units=["市财政局"],
        deadline="2022年9月，长期坚持",
        and_related=True,
        status="done",
        closing=closing,
        milestones=[domain.Milestone("上线", "2022年8月")],
        progress=[domain.ProgressEntry(date(2022, 8, 1), "进展")],
        postponements=[domain.Postponement(date(2022, 8, 2), "2022年8月", "2022年9月", "原因")],
        reopenings=[domain.Reopening(date(2022, 9, 1), "退回", domain.Closing(date(2022, 8, 30)))],
    )
    metric = domain.Metric(
        key="k",
        name="指标项",
        unit="天",
        direction="lower",
        best=domain.Range(Decimal("110"), Decimal("180.50")),
        baseline=domain.Bound(at_most=Decimal("60")),
        target=True,
        worst=Decimal("0.0010"),
        source=domain.MetricSources("最优", "现状", None),
        readings=[domain.Reading(date(2022, 10, 1), Decimal("3.50"), "月报"), domain.Reading(date(2022, 11, 1), False)],
    )
    indicator = domain.Indicator(3, "获得电力", "b", "c", "t", ["电力"], ["问题"], [metric], [measure])
    goal = domain.OverallGoal("总体目标", "排名", [3], [1, 2], "其他")
    plan = domain.Plan("方案", "张营商办发〔2022〕3号", "营商办", date(2022, 7, 8), goal, "各县区")
    county = domain.County(
        "临泽县",
        "清单",
        "县营商办",
        date(2022, 7, 1),
        [domain.CountyIndicator(3, "获得电力", "b", "副县长", ["p"], ["县财政局"], [], [], [])],
    )
    registry = domain.UnitRegistry(
        [domain.UnitEntry("市财政局", "市直", ["财政局"], None, "注")],
        [domain.CollectiveUnit("六县区", ["甘州区"], True)],
    )
    return domain.Ledger(
        plan, [indicator], [county], registry, {"3.2": "indicators/03.yaml"}, {3: "indicators/03.yaml"}
    )


def _round_trip(value: object) -> object:
    return cache_format.decode_entry(cache_format.encode_entry(value), type(value))


def test_cache_format__every_value_comes_back_with_its_type() -> None:
    ledger = _every_field_filled()
    for record in [ledger.plan, ledger.registry, *ledger.indicators, *ledger.counties]:
        assert asdict(_round_trip(record)) == asdict(record)  # type: ignore[call-overload]
    back = _round_trip(ledger.indicators[0])
    assert isinstance(back, domain.Indicator)
    metric = back.metrics[0]
    assert str(metric.readings[0].value) == "3.50" and isinstance(metric.readings[0].value, Decimal)
    assert metric.readings[1].value is False and metric.target is True
    assert isinstance(metric.best, domain.Range) and metric.best == domain.Range(Decimal("110"), Decimal("180.50"))
    assert metric.baseline == domain.Bound(at_most=Decimal("60")) and str(metric.worst) == "0.0010"
    plan = _round_trip(ledger.plan)
    assert isinstance(plan, domain.Plan) and type(plan.issued) is date


def test_cache_format__the_real_plan_round_trips(plan: domain.Ledger) -> None:
    for record in [plan.plan, plan.registry, *plan.indicators, *plan.counties]:
        assert asdict(_round_trip(record)) == asdict(record)  # type: ignore[call-overload]


def test_cache_format__defaults_are_left_out_and_empty_lists_shared(plan: domain.Ledger) -> None:
    """A measure with nothing but its id, text, units and deadline is written as those four values."""
    measure = plan.indicators[2].measures[0]
    assert json.loads(cache_format.encode_entry(plan.indicators[2]))[-1][0] == [
        measure.id,
        measure.text,
        measure.units,
        measure.deadline,
    ]
    back = _round_trip(plan.indicators[2])
    assert isinstance(back, domain.Indicator)
    first, second = back.measures[0], back.measures[1]
    assert first.progress == [] and first.progress is second.milestones  # one empty list for all
    with pytest.raises(TypeError):
        first.progress.append(domain.ProgressEntry(date(2022, 8, 1), "进展"))
    assert second.progress == []


def test_cache_format__knows_every_kind_of_field_in_the_model() -> None:
    """A new field type (say, a datetime) must be taught to the cache, not silently left as text."""
    known = {
        "str",
        "int",
        "bool",
        "date",
        "date | None",
        "str | None",
        "list[str]",
        "list[int]",
        "dict[str, str]",
        "dict[int, str]",
        "dict[str, list[str]]",  # a dict goes as a list of pairs; its values as JSON keeps them
    }
    classes = {n for n in domain.__all__ if dataclasses.is_dataclass(getattr(domain, n))}
    for name in classes:
        for f in dataclasses.fields(getattr(domain, name)):
            declared = str(f.type)
            ok = (
                declared in known
                or declared.startswith("Literal[")
                or "Decimal" in declared
                or all(
                    part.strip() in classes | {"None"} for part in declared.removeprefix("list[").rstrip("]").split("|")
                )
            )
            assert ok, f"{name}.{f.name}: {declared}"


@pytest.mark.parametrize(
    "body",
    [
        b'{"_": "Popen", "args": []}',
        b'["Popen", ["touch", "x"]]',
        b"[]",  # a required field missing
        b'[3, "name", "", "", "", [], [], [], [], "one too many"]',
        b'[3, "name", "", "", "", [], [], [[]]]',  # a metric without its fields
        b'[3, "name", "", "", "", [], [], [["k", "n", "d", "lower", 2.7]]]',  # a bare number
        b'[3, "name", "", "", "", [], [], [["k", "n", "d", "lower", ["Range", "1"]]]]',
        b'[3, "name", "", "", "", [], [], [["k", "n", "d", "lower", null, null, null, null, [], [["2022-13-01", true]]]]]',
        b'[3, "name", "", "", "", [], [], [["k", "n", "d", "lower", null, null, null, null, [], [[20221001, true]]]]]',
        b'[3, "name", "", "", "", [1], [], []]',  # a number where texts are
        b"[" * 100_000 + b"]" * 100_000,
        b'{"number": 3}',
        b"not json",
    ],
)
def test_cache_format__anything_but_a_record_is_refused(body: bytes) -> None:
    with pytest.raises((ValueError, KeyError, TypeError, RecursionError)):
        cache_format.decode_entry(body, domain.Indicator)


def test_cache__without_posix_owners_the_cache_still_works(
    ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows there is no os.getuid and no meaningful mode: the cache is used, JSON being the safeguard."""
    monkeypatch.delattr(os, "getuid", raising=False)
    monkeypatch.setattr(cache_files, "_POSIX", False)
    env = cache_env(tmp_path)
    assert load_ledger(ledger_dir, env).reread  # the first load reads the files and writes the cache
    second = load_ledger(ledger_dir, env)
    assert second.ledger is not None and second.reread == []


def test_compact__a_ledger_read_from_yaml_shares_empty_lists_and_recurring_texts(ledger_dir: Path) -> None:
    """check reads every file from YAML: its records are made as small as the cache's (half its memory at 100k)."""
    ledger = load_ledger(ledger_dir, use_cache=False).ledger
    assert ledger is not None
    measures = [m for i in ledger.indicators for m in i.measures]
    assert all(m.postponements is cache_format.EMPTY for m in measures if not m.postponements)
    named = [u for m in measures for u in m.units if u == "市财政局"]
    assert len(named) > 1 and all(u is named[0] for u in named)  # one string, however many measures name it
    with pytest.raises(TypeError):
        measures[0].postponements.append(measures[0])  # the shared empty list refuses a change in place


@pytest.mark.parametrize("damage", ["null", "3", "[]", '{"x": 1}'])
def test_cache__a_line_damaged_into_valid_json_of_the_wrong_shape_is_not_trusted(
    ledger_dir: Path, tmp_path: Path, damage: str
) -> None:
    """A damaged line once decoded into an indicator named None (a traceback) or numbered 3 (wrong lists)."""
    env = cache_env(tmp_path)
    first = load_ledger(ledger_dir, env)
    path = cache_path(ledger_dir, tmp_path)
    lines = path.read_bytes().split(b"\n")
    n = next(i for i, line in enumerate(lines) if b"indicators/01-" in line.partition(b"\t")[0])
    where, _, body = lines[n].partition(b"\t")
    record = json.loads(body)
    record[1] = json.loads(damage)  # the indicator's name: the checksum no longer matches
    lines[n] = where + b"\t" + json.dumps(record, ensure_ascii=False).encode()
    path.write_bytes(b"\n".join(lines))
    again = load_ledger(ledger_dir, env)
    assert again.ledger is not None and "indicators/01-开办企业与注销.yaml" in again.reread  # read from YAML again
    assert [i.name for i in again.ledger.indicators] == [i.name for i in first.ledger.indicators]  # type: ignore[union-attr]


def _with_item(record: object, path: tuple[str | int, ...], item: object) -> object:
    """``record`` with the list item at ``path`` replaced by ``item`` (records are never changed in place)."""
    name, index, *rest = path
    items = list(getattr(record, str(name)))
    assert isinstance(index, int)
    items[index] = _with_item(items[index], tuple(rest), item) if rest else item
    return dataclasses.replace(record, **{str(name): items})  # type: ignore[type-var]


def _edited_paths(plan: domain.Ledger) -> list[tuple[object, tuple[str | int, ...]]]:
    """A measure and a metric of an indicator file, and a metric of a county file (the plan's county
    list holds no measures of its own: the path through its indicators is the same), as a write's paths."""
    with_metrics = next(i for i in plan.indicators if i.metrics)
    county = plan.counties[0]
    at = next(k for k, ci in enumerate(county.indicators) if ci.metrics)
    return [
        (plan.indicators[2], ("measures", 1)),
        (with_metrics, ("metrics", len(with_metrics.metrics) - 1)),
        (county, ("indicators", at, "metrics", 0)),
    ]


@pytest.mark.parametrize("case", [0, 1, 2], ids=["measure", "metric", "county-metric"])
def test_encode_edited__is_the_full_encoding_of_the_record_with_one_item_changed(
    plan: domain.Ledger, case: int
) -> None:
    record, path = _edited_paths(plan)[case]
    old = cache_format.encode_entry(record)
    target: object = record
    for name, index in zip(path[::2], path[1::2], strict=True):
        target = getattr(target, str(name))[index]
    changed = (
        dataclasses.replace(target, text=target.text + "（已改）")  # type: ignore[attr-defined,type-var]
        if isinstance(target, domain.Measure)
        else dataclasses.replace(target, name=target.name + "（已改）")  # type: ignore[attr-defined,type-var]
    )
    new = _with_item(record, path, changed)
    spliced = cache_format.encode_edited(old, new, path)
    assert spliced == cache_format.encode_entry(new) and spliced != old


@pytest.mark.parametrize(
    "path", [("measures", 999), ("milestones", 0), ("measures",), (), ("measures", "1"), ("number", 0)]
)
def test_encode_edited__a_path_the_old_line_does_not_hold_is_none(
    plan: domain.Ledger, path: tuple[str | int, ...]
) -> None:
    record = plan.indicators[2]
    assert cache_format.encode_edited(cache_format.encode_entry(record), record, path) is None


@pytest.mark.parametrize("nodes", [True, -1, "12", 1.5, [3]])
def test_entry_of__a_node_count_that_is_not_a_count_is_a_damaged_line(nodes: object) -> None:
    body = b'["x"]'
    where = json.dumps(["indicators/03.yaml", "STAMP", zlib.crc32(body), nodes]).encode()
    with pytest.raises(ValueError):
        cache_lines.entry_of(where + b"\t" + body)
    fine = json.dumps(["indicators/03.yaml", "STAMP", zlib.crc32(body), 12]).encode()
    assert cache_lines.entry_of(fine + b"\t" + body).nodes == 12
