"""A write reads only what it touches, leaves the cache current, and still refuses what breaks a rule across files.

The ledgers here are the plan with every indicator's measures copied ten times (600 measures,
ids past 1.50), in git: big enough that reading every file again would show in what the load
reports (``LoadResult.reread``), which is what these tests observe; never the time.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from bizenv_ledger.model.errors import WriteRefused
from bizenv_ledger.store.loader import load_ledger
from bizenv_ledger.write.actions import Change, Context
from bizenv_ledger.write.audit import CommitMessage
from bizenv_ledger.write.scope import Scoped
from bizenv_ledger.write.writer import apply
from tests.conftest import DATA, commit_ledger, git
from tests.helpers import run
from tests.writing import EVIDENCE, FILE03

FACTOR = 10
WRITES = [
    ["done", "3.42", "--on", "2022-09-30", "--evidence", EVIDENCE],
    ["progress", "3.42", "已完成线路改造", "--on", "2022-09-30"],
    ["record", "获得电力", "高压办电时间", "4.5", "--on", "2022-09-30"],
]


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


@pytest.fixture
def big_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The plan with FACTOR copies of each measure (ids renumbered), committed in a fresh repository."""
    repo = tmp_path / "repo"
    data = repo / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("sources"))
    for path in sorted((data / "indicators").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        measures = doc.get("measures", [])
        doc["measures"] = [
            {**m, "id": f"{doc['number']}.{k + 1}"} for k, m in enumerate(m for _ in range(FACTOR) for m in measures)
        ]
        path.write_text(yaml.dump(doc, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    commit_ledger(repo, monkeypatch)
    first = load_ledger(data)
    assert first.ledger is not None and len(first.reread) == 21, [p.render() for p in first.problems]
    assert sum(len(i.measures) for i in first.ledger.indicators) == 60 * FACTOR
    return data


@pytest.mark.parametrize("command", WRITES, ids=["done", "progress", "record"])
def test_write__leaves_the_cache_current(big_ledger: Path, runner: CliRunner, command: list[str]) -> None:
    """The next read parses nothing: the write cached the file it wrote, as it wrote it."""
    before = (big_ledger / FILE03).read_bytes()
    result = run(runner, big_ledger, *command)
    assert result.exit_code == 0, result.output
    assert (big_ledger / FILE03).read_bytes() != before
    after = load_ledger(big_ledger)
    assert after.reread == [] and after.ledger is not None
    fresh = load_ledger(big_ledger, use_cache=False)
    assert fresh.ledger is not None
    assert repr(after.ledger) == repr(fresh.ledger)  # what the cache holds is what the files say


def test_write__validates_the_edited_file_and_not_the_others(big_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check before writing parses the changed file only; the rest comes from the load the write planned on."""
    from bizenv_ledger.store import build

    seen: list[list[str]] = []
    real = build.build_ledger

    def spy(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(result.reread)
        return result

    monkeypatch.setattr(build, "build_ledger", spy)
    text = (big_ledger / FILE03).read_text(encoding="utf-8")
    outcome = apply(big_ledger, _rewrite(FILE03, text + "# 核对于 2022-09-30\n"), commit=True, today=date(2022, 9, 30))
    assert outcome.commit is not None
    assert seen == [[FILE03]]  # the load before planning came from the cache; the check read one file


def _rewrite(rel: str, text: str) -> object:
    def planner(ctx: Context) -> Change:
        return Change({rel: text.encode("utf-8")}, CommitMessage("测试：改写文件"), "已改写。")

    return planner


def test_write__a_write_decodes_only_the_file_it_touches(
    big_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plan.yaml, units.yaml, the counties and the measure's file come from the cache; no other indicator."""
    from bizenv_ledger.model.domain import Indicator
    from bizenv_ledger.store import build, focus
    from bizenv_ledger.store.names_index import completion_names

    decoded: list[type] = []
    real_decode = focus.decode_entry

    def decode(body: bytes, cls: type, memo: dict[str, str] | None = None) -> object:
        decoded.append(cls)
        return real_decode(body, cls, memo)

    built: list[list[str]] = []
    checked: list[list[str]] = []
    real_build, real_check = build.build_ledger, focus.check_items

    def spy(*args: object, **kwargs: object) -> object:
        result = real_build(*args, **kwargs)  # type: ignore[arg-type]
        built.append(result.reread)
        return result

    def check_spy(*args: Any) -> object:
        result = real_check(*args)
        checked.append(result.reread if result is not None else [])
        return result

    monkeypatch.setattr(focus, "decode_entry", decode)
    monkeypatch.setattr(build, "build_ledger", spy)
    monkeypatch.setattr(focus, "check_items", check_spy)
    result = run(runner, big_ledger, "done", "3.42", "--on", "2022-09-30", "--evidence", EVIDENCE)
    assert result.exit_code == 0, result.output
    assert decoded.count(Indicator) == 1 and len(decoded) >= 3  # plan.yaml, units.yaml, 03
    assert checked == [[FILE03]] and built == []  # the measure checked in its file; no file built whole
    after = load_ledger(big_ledger)
    assert after.reread == [] and after.ledger is not None
    (measure,) = [m for i in after.ledger.indicators for m in i.measures if m.id == "3.42"]
    assert measure.status == "done"
    names = completion_names(big_ledger)
    assert names is not None and len(names["ids"].split("\n")) == 60 * FACTOR  # the index is current, every file in it


@pytest.mark.parametrize("command", WRITES, ids=["done", "progress", "record"])
def test_write__parses_the_file_it_touches_once(
    big_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """One pass of the YAML parser over the edited file (to find the item); the new text is never parsed whole."""
    whole = len((big_ledger / FILE03).read_text(encoding="utf-8"))
    passes: list[int] = []
    real = yaml.parse

    def counting(stream: Any, *args: Any, **kwargs: Any) -> Any:
        passes.append(len(stream))
        return real(stream, *args, **kwargs)

    run(runner, big_ledger, "list")  # the cache and its index, as a write finds them
    with monkeypatch.context() as patched:
        patched.setattr(yaml, "parse", counting)
        result = run(runner, big_ledger, *command)
    assert result.exit_code == 0, result.output
    assert len([n for n in passes if n > whole // 2]) == 1, passes
    after = load_ledger(big_ledger)
    assert after.reread == [] and after.ledger is not None
    fresh = load_ledger(big_ledger, use_cache=False)
    assert fresh.ledger is not None and repr(after.ledger) == repr(fresh.ledger)  # the record cached is the file's


def test_write__reads_and_writes_only_the_cache_lines_of_its_own_files(
    big_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write reads the lines it decodes where the index says they are, and adds its file's new line at the
    end: the cache is neither read whole nor written anew, and the next read still reads nothing from YAML."""
    from bizenv_ledger.store import cache_lines, loader
    from bizenv_ledger.store.cache_files import cache_file

    run(runner, big_ledger, "list")
    path = cache_file(big_ledger, dict(os.environ))
    before = path.read_bytes()
    whole: list[str] = []

    def counting(name: str, real: Any) -> Any:
        def call(*args: Any) -> Any:
            whole.append(name)
            return real(*args)

        return call

    with monkeypatch.context() as patched:
        for module in (cache_lines, loader):
            patched.setattr(module, "entries", counting("entries", cache_lines.entries))
            patched.setattr(module, "rewrite", counting("rewrite", cache_lines.rewrite))
        result = run(runner, big_ledger, *WRITES[0])
    assert result.exit_code == 0, result.output
    assert whole == []
    after_bytes = path.read_bytes()
    assert after_bytes.startswith(before)
    added = after_bytes[len(before) :]
    assert added.startswith(b"\n") and added.count(b"\n") == 1 and b"indicators/" in added.split(b"\t")[0]
    after = load_ledger(big_ledger)
    assert after.reread == [] and after.ledger is not None and len(after.records) == 21


def test_write__a_measure_not_in_its_file_is_looked_for_in_the_whole_ledger(
    big_ledger: Path, runner: CliRunner
) -> None:
    """What the message offers comes from the whole ledger, as before the write loaded one file."""
    result = run(runner, big_ledger, "progress", "3.999", "已完成线路改造", "--on", "2022-09-30")
    assert result.exit_code != 0
    assert "找不到措施“3.999”，该指标的措施有：3.1、3.2" in result.output
    unknown = run(runner, big_ledger, "record", "不存在的指标", "高压办电时间", "4.5", "--on", "2022-09-30")
    assert unknown.exit_code != 0 and "找不到指标“不存在的指标”" in unknown.output


@pytest.mark.parametrize("scoped", [False, True], ids=["whole", "one-file"])
@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("number: 3\n", "number: 2\n", "指标编号 2 出现了 2 次（另见 indicators/03-获得电力.yaml）"),
        ("- 国网张掖供电公司\n", "- 国网张掖电力公司\n", "责任单位“国网张掖电力公司”未在 units.yaml 登记"),
        ("id: '3.2'\n", "id: '3.1'\n", "措施编号“3.1”重复（另见 indicators/03-获得电力.yaml）"),
    ],
    ids=["indicator-number-of-another-file", "unregistered-unit", "duplicate-id"],
)
def test_write__a_change_that_breaks_a_rule_across_files_is_refused(
    big_ledger: Path, old: str, new: str, problem: str, scoped: bool
) -> None:
    """Only the edited file is parsed, yet the rules that hold across files are checked against all of them:
    also when the write loaded that one file (a planner about measure 3.42), since the change alters what
    those rules read of it."""
    before = (big_ledger / FILE03).read_bytes()
    head = git(big_ledger.parent, "rev-parse", "HEAD")
    text = before.decode("utf-8")
    assert old in text
    planner = _rewrite(FILE03, text.replace(old, new, 1))
    if scoped:
        planner = Scoped(planner, measure="3.42")  # type: ignore[arg-type]
    with pytest.raises(WriteRefused) as refused:
        apply(big_ledger, planner, commit=True, today=date(2022, 9, 30))  # type: ignore[arg-type]
    assert problem in str(refused.value)
    assert (big_ledger / FILE03).read_bytes() == before
    assert git(big_ledger.parent, "rev-parse", "HEAD") == head
    assert load_ledger(big_ledger).reread == []  # the cache still holds the files as they are


def _edit_measure(measure_id: str, key: str, value: str) -> Scoped:
    """A planner setting one key of one measure, its item edited alone (as ``done`` edits it)."""
    from bizenv_ledger.write.actions import edit_file_item
    from bizenv_ledger.write.edit import measure_path

    def plan(ctx: Context) -> Change:
        (measure,) = [m for i in ctx.ledger.indicators for m in i.measures if m.id == measure_id]

        def locate(data: object) -> tuple[str | int, ...]:
            path = measure_path(data, measure_id)
            assert path is not None
            return path

        edit = edit_file_item(ctx, FILE03, locate, lambda draft, path: draft.set_key(path, key, value), measure)
        assert edit.items, "the item was edited on its own lines"
        return Change(edit.files, CommitMessage("测试：改一项"), "已改。", edit.items)

    return Scoped(plan, measure=measure_id)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("deadline", "下个月", "完成时限"),  # the item's own check
        ("units", "国网张掖电力公司", "应为列表"),  # the schema's
        ("id", "3.1", "措施编号“3.1”重复（另见 indicators/03-获得电力.yaml）"),  # a fact the checks across files read
    ],
    ids=["check", "schema", "across-files"],
)
def test_write__an_item_that_fails_is_refused_as_the_whole_file_says(
    big_ledger: Path, key: str, value: str, problem: str
) -> None:
    """The edited item is validated alone; what fails is checked again with the whole file, so the refusal
    says what a check of the whole new file says, where it says it."""
    before = (big_ledger / FILE03).read_bytes()
    head = git(big_ledger.parent, "rev-parse", "HEAD")
    with pytest.raises(WriteRefused) as refused:
        apply(big_ledger, _edit_measure("3.42", key, value), commit=True, today=date(2022, 9, 30))
    assert problem in str(refused.value)
    assert (big_ledger / FILE03).read_bytes() == before
    assert git(big_ledger.parent, "rev-parse", "HEAD") == head
    new = _edit_measure("3.42", key, value)
    loaded = load_ledger(big_ledger)
    assert loaded.ledger is not None
    change = new(Context(big_ledger, loaded.ledger, None, date(2022, 9, 30), big_ledger))
    whole = load_ledger(big_ledger, overrides=change.files, base=loaded)
    assert whole.problems and all(p.render() in str(refused.value) for p in whole.problems)


def test_write__a_hand_edit_of_another_file_is_read_before_the_write(big_ledger: Path, runner: CliRunner) -> None:
    """A file changed by hand since the cache was written is read (and checked) by the write's own load."""
    other = big_ledger / "indicators/13-政府采购.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("id: '13.2'\n", "id: '13.1'\n", 1), encoding="utf-8")
    result = run(runner, big_ledger, "progress", "3.42", "已完成线路改造", "--on", "2022-09-30")
    assert result.exit_code == 1
    assert "indicators/13-政府采购.yaml" in result.output and "ledger check" in result.output


@pytest.mark.parametrize("command", WRITES, ids=["done", "progress", "record"])
def test_write__caches_the_written_file_by_encoding_only_the_item_it_changed(
    big_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """The file's line in the cache is its old line with the one item encoded anew, the same bytes as a whole encoding."""
    from bizenv_ledger.store import cache_format

    run(runner, big_ledger, "list")
    whole: list[str] = []
    real = cache_format.encode_entry

    def encoding(value: Any) -> bytes:
        whole.append(type(value).__name__)
        return real(value)

    with monkeypatch.context() as patched:
        patched.setattr(cache_format, "encode_entry", encoding)
        result = run(runner, big_ledger, *command)
    assert result.exit_code == 0, result.output
    assert whole == []  # nothing encoded whole: not the written file, not the others
    after = load_ledger(big_ledger)
    assert after.reread == [] and after.ledger is not None
    (written,) = [r for rel, r in after.records.items() if rel == FILE03]
    fresh = load_ledger(big_ledger, use_cache=False).records[FILE03]
    assert cache_format.encode_entry(written) == cache_format.encode_entry(fresh)


def _cached_nodes(data: Path) -> dict[str, int | None]:
    from bizenv_ledger.store.cache_files import cache_file, cache_fingerprint
    from bizenv_ledger.store.cache_lines import entries as _entries

    return {e.rel: e.nodes for e in _entries(cache_file(data, dict(os.environ)), cache_fingerprint(data))}


def _parsed_nodes(path: Path) -> int:
    from bizenv_ledger.store.yaml_reader import parse

    parsed, _ = parse(path.read_bytes())
    assert parsed is not None
    return parsed.nodes


def test_write__keeps_each_files_node_count_exact_and_finds_its_item_without_walking_the_rest(
    big_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizenv_ledger.store import yaml_item

    run(runner, big_ledger, "list")
    assert _cached_nodes(big_ledger)[FILE03] == _parsed_nodes(big_ledger / FILE03)
    totals: list[int | None] = []
    real = yaml_item.find_item

    def spying(*args: Any) -> Any:
        totals.append(args[3] if len(args) > 3 else None)
        return real(*args)

    monkeypatch.setattr("bizenv_ledger.write.item_edit.find_item", spying)
    for command in WRITES:
        result = run(runner, big_ledger, *command)
        assert result.exit_code == 0, result.output
        counts = _cached_nodes(big_ledger)
        assert counts[FILE03] == _parsed_nodes(big_ledger / FILE03)  # the write's arithmetic, exact
        assert all(counts[rel] == _parsed_nodes(big_ledger / rel) for rel in counts)
    assert len(totals) == 3 and None not in totals  # each write knew the file's count: no walk past the item
