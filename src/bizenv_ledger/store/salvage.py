"""After a schema error, keep what can still be checked, so that ``check`` lists every problem in one run.

An unknown key (``owner:``) used to make its whole file unreadable, and the file's
other problems (``deadline: 明年``, ``status: done`` without a closing) surfaced only
once it was fixed. The schema's problems are reported as they are; then, on a copy
of the data, unknown keys are dropped, the innermost list item holding any other
problem is dropped (a broken measure, a broken reading), and the rest is validated
again. What validates goes on to the cross-file checks.

The checks report paths in the salvaged object, whose lists may be shorter;
``Kept`` maps them back to the file's own indices, so every line number stays right.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .schema import SchemaProblem

__all__ = ["Kept", "Salvaged", "salvage"]

T = TypeVar("T")
Path_ = tuple[str | int, ...]
_PASSES = 4  # one is the rule; a second pass catches what the first removal uncovers
_UNKNOWN_KEY = "unexpected_keyword_argument"


@dataclass(slots=True)
class Kept:
    """For each list that lost items (by its path in the file): the file's indices of the items left."""

    survivors: dict[Path_, list[int]] = field(default_factory=dict)

    def original(self, path: Path_) -> Path_:
        """A path in the salvaged data, as a path in the file."""
        out: list[str | int] = []
        for part in path:
            if isinstance(part, int):
                left = self.survivors.get(tuple(out))
                out.append(left[part] if left is not None and 0 <= part < len(left) else part)
            else:
                out.append(part)
        return tuple(out)

    def remove(self, items: list[Any], current: Path_) -> None:
        """Remove ``items[current[-1]]``, the list at ``current[:-1]`` (a path in the salvaged data)."""
        in_file = self.original(current[:-1])
        left = self.survivors.setdefault(in_file, list(range(len(items))))
        index = current[-1]
        assert isinstance(index, int)
        del items[index]
        del left[index]


@dataclass(slots=True)
class Salvaged(Generic[T]):
    value: T | None
    kept: Kept
    complete: bool  # nothing but unknown keys was dropped


def _container(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _innermost_item(loc: Path_) -> int | None:
    """How long the path to the innermost list item of ``loc`` is (None: no list on the way)."""
    ends = [i + 1 for i, part in enumerate(loc) if isinstance(part, int)]
    return ends[-1] if ends else None


def _repair(data: Any, problems: list[SchemaProblem], kept: Kept) -> bool:
    """Drop what the problems point at; False when one of them cannot be dropped (a required field)."""
    keys: set[Path_] = set()
    items: set[Path_] = set()
    for problem in problems:
        end = _innermost_item(problem.loc)
        if problem.kind == _UNKNOWN_KEY and problem.loc:
            keys.add(problem.loc)
        elif end is not None:
            items.add(problem.loc[:end])
        elif problem.kind != "missing" and problem.loc:
            keys.add(problem.loc)  # an optional field with a bad value: its default stands in
        else:
            return False
    try:
        for loc in keys:
            parent = _container(data, loc[:-1])
            if isinstance(parent, dict):
                parent.pop(loc[-1], None)
        # deepest first, and from the end of each list, so that no removal moves another's index
        for loc in sorted(items, key=lambda p: (-len(p), repr(p[:-1]), -int(p[-1]))):
            kept.remove(_container(data, loc[:-1]), loc)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def salvage(
    validate: Callable[[type[T], Any], tuple[T | None, list[SchemaProblem]]],
    cls: type[T],
    data: Any,
    problems: list[SchemaProblem],
) -> Salvaged[T]:
    """What of ``data`` validates once its problems are dropped; the problems themselves are the caller's."""
    kept = Kept()
    work = copy.deepcopy(data)
    complete = all(p.kind == _UNKNOWN_KEY for p in problems)
    for _ in range(_PASSES):
        if not _repair(work, problems, kept):
            break
        value, problems = validate(cls, work)
        if value is not None:
            return Salvaged(value, kept, complete and not kept.survivors)
        complete = False
    return Salvaged(None, kept, False)
