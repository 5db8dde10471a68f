"""What people type: indicators by number, name, short name or fragment; units by alias and collective."""

from __future__ import annotations

import pytest

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.model.errors import LookupFailed
from bizenv_ledger.model.names import UnitIndex, find_indicator, find_measure


@pytest.mark.parametrize("typed", ["3", "三", "(三)", "获得电力", "电力", " 获得 电力 "])
def test_find_indicator__number_name_short_name_fragment(plan: Ledger, typed: str) -> None:
    assert find_indicator(plan, typed).number == 3


def test_find_indicator__other_documents_names(plan: Ledger) -> None:
    assert find_indicator(plan, "开办企业").number == 1
    assert find_indicator(plan, "保护中小投资者").number == 10


def test_find_indicator__exact_name_beats_fragment(plan: Ledger) -> None:
    assert find_indicator(plan, "市场监管").number == 17


def test_find_indicator__ambiguous_fragment_lists_candidates(plan: Ledger) -> None:
    with pytest.raises(LookupFailed) as info:
        find_indicator(plan, "监管")
    assert any("劳动力市场监管" in c for c in info.value.candidates)
    assert any("市场监管" in c for c in info.value.candidates)


def test_find_indicator__unknown_suggests(plan: Ledger) -> None:
    with pytest.raises(LookupFailed, match="找不到指标"):
        find_indicator(plan, "获得天然气")


def test_unit_index__alias_and_canonical_are_the_same_body(plan: Ledger) -> None:
    index = UnitIndex.build(plan.registry)
    assert index.find("市交通局") == index.find("市交通运输局") == "市交通运输局"
    assert index.find("（市中级人民法院）".strip("（）")) == "张掖市中级人民法院"


def test_unit_index__full_width_and_spaces_do_not_matter(plan: Ledger) -> None:
    index = UnitIndex.build(plan.registry)
    assert index.find(" 市财政局 ") == "市财政局"
    assert index.find("市　财政局") == "市财政局"


def test_unit_index__ambiguous_fragment_lists_candidates(plan: Ledger) -> None:
    index = UnitIndex.build(plan.registry)
    with pytest.raises(LookupFailed) as info:
        index.find("市政府")
    assert {"市政府政务服务中心", "市政府金融办"} <= set(info.value.candidates)


def test_unit_index__near_miss_gets_did_you_mean(plan: Ledger) -> None:
    index = UnitIndex.build(plan.registry)
    with pytest.raises(LookupFailed) as info:
        index.find("市财正局")
    assert "市财政局" in info.value.candidates


def test_find_measure__unknown_id_lists_siblings(plan: Ledger) -> None:
    assert find_measure(plan, "3.2")[1].deadline == "2022年8月"
    with pytest.raises(LookupFailed) as info:
        find_measure(plan, "3.9")
    assert "3.1" in info.value.candidates


@pytest.mark.parametrize("typed", ["9" * 5000, "\U00010a40", "٣" * 5000])
def test_find_indicator__digits_int_cannot_read_are_not_found_not_a_crash(plan: Ledger, typed: str) -> None:
    """Found by the command-line fuzz: `gap 999…9` (5,000 digits) and `gap 𐩀` (a Kharosthi digit: isdigit() but not int()) raised ValueError."""
    with pytest.raises(LookupFailed, match="找不到指标"):
        find_indicator(plan, typed)


@pytest.mark.parametrize("typed", ["9" * 5000 + ".1", "3." + "2" * 5000, "临泽县:" + "1" * 5000 + ".1"])
def test_find_measure__an_id_of_thousands_of_digits_is_not_found_not_a_crash(plan: Ledger, typed: str) -> None:
    with pytest.raises(LookupFailed, match="找不到措施"):
        find_measure(plan, typed)


def test_find_indicator__circled_and_superscript_numbers_read_as_numbers(plan: Ledger) -> None:
    assert find_indicator(plan, "③").number == 3
    assert find_indicator(plan, "²").number == 2


def test_find_indicator__the_same_number_in_several_ledgers_is_one_choice(plan: Ledger) -> None:
    from dataclasses import replace

    from bizenv_ledger.model.errors import LookupFailed
    from bizenv_ledger.model.names import find_indicator_in

    power = find_indicator(plan, "获得电力")
    again = replace(power, measures=[])  # another ledger's 3 获得电力
    assert find_indicator_in([power, again], "获得电力") is power
    assert find_indicator_in([power, again], "电力") is power
    water = find_indicator(plan, "用水")
    with pytest.raises(LookupFailed) as failed:
        find_indicator_in([power, again, water, replace(water)], "获得")  # two indicators, each twice
    assert str(failed.value).count("获得电力") == 1  # each indicator named once, not once a ledger
