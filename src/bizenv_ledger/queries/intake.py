"""The forms' rows, and a filled form compared with the ledger: what intake would record, and what is wrong. Pure.

``form_views`` picks a unit's rows when a form is made; ``propose`` reads one filled form
(``model.forms.FormReading``) against the ledger as it is now and returns, measure by
measure, the progress to add and the 销号/延期 applications to record, with every problem
named by file, sheet and cell. Nothing here writes; ``write.intake`` does, from a proposal
without problems.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from ..model.dates import DeadlineError, parse_deadline
from ..model.domain import Ledger, Measure
from ..model.errors import LookupFailed
from ..model.forms import FIELD_KEYS, FILLED_COLUMNS, STATES, CellProblem, FormCell, FormReading, FormRow
from ..model.names import UnitIndex, find_measure
from ..model.text import text_fault
from .measures import Filters, MeasureView, apply_filters, measure_views

__all__ = ["Item", "Proposal", "form_views", "propose", "row_hash"]


def row_hash(measure: Measure) -> str:
    """What the form showed of a measure that intake relies on: its text, units and deadline."""
    content = "\x1f".join([measure.id, measure.text, "、".join(measure.units), measure.deadline])
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def form_views(ledger: Ledger, unit: str, as_of: date) -> list[MeasureView]:
    """The unit's open measures (lead or cooperating, its collectives' too), in plan order."""
    flt = Filters(unit=unit, status="open")
    return apply_filters(measure_views(ledger, as_of, scope=flt), flt, ledger)


@dataclass(frozen=True)
class Item:
    """What one row of a form asks for."""

    measure_id: str
    row: str  # sheet!cell of the 编号, for messages
    progress: str | None = None
    close: bool = False
    evidence: str | None = None
    new_deadline: str | None = None
    reason: str | None = None
    filled_by: str = ""
    phone: str | None = None
    skipped: tuple[str, ...] = ()  # already recorded (idempotence), said in the dry run


@dataclass
class Proposal:
    reading: FormReading
    unit: str | None
    on: date
    items: list[Item] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[Item]:
        return [i for i in self.items if i.progress or i.close or i.new_deadline]

    @property
    def filled_by(self) -> str:
        return "、".join(dict.fromkeys(i.filled_by for i in self.changes if i.filled_by))


def _problem(p: Proposal, cell: FormCell, message: str) -> None:
    p.problems.append(CellProblem(p.reading.file, p.reading.at(cell), message))


def _unit(ledger: Ledger, p: Proposal, expected: str | None) -> str | None:
    reading, index = p.reading, UnitIndex.build(ledger.registry)
    named = reading.unit
    if reading.fingerprint is None:
        p.warnings.append(
            f"{reading.file}：没有台账生成的隐藏标识（可能是重新录入或另存为 CSV 的），按“编号”列与表头的报送单位核对"
        )
    if named is None:
        p.problems.append(CellProblem(reading.file, "", "找不到报送单位（表头应有“报送单位：…”）"))
        return None
    unit = index.resolve_exact(named)
    if unit is None:
        p.problems.append(CellProblem(reading.file, "", f"报送单位“{named}”未在 units.yaml 登记"))
        return None
    title = index.resolve_exact(reading.title_unit) if reading.title_unit else None
    if reading.fingerprint is not None and title is not None and title != unit:
        p.problems.append(CellProblem(reading.file, "", f"表头的报送单位“{title}”与报送表生成时的单位“{unit}”不一致"))
    if expected is not None and unit != expected:
        p.problems.append(CellProblem(reading.file, "", f"这是{unit}的报送表，不是{expected}的"))
    return unit


def _texts(p: Proposal, row: FormRow) -> bool:
    ok = True
    for key, cell in row.cells.items():
        if cell.value and (fault := text_fault(cell.value, FIELD_KEYS.get(key, key))):
            _problem(p, cell, f"{FILLED_COLUMNS[key]}{fault}")
            ok = False
    return ok


def _deadline_after(p: Proposal, row: FormRow, m: Measure, view: MeasureView, today: date) -> str | None:
    cell = row.get("new_deadline")
    if not cell.value:
        _problem(p, cell, "申请延期至 不能为空（完成情况为申请延期）")
        return None
    written = cell.day.isoformat() if cell.day else "".join(cell.value.split())
    try:
        due = parse_deadline(written).due
    except DeadlineError:
        due = None
    if due is None:
        _problem(p, cell, f"申请延期至 不是日期（“{cell.value}”；应写作 2022-12-31 或 2022年12月）")
        return None
    current = view.deadline.due
    if due <= today:
        _problem(p, cell, f"申请延期至 {due.isoformat()} 不晚于今天（{today.isoformat()}）")
        return None
    if current is not None and due <= current:
        _problem(p, cell, f"申请延期至 {due.isoformat()} 不晚于现在的完成时限“{m.deadline}”（{current.isoformat()}）")
        return None
    return written


def _row(ledger: Ledger, p: Proposal, row: FormRow, views: dict[str, MeasureView], today: date) -> None:
    mid = row.measure_id
    try:
        _, m = find_measure(ledger, mid.value)
    except LookupFailed:
        _problem(p, mid, f"措施“{mid.value}”在台账中不存在")
        return
    view = views.get(m.id)
    index = UnitIndex.build(ledger.registry)
    if p.unit is not None and view is None and not ({p.unit} & index.expand(m.units)):
        _problem(p, mid, f"措施 {m.id} 不属于{p.unit}")
        return
    if m.status == "done":
        _problem(p, mid, f"措施 {m.id} 在报送表生成后已销号，不能再报送")
        return
    if not _texts(p, row):
        return
    _fingerprint_check(p, row, m)
    state = row.get("state")
    if state.value and state.value not in STATES:
        _problem(p, state, f"完成情况只能是 {' / '.join(STATES)}，而不是“{state.value}”")
        return
    filled_by = row.get("filled_by")
    if not filled_by.value:
        _problem(p, filled_by, "填报人 不能为空")
    progress = row.get("progress").value or None
    if state.value in ("", "推进中") and progress is None:
        _problem(p, row.get("progress"), "本期进展 不能为空")
    close = state.value == "已完成"
    evidence = row.get("evidence").value or None
    if close and evidence is None:
        _problem(p, row.get("evidence"), "佐证材料 不能为空（完成情况为已完成）")
    new_deadline = reason = None
    if state.value == "申请延期":
        new_deadline = _deadline_after(p, row, m, view or _view(ledger, m, today), today)
        reason = row.get("reason").value or None
        if reason is None:
            _problem(p, row.get("reason"), "延期理由 不能为空（完成情况为申请延期）")
    elif row.get("new_deadline").value:
        _problem(p, row.get("new_deadline"), "填写了申请延期至，但完成情况不是“申请延期”")
    item = Item(m.id, p.reading.at(mid), progress, close, evidence, new_deadline, reason, filled_by.value,
                row.get("phone").value or None)  # fmt: skip
    p.items.append(_without_recorded(item, m, p))


def _view(ledger: Ledger, m: Measure, today: date) -> MeasureView:
    return next(v for v in measure_views(ledger, today) if v.id == m.id)


def _fingerprint_check(p: Proposal, row: FormRow, m: Measure) -> None:
    rows = p.reading.fingerprint.get("rows") if p.reading.fingerprint else None
    if isinstance(rows, dict) and m.id in rows and rows[m.id] != row_hash(m):
        p.warnings.append(
            f"{p.reading.file} {p.reading.at(row.measure_id)}：措施 {m.id} 的内容或时限在报送表生成后有变化，请核对"
        )


def _without_recorded(item: Item, m: Measure, p: Proposal) -> Item:
    """The item less what the ledger already holds from this very form (intake is idempotent)."""
    sha = p.reading.sha256
    skipped: list[str] = []
    progress, close, new_deadline = item.progress, item.close, item.new_deadline
    if progress and any(
        e.text == progress and (e.source == sha or (e.on == p.on and e.unit == p.unit)) for e in m.progress
    ):
        progress, skipped = None, [*skipped, "进展已记录"]
    kinds = {a.kind for a in m.applications if a.source == sha}
    pending = {a.kind for a in m.applications if a.status == "pending"}
    if close and ("close" in kinds or "close" in pending):
        close, skipped = False, [*skipped, "销号申请已记录" if "close" in kinds else "已有待复核的销号申请"]
    if new_deadline and ("postpone" in kinds or "postpone" in pending):
        new_deadline, skipped = None, [*skipped, "延期申请已记录" if "postpone" in kinds else "已有待复核的延期申请"]
    return Item(item.measure_id, item.row, progress, close, item.evidence, new_deadline, item.reason,
                item.filled_by, item.phone, tuple(skipped))  # fmt: skip


def propose(
    ledger: Ledger, reading: FormReading, *, on: date, today: date, expected_unit: str | None = None
) -> Proposal:
    """What ``reading`` would record on ``on``, with every problem (file, sheet!cell)."""
    p = Proposal(reading, None, on, problems=list(reading.problems))
    p.unit = _unit(ledger, p, expected_unit)
    views = {v.id: v for v in form_views(ledger, p.unit, today)} if p.unit else {}
    seen: dict[str, str] = {}
    for row in reading.rows:
        if row.empty:
            continue
        key = row.measure_id.value
        if key in seen:
            _problem(p, row.measure_id, f"措施 {key} 重复出现（另见 {seen[key]}）")
            continue
        seen[key] = row.measure_id.ref
        _row(ledger, p, row, views, today)
    return p
