"""What each write command changes: the checks, the edit of one file, and the commit message.

A planner takes the freshly loaded ledger (read under the writers' lock) and
returns a ``Change``: the new bytes of the files it touches and the message
that records it. It writes nothing; ``writer.apply`` validates and writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..model.dates import DeadlineError, parse_deadline
from ..model.domain import Indicator, Ledger, Measure
from ..model.errors import UsageError, WriteRefused
from ..model.names import UnitIndex, find_measure
from ..model.text import text_fault
from ..store.focus import ItemEdit
from .audit import CommitMessage, subject_line
from .edit import Block, Draft, EditError, Node, Word, measure_path
from .evidence import EvidenceRef, check_evidence, classify_evidence
from .git import Repo
from .item_edit import edit_item, record_path
from .scope import Scoped

__all__ = [
    "Change",
    "Context",
    "FileEdit",
    "Planner",
    "check_day",
    "edit_file",
    "edit_file_item",
    "issued",
    "plan_done",
    "plan_postpone",
    "plan_progress",
    "plan_reopen",
    "required_text",
]


@dataclass(frozen=True)
class Context:
    root: Path
    ledger: Ledger
    repo: Repo | None
    today: date
    cwd: Path
    # the files' YAML nodes as the reader counted them, for the files the load found current in the cache
    # or read itself: an item edit then need not walk the rest of its file (``store.yaml_item.find_item``)
    nodes: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    files: dict[str, bytes]  # ledger-root-relative path -> new content
    message: CommitMessage
    summary: str  # what to tell the user, in Chinese
    # the files whose change is one list item's lines (``item_edit``): which item, and what it now holds,
    # so that the check before writing validates that item rather than the whole file (``store.focus``)
    items: dict[str, ItemEdit] = field(default_factory=dict)


@dataclass(frozen=True)
class FileEdit:
    """The new bytes of the files an edit touches, and the items it changed in them (``Change.items``)."""

    files: dict[str, bytes]
    items: dict[str, ItemEdit] = field(default_factory=dict)


Planner = Callable[[Context], Change]


# ---------------------------------------------------------------- shared checks


def issued(ctx: Context) -> date:
    """The earliest date a change may carry: the plan's issue date (the checks in validation agree)."""
    return ctx.ledger.plan.issued


def check_day(day: date, ctx: Context, *, not_before: date, what: str, why: str) -> None:
    """A date option is a usage error (exit 2) when it is before ``not_before`` or after today."""
    if day < not_before:
        msg = f"{what} {day.isoformat()} 早于{why}（{not_before.isoformat()}）"
        raise UsageError(msg)
    if day > ctx.today:
        msg = f"{what} {day.isoformat()} 晚于今天（{ctx.today.isoformat()}）"
        raise UsageError(msg)


def required_text(text: str, what: str, field: str) -> str:
    """``text`` typed for the YAML key ``field``, with Windows line ends made plain.

    Blank text, a control or invisible character, a noncharacter, or more than
    the field holds (``model.text``) is a usage error (exit 2) naming ``what``.
    """
    cleaned = text.replace("\r\n", "\n")
    sep = " " if what.isascii() else ""
    if not cleaned.strip():
        msg = f"{what}{sep}不能为空"
        raise UsageError(msg)
    if fault := text_fault(cleaned, field):
        msg = f"{what}{sep}{fault}"
        raise UsageError(msg)
    return cleaned


def _read_text(ctx: Context, rel: str) -> str:
    try:
        return (ctx.root / rel).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        msg = f"{rel} 不是 UTF-8 编码的文本，未作修改"
        raise EditError(msg) from None
    except OSError as exc:
        msg = f"无法读取 {rel}：{exc.strerror}"
        raise WriteRefused(msg) from None


def edit_file(ctx: Context, rel: str, change: Callable[[Draft], None]) -> dict[str, bytes]:
    draft = Draft(_read_text(ctx, rel), rel)
    change(draft)
    return {rel: draft.result().encode("utf-8")}


def edit_file_item(
    ctx: Context,
    rel: str,
    locate: Callable[[object], tuple[str | int, ...]],
    change: Callable[[Draft, tuple[str | int, ...]], None],
    item: object,
) -> FileEdit:
    """``change`` made to the one list item ``locate`` finds in the file (``item_edit.edit_item``);
    ``item`` is its record in ``ctx.ledger`` (the measure or metric), which says where it is."""
    edited = edit_item(_read_text(ctx, rel), rel, locate, change, record_path(ctx.ledger, item), ctx.nodes.get(rel))
    return FileEdit({rel: edited.text.encode("utf-8")}, {rel: edited.item} if edited.item else {})


@dataclass(frozen=True)
class _Target:
    """A measure to change, with where it lives and how to name it."""

    measure: Measure
    indicator: Indicator | None
    rel: str
    unit: str
    shown: str  # the id as the user knows it: in a workspace 2021:3.2 (the commit keeps the ledger's own 3.2)

    @property
    def label(self) -> str:
        """The measure as its own ledger names it: commit subjects."""
        return self._named(self.measure.id)

    @property
    def told(self) -> str:
        """The measure as the user typed it: what the user is told."""
        return self._named(self.shown)

    def _named(self, mid: str) -> str:
        return f"{mid} {self.indicator.name if self.indicator else ''}".strip()

    def trailers(self, action: str, day: date) -> list[tuple[str, str]]:
        return [
            ("Ledger-Action", action),
            ("Ledger-Item", self.measure.id),
            ("Ledger-Indicator", str(self.indicator.number) if self.indicator else ""),
            ("Ledger-Unit", self.unit),
            ("Ledger-Date", day.isoformat()),
        ]


def _target(ctx: Context, typed: str, shown: str | None = None) -> _Target:
    indicator, measure = find_measure(ctx.ledger, typed)
    unit = UnitIndex.build(ctx.ledger.registry).resolve_exact(measure.units[0]) or measure.units[0]
    return _Target(measure, indicator, ctx.ledger.measure_files[measure.id], unit, shown or measure.id)


def _on_measure(ctx: Context, target: _Target, change: Callable[[Draft, tuple[str | int, ...]], None]) -> FileEdit:
    def locate(data: object) -> tuple[str | int, ...]:
        path = measure_path(data, target.measure.id)
        if path is None:
            msg = f"{target.rel} 中找不到措施 {target.measure.id}"
            raise EditError(msg)
        return path

    return edit_file_item(ctx, target.rel, locate, change, target.measure)


# ---------------------------------------------------------------- done


def _check_closable(target: _Target, on: date, ctx: Context) -> None:
    m = target.measure
    if m.status == "done":
        when = f"已于 {m.closing.on.isoformat()} 销号" if m.closing else "已销号"
        msg = f"措施 {target.shown} {when}，不能重复销号；如需更正，请先 ledger reopen {target.shown} --reason …"
        raise WriteRefused(msg)
    check_day(on, ctx, not_before=issued(ctx), what="销号日期", why="方案印发日期")
    last_reopened = max((r.on for r in m.reopenings), default=None)
    if last_reopened is not None and on < last_reopened:
        msg = f"销号日期 {on.isoformat()} 早于最近一次退回整改（{last_reopened.isoformat()}）"
        raise UsageError(msg)


def _closing(on: date, note: str | None, refs: list[EvidenceRef]) -> Block:
    pairs: list[tuple[str, Node]] = [("on", on.isoformat())]
    if note is not None:
        pairs.append(("note", note))
    if refs:
        pairs.append(("evidence", tuple(r.block() for r in refs)))
    return Block(tuple(pairs))


def _done_message(target: _Target, on: date, note: str | None, refs: list[EvidenceRef]) -> CommitMessage:
    trailers = target.trailers("done", on)
    trailers += [("Ledger-Evidence", r.ref) for r in refs]
    trailers += [("Ledger-Note", note)] if note is not None else []
    # a closing with no evidence says so, and why, where an audit looks: the commit's trailers
    trailers += [("Ledger-No-Evidence", note or "")] if not refs else []
    body = [f"销号日期：{on.isoformat()}", f"牵头单位：{target.unit}"]
    body += [f"佐证材料：{'、'.join(r.ref for r in refs)}"] if refs else [f"佐证材料：无佐证材料（原因：{note}）"]
    body += [f"备注：{note}"] if note is not None and refs else []
    return CommitMessage(f"销号 {target.label}：{subject_line(target.measure.text)}", tuple(body), tuple(trailers))


def plan_done(
    typed: str,
    day: date | None,
    typed_note: str | None,
    evidence: list[str],
    *,
    no_evidence: bool = False,
    shown: str | None = None,
) -> Planner:
    """``shown`` (here and in the other planners): the id the user knows where it is not the ledger's own (2021:3.2)."""
    check_evidence(typed_note, evidence, no_evidence)

    def plan(ctx: Context) -> Change:
        target = _target(ctx, typed, shown)
        on = day or ctx.today
        _check_closable(target, on, ctx)
        note = required_text(typed_note, "--note", "note") if typed_note is not None else None
        refs = [classify_evidence(e, ctx) for e in evidence]
        closing = _closing(on, note, refs)

        def change(draft: Draft, path: tuple[str | int, ...]) -> None:
            draft.set_key(path, "status", Word("done"))
            draft.set_key(path, "closing", closing)

        edit = _on_measure(ctx, target, change)
        summary = f"已销号 {target.told}（{target.unit}牵头），销号日期 {on.isoformat()}" + (
            "。" if refs else "，无佐证材料（原因已记入提交）。"
        )
        return Change(edit.files, _done_message(target, on, note, refs), summary, edit.items)

    return Scoped(plan, measure=typed)


# ---------------------------------------------------------------- reopen, progress, postpone


def plan_reopen(typed: str, day: date | None, typed_reason: str, *, shown: str | None = None) -> Planner:
    def plan(ctx: Context) -> Change:
        target = _target(ctx, typed, shown)
        m = target.measure
        if m.status != "done" or m.closing is None:
            msg = f"措施 {target.shown} 尚未销号，无需退回整改"
            raise WriteRefused(msg)
        on = day or ctx.today
        check_day(on, ctx, not_before=m.closing.on, what="退回日期", why="销号日期")
        reason = required_text(typed_reason, "--reason", "reason")

        def change(draft: Draft, path: tuple[str | int, ...]) -> None:
            closing = draft.cut_key(path, "closing")
            draft.set_key(path, "status", Word("open"))
            draft.append_item(
                path, "reopenings", Block((("on", on.isoformat()), ("reason", reason), ("closing", closing)))
            )

        edit = _on_measure(ctx, target, change)
        trailers = [*target.trailers("reopen", on), ("Ledger-Reason", reason)]
        body = (f"退回日期：{on.isoformat()}（原 {m.closing.on.isoformat()} 销号）", f"原因：{reason}")
        message = CommitMessage(f"退回整改 {target.label}：{subject_line(reason)}", body, tuple(trailers))
        summary = f"已将 {target.told} 退回整改（原 {m.closing.on.isoformat()} 销号），状态改为未完成。"
        return Change(edit.files, message, summary, edit.items)

    return Scoped(plan, measure=typed)


def plan_progress(typed: str, day: date | None, typed_text: str, *, shown: str | None = None) -> Planner:
    def plan(ctx: Context) -> Change:
        target = _target(ctx, typed, shown)
        on = day or ctx.today
        check_day(on, ctx, not_before=issued(ctx), what="进展日期", why="方案印发日期")
        text = required_text(typed_text, "进展情况", "text")

        def change(draft: Draft, path: tuple[str | int, ...]) -> None:
            draft.append_item(path, "progress", Block((("on", on.isoformat()), ("text", text))))

        edit = _on_measure(ctx, target, change)
        trailers = [*target.trailers("progress", on), ("Ledger-Note", text)]
        message = CommitMessage(
            f"进展 {target.label}：{subject_line(text)}", (f"{on.isoformat()}：{text}",), tuple(trailers)
        )
        return Change(edit.files, message, f"已记录 {target.told} 的进展（{on.isoformat()}）。", edit.items)

    return Scoped(plan, measure=typed)


def _new_deadline(m: Measure, typed: str, shown: str | None = None) -> str:
    """The new deadline as written (spaces removed); it must read and fall after the one in force."""
    if m.status == "done":
        msg = f"措施 {shown or m.id} 已销号，不能延期"
        raise WriteRefused(msg)
    written = "".join(typed.split())
    if fault := text_fault(written, "new"):
        raise UsageError(f"新的完成时限{fault}")
    try:
        new = parse_deadline(written)
    except DeadlineError as exc:
        raise UsageError(f"新的完成时限：{exc}") from None
    old_due = _due_or_none(m.deadline)
    if new.due is None or (old_due is not None and new.due <= old_due):
        due = old_due.isoformat() if old_due else "无到期日"
        msg = f"新的完成时限“{written}”应晚于现在的“{m.deadline}”（{due}）"
        raise UsageError(msg)
    return written


def plan_postpone(
    typed: str, new_deadline: str, day: date | None, typed_reason: str, *, shown: str | None = None
) -> Planner:
    def plan(ctx: Context) -> Change:
        target = _target(ctx, typed, shown)
        m = target.measure
        written = _new_deadline(m, new_deadline, target.shown)
        on = day or ctx.today
        last = max((p.on for p in m.postponements), default=issued(ctx))
        check_day(on, ctx, not_before=last, what="延期日期", why="方案印发或上一次延期的日期")
        reason = required_text(typed_reason, "--reason", "reason")
        entry = Block((("on", on.isoformat()), ("old", m.deadline), ("new", written), ("reason", reason)))

        def change(draft: Draft, path: tuple[str | int, ...]) -> None:
            draft.set_key(path, "deadline", written)
            draft.append_item(path, "postponements", entry)

        edit = _on_measure(ctx, target, change)
        trailers = [
            *target.trailers("postpone", on),
            ("Ledger-Deadline-Old", m.deadline),
            ("Ledger-Deadline-New", written),
            ("Ledger-Reason", reason),
        ]
        body = (f"完成时限：{m.deadline} → {written}", f"原因：{reason}")
        message = CommitMessage(f"延期 {target.label}：{m.deadline} → {written}", body, tuple(trailers))
        summary = f"已将 {target.told} 的完成时限由“{m.deadline}”延至“{written}”。"
        if _ongoing(m.deadline) and not _ongoing(written):
            summary += (
                f"\n注意：原时限为长期坚持，新时限没有写“长期坚持”，完成后将不再显示为持续推进；"
                f"如需保留，请 ledger undo 后改延期为“{written}，长期坚持”。"
            )
        return Change(edit.files, message, summary, edit.items)

    return Scoped(plan, measure=typed)


def _ongoing(written: str) -> bool:
    try:
        return parse_deadline(written).ongoing
    except DeadlineError:
        return False


def _due_or_none(written: str) -> date | None:
    try:
        return parse_deadline(written).due
    except DeadlineError:
        return None
