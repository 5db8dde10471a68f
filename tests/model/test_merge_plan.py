"""The pure three-way decision: what theirs brings, in which order, and what conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bizenv_ledger.model.merge import CannotMerge, Drop, Insert, Match, Take, plan_merge


def _file(*measures: dict[str, object]) -> dict[str, object]:
    return {"number": 1, "measures": [{"id": "1.1", "deadline": "2022年12月"}, *measures]}


def _entry(on: str, text: str) -> dict[str, str]:
    return {"on": on, "text": text}


def test_plan_merge__union_in_date_order_ours_first_on_a_date() -> None:
    base = _file({"id": "1.2", "progress": [_entry("2022-08-01", "原有")]})
    ours = _file({"id": "1.2", "progress": [_entry("2022-08-01", "原有"), _entry("2022-09-01", "本地")]})
    theirs = _file(
        {
            "id": "1.2",
            "progress": [_entry("2022-08-01", "原有"), _entry("2022-09-01", "对方"), _entry("2022-08-15", "对方早")],
        }
    )
    plan = plan_merge(base, ours, theirs)
    assert plan.conflicts == []
    assert [p["text"] for p in plan.merged["measures"][1]["progress"]] == ["原有", "对方早", "本地", "对方"]
    loc = ("measures", Match("id", "1.2"))
    assert plan.edits == [Insert(loc, "progress", 2, 1), Insert(loc, "progress", 1, 2)]


def test_plan_merge__one_sided_changes_are_taken_and_removals_dropped() -> None:
    base = _file({"id": "1.2", "status": "done", "closing": {"on": "2022-08-01"}})
    ours = _file(
        {"id": "1.2", "status": "done", "closing": {"on": "2022-08-01"}, "progress": [_entry("2022-09-01", "x")]}
    )
    theirs = _file({"id": "1.2", "status": "open", "reopenings": [{"on": "2022-09-02"}]})
    plan = plan_merge(base, ours, theirs)
    loc = ("measures", Match("id", "1.2"))
    assert plan.edits == [Take(loc, "status"), Drop(loc, "closing"), Take(loc, "reopenings")]
    assert plan.merged["measures"][1] == {
        "id": "1.2",
        "status": "open",
        "progress": [_entry("2022-09-01", "x")],
        "reopenings": [{"on": "2022-09-02"}],
    }


def test_plan_merge__the_same_change_on_both_sides_is_no_edit() -> None:
    base = _file()
    changed = _file({"id": "1.2", "deadline": "2022年8月"})
    assert plan_merge(base, changed, changed).edits == []


def test_plan_merge__two_closings_conflict_as_a_whole() -> None:
    base = _file()
    ours = {"number": 1, "measures": [{"id": "1.1", "status": "done", "closing": {"on": "2022-09-01", "note": "a"}}]}
    theirs = {"number": 1, "measures": [{"id": "1.1", "status": "done", "closing": {"on": "2022-09-01", "note": "b"}}]}
    [conflict] = plan_merge(base, ours, theirs).conflicts
    assert conflict.key == "closing"
    assert conflict.message == (
        "措施 1.1 两边都已销号，但销号记录不同：本地 2022-09-01，对方 2022-09-01（销号日期相同，说明或佐证材料不同）"
    )


def test_plan_merge__true_is_not_one() -> None:
    base = {"metrics": [{"key": "k", "target": 1}]}
    ours = {"metrics": [{"key": "k", "target": True}]}
    theirs = {"metrics": [{"key": "k", "target": Decimal("1.0")}]}
    [conflict] = plan_merge(base, ours, theirs).conflicts
    assert conflict.message == "指标项 k 的“target”两边改得不同：本地 True，对方 1.0"


def test_plan_merge__an_item_deleted_while_the_other_side_edits_the_list_is_not_decided() -> None:
    base = _file({"id": "1.2"})
    assert plan_merge(base, base, _file()).edits == [Take((), "measures")]  # ours untouched: theirs' list stands
    ours = {"number": 1, "measures": [{"id": "1.1", "deadline": "2022年12月", "progress": []}, {"id": "1.2"}]}
    with pytest.raises(CannotMerge, match=r"对方删除了措施 1\.2"):
        plan_merge(base, ours, _file())


def test_plan_merge__a_top_level_conflict_names_the_key() -> None:
    [conflict] = plan_merge({"title": "甲"}, {"title": "乙"}, {"title": "丙"}).conflicts
    assert conflict.message == "文件中的“title”两边改得不同：本地 乙，对方 丙"
