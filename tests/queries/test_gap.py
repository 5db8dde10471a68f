"""Gaps to the province best and the target, both directions, readings, contradictions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from bizenv_ledger.model.domain import Bound, Indicator, Ledger, Metric, Range, Reading
from bizenv_ledger.queries.gap import contradictions, dtf, gap_row, gap_rows, indicator_ranking, numeric

D = Decimal
IND = Indicator(number=3, name="获得电力", best="", current="", target="")


def _metric(direction: str, best: object, baseline: object, target: object = None, **kw: object) -> Metric:
    return Metric(key="k", name="项", unit="天", direction=direction, best=best, baseline=baseline, target=target, **kw)  # type: ignore[arg-type]


def test_gap_row__lower_is_better_behind_is_positive() -> None:
    row = gap_row(IND, _metric("lower", D("2.7"), D(6), D(5)), date(2022, 7, 8))
    assert row.gap_to_best == D("3.3") and row.gap_to_target == D(1)
    assert row.target_met is False and row.ahead_of_best is False


def test_gap_row__higher_is_better_behind_is_positive() -> None:
    row = gap_row(IND, _metric("higher", D("28.07"), D("17.9"), D(20)), date(2022, 7, 8))
    assert row.gap_to_best == D("10.17") and row.gap_to_target == D("2.1")


def test_gap_row__already_ahead_of_best_is_negative_gap() -> None:
    lower = gap_row(IND, _metric("lower", D(4), D(2), D(2)), date(2022, 7, 8))  # 登记财产 2 环节 vs best 4
    higher = gap_row(IND, _metric("higher", D("94.66"), D("94.89"), D(95)), date(2022, 7, 8))
    assert lower.gap_to_best == D(-2) and lower.ahead_of_best and lower.target_met is True
    assert higher.gap_to_best == D("-0.23") and higher.ahead_of_best and higher.target_met is False


def test_gap_row__latest_reading_up_to_as_of_is_current_and_progress_shows() -> None:
    readings = [Reading(on=date(2022, 9, 30), value=D("5.5")), Reading(on=date(2022, 11, 30), value=D(5))]
    metric = _metric("lower", D("2.7"), D(6), D(5), readings=readings)
    plan_day = gap_row(IND, metric, date(2022, 7, 8))
    october = gap_row(IND, metric, date(2022, 10, 1))
    december = gap_row(IND, metric, date(2022, 12, 1))
    assert (plan_day.current, plan_day.progress) == (D(6), None)
    assert (october.current, october.current_on, october.progress) == (D("5.5"), date(2022, 9, 30), D("0.5"))
    assert december.target_met is True and december.progress == D(1)


def test_gap_row__bounds_ranges_and_bools() -> None:
    bound = gap_row(IND, _metric("lower", D(32), D("41.04"), Bound(at_most=D(32))), date(2022, 7, 8))
    assert bound.target_met is False and bound.gap_to_best == D("9.04")
    cost = _metric("lower", None, Range(min=D(110), max=D(180)))
    assert numeric(cost.baseline, "lower") == D(180)  # a range counts at its worse end
    yes_no = gap_row(IND, _metric("higher", True, False, True), date(2022, 7, 8))
    assert yes_no.gap_to_best == D(1) and yes_no.target_met is False


def test_dtf__clamped_frontier_score() -> None:
    metric = _metric("lower", D(2), D(6), worst=D(10))
    assert dtf(metric, D(6), D(2)) == D(50)
    assert dtf(metric, D(12), D(2)) == D(0)
    assert dtf(metric, D(1), D(2)) == D(100)
    assert dtf(replace(metric, worst=None), D(6), D(2)) is None


def test_gap_rows__electricity_from_the_plan(plan: Ledger) -> None:
    ind = next(i for i in plan.indicators if i.name == "获得电力")
    rows = {r.metric.name: r for r in gap_rows(ind, date(2022, 7, 8))}
    high = rows["高压办电时间"]
    assert (high.metric.direction, high.gap_to_best, high.gap_to_target) == ("lower", D("3.3"), D(1))
    assert rows["高压办电环节"].gap_to_best == D(1) and rows["高压办电环节"].target_met is True
    assert rows["低压办电时间"].gap_to_best == D("0.5")


def test_contradictions__electricity_target_falls_short_of_the_best(plan: Ledger) -> None:
    ind = next(i for i in plan.indicators if i.name == "获得电力")
    found = contradictions(plan, ind)
    assert found is not None
    assert {m.name for m in found.metrics} == {"高压办电时间", "高压办电环节"}
    other = next(i for i in plan.indicators if i.name == "纳税")
    assert contradictions(plan, other) is None  # not one of the three that must reach the best


def test_indicator_ranking__all_eighteen_scored_or_last(plan: Ledger) -> None:
    ranking = indicator_ranking(plan, date(2022, 7, 8))
    assert len(ranking) == 18
    scores = [g.score for g in ranking if g.score is not None]
    assert scores == sorted(scores)
    assert all(Decimal(0) <= s <= Decimal(100) for s in scores)
    unscored = [g.indicator.number for g in ranking if g.score is None]
    assert unscored == [7, 10]  # 跨境贸易 and 保护中小投资 have no figure on both sides: ranked last
    assert [g.indicator.number for g in ranking[-2:]] == unscored


def test_gap_row__same_day_correction_replaces_the_earlier_reading() -> None:
    readings = [Reading(on=date(2022, 9, 30), value=D("5.5")), Reading(on=date(2022, 9, 30), value=D("5.2"))]
    row = gap_row(IND, _metric("lower", D("2.7"), D(6), D(5), readings=readings), date(2022, 10, 1))
    assert row.current == D("5.2")


def test_gap_row__progress_past_the_target_is_the_whole_way_not_more() -> None:
    """3.5 days against a baseline of 6 and a target of 5 is the target met, not 250% of the way."""
    beyond = _metric("lower", D("2.7"), D(6), D(5), readings=[Reading(on=date(2022, 9, 30), value=D("3.5"))])
    row = gap_row(IND, beyond, date(2022, 10, 1))
    assert (row.progress, row.target_met, row.gap_to_target) == (D(1), True, D("-1.5"))
    worse = _metric("lower", D("2.7"), D(6), D(5), readings=[Reading(on=date(2022, 9, 30), value=D("6.5"))])
    assert gap_row(IND, worse, date(2022, 10, 1)).progress == D("-0.5")  # moving away from the target stays
