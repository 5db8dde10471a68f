"""Views made again each time they are read: the same views as the held list, and cards that keep none."""

from __future__ import annotations

from datetime import date

import pytest

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.queries import lazy
from bizenv_ledger.queries.cycles import current_period, is_stale, stale_views
from bizenv_ledger.queries.lazy import Kept, Remade
from bizenv_ledger.queries.measures import Filters, apply_filters, kept_views, measure_views
from bizenv_ledger.queries.scorecard import unit_cards

AS_OF = date(2022, 10, 1)
FILTERS = [
    Filters(),
    Filters(unit="市财政局"),
    Filters(unit="市财政局", lead=True),
    Filters(indicator=3, status="open"),
    Filters(lights=frozenset({"red", "yellow"})),
    Filters(grep="政府采购"),
    Filters(due_before=date(2022, 9, 1)),
]


@pytest.mark.parametrize("flt", FILTERS)
def test_kept_views__are_the_filtered_views_made_again_on_each_read(
    plan: Ledger, flt: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy, "HELD", 0)  # as a list longer than HELD is: the plan's own is short
    held = apply_filters(measure_views(plan, AS_OF, 7, flt), flt, plan)
    kept = kept_views(plan, AS_OF, 7, flt)
    assert list(kept) == held and len(kept) == len(held) > 0
    assert kept[0] == held[0] and kept[0] is not kept[0]  # equal, but a new view each time: none is held


def test_kept_views__a_short_list_is_made_once_and_held(plan: Ledger) -> None:
    kept = kept_views(plan, AS_OF, 7, Filters(unit="市财政局"))
    assert isinstance(kept, Kept) and kept[0] is kept[0]  # one pass, not two, at the plan's size


def test_kept__made_on_first_read_once_and_never_if_never_read() -> None:
    calls: list[int] = []

    def make(n: int) -> int:
        calls.append(n)
        return n * 10

    never = Kept([1, 2, 3], make)
    assert len(never) == 3 and calls == []  # its length needs nothing made
    once = Kept([1, 2, 3], make)
    assert (once[1], list(once), once[0:2]) == (20, [10, 20, 30], [10, 20])
    assert calls == [1, 2, 3]


def test_kept_views__keep_narrows_as_stale_views_does(plan: Ledger) -> None:
    period = current_period(plan.plan.reporting, AS_OF)
    kept = kept_views(plan, AS_OF, 7, keep=lambda v: is_stale(v, period))
    assert list(kept) == stale_views(measure_views(plan, AS_OF), period)


def test_unit_cards__over_views_made_on_demand_count_as_over_the_held_list(plan: Ledger) -> None:
    held = unit_cards(plan, measure_views(plan, AS_OF))
    remade = unit_cards(plan, kept_views(plan, AS_OF))
    counts = ("unit", "done", "open", "overdue", "due_soon", "pending", "on_time_rate", "measures")
    assert [[getattr(c, k) for k in counts] for c in remade] == [[getattr(c, k) for k in counts] for c in held]
    assert [[v.id for v in c.led] for c in remade] == [[v.id for v in c.led] for c in held]
    assert any(c.overdue for c in held) and all(isinstance(c.led, Remade) for c in remade if c.measures)


def test_unit_cards__the_on_time_rate_counts_done_and_past_due_only(plan: Ledger) -> None:
    for card in unit_cards(plan, measure_views(plan, AS_OF)):
        counted = [v for v in card.all if v.status == "done" or v.light == "red"]
        on_time = [v for v in counted if v.status == "done" and not v.done_late]
        assert (card.counted, card.on_time) == (len(counted), len(on_time))


def test_kept__read_in_part_makes_only_what_was_read() -> None:
    calls: list[int] = []

    def make(n: int) -> int:
        calls.append(n)
        return n * 10

    kept = Kept([1, 2, 3, 4], make)
    assert next(iter(kept)) == 10 and calls == [1]  # a glance at the first row makes the first row only
    assert list(kept) == [10, 20, 30, 40] and calls == [1, 2, 3, 4]  # the rest made once, the first kept
    assert list(kept) == [10, 20, 30, 40] and calls == [1, 2, 3, 4]


def test_kept_views__a_short_filtered_list_makes_each_view_once(plan: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from bizenv_ledger.queries import measures

    made: list[str] = []
    real = measures.view_measure
    monkeypatch.setattr(measures, "view_measure", lambda m, *a: made.append(m.id) or real(m, *a))
    kept = kept_views(plan, AS_OF, 7, Filters(unit="市财政局", lights=frozenset({"red"})))
    looked_at = len(made)
    assert list(kept) == list(kept) and len(kept) > 0
    assert len(made) == looked_at  # the filter's own views are the ones kept: none made again on reading
    assert len(set(made)) == looked_at > len(kept)  # each looked at once; some were filtered out
