"""Reading a drawn terminal table back: its columns from the header's rule, a column's text line by line."""

from __future__ import annotations

import re

from rich.cells import cell_len


def cut(line: str, start: int, end: int) -> str:
    """The characters of ``line`` between terminal columns ``start`` and ``end``."""
    out, used = [], 0
    for ch in line:
        w = cell_len(ch)
        if used >= start and used + w <= end:
            out.append(ch)
        used += w
    return "".join(out).strip()


def rule_index(lines: list[str], after: int = 0) -> int:
    """The first line (from ``after``) that is only the header's underline."""
    return next(i for i in range(after, len(lines)) if lines[i].strip() and set(lines[i]) <= {"─", " "})


def extents(rule: str) -> list[tuple[int, int]]:
    """Each column's (start, end) in terminal columns, from the runs of ─ under the headers."""
    return [(m.start(), m.end()) for m in re.finditer("─+", rule)]  # ─ is one column wide


def column_of(lines: list[str], header: str, after: int = 0) -> tuple[int, int, int]:
    """(rule line index, start, end) of the column headed ``header`` in the table after line ``after``."""
    r = rule_index(lines, after)
    for start, end in extents(lines[r]):
        heads = "".join(cut(lines[i], start, end) for i in range(max(after, r - 3), r))
        if heads.endswith(header) or heads == header:
            return r, start, end
    raise AssertionError(f"no column {header!r} in {lines[r - 1]!r}")
