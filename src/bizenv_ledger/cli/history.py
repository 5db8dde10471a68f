"""``ledger history``: the changes rebuilt from git, of the one ledger or of every ledger of a workspace.

A workspace's ledgers keep their histories where they live: a folder's in the repository that
holds it, a ledger read from a git ref in that ref's log (an office's pushes, fetched by the
city). Each ledger's changes name its measures as the workspace does (临泽县:1.1); all of them
read oldest first, as one story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.errors import GitError
from .app import state

if TYPE_CHECKING:
    from ..model.domain import Ledger, Member
    from ..store.workspace import Workspace
    from ..write.audit import HistoryEntry
    from ..write.git import Repo

__all__ = ["Scope", "history_entries", "history_output", "history_scope"]


@dataclass(frozen=True, slots=True)
class Scope:
    """What ``history`` keeps: a title, the measures or the indicator (every ledger's of that number), the lead units."""

    title: str = ""
    items: set[str] | None = None
    indicator: int | None = None
    units: set[str] | None = None


def history_scope(target: str | None, unit: str | None) -> Scope:
    from ..model.names import UnitIndex, find_indicator, find_measure

    ledger = state().ledger()
    title, items, number, units = "", None, None, None
    if target is not None and ("." in target or ":" in target):
        _, measure = find_measure(ledger, target)
        title, items = f" · 措施 {measure.id}", {measure.id}
    elif target is not None:
        indicator = find_indicator(ledger, target)
        title, number = f" · 指标 {indicator.name}", indicator.number
    if unit is not None:
        index = UnitIndex.build(ledger.registry)
        canon = index.find(unit)
        wanted = {canon, *index.members(canon)}
        # as `list --unit --lead` does: a collective's members, and the collectives the unit belongs to
        units = wanted | {name for name, members in index.collectives.items() if wanted & set(members)}
        title = f"{title} · 牵头单位 {canon}"
    return Scope(title, items, number, units)


def history_entries(scope: Scope, since: date | None, until: date | None) -> tuple[list[HistoryEntry], list[str]]:
    """The changes ``scope`` keeps, oldest first; and a note for each ledger that has no history to read."""
    from ..write.audit import select

    entries, notes = _histories(state().ledger(), state().workspace())
    kept = select(entries, items=scope.items, indicator=scope.indicator, units=scope.units, since=since, until=until)
    return kept, notes


def _histories(ledger: Ledger, ws: Workspace | None) -> tuple[list[HistoryEntry], list[str]]:
    from ..write.audit import history
    from ..write.git import find_repo

    if ws is None or not ledger.members:
        root = state().root()
        repo = find_repo(root)
        if repo is None:
            msg = f"台账（{root}）不在 git 仓库中，没有变更记录"
            raise GitError(msg)
        return history(repo.log("--", repo.rel(root) or ".")), []
    entries: list[HistoryEntry] = []
    notes: list[str] = []
    order: dict[str, tuple[datetime, int]] = {}
    placed: set[tuple[Path, str | None]] = set()  # the ledgers of one repository share its history's order
    for member, found in zip(ledger.members, _logs_of(ledger.members, ws), strict=True):
        if found is None:
            notes.append(f"台账“{member.name}”（{member.source}）不在 git 仓库中，没有变更记录。")
            continue
        repo, rev, path = found
        mine = [_qualified(e, member) for e in history(repo.log(*_after_options(rev), "--", path))]
        if mine and (repo.git_dir, rev) not in placed:
            placed.add((repo.git_dir, rev))
            order |= _places(repo, rev)
        entries += mine
    # one story across the ledgers, by commit time; within one second (git keeps no finer), in the order
    # of each repository's own history, which a time alone would lose between two ledgers of one repository
    entries.sort(key=lambda e: order.get(e.commit, (e.when, 0)))
    return entries, notes


def _logs_of(members: list[Member], ws: Workspace) -> list[tuple[Repo, str | None, str] | None]:
    """For each member, the repository its history is in, the revision (None: HEAD) and its folder there."""
    from ..store.workspace import ref_specs
    from ..write.git import find_repo

    refs = [e for m in members if m.root is None and (e := ws.entry(m.name)) is not None and e.ref is not None]
    specs = dict(zip([e.name for e in refs], ref_specs(refs), strict=True))  # where each ref's ledger is, at once
    out: list[tuple[Repo, str | None, str] | None] = []
    for member in members:
        if member.root is not None:
            repo = find_repo(Path(member.root))
            out.append((repo, None, repo.rel(Path(member.root)) or ".") if repo is not None else None)
        elif (spec := specs.get(member.name)) is not None and (repo := find_repo(spec.repo)) is not None:
            out.append((repo, spec.ref, spec.folder or "."))
        else:
            out.append(None)
    return out


def _after_options(rev: str | None) -> tuple[str, ...]:
    # the ref was read (and checked) to load the ledger; --end-of-options keeps it from being read as an option
    return () if rev is None else ("--end-of-options", rev)


def _places(repo: Repo, rev: str | None) -> dict[str, tuple[datetime, int]]:
    """Each commit of ``rev``'s history: its time, and its place in that history (oldest first)."""
    out = repo.run("log", "--reverse", "--topo-order", "--format=%H %at", *_after_options(rev), "--")
    places = {}
    for k, line in enumerate(out.splitlines()):
        commit, _, seconds = line.partition(" ")
        places[commit] = (datetime.fromtimestamp(int(seconds), UTC), k)
    return places


def _qualified(entry: HistoryEntry, member: Member) -> HistoryEntry:
    """``entry`` naming its measure as the workspace does: the commit keeps the ledger's own id (1.1)."""
    from dataclasses import replace

    return (
        replace(entry, item=member.prefix + entry.item, ledger=member.name)
        if member.prefix
        else replace(entry, ledger=member.name)
    )


def history_output(entries: list[HistoryEntry], title: str, fmt: str, notes: list[str]) -> str:
    from ..model.dates import SHANGHAI
    from ..render.output import emit
    from ..render.table import Table
    from ..write.audit import ACTION_LABELS, describe

    names = _metric_names(state().ledger())
    table = Table(f"台账变更记录{title}", ["时间", "操作人", "操作", "事项", "日期", "说明", "提交"])
    for e in entries:
        when = e.when.astimezone(SHANGHAI).isoformat(sep=" ", timespec="minutes")  # 2022-08-15 10:00+08:00
        label = ACTION_LABELS.get(e.action, e.action)
        what = " ".join(describe(e).split())  # one line per change in a table; JSON keeps the text exact
        item = names.get(e.item) or (f"{e.item.partition('/')[0]} · {e.metric}" if e.metric else e.item)
        table.add([when, e.author, label, item, e.on or "", what, e.commit[:7]])
    lines = [f"共 {len(entries)} 条。"] if entries else ["没有找到台账变更记录。"]
    return emit(fmt, [table], [e.as_dict() for e in entries], [*notes, *lines])


def _metric_names(ledger: Ledger) -> dict[str, str]:
    """A reading's item (获得电力/high_voltage_days) as people name it: 获得电力 · 高压办电时间; in a workspace
    with its ledger's prefix (临泽县:获得电力/…)."""
    from ..model.workspace import ledger_of

    prefixes = {m.name: m.prefix for m in ledger.members}
    names = {}
    for ind in ledger.indicators:
        prefix = prefixes.get(ledger_of(ind) or "", "")
        for m in ind.metrics:
            names[f"{prefix}{ind.name}/{m.key}"] = f"{prefix}{ind.name} · {m.name}"
    return names
