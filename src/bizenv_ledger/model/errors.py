"""The error family and the located-problem record (beancount's way: errors are values)."""

from __future__ import annotations

from .records import record

__all__ = [
    "GitError",
    "LedgerError",
    "LedgerInvalid",
    "LockBusy",
    "LookupFailed",
    "Problem",
    "ProblemsFound",
    "UsageError",
    "WriteRefused",
]


@record(eq=True)
class Problem:
    """One thing wrong with the ledger, with where it is."""

    path: str
    line: int
    col: int
    message: str
    field: str = ""  # the path inside the file, for scripts: measures.1.status (0-based)
    hint: str = ""
    label: str = ""  # the same for people: 3.2 的 status (items by id or key, else counted from 1)

    def render(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        shown = self.label or self.field
        field = f"［{shown}］" if shown else ""
        hint = f"（提示：{self.hint}）" if self.hint else ""
        return f"{where}: {self.message}{field}{hint}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "field": self.field,
            "label": self.label or self.field,
            "message": self.message,
            "hint": self.hint,
        }


class LedgerError(Exception):
    """Base of everything the CLI turns into a message and an exit code."""

    exit_code = 1


class UsageError(LedgerError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


class LookupFailed(LedgerError):
    """A name, id or metric did not resolve; carries the candidates."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class ProblemsFound(LedgerError):
    """The ledger does not validate."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"台账校验发现 {len(problems)} 个问题")
        self.problems = problems


class LedgerInvalid(ProblemsFound):
    """A command needs the ledger, and it does not validate: said in brief (which files, how many problems),
    pointing to ``ledger check``, which lists them all."""


class WriteRefused(LedgerError):
    """A change could not be written; nothing was changed."""


class GitError(WriteRefused):
    """Git refused the change or is in a state the tool must not commit in; the files are as they were."""


class LockBusy(WriteRefused):
    """Another writer held the ledger's lock for longer than the tool waits."""
