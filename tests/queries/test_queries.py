"""Lights, overdue and filters on hand-made measures and on the real plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bizenv_ledger.model.domain import Closing, Ledger, Measure, Milestone, Postponement, Reopening, UnitRegistry
from bizenv_ledger.model.names import UnitIndex
from bizenv_ledger.queries.measures import Filters, apply_filters, measure_views, overdue_order, view_measure

INDEX = UnitIndex.build(UnitRegistry(units=[]))


def _measure(deadline: str = "2022年9月", **kw: object) -> Measure:
    return Measure(id="13.1", text="措施", units=["市财政局"], deadline=deadline, **kw)  # type: ignore[arg-type]


def _light(m: Measure, as_of: date, window: int = 7) -> str:
    return view_measure(m, None, INDEX, as_of, window).light


def test_view_measure__due_day_is_not_overdue() -> None:
    m = _measure("2022年9月")
    assert _light(m, date(2022, 9, 30)) == "yellow"
    view = view_measure(m, None, INDEX, date(2022, 10, 1))
    assert (view.light, view.days_overdue) == ("red", 1)


def test_view_measure__yellow_inside_window_green_outside() -> None:
    m = _measure("2022年9月")
    assert _light(m, date(2022, 9, 23)) == "yellow"
    assert _light(m, date(2022, 9, 22)) == "green"
    assert _light(m, date(2022, 9, 1), window=30) == "yellow"


def test_view_measure__long_term_measure_is_overdue_until_done_then_ongoing() -> None:
    open_m = _measure("2022年9月，长期坚持")
    assert _light(open_m, date(2022, 12, 1)) == "red"
    done = replace(open_m, status="done", closing=Closing(on=date(2022, 10, 10)))
    assert _light(done, date(2022, 10, 5)) == "red"  # not yet done then
    assert _light(done, date(2023, 6, 1)) == "ongoing"


def test_view_measure__done_measure_is_never_red_and_reports_done_on() -> None:
    m = _measure("2022年8月", status="done", closing=Closing(on=date(2022, 8, 15)))
    view = view_measure(m, None, INDEX, date(2023, 1, 1))
    assert (view.light, view.status, view.done_on, view.done_late) == ("done", "done", date(2022, 8, 15), False)


def test_view_measure__closing_after_due_counts_as_late() -> None:
    m = _measure("2022年8月", status="done", closing=Closing(on=date(2022, 9, 15)))
    assert view_measure(m, None, INDEX, date(2023, 1, 1)).done_late


def test_view_measure__reopened_measure_was_done_between_closing_and_reopening() -> None:
    earlier = Closing(on=date(2022, 8, 10), note="初次销号")
    m = _measure("2022年8月", reopenings=[Reopening(on=date(2022, 9, 5), reason="佐证不足", closing=earlier)])
    assert _light(m, date(2022, 8, 20)) == "done"
    view = view_measure(m, None, INDEX, date(2022, 9, 6))
    assert (view.light, view.days_overdue) == ("red", 6)


def test_view_measure__postponed_deadline_applies_from_the_day_it_was_moved() -> None:
    pp = Postponement(on=date(2022, 9, 20), old="2022年9月", new="2022年12月", reason="设备到货延迟")
    m = _measure("2022年12月", postponements=[pp])
    before = view_measure(m, None, INDEX, date(2022, 9, 10))
    after = view_measure(m, None, INDEX, date(2022, 10, 5))
    assert before.deadline.written == "2022年9月" and before.original_deadline is None
    assert after.light == "green" and after.original_deadline == "2022年9月" and after.slipped


def test_view_measure__missed_milestone_inside_open_measure() -> None:
    m = _measure("2022年9月", milestones=[Milestone(text="8月底前市级平台上线运行", deadline="2022年8月")])
    view = view_measure(m, None, INDEX, date(2022, 9, 2))
    assert [(x.milestone.text, x.days_late) for x in view.missed_milestones] == [("8月底前市级平台上线运行", 2)]
    assert view.light == "green"  # the measure itself is not yet late
    done = replace(m, status="done", closing=Closing(on=date(2022, 9, 1)))
    assert view_measure(done, None, INDEX, date(2022, 9, 2)).missed_milestones == []


def test_measure_views__already_fixed_measure_6_1_is_done_on_plan_day(plan: Ledger) -> None:
    views = {v.id: v for v in measure_views(plan, date(2022, 7, 8))}
    assert views["6.1"].light == "done" and views["6.1"].deadline.done_before_plan
    assert sum(1 for v in views.values() if v.status == "done") == 1


def test_apply_filters__finance_bureau_on_2022_10_01(plan: Ledger) -> None:
    views = measure_views(plan, date(2022, 10, 1))
    mine = apply_filters(views, Filters(unit="市财政局"), plan)
    assert sorted(v.id for v in mine) == sorted(["1.4", "1.5", "9.2", "13.1", "13.2", "13.3", "13.4", "14.1", "16.1"])
    red = overdue_order([v for v in mine if v.light == "red"])
    assert [v.id for v in red] == ["13.1", "13.3"]


def test_apply_filters__lead_only_keeps_measures_the_unit_leads(plan: Ledger) -> None:
    views = measure_views(plan, date(2022, 10, 1))
    led = apply_filters(views, Filters(unit="市财政局", lead=True), plan)
    assert sorted(v.id for v in led) == ["1.4", "13.1", "13.2", "13.3", "13.4"]


def test_apply_filters__collective_units_reach_their_members(plan: Ledger) -> None:
    views = measure_views(plan, date(2022, 10, 1))
    linze = apply_filters(views, Filters(unit="临泽县人民政府"), plan)
    assert sorted(v.id for v in linze) == ["13.1", "13.2", "13.3", "13.4", "14.3", "18.5"]
    ganzhou = apply_filters(views, Filters(unit="甘州区人民政府"), plan)
    assert "14.3" not in {v.id for v in ganzhou}  # 各县人民政府: the district is not a county


def test_apply_filters__county_reaches_measures_given_to_its_government(plan: Ledger) -> None:
    views = measure_views(plan, date(2022, 10, 1))
    county = apply_filters(views, Filters(county="临泽县"), plan)
    assert sorted(v.id for v in county) == ["13.1", "13.2", "13.3", "13.4", "14.3", "18.5"]


def test_apply_filters__due_window_status_and_light(plan: Ledger) -> None:
    views = measure_views(plan, date(2022, 10, 1))
    august = apply_filters(views, Filters(due_after=date(2022, 7, 31), due_before=date(2022, 9, 1)), plan)
    assert august and all(v.deadline.due == date(2022, 8, 31) for v in august)
    done = apply_filters(views, Filters(status="done"), plan)
    assert [v.id for v in done] == ["6.1"]
    red = apply_filters(views, Filters(lights=frozenset({"red"})), plan)
    assert all(v.deadline.due is not None and v.deadline.due < date(2022, 10, 1) for v in red)


def test_apply_filters__grep_finds_text_after_nfkc_any_case_and_spaces(plan: Ledger) -> None:
    views = measure_views(plan, date(2022, 10, 1))

    def found(text: str) -> list[str]:
        return [v.id for v in apply_filters(views, Filters(grep=text), plan)]

    assert found("电子印章") == ["15.2"]
    assert found("ａｐｐ") == found("APP") == found("app") == ["3.2"]  # 网上国网”APP: full width and case
    assert found("电子 印章") == ["15.2"]  # spaces do not matter (PDF line breaks left some in the text)
    assert found("市财政局") == [v.id for v in apply_filters(views, Filters(unit="市财政局"), plan)]  # units too
    assert found("13.3") == ["13.3"] and found("没有这几个字") == []


def test_overdue_order__most_overdue_first_then_plan_order(plan: Ledger) -> None:
    red = overdue_order([v for v in measure_views(plan, date(2023, 1, 1)) if v.light == "red"])
    days = [v.days_overdue or 0 for v in red]
    assert days == sorted(days, reverse=True)
    assert len(red) == 59  # everything but 6.1 is late on 2023-01-01 in the untouched plan
