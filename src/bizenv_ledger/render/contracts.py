"""The JSON contracts that users' scripts rely on (documented in docs/reference.md). Change with care."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .values import json_number, json_value

if TYPE_CHECKING:
    from ..queries.gap import GapRow, IndicatorGap
    from ..queries.measures import MeasureView
    from ..queries.scorecard import CountyRole, UnitCard

__all__ = ["gap_dict", "history_dict", "measure_dict", "ranking_dict", "unit_dict"]


def measure_dict(v: MeasureView) -> dict[str, Any]:
    m = v.measure
    due = v.deadline.due
    out = {
        "id": m.id,
        "indicator": v.indicator,
        "indicator_name": v.indicator_name,
        "text": m.text,
        "units": v.units,
        "units_as_written": list(v.written if v.written is not None else m.units),
        "lead": v.lead,
        "and_related": m.and_related,
        "deadline": v.deadline.written,
        "due": due.isoformat() if due else None,
        "ongoing": v.deadline.ongoing,
        "status": v.status,
        "done_on": v.done_on.isoformat() if v.done_on else None,
        "done_note": v.closing.note if v.closing else None,
        "light": v.light,
        "days_overdue": v.days_overdue,
        "days_left": v.days_left,
        "original_deadline": v.original_deadline,
        "slipped": v.slipped,
        "milestones": [{"text": ms.text, "deadline": ms.deadline} for ms in m.milestones],
        "missed_milestones": [
            {"text": mm.milestone.text, "due": mm.due.isoformat(), "days_late": mm.days_late}
            for mm in v.missed_milestones
        ],
        "evidence": [e.ref for e in v.closing.evidence] if v.closing else [],
        "latest_progress": ({"on": v.progress[-1].on.isoformat(), "text": v.progress[-1].text} if v.progress else None),
    }
    if v.ledger is not None:  # a workspace only: single-ledger objects keep their keys
        out["ledger"] = v.ledger
    return out


def history_dict(v: MeasureView) -> dict[str, Any]:
    """What ``show ID`` adds to the measure object: the events dated on or before the as-of date."""
    return {
        "progress": [{"on": p.on.isoformat(), "text": p.text} for p in v.progress],
        "postponements": [
            {"on": p.on.isoformat(), "old": p.old, "new": p.new, "reason": p.reason} for p in v.postponements
        ],
        "reopenings": [
            {"on": r.on.isoformat(), "reason": r.reason, "closed_on": r.closing.on.isoformat()} for r in v.reopenings
        ],
    }


def gap_dict(r: GapRow) -> dict[str, Any]:
    metric = r.metric
    out = {
        "indicator": r.indicator,
        "indicator_name": r.indicator_name,
        "metric": metric.name,
        "key": metric.key,
        "unit": metric.unit,
        "direction": metric.direction,
        "best": json_value(metric.best),
        "baseline": json_value(metric.baseline),
        "current": json_value(r.current),
        "current_on": r.current_on.isoformat() if r.current_on else None,
        "target": json_value(metric.target),
        "gap_to_best": json_number(r.gap_to_best),
        "gap_to_target": json_number(r.gap_to_target),
        "target_met": r.target_met,
        "ahead_of_best": r.ahead_of_best,
        "progress": json_number(r.progress),
        "score": json_number(r.score),
        "dtf": json_number(r.dtf),
    }
    if r.ledger is not None:
        out["ledger"] = r.ledger
    return out


def ranking_dict(g: IndicatorGap, rank: int) -> dict[str, Any]:
    from ..model.workspace import ledger_of

    out = {
        "rank": rank,
        "indicator": g.indicator.number,
        "indicator_name": g.indicator.name,
        "metrics_compared": g.compared,
        "metrics_behind": g.behind,
        "score": json_number(g.score),
        "dtf": json_number(g.dtf),
    }
    if (name := ledger_of(g.indicator)) is not None:
        out["ledger"] = name
    return out


def unit_dict(c: UnitCard) -> dict[str, Any]:
    return {
        "unit": c.unit,
        "level": c.level,
        "led": [v.id for v in c.led],
        "joined": [v.id for v in c.joined],
        "done": c.done,
        "open": c.open,
        "overdue": c.overdue,
        "due_soon": c.due_soon,
        "pending": c.pending,
        "on_time_rate": json_number(c.on_time_rate),
        "county_roles": [_role_dict(r) for r in c.roles],
    }


def _role_dict(r: CountyRole) -> dict[str, Any]:
    role = {"county": r.county, "indicator": r.indicator, "indicator_name": r.indicator_name, "role": r.role}
    role["leader"] = r.leader
    if r.ledger is not None:  # in a workspace: whose county list it is
        role["ledger"] = r.ledger
    return role
