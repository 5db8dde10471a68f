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
    "PLAN_FILE",
    "SHIPPED_PLAN",
    "UNITS_FILE",
    "LoadResult",
    "find_ledger",
    "is_ledger_dir",
    "ledger_files",
    "locate",
]

PLAN_FILE = "plan.yaml"
UNITS_FILE = "units.yaml"
# The 2022 plan shipped inside the package: the last resort of find_ledger, never written to.
SHIPPED_PLAN = Path(__file__).parents[1] / "plan"


@dataclass(slots=True)
class LoadResult:
    """A load's outcome: the ledger (None when it has problems), the problems, the parsed files."""

    ledger: Ledger | None
    problems: list[Problem]
    parsed: dict[str, Parsed] = field(default_factory=dict)


def is_ledger_dir(path: Path) -> bool:
    return (path / PLAN_FILE).is_file() and (path / "indicators").is_dir()


def find_ledger(explicit: str | None, cwd: Path, env: dict[str, str]) -> Path:
    """--data, else LEDGER_DATA, else the nearest ancestor holding a ledger, else the shipped plan."""
    if explicit:
        return Path(explicit)
    if env.get("LEDGER_DATA"):
        return Path(env["LEDGER_DATA"])
    for directory in (cwd, *cwd.parents):
        for candidate in (directory, directory / "data"):
            if is_ledger_dir(candidate):
                return candidate
    return SHIPPED_PLAN


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
