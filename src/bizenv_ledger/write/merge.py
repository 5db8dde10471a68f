"""The merge driver's text side: apply ``model.merge``'s decision to the text of ours, comments kept.

Git hands the driver three files (base, ours, theirs) and takes the result from ours.
Nothing is re-dumped: each value taken from theirs is copied with theirs' own lines (its
comments and quoting), each entry theirs added is inserted among ours' lines where its
date puts it, exactly as the write commands would write it. The result must parse to the
data the merge decided, else the file is merged by git's line merge instead, as if there
were no driver. A conflict is left to the user between git's usual markers, around the
one block it concerns, and said in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model.merge import CannotMerge, Conflict, Drop, Insert, MergePlan, Take, plan_merge, resolve
from ..store.files import atomic_write
from .edit import Draft, EditError, Moved
from .git import merge_file

__all__ = ["LABELS", "DriverOutcome", "Merged", "merge_files", "merge_texts"]

LABELS = ("本地（ours）", "共同祖先（base）", "对方（theirs）")
_MARKER = 7  # git's default conflict-marker size


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: list[str]  # what conflicts, in Chinese; empty when the merge is clean


def merge_texts(base: str, ours: str, theirs: str, what: str) -> Merged:
    """Merge three versions of one ledger file; raises ``CannotMerge`` where git's line merge must decide."""
    try:
        base_data = Draft(base, what).data if base.strip() else {}
        draft, theirs_draft = Draft(ours, what), Draft(theirs, what)
        plan = plan_merge(base_data, draft.data, theirs_draft.data)
        for edit in plan.edits:
            _apply(edit, draft, theirs_draft)
        text = draft.result()
        if draft.data != plan.merged:
            raise CannotMerge("合并结果与预期不符")
        if not plan.conflicts:
            return Merged(text, [])
        return Merged(_with_markers(text, plan, theirs_draft, what), [c.message for c in plan.conflicts])
    except EditError as exc:
        raise CannotMerge(str(exc)) from None


def _apply(edit: Take | Drop | Insert, draft: Draft, theirs: Draft) -> None:
    path, theirs_path = resolve(draft.data, edit.loc), resolve(theirs.data, edit.loc)
    if isinstance(edit, Take):
        draft.set_key(path, edit.key, theirs.lines_of((*theirs_path, edit.key)))
    elif isinstance(edit, Drop):
        draft.cut_key(path, edit.key)
    else:
        draft.insert_item(path, edit.key, edit.index, theirs.lines_of((*theirs_path, edit.key, edit.theirs_index)))
    if draft.data != draft.expected:
        raise CannotMerge("局部修改的结果与预期不符")


def _with_markers(text: str, plan: MergePlan, theirs: Draft, what: str) -> str:
    """``text`` (ours, merged) with each conflicting block between git's markers, ours above theirs."""
    draft = Draft(text, what)
    cuts = sorted((_conflict_block(c, draft, theirs) for c in plan.conflicts), reverse=True)
    lines = list(draft.lines)
    for start, end, ours_lines, theirs_lines in cuts:
        block = [
            "<" * _MARKER + f" {LABELS[0]}",
            *ours_lines,
            "=" * _MARKER,
            *theirs_lines,
            ">" * _MARKER + f" {LABELS[2]}",
        ]
        lines[start - 1 : end] = [line + draft.newline for line in block]
    return draft.bom + "".join(lines)


def _conflict_block(conflict: Conflict, draft: Draft, theirs: Draft) -> tuple[int, int, list[str], list[str]]:
    """Lines ``start..end`` of ours to put between markers, ours' lines there and theirs' (re-indented)."""
    path = resolve(draft.data, conflict.loc)
    key_path = (*path, conflict.key)
    if key_path in draft.parsed.positions:
        start, end = draft.span(key_path)
        column = draft.parsed.positions[key_path][1] - 1
        ours_lines = [_body(draft.lines[n - 1]) for n in range(start, end + 1)]
        if ours_lines[0][:column].strip():
            raise CannotMerge(f"冲突的“{conflict.key}”是条目的第一个键")
    else:  # ours removed it: the markers go at the end of the mapping
        start = draft.span(path)[1] + 1
        end, column, ours_lines = start - 1, draft.key_column(path), []
    theirs_path = (*resolve(theirs.data, conflict.loc), conflict.key)
    theirs_lines = _reindent(theirs.lines_of(theirs_path), column) if theirs_path in theirs.parsed.positions else []
    return start, end, ours_lines, theirs_lines


def _reindent(moved: Moved, column: int) -> list[str]:
    by = column - moved.indent
    return [(" " * by + line if by >= 0 else line[-by:]) if line.strip() else line for line in moved.lines]


def _body(line: str) -> str:
    return line.rstrip("\r\n\x85\u2028\u2029")


@dataclass(frozen=True)
class DriverOutcome:
    conflicts: list[str]  # messages, in Chinese
    structural: bool  # False: git's line merge decided (the reason is in ``fallback``)
    fallback: str = ""


def merge_files(base: Path, ours: Path, theirs: Path, rel: str) -> DriverOutcome:
    """Git's ``merge.<driver>.driver`` step: merge into ``ours``; conflicts are returned, not raised."""
    texts = []
    for path in (base, ours, theirs):
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            return _line_merge(base, ours, theirs, rel, "不是 UTF-8 编码的文本")
    try:
        merged = merge_texts(texts[0], texts[1], texts[2], rel)
    except CannotMerge as exc:
        return _line_merge(base, ours, theirs, rel, str(exc))
    atomic_write(ours, merged.text.encode("utf-8"))
    return DriverOutcome(merged.conflicts, structural=True)


def _line_merge(base: Path, ours: Path, theirs: Path, rel: str, reason: str) -> DriverOutcome:
    text, count = merge_file(ours, base, theirs, LABELS)
    atomic_write(ours, text)
    conflicts = [f"{rel} 按文本合并后有 {count} 处冲突，请手工解决"] if count else []
    return DriverOutcome(conflicts, structural=False, fallback=reason)
