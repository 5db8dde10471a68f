"""Where a ledger's files are and what a load gives back: shared by the loader and the build."""

from __future__ import annotations

from pathlib import Path

# typing.TYPE_CHECKING without importing typing: a Tab (cli/quick_tab.py) finds the ledger through this
# module, and pays for neither typing nor dataclasses (with inspect, a fifth of a Tab's time)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    from ..model.domain import County, Indicator, Ledger, Plan, UnitRegistry
    from ..model.errors import Problem
    from .cache_lines import Entry
    from .yaml_reader import Parsed

    _R = TypeVar("_R")

__all__ = [
    "PACKAGED_PLAN",
    "PLAN_FILE",
    "SHIPPED_PLAN",
    "UNITS_FILE",
    "WORKSPACE_FILE",
    "LoadResult",
    "assemble",
    "copied",
    "field_label",
    "find_ledger",
    "find_workspace",
    "is_ledger_dir",
    "is_packaged_plan",
    "ledger_files",
    "locate",
    "search_ledger",
]

PLAN_FILE = "plan.yaml"
WORKSPACE_FILE = "ledger.toml"  # a workspace: several ledgers read as one (store/workspace.py)
UNITS_FILE = "units.yaml"
_PACKAGE = Path(__file__).parents[1]
# The 2022 plan as the wheel carries it (pyproject.toml maps data/ to bizenv_ledger/plan/ at build time).
PACKAGED_PLAN = _PACKAGE / "plan"
# The last resort of find_ledger: the packaged plan, or in a source checkout (an editable install, the
# tests) the repository's data/ it is built from.
SHIPPED_PLAN = PACKAGED_PLAN if (PACKAGED_PLAN / PLAN_FILE).is_file() else _PACKAGE.parents[1] / "data"


class LoadResult:
    """A load's outcome: the ledger (None when it has problems), the problems, the parsed files.

    A plain class rather than a dataclass, for the reason above.
    """

    __slots__ = ("edited", "ledger", "lines", "nodes", "parsed", "problems", "records", "reread", "stamps")

    def __init__(
        self,
        ledger: Ledger | None,
        problems: list[Problem],
        parsed: dict[str, Parsed] | None = None,
        reread: list[str] | None = None,
        records: dict[str, object] | None = None,
        stamps: dict[str, str | None] | None = None,
        lines: dict[str, Entry] | None = None,
        edited: dict[str, tuple[str | int, ...]] | None = None,
        nodes: dict[str, int] | None = None,
    ) -> None:
        self.ledger = ledger
        self.problems = problems
        # the files parsed again with positions, to say where their problems are
        self.parsed: dict[str, Parsed] = {} if parsed is None else parsed
        # the files read from YAML by this load, in order (the rest came from the cache): what a test observes
        self.reread: list[str] = [] if reread is None else reread
        # each file's record (Plan, UnitRegistry, Indicator, County), for the cache
        self.records: dict[str, object] = {} if records is None else records
        # each file's stamp (loader.stamp) when this load began
        self.stamps: dict[str, str | None] = {} if stamps is None else stamps
        # the cache's lines as this load read them, when it decoded only some (a write's: ``focus.load_focused``),
        # so that the cache is written after the write without being read again (``loader.remember``)
        self.lines: dict[str, Entry] = {} if lines is None else lines
        # a write's files that differ from the record in ``lines`` in one list item only, and its path:
        # the cache's line is made from the old one with that item alone encoded (``cache_format.encode_edited``)
        self.edited: dict[str, tuple[str | int, ...]] = {} if edited is None else edited
        # the YAML nodes of the files this load parsed, or a write wrote (the reader's count): kept in the cache
        # beside each file's line, so that a later write finds its item without walking the rest of the file
        self.nodes: dict[str, int] = {} if nodes is None else nodes

    def __repr__(self) -> str:
        return f"LoadResult(ledger={self.ledger!r}, problems={self.problems!r}, reread={self.reread!r})"


def is_ledger_dir(path: Path) -> bool:
    return (path / PLAN_FILE).is_file() and (path / "indicators").is_dir()


def search_ledger(explicit: str | None, cwd: Path, env: dict[str, str]) -> Path | None:
    """--data, else LEDGER_DATA, else the nearest ancestor holding a ledger; None when there is none.

    A folder named by --data or LEDGER_DATA may, as in discovery, be the one holding the ledger
    as ``data/`` (the repository's root): it is the ledger only if it is not one itself.
    """
    given = explicit or env.get("LEDGER_DATA")
    if given:
        path = Path(given)
        return path / "data" if not is_ledger_dir(path) and is_ledger_dir(path / "data") else path
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


def _item_name(item: object) -> str | None:
    """What names a list item for people: its id (3.2), key (high_voltage_days) or name (市财政局)."""
    if not isinstance(item, dict):
        return None
    for key in ("id", "key", "name"):
        value = item.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return None


def field_label(parsed: Parsed | None, path: tuple[str | int, ...]) -> str:
    """``measures.1.status`` as people say it: ``3.2 的 status``.

    An item with an id, key or name is called by it (which names it within the file, so what
    led to it is dropped); any other item is counted from 1 (``readings 第 3 项``).
    """
    parts: list[str] = []
    node: object = parsed.data if parsed is not None else None
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            name = _item_name(item)
            if name is not None and (not name.isprintable() or len(name) > 40):
                name = None  # a name that is itself the fault (a newline, an escape) is no way to point at it
            if name is not None:
                # a name given twice (the very mistake reported, often) is told apart by its place
                twice = isinstance(node, list) and sum(_item_name(other) == name for other in node) > 1
                parts = [f"{name}（第 {part + 1} 项）" if twice else name]
            else:
                parts[-1:] = [f"{parts[-1] if parts else ''} 第 {part + 1} 项".strip()]
            node = item
        else:
            parts.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return " 的 ".join(parts)


def assemble(
    plan: Plan, registry: UnitRegistry, indicators: list[tuple[str, Indicator]], counties: list[tuple[str, County]]
) -> Ledger:
    """The ledger of its files' records: indicators in number order, and which file holds each measure."""
    from ..model.domain import Ledger

    measure_files: dict[str, str] = {}
    indicator_files: dict[int, str] = {}
    for rel, ind in indicators:
        indicator_files.setdefault(ind.number, rel)
        for m in ind.measures:
            measure_files.setdefault(m.id, rel)
    for rel, county in counties:
        for cind in county.indicators:
            for m in cind.measures:
                measure_files.setdefault(m.id, rel)
    ordered = sorted((ind for _, ind in indicators), key=lambda i: i.number)
    return Ledger(
        plan=plan,
        indicators=ordered,
        counties=[c for _, c in counties],
        registry=registry,
        measure_files=measure_files,
        indicator_files=indicator_files,
    )


def copied(record: _R, **fields: object) -> _R:
    """A copy of ``record`` with ``fields`` set: a record is never changed in place (``focus``, ``check``)."""
    import copy

    made = copy.copy(record)
    for name, value in fields.items():
        object.__setattr__(made, name, value)
    return made


def find_workspace(cwd: Path) -> Path | None:
    """The nearest ledger.toml at or above ``cwd``; None when a ledger folder is nearer (it is then that ledger).

    At the same level the workspace wins: a city's repository holds its ledger in data/ beside ledger.toml.
    """
    for directory in (cwd, *cwd.parents):
        if (directory / WORKSPACE_FILE).is_file():
            return directory / WORKSPACE_FILE
        if is_ledger_dir(directory) or is_ledger_dir(directory / "data"):
            return None
    return None
