"""Where a ledger's files are and what a load gives back: shared by the loader and the build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.domain import Ledger
from ..model.errors import Problem

if TYPE_CHECKING:
    from .yaml_reader import Parsed

__all__ = [
    "PACKAGED_PLAN",
    "PLAN_FILE",
    "SHIPPED_PLAN",
    "UNITS_FILE",
    "LoadResult",
    "find_ledger",
    "is_ledger_dir",
    "is_packaged_plan",
    "ledger_files",
    "locate",
    "search_ledger",
]

PLAN_FILE = "plan.yaml"
UNITS_FILE = "units.yaml"
_PACKAGE = Path(__file__).parents[1]
# The 2022 plan as the wheel carries it (pyproject.toml maps data/ to bizenv_ledger/plan/ at build time).
PACKAGED_PLAN = _PACKAGE / "plan"
# The last resort of find_ledger: the packaged plan, or in a source checkout (an editable install, the
# tests) the repository's data/ it is built from.
SHIPPED_PLAN = PACKAGED_PLAN if (PACKAGED_PLAN / PLAN_FILE).is_file() else _PACKAGE.parents[1] / "data"


@dataclass(slots=True)
class LoadResult:
    ledger: Ledger | None
    problems: list[Problem]
    parsed: dict[str, Parsed] = field(default_factory=dict)


def is_ledger_dir(path: Path) -> bool:
    return (path / PLAN_FILE).is_file() and (path / "indicators").is_dir()


def search_ledger(explicit: str | None, cwd: Path, env: dict[str, str]) -> Path | None:
    """--data, else LEDGER_DATA, else the nearest ancestor holding a ledger; None when there is none."""
    if explicit:
        return Path(explicit)
    if env.get("LEDGER_DATA"):
        return Path(env["LEDGER_DATA"])
    for directory in (cwd, *cwd.parents):
        for candidate in (directory, directory / "data"):
            if is_ledger_dir(candidate):
                return candidate
    return None


def find_ledger(explicit: str | None, cwd: Path, env: dict[str, str]) -> Path:
    """The ledger search_ledger finds, else the shipped plan."""
    return search_ledger(explicit, cwd, env) or SHIPPED_PLAN


def is_packaged_plan(root: Path) -> bool:
    """Whether ``root`` is the plan inside the installed package (which no command may write to)."""
    try:
        return PACKAGED_PLAN.is_dir() and root.resolve() == PACKAGED_PLAN.resolve()
    except OSError:
        return False


def ledger_files(root: Path) -> list[str]:
    """Every file of the ledger, relative to its root, in a stable order."""
    rels = [PLAN_FILE, UNITS_FILE]
    for sub in ("indicators", "counties"):
        folder = root / sub
        if folder.is_dir():
            rels += sorted(f"{sub}/{p.name}" for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    return rels


def locate(parsed: Parsed | None, path: tuple[str | int, ...]) -> tuple[int, int]:
    """The position of the deepest known part of ``path``."""
    if parsed is None:
        return (1, 1)
    for end in range(len(path), 0, -1):
        pos = parsed.positions.get(path[:end])
        if pos is not None:
            return pos
    return (1, 1)
