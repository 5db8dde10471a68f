"""The command's state: which ledger or workspace, loaded once, and what a read will show of it.

One ``State`` per process, made anew by the app's callback for each command (``app._global``),
so that commands run in one process (the tests) inherit nothing from each other.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.errors import LedgerInvalid, UsageError

if TYPE_CHECKING:
    from ..model.domain import Ledger
    from ..store.loader import Narrow
    from ..store.workspace import Workspace

__all__ = ["State", "state"]


class State:
    """What the global options chose, and what was loaded for them: one per command (``app._global`` resets it).

    A plain class: a dataclass wrote and compiled its methods at every start, which ``ledger`` cannot spare.
    """

    def __init__(
        self,
        data: str | None = None,
        # a workspace: --data given more than once, --workspace, or a ledger.toml found upward
        many: list[str] | None = None,
        workspace_file: str | None = None,
        only: set[str] | None = None,  # --ledger
    ) -> None:
        self.data = data
        self.many = many
        self.workspace_file = workspace_file
        self.only = only
        self._loaded: Ledger | None = None
        self._root: Path | None = None
        self._recovered = False
        self._workspace: Workspace | None = None
        self._looked = False
        self._narrow: Narrow | None = None

    def workspace(self) -> Workspace | None:
        """The workspace in use, or None for the everyday single ledger (which pays one stat a folder)."""
        if not self._looked:
            self._looked = True
            from ..store.layout import find_workspace

            if self.many:
                from ..store.workspace import from_data

                self._workspace = from_data(self.many)
            elif self.workspace_file is not None:
                from ..store.workspace import read_workspace

                given = Path(self.workspace_file)
                file = given / "ledger.toml" if given.is_dir() else given
                if not file.is_file():
                    raise UsageError(
                        f"--workspace {self.workspace_file}：找不到工作区文件 {file}（应为 ledger.toml 或其所在目录）"
                    )
                self._workspace = read_workspace(file)
            elif (
                self.data is None
                and not os.environ.get("LEDGER_DATA")
                and (found := find_workspace(Path.cwd())) is not None  # one stat a folder, nothing imported
            ):
                from ..store.workspace import read_workspace

                self._workspace = read_workspace(found)
        return self._workspace

    def select(self, names: list[str] | None) -> None:
        """--ledger: keep only these ledgers of the workspace."""
        if not names:
            return
        ws = self.workspace()
        if ws is None:
            raise UsageError("--ledger 只用于工作区（多次给出 --data，或有 ledger.toml）")
        from ..model.dates import normalise

        have = {normalise(e.name): e.name for e in ws.entries}
        wrong = [n for n in names if normalise(n) not in have]
        if wrong:
            msg = f"--ledger：工作区中没有台账“{'、'.join(wrong)}”（有：{'、'.join(e.name for e in ws.entries)}）"
            raise UsageError(msg)
        self.only = {have[normalise(n)] for n in names}
        self._loaded = None

    def root(self, *, recover: bool = True) -> Path:
        """The ledger's folder; first, unless told not to, repair what an interrupted write left there.

        Every command comes through here, reads included. Without a leftover journal
        this costs a few ``stat`` calls and runs no git. Writes pass ``recover=False``:
        they recover under the writers' lock themselves (``write.writer.apply``).
        In a workspace it is the first ledger in a folder, and every folder is repaired.
        """
        from ..store.layout import find_ledger, is_packaged_plan

        ws = self.workspace()
        folders = [e.path for e in ws.entries if e.path is not None] if ws is not None else []
        if self._root is None:
            self._root = folders[0] if folders else find_ledger(self.data, Path.cwd(), dict(os.environ))
        if recover and not self._recovered:
            self._recovered = True
            from ..write.journal_paths import pending

            for root in folders or [self._root]:
                if not is_packaged_plan(root) and pending(root):
                    from ..write.recovery import recover_pending
                    from .app import complain  # the one place messages are written

                    for message in recover_pending(root):
                        complain(message)
        return self._root

    def found_root(self) -> Path | None:
        """The ledger --data, LEDGER_DATA or the search names; None where only the shipped plan is left."""
        from ..store.layout import search_ledger

        return search_ledger(self.data, Path.cwd(), dict(os.environ))

    def show_only(self, unit: str | None, *, lead: bool = False) -> None:
        """The command shows only ``--unit``'s measures (``list``, ``overdue``): a ledger wholly from the cache
        is made with those alone. Only for a single ledger, and before it is loaded."""
        if unit is not None and self._loaded is None:
            from ..queries.measures import unit_keep

            self._narrow = functools.partial(unit_keep, unit=unit, lead=lead)

    def ledger(self, progress: Callable[[int, int], None] | None = None) -> Ledger:
        from ..store.loader import load_ledger

        if self._loaded is None:
            root = self.root()
            ws = self.workspace()
            if ws is not None:
                from ..store.workspace import load_workspace

                result = load_workspace(ws, dict(os.environ), only=self.only)
            else:
                result = load_ledger(root, progress=progress, narrow=self._narrow)
            if result.ledger is None:
                raise LedgerInvalid(result.problems)
            self._loaded = result.ledger
        return self._loaded


_STATE = State()


def state() -> State:
    return _STATE
