"""The merge driver's text side on one file: comments and layout kept, entries slotted by date, conflicts marked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bizenv_ledger.model.merge import CannotMerge
from bizenv_ledger.store.yaml_reader import parse
from bizenv_ledger.write.edit import Block, Draft, Word, measure_path, metric_path
from bizenv_ledger.write.merge import merge_files, merge_texts
from tests.conftest import DATA
from tests.writing import COMMENTED

FILE01 = DATA / "indicators" / "01-开办企业与注销.yaml"


def _edited(text: str, change: Callable[[Draft], None]) -> str:
    draft = Draft(text, "测试")
    change(draft)
    return draft.result()


def _progress(measure_id: str, on: str, text: str) -> Callable[[Draft], None]:
    def change(draft: Draft) -> None:
        path = measure_path(draft.data, measure_id)
        assert path is not None
        draft.append_item(path, "progress", Block((("on", on), ("text", text))))

    return change


def _measure(text: str, measure_id: str) -> dict[str, object]:
    parsed, _ = parse(text.encode("utf-8"))
    assert parsed is not None
    path = measure_path(parsed.data, measure_id)
    assert path is not None
    node = parsed.data
    for part in path:
        node = node[part]
    return dict(node)


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(line in it for line in small)


def test_merge_texts__keeps_every_comment_and_slots_theirs_reading_by_date() -> None:
    base = COMMENTED.read_text(encoding="utf-8")

    def reading(on: str, value: int) -> Callable[[Draft], None]:
        def change(draft: Draft) -> None:
            path = metric_path(draft.data, "high_voltage_days")
            assert path is not None
            draft.append_item(path, "readings", Block((("on", on), ("value", value))))

        return change

    ours = _edited(base, reading("2022-09-10", 5))
    theirs = _edited(base, reading("2022-08-15", 6)).replace('"on": "2022-08-15"', '"on": "2022-08-15"  # 对方的注释')
    merged = merge_texts(base, ours, theirs, "03.yaml")
    assert merged.conflicts == []
    assert _is_subsequence(ours.splitlines(), merged.text.splitlines())  # nothing of ours moved or lost
    assert "# 对方的注释" in merged.text
    assert not merged.text.endswith("\n")  # the fixture ends without a line end; so does the merge
    parsed, _ = parse(merged.text.encode("utf-8"))
    assert parsed is not None
    readings = parsed.data["metrics"][0]["readings"]
    assert [r["on"] for r in readings] == ["2022-08-15", "2022-09-01", "2022-09-10"]


def test_merge_texts__inserts_beside_flow_style_entries() -> None:
    base = COMMENTED.read_text(encoding="utf-8")
    ours = _edited(base, _progress("3.1", "2022-09-01", "本地"))
    theirs = _edited(base, _progress("3.1", "2022-08-10", "对方"))
    merged = merge_texts(base, ours, theirs, "03.yaml")
    texts = [p["text"] for p in _measure(merged.text, "3.1")["progress"]]  # type: ignore[union-attr]
    assert texts == ["流式写法的进展", "对方", "本地"]


def test_merge_texts__crlf_file_stays_crlf() -> None:
    base = FILE01.read_text(encoding="utf-8").replace("\n", "\r\n")
    ours = _edited(base, _progress("1.1", "2022-09-01", "本地"))
    theirs = _edited(base, _progress("1.1", "2022-08-20", "对方"))
    merged = merge_texts(base, ours, theirs, "01.yaml")
    assert merged.conflicts == []
    assert merged.text.count("\n") == merged.text.count("\r\n")
    assert [p["text"] for p in _measure(merged.text, "1.1")["progress"]] == ["对方", "本地"]  # type: ignore[union-attr]


def test_merge_texts__same_entry_on_both_sides_is_kept_once() -> None:
    base = FILE01.read_text(encoding="utf-8")
    both = _progress("1.1", "2022-09-01", "同一条")
    ours = _edited(_edited(base, both), _progress("1.1", "2022-09-02", "本地"))
    merged = merge_texts(base, ours, _edited(base, both), "01.yaml")
    assert [p["text"] for p in _measure(merged.text, "1.1")["progress"]] == ["同一条", "本地"]  # type: ignore[union-attr]


def test_merge_texts__reopen_on_theirs_and_progress_on_ours() -> None:
    base = COMMENTED.read_text(encoding="utf-8")  # 3.4 is closed, its closing block commented

    def reopen(draft: Draft) -> None:
        path = measure_path(draft.data, "3.4")
        assert path is not None
        closing = draft.cut_key(path, "closing")
        draft.set_key(path, "status", Word("open"))
        draft.append_item(
            path, "reopenings", Block((("on", "2022-09-05"), ("reason", "材料不全"), ("closing", closing)))
        )

    merged = merge_texts(base, _edited(base, _progress("3.4", "2022-09-01", "本地")), _edited(base, reopen), "03.yaml")
    assert merged.conflicts == []
    measure = _measure(merged.text, "3.4")
    assert measure["status"] == "open" and "closing" not in measure
    assert [r["reason"] for r in measure["reopenings"]] == ["材料不全"]  # type: ignore[attr-defined]
    assert [p["text"] for p in measure["progress"]] == ["本地"]  # type: ignore[attr-defined]
    assert "# 销号依据" in merged.text  # the closing moved into the reopening with its comment


def test_merge_texts__different_new_deadlines_conflict_by_name() -> None:
    base = FILE01.read_text(encoding="utf-8")

    def postpone(new: str) -> Callable[[Draft], None]:
        def change(draft: Draft) -> None:
            path = measure_path(draft.data, "1.3")
            assert path is not None
            draft.set_key(path, "deadline", new)

        return change

    merged = merge_texts(base, _edited(base, postpone("2022年10月")), _edited(base, postpone("2022年12月")), "01.yaml")
    assert merged.conflicts == ["措施 1.3 的完成时限两边改得不同：本地 2022年10月，对方 2022年12月"]
    block = merged.text.split("<<<<<<<")[1].split(">>>>>>>")[0]
    assert '"2022年10月"' in block.split("=======")[0] and '"2022年12月"' in block.split("=======")[1]


def test_merge_texts__an_existing_entry_changed_by_hand_is_a_conflict() -> None:
    base = _edited(FILE01.read_text(encoding="utf-8"), _progress("1.1", "2022-08-01", "原文"))
    ours = _edited(base, _progress("1.1", "2022-09-01", "本地"))
    theirs = base.replace('"原文"', '"改过的原文"')
    merged = merge_texts(base, ours, theirs, "01.yaml")
    assert merged.conflicts == ["措施 1.1 的“progress”中已有的记录被一方改动或删除，无法自动合并"]
    assert merged.text.count("<<<<<<<") == 1


def test_merge_texts__a_measure_added_by_theirs_goes_after_the_one_it_follows() -> None:
    base = FILE01.read_text(encoding="utf-8")
    added = '  - id: "1.2a"\n    text: 新增措施\n    units: [市财政局]\n    deadline: 2022年12月\n'
    theirs = base.replace('  - id: "1.3"', added + '  - id: "1.3"')
    merged = merge_texts(base, _edited(base, _progress("1.1", "2022-09-01", "本地")), theirs, "01.yaml")
    parsed, _ = parse(merged.text.encode("utf-8"))
    assert parsed is not None
    assert [m["id"] for m in parsed.data["measures"]] == ["1.1", "1.2", "1.2a", "1.3", "1.4", "1.5", "1.6"]


def test_merge_texts__a_measure_deleted_by_theirs_is_left_to_git() -> None:
    base = FILE01.read_text(encoding="utf-8")
    theirs = base[: base.index('  - id: "1.6"')]
    with pytest.raises(CannotMerge, match=r"删除了措施 1\.6"):
        merge_texts(base, _edited(base, _progress("1.1", "2022-09-01", "本地")), theirs, "01.yaml")


def _files(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[Path, Path, Path]:
    paths = tmp_path / "base.yaml", tmp_path / "ours.yaml", tmp_path / "theirs.yaml"
    for path, text in zip(paths, (base, ours, theirs), strict=True):
        path.write_bytes(text.encode("utf-8"))
    return paths


def test_merge_files__falls_back_on_git_line_merge(tmp_path: Path) -> None:
    base = FILE01.read_text(encoding="utf-8")
    ours = _edited(base, _progress("1.1", "2022-09-01", "本地"))
    b, o, t = _files(tmp_path, base, ours, base[: base.index('  - id: "1.6"')])
    outcome = merge_files(b, o, t, "indicators/01.yaml")
    assert (outcome.structural, outcome.conflicts) == (False, [])
    result = o.read_text(encoding="utf-8")
    assert '"本地"' in result and 'id: "1.6"' not in result


def test_merge_driver_command__conflict_exits_1_with_the_message(tmp_path: Path) -> None:
    base = FILE01.read_text(encoding="utf-8")
    ours = base.replace('deadline: 2022年8月\n  - id: "1.4"', 'deadline: 2022年9月\n  - id: "1.4"')
    theirs = base.replace('deadline: 2022年8月\n  - id: "1.4"', 'deadline: 2022年10月\n  - id: "1.4"')
    b, o, t = _files(tmp_path, base, ours, theirs)
    proc = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "merge-driver", str(b), str(o), str(t), "indicators/01.yaml"],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 1
    said = proc.stderr.decode("utf-8")
    assert "合并冲突：indicators/01.yaml：措施 1.3 的完成时限两边改得不同：本地 2022年9月，对方 2022年10月" in said
    assert "Traceback" not in said
    assert "<<<<<<< 本地（ours）" in o.read_text(encoding="utf-8")


def test_merge_texts__county_metric_readings_match_by_indicator_number_and_key() -> None:
    base = (DATA / "counties" / "临泽县.yaml").read_text(encoding="utf-8")

    def reading(on: str, value: int) -> Callable[[Draft], None]:
        def change(draft: Draft) -> None:
            draft.append_item(("indicators", 0, "metrics", 0), "readings", Block((("on", on), ("value", value))))

        return change

    ours = _edited(_edited(base, reading("2022-08-01", 150)), reading("2022-09-20", 100))
    merged = merge_texts(base, ours, _edited(base, reading("2022-09-01", 120)), "临泽县.yaml")
    assert merged.conflicts == []
    parsed, _ = parse(merged.text.encode("utf-8"))
    assert parsed is not None
    readings = parsed.data["indicators"][0]["metrics"][0]["readings"]
    assert [r["value"] for r in readings] == [150, 120, 100]
    assert _is_subsequence(ours.splitlines(), merged.text.splitlines())
