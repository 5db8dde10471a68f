"""Recording one filled 报送表: its progress and its 销号/延期 applications, in one commit.

The proposal is made again under the writers' lock (``queries.intake.propose`` on the ledger
as it is then), so a form checked a moment ago against an older ledger cannot slip through.
A form with any problem records nothing. The commit's trailers say which unit reported, who
filled the form in, and which file (its sha256).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..model.errors import WriteRefused
from ..model.forms import FormReading
from ..queries.intake import Item, Proposal, propose
from .actions import Change, Context, Planner, edit_file
from .audit import CommitMessage
from .edit import Block, Draft, EditError, Node, Word, measure_path

__all__ = ["NothingToDo", "plan_intake", "proposal_lines"]


class NothingToDo(WriteRefused):
    """The form holds nothing the ledger does not already have (a second --apply): no commit."""

    exit_code = 0


def _progress(item: Item, p: Proposal) -> Block:
    pairs: list[tuple[str, Node]] = [("on", p.on.isoformat()), ("text", item.progress or "")]
    pairs += [("unit", p.unit or "")] + ([("by", item.filled_by)] if item.filled_by else [])
    return Block((*pairs, ("source", p.reading.sha256)))


def _application(kind: str, item: Item, p: Proposal) -> Block:
    pairs: list[tuple[str, Node]] = [("kind", Word(kind)), ("on", p.on.isoformat()), ("unit", p.unit or "")]
    pairs += [("filled_by", item.filled_by)] if item.filled_by else []
    pairs += [("phone", item.phone)] if item.phone else []
    if kind == "close" and item.evidence:
        pairs.append(("evidence", item.evidence))
    if kind == "postpone":
        pairs += [("new_deadline", item.new_deadline or ""), ("reason", item.reason or "")]
    return Block((*pairs, ("source", p.reading.sha256), ("status", Word("pending"))))


def _edits(item: Item, p: Proposal) -> Callable[[Draft], None]:
    def change(draft: Draft) -> None:
        path = measure_path(draft.data, item.measure_id)
        if path is None:
            raise EditError(f"找不到措施 {item.measure_id}")
        if item.progress:
            draft.append_item(path, "progress", _progress(item, p))
        if item.close:
            draft.append_item(path, "applications", _application("close", item, p))
        if item.new_deadline:
            draft.append_item(path, "applications", _application("postpone", item, p))

    return change


def proposal_lines(p: Proposal) -> list[str]:
    """What the form would record, measure by measure, in Chinese."""
    lines = []
    for item in p.items:
        parts = []
        if item.progress:
            parts.append(f"进展：{item.progress}")
        if item.close:
            parts.append(f"销号申请（佐证：{item.evidence}）")
        if item.new_deadline:
            parts.append(f"延期申请：至 {item.new_deadline}（{item.reason}）")
        parts += [f"{s}，不再重复" for s in item.skipped]
        lines.append(f"  {item.measure_id}（{item.row}）：" + "；".join(parts))
    return lines


def plan_intake(reading: FormReading, *, on: date, expected_unit: str | None) -> Planner:
    def plan(ctx: Context) -> Change:
        p = propose(ctx.ledger, reading, on=on, today=ctx.today, expected_unit=expected_unit)
        if p.problems:
            listed = "\n".join(f"  {x.render()}" for x in p.problems)
            raise WriteRefused(f"{reading.file} 有 {len(p.problems)} 个问题，未作任何修改：\n{listed}")
        if not p.changes:
            raise NothingToDo(f"{reading.file}：无需更改（内容均已记录）")
        by_file: dict[str, list[Item]] = {}
        for item in p.changes:
            by_file.setdefault(ctx.ledger.measure_files[item.measure_id], []).append(item)
        files: dict[str, bytes] = {}
        for rel, items in by_file.items():

            def change(draft: Draft, items: list[Item] = items) -> None:
                for item in items:
                    _edits(item, p)(draft)

            files.update(edit_file(ctx, rel, change))
        return Change(files, _message(p), f"已记录{p.unit}的报送表 {reading.file}：\n" + "\n".join(proposal_lines(p)))

    return plan


def _message(p: Proposal) -> CommitMessage:
    items = p.changes
    closes = sum(1 for i in items if i.close)
    postpones = sum(1 for i in items if i.new_deadline)
    counts = f"进展 {sum(1 for i in items if i.progress)} 项，销号申请 {closes} 项，延期申请 {postpones} 项"
    trailers = [
        ("Ledger-Action", "intake"),
        ("Ledger-Items", " ".join(i.measure_id for i in items)),
        ("Ledger-Unit", p.unit or ""),
        ("Ledger-Filled-By", p.filled_by),
        ("Ledger-Date", p.on.isoformat()),
        ("Ledger-Form", p.reading.sha256),
        ("Ledger-Form-File", p.reading.file),
        ("Ledger-Note", counts),
    ]
    body = tuple(line.strip() for line in proposal_lines(p))
    return CommitMessage(f"报送 {p.unit}：{counts}", body, tuple(trailers))
