"""复核: the office decides a unit's 销号申请 or 延期申请 (``ledger review ID --accept | --return``).

Accepting a 销号申请 makes it the closing (dated the day the unit reported it done, with the unit's
evidence); accepting a 延期申请 moves the deadline as ``postpone`` does. Returning one (退回整改)
leaves the measure open. Either way the application stays in the file with its outcome.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from ..model.domain import Application, Measure
from ..model.errors import UsageError, WriteRefused
from .actions import (
    Change,
    Context,
    FileEdit,
    Planner,
    _closing,
    _new_deadline,
    _on_measure,
    _Target,
    _target,
    check_day,
    required_text,
)
from .audit import CommitMessage, subject_line
from .edit import Block, Draft, Word
from .evidence import DOC_NUMBER, EvidenceRef

__all__ = ["KIND_LABELS", "plan_review"]

KIND_LABELS = {"close": "销号申请", "postpone": "延期申请"}


def _pending(m: Measure, kind: str | None) -> tuple[int, Application]:
    waiting = [(k, a) for k, a in enumerate(m.applications) if a.status == "pending" and kind in (None, a.kind)]
    if not waiting:
        what = KIND_LABELS[kind] if kind else "销号或延期申请"
        msg = f"措施 {m.id} 没有待复核的{what}"
        raise WriteRefused(msg)
    if kind is None and len({a.kind for _, a in waiting}) > 1:
        msg = f"措施 {m.id} 同时有待复核的销号申请和延期申请，请用 --kind 销号 或 --kind 延期 指明复核哪一项"
        raise UsageError(msg)
    return waiting[-1]


def _evidence(app: Application) -> list[EvidenceRef]:
    """The unit's 佐证材料 as evidence where it is a document number or a link; else it stays in the note."""
    text = (app.evidence or "").strip()
    if re.fullmatch(r"https?://\S+", text):
        return [EvidenceRef(text, "url")]
    if text and DOC_NUMBER.search(unicodedata.normalize("NFKC", text)):
        return [EvidenceRef(text, "doc")]
    return []


def _accept_close(app: Application, on: date) -> tuple[Block, str]:
    refs = _evidence(app)
    note = f"{app.unit}报送已完成，{on.isoformat()}经复核销号" + (
        f"（填报人：{app.filled_by}）" if app.filled_by else ""
    )
    if app.evidence and not refs:
        note += f"；佐证材料：{app.evidence}"
    return _closing(app.on, note, refs), note


def _decide(draft: Draft, path: tuple[str | int, ...], k: int, status: str, on: date, note: str | None) -> None:
    at = (*path, "applications", k)
    draft.set_key(at, "status", Word(status))
    draft.set_key(at, "decided", on.isoformat())
    if note is not None:
        draft.set_key(at, "review_note", note)


def plan_review(typed: str, *, accept: bool, reason: str | None, kind: str | None, day: date | None) -> Planner:
    def plan(ctx: Context) -> Change:
        target = _target(ctx, typed)
        m = target.measure
        k, app = _pending(m, kind)
        on = day or ctx.today
        check_day(on, ctx, not_before=app.on, what="复核日期", why="申请日期")
        label = KIND_LABELS[app.kind]
        if not accept:
            note = required_text(reason or "", "--reason", "review_note")
            edit = _on_measure(ctx, target, lambda d, p: _decide(d, p, k, "returned", on, note))
            return _message(target, app, on, "review", f"退回{label}", [("Ledger-Reason", note)], edit)
        if app.kind == "close":
            if m.status == "done":
                msg = f"措施 {m.id} 已销号，无需复核销号申请；如需更正，请先 ledger reopen"
                raise WriteRefused(msg)
            closing, note = _accept_close(app, on)

            def close(draft: Draft, path: tuple[str | int, ...]) -> None:
                _decide(draft, path, k, "accepted", on, None)
                draft.set_key(path, "status", Word("done"))
                draft.set_key(path, "closing", closing)

            edit = _on_measure(ctx, target, close)
            return _message(target, app, on, "done", "复核销号", [("Ledger-Note", note)], edit)
        written = _new_deadline(m, app.new_deadline or "")
        postponement = Block(
            (("on", on.isoformat()), ("old", m.deadline), ("new", written), ("reason", app.reason or ""))
        )

        def postpone(draft: Draft, path: tuple[str | int, ...]) -> None:
            _decide(draft, path, k, "accepted", on, None)
            draft.set_key(path, "deadline", written)
            draft.append_item(path, "postponements", postponement)

        edit = _on_measure(ctx, target, postpone)
        extra = [
            ("Ledger-Deadline-Old", m.deadline),
            ("Ledger-Deadline-New", written),
            ("Ledger-Reason", app.reason or ""),
        ]
        return _message(target, app, on, "postpone", f"同意延期（{m.deadline} → {written}）", extra, edit)

    return plan


def _message(
    target: _Target,
    app: Application,
    on: date,
    action: str,
    what: str,
    extra: list[tuple[str, str]],
    edit: FileEdit,
) -> Change:
    trailers = [*target.trailers(action, on), ("Ledger-Review", "returned" if action == "review" else "accepted")]
    trailers += [("Ledger-Reporter", app.unit), ("Ledger-Filled-By", app.filled_by or ""), *extra]
    trailers += [("Ledger-Form", app.source or "")]
    body = (f"申请：{app.unit}于 {app.on.isoformat()} 报送{KIND_LABELS[app.kind]}", f"复核：{on.isoformat()} {what}")
    subject = f"复核 {target.label}：{what}"
    message = CommitMessage(subject_line(subject, 60), body, tuple(trailers))
    return Change(edit.files, message, f"已复核 {target.label}：{what}。", edit.items)
