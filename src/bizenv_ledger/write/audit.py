"""The audit trail's format: commit messages with ``Ledger-*`` trailers, and the history rebuilt from them.

A ledger commit reads, for people, as a Chinese subject and a short body; for
the tool, its last paragraph holds one ``Ledger-Key: value`` line per fact.
A value that is not one plain line (a newline, leading or trailing spaces, a
leading quote) is written as a JSON string, so every text comes back exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from ..model.dates import SHANGHAI, small_number
from .git import LogEntry

__all__ = [
    "ACTION_LABELS",
    "CommitMessage",
    "HistoryEntry",
    "decode_value",
    "encode_value",
    "history",
    "read_trailers",
    "select",
]

ACTION_LABELS = {
    "done": "销号",
    "reopen": "退回整改",
    "progress": "进展",
    "postpone": "延期",
    "record": "记录",
    "undo": "撤销",
    "intake": "报送",
    "review": "退回申请",
}

_TRAILER = re.compile(r"^(Ledger-[A-Za-z-]+): (.*)$")
_PLAIN = re.compile(r"[^\s\"][^\n\r]*(?<=\S)|[^\s\"]")


def encode_value(value: str) -> str:
    """A trailer value: as is when it is one plain line, else a JSON string."""
    if _PLAIN.fullmatch(value) and value.isprintable():
        return value
    return json.dumps(value, ensure_ascii=False)


def decode_value(value: str) -> str:
    if value.startswith('"'):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        return decoded if isinstance(decoded, str) else value
    return value


@dataclass(frozen=True)
class CommitMessage:
    subject: str
    body: tuple[str, ...] = ()
    trailers: tuple[tuple[str, str], ...] = ()

    def render(self) -> str:
        parts = [self.subject]
        if self.body:
            parts.append("\n".join(self.body))
        parts.append("\n".join(f"{key}: {encode_value(value)}" for key, value in self.trailers if value))
        return "\n\n".join(parts) + "\n"


def read_trailers(message: str) -> list[tuple[str, str]]:
    """The ``Ledger-*`` trailers of a message's last paragraph, decoded."""
    last = message.strip("\n").split("\n\n")[-1]
    found = []
    for line in last.split("\n"):
        if m := _TRAILER.match(line):
            found.append((m[1], decode_value(m[2])))
    return found


def subject_line(text: str, limit: int = 30) -> str:
    """One line of at most ``limit`` characters, for a commit subject."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


@dataclass(frozen=True)
class HistoryEntry:
    """One change made by the tool, as its commit tells it."""

    commit: str
    author: str
    email: str
    when: datetime
    subject: str
    action: str
    item: str
    indicator: int | None = None
    unit: str | None = None
    on: str | None = None
    note: str | None = None
    reason: str | None = None
    evidence: tuple[str, ...] = ()
    deadline_old: str | None = None
    deadline_new: str | None = None
    metric: str | None = None
    value: str | None = None
    source: str | None = None
    replaced: str | None = None  # record: the same day's earlier reading it replaced
    replaced_source: str | None = None
    no_evidence: str | None = None  # done: why there is no evidence (--no-evidence --note)
    reverts: str | None = None
    undone_action: str | None = None
    undone_by: list[str] = field(default_factory=list)
    ledger: str | None = None  # in a workspace: the ledger whose change this is

    @property
    def day(self) -> date:
        return self.when.astimezone(SHANGHAI).date()

    def as_dict(self) -> dict[str, object]:
        return {
            "commit": self.commit,
            "author": self.author,
            "email": self.email,
            # Shanghai time with its offset, as the table shows it, whatever zone the committer's machine was in
            "committed": self.when.astimezone(SHANGHAI).isoformat(),
            "action": self.action,
            "action_label": ACTION_LABELS.get(self.action, self.action),
            "item": self.item,
            "indicator": self.indicator,
            "unit": self.unit,
            "on": self.on,
            "note": self.note,
            "reason": self.reason,
            "evidence": list(self.evidence),
            "deadline_old": self.deadline_old,
            "deadline_new": self.deadline_new,
            "metric": self.metric,
            "value": self.value,
            "source": self.source,
            "replaced": self.replaced,
            "replaced_source": self.replaced_source,
            "no_evidence": self.no_evidence,
            "reverts": self.reverts,
            "undone_action": self.undone_action,
            "undone_by": self.undone_by[-1] if self.undone_by else None,
            "subject": self.subject,
            **({"ledger": self.ledger} if self.ledger is not None else {}),
        }


_FIELDS = {
    "Ledger-Unit": "unit",
    "Ledger-Date": "on",
    "Ledger-Note": "note",
    "Ledger-Reason": "reason",
    "Ledger-Deadline-Old": "deadline_old",
    "Ledger-Deadline-New": "deadline_new",
    "Ledger-Metric": "metric",
    "Ledger-Value": "value",
    "Ledger-Source": "source",
    "Ledger-Replaced": "replaced",
    "Ledger-Replaced-Source": "replaced_source",
    "Ledger-No-Evidence": "no_evidence",
    "Ledger-Reverts": "reverts",
    "Ledger-Undone-Action": "undone_action",
}


def entry_from_log(log: LogEntry) -> HistoryEntry | None:
    """The history entry of a ledger commit; None for any other commit."""
    trailers = read_trailers(log.message)
    values = dict(trailers)
    if "Ledger-Action" not in values:
        return None
    fields: dict[str, str] = {_FIELDS[k]: v for k, v in trailers if k in _FIELDS}
    indicator = values.get("Ledger-Indicator", "")
    return HistoryEntry(
        commit=log.commit,
        author=log.author,
        email=log.email,
        when=datetime.fromisoformat(log.date),
        subject=log.message.split("\n", 1)[0],
        action=values["Ledger-Action"],
        item=values.get("Ledger-Item", ""),
        indicator=small_number(indicator),  # a trailer anyone could have written: never int() it blindly
        evidence=tuple(v for k, v in trailers if k == "Ledger-Evidence"),
        **fields,  # type: ignore[arg-type]
    )


def history(logs: Iterable[LogEntry]) -> list[HistoryEntry]:
    """Ledger commits oldest first, each marked with the undo commits that reverted it."""
    entries = [e for e in (entry_from_log(log) for log in logs) if e is not None]
    entries.reverse()  # git log is newest first; a story reads oldest first
    by_commit = {e.commit: e for e in entries}
    for e in entries:
        if e.action == "undo" and e.reverts in by_commit:
            by_commit[e.reverts].undone_by.append(e.commit)
    return entries


def select(
    entries: list[HistoryEntry],
    *,
    items: set[str] | None = None,
    indicator: int | None = None,
    units: set[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[HistoryEntry]:
    """The entries about ``items`` (or an indicator), by ``units``, committed between ``since`` and ``until``."""
    return [
        e
        for e in entries
        if (items is None or e.item in items)
        and (indicator is None or e.indicator == indicator)
        and (units is None or e.unit in units)
        and (since is None or e.day >= since)
        and (until is None or e.day <= until)
    ]


def describe(e: HistoryEntry) -> str:
    """What happened, in one line of Chinese, for the history table."""
    parts: list[str] = []
    if e.action == "done":
        parts += [f"佐证：{'、'.join(e.evidence)}"] if e.evidence else []
        parts += [f"无佐证材料（原因：{e.no_evidence}）"] if e.no_evidence else []
        parts += [f"备注：{e.note}"] if e.note and e.note != e.no_evidence else []
    elif e.action == "reopen":
        parts.append(f"原因：{e.reason or ''}")
    elif e.action == "progress":
        parts.append(e.note or "")
    elif e.action == "postpone":
        parts.append(f"{e.deadline_old or '?'} → {e.deadline_new or '?'}：{e.reason or ''}")
    elif e.action == "record":
        parts.append(f"{e.metric or e.item} = {e.value or '?'}" + (f"（来源：{e.source}）" if e.source else ""))
        parts += [f"替换该日原读数 {e.replaced}"] if e.replaced else []
    elif e.action in ("intake", "review"):
        parts.append(e.note or e.reason or "")
    elif e.action == "undo":
        parts.append(f"撤销 {(e.reverts or '')[:7]} 的{ACTION_LABELS.get(e.undone_action or '', '修改')}")
    if e.undone_by:
        parts.append(f"（已被 {e.undone_by[-1][:7]} 撤销）")
    return "；".join(p for p in parts if p)
