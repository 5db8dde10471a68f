"""Finding and loading a ledger directory: where it lives, which files count, the cache, partial failures."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.store.layout import SHIPPED_PLAN, find_ledger, is_ledger_dir, ledger_files, locate
from bizenv_ledger.store.loader import load_ledger
from tests.conftest import DATA
from tests.helpers import edit, run, run_json

# The installed wheel's bizenv_ledger/plan/, or data/ itself when the tests run on a source checkout.
PACKAGE_PLAN = SHIPPED_PLAN


def env_for(tmp_path: Path) -> dict[str, str]:
    return {"LEDGER_CACHE_DIR": str(tmp_path / "cache")}


# ---------------------------------------------------------------------------
# where the ledger lives
# ---------------------------------------------------------------------------


def test_find_ledger__explicit_wins(tmp_path: Path) -> None:
    assert find_ledger("/x/y", tmp_path, {"LEDGER_DATA": "/a/b"}) == Path("/x/y")


def test_find_ledger__environment_next(tmp_path: Path) -> None:
    assert find_ledger(None, tmp_path, {"LEDGER_DATA": "/a/b"}) == Path("/a/b")


def test_find_ledger__nearest_ancestor_holding_a_ledger(ledger_dir: Path) -> None:
    deep = ledger_dir / "indicators"
    assert find_ledger(None, deep, {}) == ledger_dir
    assert find_ledger(None, ledger_dir.parent, {}) == ledger_dir  # a data/ folder beside the working dir
    work = ledger_dir.parent / "notes" / "2022"
    work.mkdir(parents=True)
    assert find_ledger(None, work, {}) == ledger_dir


def test_find_ledger__data_or_environment_may_name_the_folder_holding_data(ledger_dir: Path, tmp_path: Path) -> None:
    """As discovery does: a repository's root, whose data/ is the ledger, is taken for that ledger."""
    root = ledger_dir.parent
    assert find_ledger(None, tmp_path, {"LEDGER_DATA": str(root)}) == ledger_dir
    assert find_ledger(str(root), tmp_path, {}) == ledger_dir
    assert find_ledger(str(ledger_dir), tmp_path, {}) == ledger_dir  # a ledger itself is itself
    assert find_ledger(str(tmp_path / "nowhere"), tmp_path, {}) == tmp_path / "nowhere"  # reported as missing


def test_find_ledger__shipped_plan_last(tmp_path: Path) -> None:
    found = find_ledger(None, tmp_path, {})
    assert found == PACKAGE_PLAN
    assert is_ledger_dir(found)


def test_shipped_plan__is_the_same_plan_as_data(tmp_path: Path) -> None:
    shipped = load_ledger(PACKAGE_PLAN, env_for(tmp_path), use_cache=False)
    assert shipped.problems == []
    assert shipped.ledger is not None
    assert sum(len(i.measures) for i in shipped.ledger.indicators) == 60
    for rel in ledger_files(DATA):
        assert (PACKAGE_PLAN / rel).read_bytes() == (DATA / rel).read_bytes(), rel


def test_cli__data_option_and_environment(runner: CliRunner, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(ledger_dir / "indicators/13-政府采购.yaml", "deadline: 2022年9月，长期坚持", "deadline: 2022年10月，长期坚持")
    by_option = {r["id"]: r for r in run_json(runner, ledger_dir, "list", "--as-of", "2022-07-08")}
    assert by_option["13.1"]["due"] == "2022-10-31"
    monkeypatch.setenv("LEDGER_DATA", str(ledger_dir))
    by_env = {r["id"]: r for r in run_json(runner, None, "list", "--as-of", "2022-07-08")}
    assert by_env["13.1"]["due"] == "2022-10-31"
    # --data beats LEDGER_DATA
    assert {r["id"]: r for r in run_json(runner, DATA, "list", "--as-of", "2022-07-08")}["13.1"]["due"] == "2022-09-30"


def test_cli__data_option_goes_before_the_command(runner: CliRunner, ledger_dir: Path) -> None:
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 0, result.output
    assert str(ledger_dir) in result.stdout


# ---------------------------------------------------------------------------
# which files count
# ---------------------------------------------------------------------------


def test_ledger_files__plan_units_indicators_counties_in_order(ledger_dir: Path) -> None:
    (ledger_dir / "indicators" / "notes.txt").write_text("not yaml", encoding="utf-8")
    (ledger_dir / "indicators" / "README.md").write_text("# 说明", encoding="utf-8")
    rels = ledger_files(ledger_dir)
    assert rels[:2] == ["plan.yaml", "units.yaml"]
    assert rels[2:20] == sorted(f"indicators/{p.name}" for p in (ledger_dir / "indicators").glob("*.yaml"))
    assert rels[20:] == ["counties/临泽县.yaml"]


def test_ledger_files__yml_counts_too(ledger_dir: Path, tmp_path: Path) -> None:
    src = ledger_dir / "indicators" / "18-包容普惠创新.yaml"
    src.rename(src.with_suffix(".yml"))
    result = load_ledger(ledger_dir, env_for(tmp_path), use_cache=False)
    assert result.problems == []
    assert result.ledger is not None and len(result.ledger.indicators) == 18


def test_ledger_files__sources_folder_is_not_read(tmp_path: Path) -> None:
    """data/sources holds the documents as text: never parsed as ledger files."""
    result = load_ledger(DATA, env_for(tmp_path), use_cache=False)
    assert result.reread and not any("sources" in rel for rel in result.reread)


# ---------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------


def test_load_ledger__real_plan(tmp_path: Path) -> None:
    result = load_ledger(DATA, env_for(tmp_path), use_cache=False)
    assert result.problems == []
    assert result.ledger is not None
    ledger = result.ledger
    assert [i.number for i in ledger.indicators] == list(range(1, 19))
    assert [c.county for c in ledger.counties] == ["临泽县"]
    assert ledger.measure_files["13.3"] == "indicators/13-政府采购.yaml"
    assert ledger.indicator_files[16] == "indicators/16-知识产权创造、保护和运用.yaml"


def test_load_ledger__never_returns_a_ledger_with_problems(ledger_dir: Path, tmp_path: Path) -> None:
    edit(ledger_dir / "indicators/01-开办企业与注销.yaml", "units: [市财政局]", "units: [市财正局]")
    result = load_ledger(ledger_dir, env_for(tmp_path), use_cache=False)
    assert result.ledger is None
    assert len(result.problems) == 1


def test_load_ledger__unreadable_file_does_not_hide_other_problems(ledger_dir: Path, tmp_path: Path) -> None:
    (ledger_dir / "indicators/05-登记财产.yaml").write_text("number: [\n", encoding="utf-8")
    edit(ledger_dir / "indicators/01-开办企业与注销.yaml", "units: [市财政局]", "units: [市财正局]")
    result = load_ledger(ledger_dir, env_for(tmp_path), use_cache=False)
    messages = [p.message for p in result.problems]
    assert len(messages) == 2, messages
    assert messages[0].startswith("YAML 语法错误")
    assert messages[1] == "责任单位“市财正局”未在 units.yaml 登记"


def test_load_ledger__unread_indicator_with_readable_number_is_not_reported_missing(
    ledger_dir: Path, tmp_path: Path
) -> None:
    edit(ledger_dir / "indicators/05-登记财产.yaml", "number: 5\n", "number: 5\nnumbr: 5\n")
    result = load_ledger(ledger_dir, env_for(tmp_path), use_cache=False)
    assert [p.message for p in result.problems] == ["未知字段（拼写错误？）"]


def test_load_ledger__an_extra_unreadable_file_still_lets_missing_numbers_be_unknown(
    ledger_dir: Path, tmp_path: Path
) -> None:
    """When a broken file's number cannot be read, nobody can say an indicator is missing."""
    (ledger_dir / "indicators/18-包容普惠创新.yaml").write_text("- 列表\n", encoding="utf-8")
    result = load_ledger(ledger_dir, env_for(tmp_path), use_cache=False)
    assert [p.message for p in result.problems] == ["文件顶层应为映射（键: 值），而不是列表"]


def test_load_ledger__missing_indicator_still_reported_when_other_files_fail(ledger_dir: Path, tmp_path: Path) -> None:
    (ledger_dir / "indicators/18-包容普惠创新.yaml").unlink()
    edit(ledger_dir / "indicators/05-登记财产.yaml", "number: 5\n", "number: 5\nnumbr: 5\n")
    result = load_ledger(ledger_dir, env_for(tmp_path), use_cache=False)
    assert "指标编号 18 不存在" in [p.message for p in result.problems]


def test_locate__falls_back_to_the_deepest_known_part() -> None:
    from bizenv_ledger.store.yaml_reader import parse

    parsed, _ = parse(b"measures:\n  - id: '1.1'\n    text: t\n")
    assert locate(parsed, ("measures", 0, "text")) == (3, 5)
    assert locate(parsed, ("measures", 0, "units", 2)) == (2, 5)
    assert locate(parsed, ("nothing",)) == (1, 1)
    assert locate(None, ("measures",)) == (1, 1)


# ---------------------------------------------------------------------------
# the cache
# ---------------------------------------------------------------------------


def test_cache__second_load_comes_from_the_cache(ledger_dir: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path)
    first = load_ledger(ledger_dir, env)
    assert first.ledger is not None and len(first.reread) == 21  # read from the files
    second = load_ledger(ledger_dir, env)
    assert second.ledger is not None
    assert asdict(second.ledger) == asdict(first.ledger)  # records compare by identity; compare their contents
    assert second.reread == [] and second.parsed == {}  # nothing was parsed


def warm(ledger_dir: Path, tmp_path: Path) -> dict[str, str]:
    """A cache that holds every file of ``ledger_dir``; its environment."""
    env = env_for(tmp_path)
    assert len(load_ledger(ledger_dir, env).reread) == 21
    return env


def test_cache__a_hand_edit_rereads_that_file_alone(ledger_dir: Path, tmp_path: Path) -> None:
    env = warm(ledger_dir, tmp_path)
    edit(ledger_dir / "indicators/13-政府采购.yaml", "deadline: 2022年9月，长期坚持", "deadline: 2022年11月，长期坚持")
    after = load_ledger(ledger_dir, env)
    assert after.reread == ["indicators/13-政府采购.yaml"]
    assert after.ledger is not None and after.ledger.indicators[12].measures[0].deadline == "2022年11月，长期坚持"
    assert [i.number for i in after.ledger.indicators] == list(range(1, 19))
    assert load_ledger(ledger_dir, env).reread == []  # the cache holds the edited file now


def test_cache__a_deleted_file_is_missed_without_reading_the_others(ledger_dir: Path, tmp_path: Path) -> None:
    env = warm(ledger_dir, tmp_path)
    (ledger_dir / "indicators/18-包容普惠创新.yaml").unlink()
    result = load_ledger(ledger_dir, env)
    assert result.ledger is None and result.reread == []
    assert "指标编号 18 不存在" in [p.message for p in result.problems]
    (problem,) = [p for p in result.problems if p.message == "指标编号 18 不存在"]
    assert problem.path.endswith("plan.yaml") and problem.line > 1  # located: plan.yaml parsed for it


def test_cache__a_renamed_file_is_read_under_its_new_name(ledger_dir: Path, tmp_path: Path) -> None:
    env = warm(ledger_dir, tmp_path)
    (ledger_dir / "indicators/18-包容普惠创新.yaml").rename(ledger_dir / "indicators/18-创新.yaml")
    result = load_ledger(ledger_dir, env)
    assert result.problems == [] and result.reread == ["indicators/18-创新.yaml"]
    assert result.ledger is not None and result.ledger.indicator_files[18] == "indicators/18-创新.yaml"
    assert result.ledger.measure_files["18.1"] == "indicators/18-创新.yaml"


def test_cache__a_copied_file_clashes_with_the_cached_one(ledger_dir: Path, tmp_path: Path) -> None:
    """Only the copy is read; the checks across files still see the original, and point into it."""
    env = warm(ledger_dir, tmp_path)
    original = ledger_dir / "indicators/18-包容普惠创新.yaml"
    shutil.copyfile(original, ledger_dir / "indicators/18-副本.yaml")
    result = load_ledger(ledger_dir, env)
    assert result.ledger is None and result.reread == ["indicators/18-副本.yaml"]
    messages = [p.message for p in result.problems]
    assert "指标编号 18 出现了 2 次（另见 indicators/18-副本.yaml）" in messages
    # the copy sorts first ("副" before "包"): the original, which came from the cache, holds the duplicates
    (twice,) = [p for p in result.problems if p.message == "措施编号“18.1”重复（另见 indicators/18-副本.yaml）"]
    assert twice.path == str(original) and twice.line == at_line(original, 'id: "18.1"')
    (number,) = [p for p in result.problems if p.path == str(original) and "出现了 2 次" in p.message]
    assert number.line == at_line(original, "number: 18")


def test_cache__a_units_edit_rechecks_every_file(ledger_dir: Path, tmp_path: Path) -> None:
    """units.yaml is read anew, and the references of the files that come from the cache are checked again."""
    env = warm(ledger_dir, tmp_path)
    edit(ledger_dir / "units.yaml", "name: 市财政局", "name: 市财政厅")
    result = load_ledger(ledger_dir, env)
    assert result.reread == ["units.yaml"]
    unregistered = [p for p in result.problems if p.message == "责任单位“市财政局”未在 units.yaml 登记"]
    assert unregistered and all(p.path.startswith(str(ledger_dir / "indicators")) for p in unregistered)
    first = ledger_dir / "indicators/01-开办企业与注销.yaml"
    assert any(p.path == str(first) and p.line > 1 for p in unregistered)  # located in a file the cache held


def test_cache__an_unknown_unit_in_the_edited_file_is_refused(ledger_dir: Path, tmp_path: Path) -> None:
    env = warm(ledger_dir, tmp_path)
    path = ledger_dir / "indicators/03-获得电力.yaml"
    edit(path, "units: [国网张掖供电公司]", "units: [国网张掖供电局]")
    result = load_ledger(ledger_dir, env)
    assert result.reread == ["indicators/03-获得电力.yaml"] and result.ledger is None
    assert [p.message for p in result.problems] == ["责任单位“国网张掖供电局”未在 units.yaml 登记"]
    assert result.problems[0].line == at_line(path, "国网张掖供电局")


def test_cache__an_edit_is_seen_at_once(ledger_dir: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path)
    assert load_ledger(ledger_dir, env).ledger is not None
    path = ledger_dir / "indicators/13-政府采购.yaml"
    edit(path, "deadline: 2022年9月，长期坚持", "deadline: 2022年11月，长期坚持")
    ledger = load_ledger(ledger_dir, env).ledger
    assert ledger is not None
    assert ledger.indicators[12].measures[0].deadline == "2022年11月，长期坚持"


def test_cache__a_broken_edit_is_never_hidden_by_the_cache(ledger_dir: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path)
    assert load_ledger(ledger_dir, env).ledger is not None
    edit(ledger_dir / "indicators/01-开办企业与注销.yaml", "units: [市财政局]", "units: [市财正局]")
    result = load_ledger(ledger_dir, env)
    assert result.ledger is None and len(result.problems) == 1


def test_cache__corrupt_cache_is_only_a_slower_start(ledger_dir: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path)
    assert load_ledger(ledger_dir, env).ledger is not None
    for cached in (tmp_path / "cache").iterdir():
        cached.write_bytes(b"not a pickle")
    result = load_ledger(ledger_dir, env)
    assert result.problems == [] and result.ledger is not None


def test_cache__unwritable_cache_dir_is_only_slower(ledger_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x", encoding="utf-8")
    result = load_ledger(ledger_dir, {"LEDGER_CACHE_DIR": str(blocker)})
    assert result.problems == [] and result.ledger is not None


def at_line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_load_ledger__a_file_given_as_the_ledger_is_named_as_such(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "plan.yaml"
    not_a_dir.write_text("x: 1\n", encoding="utf-8")
    result = load_ledger(not_a_dir, env_for(tmp_path))
    assert result.ledger is None and "不是目录" in result.problems[0].message
