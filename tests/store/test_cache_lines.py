"""A write adds its file's line to the cache; the index says where each file's line is; what goes wrong there is only slower.

Real writes through the CLI on a git copy of the plan. What is observed: the cache file's bytes,
the index's ``at`` map, what the next load reads again (``LoadResult.reread``) and what it holds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.store import cache_lines
from bizenv_ledger.store.cache_files import cache_file, cache_fingerprint
from bizenv_ledger.store.cache_lines import entries, entries_at, old_entries
from bizenv_ledger.store.loader import load_ledger
from bizenv_ledger.store.names_index import index_file
from tests.helpers import run
from tests.writing import EVIDENCE, FILE03


def _cache(data: Path) -> Path:
    return cache_file(data, dict(os.environ))


def _index(data: Path) -> dict[str, object]:
    loaded = json.loads(index_file(_cache(data)).read_bytes())
    assert isinstance(loaded, dict)
    return loaded


def _rels(data: Path) -> list[str]:
    return [entry.rel for entry in entries(_cache(data), cache_fingerprint(data))]


def _done(runner: CliRunner, data: Path, measure: str) -> None:
    result = run(runner, data, "done", measure, "--on", "2022-09-30", "--evidence", EVIDENCE)
    assert result.exit_code == 0, result.output


def _same_as_the_files(data: Path) -> None:
    cached, fresh = load_ledger(data), load_ledger(data, use_cache=False)
    assert cached.reread == [] and cached.ledger is not None and fresh.ledger is not None
    assert repr(cached.ledger) == repr(fresh.ledger)


def test_write__adds_its_files_line_and_the_index_says_where(git_ledger: Path, runner: CliRunner) -> None:
    run(runner, git_ledger, "list")
    assert _rels(git_ledger).count(FILE03) == 1
    _done(runner, git_ledger, "3.1")
    _done(runner, git_ledger, "3.2")
    assert _rels(git_ledger).count(FILE03) == 3  # the old lines stay until the cache is written anew
    where = _index(git_ledger)["at"]
    assert isinstance(where, dict)
    raw = _cache(git_ledger).read_bytes()
    offset, length = where[FILE03]
    assert offset + length == len(raw)  # the file's line is the last one added
    stamps = _index(git_ledger)["stamps"]
    assert isinstance(stamps, dict)
    found = entries_at(_cache(git_ledger), cache_fingerprint(git_ledger), where, [FILE03], stamps)
    assert found is not None and found[FILE03].stamp == stamps[FILE03]
    # the last line of each file is its own, as the files are now
    assert old_entries(_cache(git_ledger), cache_fingerprint(git_ledger))[FILE03].stamp == stamps[FILE03]
    _same_as_the_files(git_ledger)
    shown = load_ledger(git_ledger).ledger
    assert shown is not None
    assert [m.status for m in shown.indicators[2].measures[:2]] == ["done", "done"]


def test_write__writes_the_cache_anew_when_half_of_it_would_be_stale(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_lines, "_SLACK", 0)
    run(runner, git_ledger, "list")
    counts = []
    for number in range(40):
        result = run(runner, git_ledger, "progress", "3.5", f"第{number + 1}次进展", "--on", "2022-09-30")
        assert result.exit_code == 0, result.output
        counts.append(_rels(git_ledger).count(FILE03))
    # with no slack, the file's stale lines outgrow the rest of the cache after some writes: it is then
    # written whole, one line per file, and adding starts again
    peak = counts.index(max(counts))
    assert max(counts) > 2 and 1 in counts[peak:]
    size = len(_cache(git_ledger).read_bytes())
    live = sum(length for _, length in _index(git_ledger)["at"].values())  # type: ignore[attr-defined]
    assert size <= 2 * live + 4096
    _same_as_the_files(git_ledger)


def test_read__a_line_cut_short_is_read_as_no_cache(git_ledger: Path, runner: CliRunner) -> None:
    """The process killed while adding a line: the next read reads the files, answers right and writes the cache anew."""
    run(runner, git_ledger, "list")
    _done(runner, git_ledger, "3.1")
    path = _cache(git_ledger)
    path.write_bytes(path.read_bytes()[:-100])
    after = load_ledger(git_ledger)
    assert len(after.reread) == 21 and after.ledger is not None
    assert after.ledger.indicators[2].measures[0].status == "done"
    assert _rels(git_ledger).count(FILE03) == 1  # written anew, whole
    _same_as_the_files(git_ledger)


@pytest.mark.parametrize(
    "damage",
    [
        lambda at: {rel: [offset + 1, length] for rel, (offset, length) in at.items()},  # pointing one byte late
        lambda at: {rel: [0, length] for rel, (_, length) in at.items()},  # at the header
        lambda at: {rel: "here" for rel in at},  # not places at all
        lambda at: {rel: place for rel, place in list(at.items())[1:]},  # a file missing
    ],
    ids=["late", "header", "garbage", "missing"],
)
def test_write__an_index_that_points_wrong_is_only_slower(git_ledger: Path, runner: CliRunner, damage: object) -> None:
    """The write reads the whole cache instead, writes it whole, and the next read still reads nothing again."""
    assert callable(damage)
    run(runner, git_ledger, "list")
    index = _index(git_ledger)
    index["at"] = damage(index["at"])
    index_file(_cache(git_ledger)).write_bytes(json.dumps(index, ensure_ascii=False).encode())
    _done(runner, git_ledger, "3.1")
    assert _rels(git_ledger).count(FILE03) == 1  # not added to: written whole
    where = _index(git_ledger)["at"]
    assert isinstance(where, dict) and set(where) == set(_rels(git_ledger))
    _same_as_the_files(git_ledger)


def test_write__a_cache_replaced_meanwhile_is_not_added_to_wrongly(git_ledger: Path, runner: CliRunner) -> None:
    """A cache of other code (another fingerprint) is never added to: the write writes it whole, as its own."""
    run(runner, git_ledger, "list")
    path = _cache(git_ledger)
    raw = path.read_bytes()
    header, _, rest = raw.partition(b"\n")
    meta = json.loads(header)
    meta["fingerprint"] = "other code"
    path.write_bytes(json.dumps(meta).encode() + b"\n" + rest)
    _done(runner, git_ledger, "3.1")
    assert json.loads(path.read_bytes().partition(b"\n")[0])["fingerprint"] == cache_fingerprint(git_ledger)
    _same_as_the_files(git_ledger)


def test_read__a_cache_that_could_not_be_written_gives_the_index_no_places(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index never says where lines are that were not written; the next write reads and writes the cache whole."""
    with monkeypatch.context() as failing:
        failing.setattr(cache_lines, "write_private", lambda path, data: False)  # a full disk, say
        run(runner, git_ledger, "list")
    assert "at" not in _index(git_ledger)
    _done(runner, git_ledger, "3.1")
    assert set(_index(git_ledger)["at"]) == set(_rels(git_ledger))  # type: ignore[arg-type]
    _same_as_the_files(git_ledger)
