"""The monthly 通报's items and the reports' snapshot, checked against the plan's YAML read independently."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bizenv_ledger.model.dates import DeadlineError
from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.queries.measures import Filters
from bizenv_ledger.queries.report import Month, goal_label, monthly_report, parse_month, place_of, snapshot
from bizenv_ledger.store.loader import load_ledger
from tests.conftest import DATA
from tests.queries.test_report_scenario import plain_due, september, yaml_measures

SEPTEMBER = Month(2022, 9)
END = date(2022, 9, 30)


def _load(data: Path) -> Ledger:
    result = load_ledger(data, {"LEDGER_CACHE_DIR": str(data.parent / "cache")}, use_cache=False)
    assert result.ledger is not None, [p.render() for p in result.problems]
    return result.ledger


def _open_due(data: Path, first: date, last: date) -> set[str]:
    """Open measures (per the YAML) whose plain due date falls in [first, last]."""
    return {
        str(m["id"])
        for m in yaml_measures(data)
        if m.get("status") != "done" and (due := plain_due(str(m["deadline"]))) is not None and first <= due <= last
    }


# --- months ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2022-09", "2022-9", "2022/09", "2022.9", "2022年9月", "202209", "２０２２－０９"])
def test_parse_month__accepts_the_usual_forms(text: str) -> None:
    assert parse_month(text) == SEPTEMBER


@pytest.mark.parametrize("text", ["2022-13", "2022-00", "2022", "九月", "2022-09-01", "22-09", ""])
def test_parse_month__rejects_what_is_not_a_month(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_month(text)


def test_month__first_last_and_next_cross_the_year() -> None:
    assert (SEPTEMBER.first, SEPTEMBER.last, SEPTEMBER.label) == (date(2022, 9, 1), END, "2022年9月")
    assert Month(2022, 12).next() == Month(2023, 1)
    assert Month(2024, 2).last == date(2024, 2, 29)
    assert Month(2022, 2).last == date(2022, 2, 28)
    assert Month(2023, 1).previous() == Month(2022, 12) and Month.of(date(2022, 1, 31)).next() == Month(2022, 2)


# --- the 2022-09 report on the plan as issued -------------------------------------------------------


def test_monthly_report__newly_red_in_september_are_the_august_deadlines(plan: Ledger) -> None:
    # Overdue starts the day after the due date: a measure goes red in September when
    # it is due between 31 August and 29 September and not done by then.
    expected = _open_due(DATA, date(2022, 8, 31), date(2022, 9, 29))
    assert {"1.3", "1.6", "2.1", "3.2", "5.2", "14.2", "17.4", "18.1"} <= expected
    rep = monthly_report(plan, SEPTEMBER, END, Filters())
    assert {n.view.id for n in rep.newly_red} == expected
    assert {n.went_red_on for n in rep.newly_red} == {date(2022, 9, 1)}
    assert all(n.due == date(2022, 8, 31) for n in rep.newly_red)


def test_monthly_report__still_red_at_month_end_with_days_overdue(plan: Ledger) -> None:
    expected = _open_due(DATA, date(2022, 1, 1), END - timedelta(days=1))
    rep = monthly_report(plan, SEPTEMBER, END, Filters())
    assert {v.id for v in rep.still_red} == expected
    days = {v.id: v.days_overdue or 0 for v in rep.still_red}
    assert days["3.3"] == (END - date(2022, 7, 31)).days == 61
    assert days["3.2"] == 30
    assert [v.days_overdue or 0 for v in rep.still_red] == sorted(days.values(), reverse=True)
    assert {v.id for v in rep.long_overdue} == {i for i, d in days.items() if d > 30}


def test_monthly_report__nothing_finished_postponed_or_read_in_the_plan_as_issued(plan: Ledger) -> None:
    rep = monthly_report(plan, SEPTEMBER, END, Filters())
    assert (rep.finished, rep.postponed, rep.movements) == ([], [], [])
    assert rep.done == sum(1 for m in yaml_measures(DATA) if m.get("status") == "done")


def test_monthly_report__due_next_month_are_octobers_open_measures(plan: Ledger) -> None:
    rep = monthly_report(plan, SEPTEMBER, END, Filters())
    assert {v.id for v in rep.due_next} == _open_due(DATA, date(2022, 10, 1), date(2022, 10, 31))


def test_monthly_report__units_by_on_time_rate_worst_first(plan: Ledger) -> None:
    rep = monthly_report(plan, SEPTEMBER, END, Filters())
    rates = [c.on_time_rate for c in rep.units]
    assert None not in rates and rates == sorted(rates)  # type: ignore[type-var]
    tax = next(c for c in rep.units if c.unit == "市税务局")
    # 6.1 was done before the plan (on time); 1.3 is overdue: one of two.
    assert tax.on_time_rate == Decimal(1) / 2


def test_monthly_report__place_and_goal_labels(plan: Ledger) -> None:
    assert place_of(plan.plan) == "张掖市"
    assert goal_label(plan, 3) == "达到全省最优"
    assert goal_label(plan, 13) == "与全省最优差距大幅减少"
    assert goal_label(plan, 2) == "争取进入全省前五"


# --- a September with events ----------------------------------------------------------------------


@pytest.fixture
def busy(ledger_dir: Path) -> Ledger:
    return _load(september(ledger_dir))


def test_monthly_report__finished_are_closings_dated_in_the_month(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, END, Filters())
    assert [v.id for v in rep.finished] == ["3.2", "13.3"]  # 1.3 was closed in August
    assert [v.id for v in rep.finished_late] == ["3.2"]
    assert next(v for v in rep.finished if v.id == "13.3").light == "ongoing"


def test_monthly_report__reopened_are_the_reopenings_dated_in_the_month(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, END, Filters())
    assert [(r.view.id, r.reopening.on, r.reopening.closing.on) for r in rep.reopened] == [
        ("2.1", date(2022, 9, 29), date(2022, 9, 5))
    ]
    assert rep.reopened[0].reopening.reason == "复核发现联合验收尚未实际运行"
    assert "2.1" in {v.id for v in rep.still_red}
    assert monthly_report(busy, SEPTEMBER, date(2022, 9, 28), Filters()).reopened == []
    assert monthly_report(busy, SEPTEMBER, END, Filters(unit="国网张掖供电公司")).reopened == []
    assert monthly_report(busy, Month(2022, 10), date(2022, 10, 31), Filters()).reopened == []


def test_monthly_report__closed_before_going_red_is_not_newly_red(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, END, Filters())
    expected = _open_due(DATA, date(2022, 8, 31), date(2022, 9, 29)) - {"1.3"}
    assert {n.view.id for n in rep.newly_red} == expected
    late = next(n for n in rep.newly_red if n.view.id == "3.2")
    assert (late.went_red_on, late.view.status) == (date(2022, 9, 1), "done")


def test_monthly_report__postponed_in_the_month_in_date_order(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, END, Filters())
    assert [(p.view.id, p.postponement.on) for p in rep.postponed] == [
        ("3.3", date(2022, 9, 10)),
        ("3.1", date(2022, 9, 15)),
    ]  # 5.1's postponement on 2022-10-08 belongs to October


def test_monthly_report__postponed_and_closed_leave_the_red_list(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, END, Filters())
    plain = _open_due(DATA, date(2022, 1, 1), END - timedelta(days=1))
    assert {v.id for v in rep.still_red} == plain - {"1.3", "3.2", "3.3"}


def test_monthly_report__figures_moved_against_the_value_before_the_month(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, END, Filters())
    moved = {m.metric.key: m for m in rep.movements}
    assert set(moved) == {"high_voltage_days", "low_voltage_days"}  # the October reading is not September's
    hv, lv = moved["high_voltage_days"], moved["low_voltage_days"]
    assert (hv.before, hv.before_on, hv.after, hv.change) == (Decimal("5.5"), date(2022, 8, 10), Decimal(4), "better")
    assert (lv.before, lv.before_on, lv.after, lv.change) == (Decimal(1), None, Decimal("1.2"), "worse")
    assert hv.row.gap_to_best == Decimal("1.3")


def test_monthly_report__as_of_mid_month_shows_the_month_so_far(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, date(2022, 9, 12), Filters())
    assert [v.id for v in rep.finished] == ["2.1"] and rep.movements == []  # sent back only on the 29th
    assert [p.view.id for p in rep.postponed] == ["3.3"]
    red = {v.id for v in rep.still_red}
    assert "3.2" in red and "3.3" not in red
    assert {v.days_overdue for v in rep.still_red if v.id == "3.2"} == {12}


def test_monthly_report__as_of_after_the_month_keeps_the_months_events(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, date(2022, 10, 10), Filters())
    assert [p.view.id for p in rep.postponed] == ["3.3", "3.1"]
    assert {v.id for v in rep.still_red} >= {"13.1", "15.2"}  # went red on 1 October, red on the 10th


def test_monthly_report__unit_filter_narrows_every_section(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, END, Filters(unit="国网张掖供电公司"))
    assert [v.id for v in rep.finished] == ["3.2"]
    assert [n.view.id for n in rep.newly_red] == ["3.2"]
    assert [p.view.id for p in rep.postponed] == ["3.3", "3.1"]
    assert [c.unit for c in rep.units] == ["国网张掖供电公司"]
    assert {m.indicator.number for m in rep.movements} == {3}
    assert rep.filtered


def test_monthly_report__indicator_filter_drops_other_indicators_figures(busy: Ledger) -> None:
    rep = monthly_report(busy, SEPTEMBER, END, Filters(indicator=13))
    assert [v.id for v in rep.finished] == ["13.3"] and rep.movements == [] and rep.newly_red == []


def test_monthly_report__reopened_measure_goes_red_again(busy: Ledger) -> None:
    from bizenv_ledger.model.domain import Reopening

    power = next(i for i in busy.indicators if i.number == 3)
    m = next(m for m in power.measures if m.id == "3.2")
    assert m.closing is not None
    reopened = replace(
        m, status="open", closing=None, reopenings=[Reopening(date(2022, 10, 12), "佐证不足", m.closing)]
    )
    measures = [reopened if x.id == "3.2" else x for x in power.measures]
    ledger = replace(busy, indicators=[replace(power, measures=measures) if i is power else i for i in busy.indicators])
    october = monthly_report(ledger, Month(2022, 10), date(2022, 10, 31), Filters(indicator=3))
    assert [(n.view.id, n.went_red_on) for n in october.newly_red] == [("3.2", date(2022, 10, 12))]


# --- the snapshot behind the 台账 and the board ----------------------------------------------------------


def test_snapshot__unfiltered_covers_the_whole_plan(plan: Ledger) -> None:
    snap = snapshot(plan, date(2022, 10, 1), Filters())
    assert len(snap.views) == len(yaml_measures(DATA)) == 60
    assert [p.indicator.number for p in snap.panels] == list(range(1, 19))
    assert [len(c.rows) for c in snap.counties] == [18]
    assert not snap.filtered


def test_snapshot__red_first_most_overdue_first(plan: Ledger) -> None:
    snap = snapshot(plan, date(2022, 10, 1), Filters())
    assert {v.id for v in snap.red} == _open_due(DATA, date(2022, 1, 1), date(2022, 9, 30))
    days = [v.days_overdue or 0 for v in snap.red]
    assert days == sorted(days, reverse=True)


def test_snapshot__filters_narrow_indicators_and_units_too(plan: Ledger) -> None:
    snap = snapshot(plan, date(2022, 10, 1), Filters(unit="市财政局"))
    ids = {v.id for v in snap.views}
    assert {p.indicator.number for p in snap.panels} == {int(i.split(".")[0]) for i in ids}
    assert [c.unit for c in snap.cards] == ["市财政局"]
    assert {r.number for c in snap.counties for r in c.rows} == {p.indicator.number for p in snap.panels}


def test_snapshot__county_filter_keeps_that_countys_list(plan: Ledger) -> None:
    snap = snapshot(plan, date(2022, 10, 1), Filters(county="临泽县"))
    assert [c.county.county for c in snap.counties] == ["临泽县"]
    governments = {"六县区人民政府", "各县区人民政府", "各县人民政府", "临泽县人民政府"}
    assert snap.views and all(governments & set(v.units) for v in snap.views)
