"""The checks of what the units' 报送表 bring in: applications (销号/延期申请), reported progress, the cycle.

Kept apart from ``validation.py`` (which lists them with the others) so each module stays short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.dates import DeadlineError, parse_deadline
from ..model.domain import Application, Ledger
from ..model.names import UnitIndex

if TYPE_CHECKING:
    from .validation import Reporter

__all__ = ["validate_applications", "validate_reporting"]


def _application_faults(app: Application) -> list[tuple[str, str]]:
    """(key, message) for each thing wrong with one application on its own."""
    faults: list[tuple[str, str]] = []
    if app.kind == "postpone":
        if not app.new_deadline:
            faults.append(("kind", "延期申请须写明 new_deadline（申请延期至）"))
        else:
            try:
                parse_deadline(app.new_deadline)
            except DeadlineError as exc:
                faults.append(("new_deadline", f"申请延期至：{exc}"))
        if not app.reason:
            faults.append(("kind", "延期申请须写明 reason（延期理由）"))
    if app.status == "pending" and app.decided is not None:
        faults.append(("decided", "待复核的申请不应有 decided（复核日期）"))
    if app.status != "pending" and app.decided is None:
        faults.append(("status", "已复核的申请须有 decided（复核日期）"))
    if app.decided is not None and app.decided < app.on:
        faults.append(("decided", "复核日期早于申请日期"))
    if app.status == "returned" and not app.review_note:
        faults.append(("status", "退回的申请须有 review_note（退回理由）"))
    return faults


def validate_applications(ledger: Ledger, out: Reporter) -> None:
    """Each 申请 is complete for its kind, names a registered unit, and is decided no earlier than made."""
    from .validation import _city_measures, _county_measures  # the one enumeration of measures

    index = UnitIndex.build(ledger.registry)
    for rel, path, _, m in [*_city_measures(ledger, out), *_county_measures(ledger, out)]:
        for k, app in enumerate(m.applications):
            at = (*path, "applications", k)
            for key, message in _application_faults(app):
                out.add(rel, (*at, key), message)
            if index.resolve_exact(app.unit) is None:
                out.add(rel, (*at, "unit"), f"申请单位“{app.unit}”未在 units.yaml 登记")
        for k, entry in enumerate(m.progress):
            if entry.unit is not None and index.resolve_exact(entry.unit) is None:
                out.add(rel, (*path, "progress", k, "unit"), f"报送单位“{entry.unit}”未在 units.yaml 登记")


def validate_reporting(ledger: Ledger, out: Reporter) -> None:
    """The reporting cycle's due day is a day every month has (1–28)."""
    reporting = ledger.plan.reporting
    if reporting is not None and not 1 <= reporting.due_day <= 28:
        out.add("plan.yaml", ("reporting", "due_day"), "报送截止日应为 1 至 28 日（每个月都有的日子）")
