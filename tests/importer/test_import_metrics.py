"""Issue 11 item 5: figures become proposed metrics, read from the document and marked for review."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from bizenv_ledger.importer import REPORT_FILE, import_plan
from bizenv_ledger.importer.draft import cn_number
from bizenv_ledger.importer.figures import read_facts
from bizenv_ledger.importer.metrics import propose_metrics
from bizenv_ledger.model.domain import Bound, Indicator, Range
from tests.conftest import CITY_SOURCE

from .exact import loaded, metric_misses
from .variants import variant


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "ledger"
    import_plan([CITY_SOURCE], out)
    return out


def _numbers(value: object) -> list[Decimal]:
    if isinstance(value, Decimal) and not isinstance(value, bool):
        return [value]
    if isinstance(value, Range):
        return [value.min, value.max]
    if isinstance(value, Bound):
        return [v for v in (value.at_most, value.at_least) if v is not None]
    return []


def _written(phrase: str) -> set[Decimal]:
    """The numbers a phrase spells, in digits or in Chinese (三个月, 百分之十, 第二)."""
    found = {Decimal(d) for d in re.findall(r"\d+(?:\.\d+)?", phrase)}
    found |= {Decimal(n) for w in re.findall(r"[一二三四五六七八九十]+", phrase) if (n := cn_number(w)) is not None}
    return found


def test_import_metrics__cover_nine_tenths_of_data_with_the_same_values_and_direction(city: Path, plan) -> None:  # type: ignore[no-untyped-def]
    misses = metric_misses(loaded(city), plan)
    total = sum(len(i.metrics) for i in plan.indicators)
    assert total > 100
    assert len(misses) <= total // 10, misses


def test_import_metrics__carry_no_number_that_is_not_in_the_document(city: Path) -> None:
    document = "".join(CITY_SOURCE.read_text(encoding="utf-8").split())  # the lines joined, as the importer reads it
    ledger = loaded(city)
    checked = 0
    for ind in ledger.indicators:
        for metric in ind.metrics:
            for part in ("best", "baseline", "target"):
                value, phrase = getattr(metric, part), getattr(metric.source, part)
                if value is None:
                    continue
                assert phrase and "".join(phrase.split()) in document, (ind.number, metric.key, phrase)
                for number in _numbers(value):
                    assert number in _written(phrase), (ind.number, metric.key, number, phrase)
                    checked += 1
    assert checked > 150


@pytest.mark.parametrize(("seed", "width", "year"), [(1, 37, None), (4, 23, 2023)])
def test_import_metrics__the_same_on_a_rewrapped_plan_of_another_year(
    tmp_path: Path, plan, seed: int, width: int, year: int | None
) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "方案.txt"
    source.write_text(
        variant(CITY_SOURCE.read_text(encoding="utf-8"), seed=seed, width=width, year=year), encoding="utf-8"
    )
    import_plan([source], tmp_path / "台账")
    misses = metric_misses(loaded(tmp_path / "台账"), plan)
    assert len(misses) <= sum(len(i.metrics) for i in plan.indicators) // 10, misses


def test_import_metrics__every_proposal_is_marked_for_review_and_listed_in_the_report(city: Path) -> None:
    ledger = loaded(city)
    proposals = sum(len(i.metrics) for i in ledger.indicators)
    marked = sum(
        len(re.findall(r"^  - key: m\d+   # review: ", p.read_text(encoding="utf-8"), re.M))
        for p in (city / "indicators").glob("*.yaml")
    )
    assert marked == proposals > 0
    report = (city / REPORT_FILE).read_text(encoding="utf-8")
    section = report.split("## 建议的指标项", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"^\| \d+ \| m\d+ \|", section, re.M)) == proposals


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("用气时间根据工程量确定，最多不超过60天", "天", Bound(at_most=Decimal(60))),
        ("审批时间控制在32小时以内", "小时", Bound(at_most=Decimal(32))),
        ("5日内启动破产程序", "天", Bound(at_most=Decimal(5))),
        ("刻章费用为110-180元不等", "元", Range(Decimal(110), Decimal(180))),
        ("有效商标增至8000件以上", "件", Bound(at_least=Decimal(8000))),
        ("适用简易程序审理的案件审理时间为三个月内", "个月", Bound(at_most=Decimal(3))),
        ("在20日内审结的达到百分之十", "%", Decimal(10)),
        ("目前我市暂未建成海关工作点", "是/否", False),
        ("免费刻章", "是/否", True),
    ],
)
def test_read_facts__recognises_bounds_ranges_chinese_numbers_and_yes_no(text: str, unit: str, value: object) -> None:
    facts = read_facts(text, "baseline")
    assert (facts[-1].unit, facts[-1].value) == (unit, value)


def test_read_facts__a_year_or_a_day_of_the_month_is_no_figure() -> None:
    facts = read_facts("2021年底，坚持每月20日综合招聘会制度，5月末余额81.75亿元", "baseline", yes_no=False)
    assert [(f.unit, f.value) for f in facts] == [("亿元", Decimal("81.75"))]


def test_propose_metrics__pairs_by_name_not_by_order() -> None:
    ind = Indicator(
        3,
        "获得电力",
        best="低压2个环节、高压3个环节，低压0.5天、高压2.7天",
        current="高压4个环节、低压2个环节，高压6天、低压1天",
        target="低压0.5天、高压5天",
    )
    got = {
        (p.unit, tuple(str(p.facts[k].value) if k in p.facts else None for k in ("best", "baseline", "target")))
        for p in propose_metrics(ind)
    }
    assert got == {
        ("个环节", ("2", "2", None)),
        ("个环节", ("3", "4", None)),
        ("天", ("0.5", "1", "0.5")),
        ("天", ("2.7", "6", "5")),
    }


def test_propose_metrics__a_problem_negation_gives_the_baseline() -> None:
    ind = Indicator(
        1, "开办", best="免费刻章", current="公章由开户银行免费赠送一枚", problems=["未实现免费刻章"], target="免费刻章"
    )
    (seal, *_rest) = propose_metrics(ind)
    assert [seal.facts[k].value for k in ("best", "baseline", "target")] == [True, False, True]
