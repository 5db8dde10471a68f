"""Reading a ledger directory: find it, parse every file, validate, and cache the result.

The pipeline is beancount's: parse → schema → cross-file checks, with every
problem collected as a located value. A validated ledger is cached (keyed on
each file's size and times), so the everyday read commands skip YAML and
pydantic entirely.

The cache is JSON (``cache_format``), which cannot run code when read, kept in a
directory only its owner may enter (0700) in files only its owner may read (0600).
A cache directory or file that belongs to someone else, or that others may write,
is neither read nor written: a file planted there is ignored, and the cost is a
slower start. (On Windows, where there are no POSIX owners and modes, the format
alone is the safeguard.)
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__, store
from ..model.domain import County, Indicator, Ledger, Plan, UnitRegistry
from ..model.errors import Problem
from .cache_files import CACHE_VERSION, cache_dir, cache_file, cache_fingerprint, open_private, stamp, write_private
from .cache_lines import Entry, Where, append, encode, entries, old_entries, rewrite, where_of
from .layout import PLAN_FILE, UNITS_FILE, LoadResult, assemble, ledger_files

Narrow = Callable[[UnitRegistry], Callable[[list[str]], bool] | None]  # see load_ledger

if TYPE_CHECKING:
    from .check import Checked

__all__ = [
    "cache_dir",
    "check_ledger",
    "collector_paused",
    "load_ledger",
    "read_cache",
    "remember",
    "remember_names",
    "stamp",
    "write_cache",
]


_KINDS: dict[str, type[Any]] = {PLAN_FILE: Plan, UNITS_FILE: UnitRegistry}


def _kind(rel: str) -> type[Any]:
    return _KINDS.get(rel) or (County if rel.startswith("counties/") else Indicator)


def _current(
    path: Path, fingerprint: str, stamps: Mapping[str, str | None], narrow: Narrow | None = None
) -> tuple[dict[str, object], int]:
    """The records of the files the cache holds as they are now, and how many files it holds lines of.

    Nothing from a cache that is not of this code and folder, or that any line of is not what its
    file must hold (a tampered, stale or corrupt cache is only a slower start). ``narrow``: see
    ``load_ledger``; it is asked once units.yaml is read (the line before the indicators').
    """
    from . import cache_format

    memo: dict[str, str] = {}  # the unit names and deadlines that recur across files, read once
    records: dict[str, object] = {}
    held: set[str] = set()
    keep: cache_format.Keep | None = None
    try:
        for entry in entries(path, fingerprint):
            held.add(entry.rel)  # a file's later line (a write's) supersedes its earlier ones
            if entry.stamp == stamps.get(entry.rel):
                record = cache_format.decode_entry(entry.body, _kind(entry.rel), memo, keep)
                records[entry.rel] = record
                if narrow is not None and entry.rel == UNITS_FILE and isinstance(record, UnitRegistry):
                    keep = narrow(record)
    except Exception:
        return {}, 0
    return records, len(held)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Tens of thousands of new objects, none of them garbage: the collector would only cost time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if store.freeze_after_load:  # see store/__init__.py
            gc.freeze()
        if collecting:
            gc.enable()


def collector_paused() -> contextlib.AbstractContextManager[None]:
    """The collector off meanwhile (and the objects made frozen, in the program; see store/__init__.py)."""
    return _collector_paused()


def _content_fingerprint(key: str) -> str:
    """The code's version and a content key: a ref's tree is the same ledger wherever it was fetched."""
    schema_stamp = (Path(__file__).parents[1] / "model" / "domain.py").stat().st_mtime_ns
    return "\n".join([CACHE_VERSION, __version__, key, str(schema_stamp)])


def read_cache(key: str, env: dict[str, str]) -> Ledger | None:
    """A ledger cached under a content key (a git tree id): what a ref's unchanged tree loads from.

    The content alone decides: two refs with the same tree share one entry.
    """
    from . import cache_format

    memo: dict[str, str] = {}
    records: dict[str, object] = {}
    with _collector_paused():
        try:
            for entry in entries(cache_dir(env) / f"{key}.json", _content_fingerprint(key)):
                records[entry.rel] = cache_format.decode_entry(entry.body, _kind(entry.rel), memo)
        except Exception:  # a stale, truncated or corrupt cache is only a slower start
            return None
        if PLAN_FILE not in records or UNITS_FILE not in records:
            return None
        return _assembled(list(records), records)


def write_cache(key: str, env: dict[str, str], result: LoadResult) -> None:
    """Cache a validated ledger read from git objects under its content key, a line per file."""
    from . import cache_format

    try:
        lines = [Entry(rel, key, cache_format.encode_entry(record)) for rel, record in result.records.items()]
    except (TypeError, ValueError):
        return
    write_private(cache_dir(env) / f"{key}.json", encode(_content_fingerprint(key), lines))


def load_ledger(
    root: Path,
    env: dict[str, str] | None = None,
    *,
    use_cache: bool = True,
    overrides: Mapping[str, bytes] | None = None,
    base: LoadResult | None = None,
    progress: Callable[[int, int], None] | None = None,
    narrow: Narrow | None = None,
) -> LoadResult:
    """Load and validate the ledger at ``root``. Never raises for bad data: problems are returned.

    Each file the cache holds as it is now (same stamp) comes from the cache; the others are read,
    and the checks they can affect run again (``build.build_ledger``). ``use_cache=False`` reads every
    file. ``overrides`` (root-relative path -> bytes) validates the ledger as it would be with those
    files' contents, without writing them: the write side checks an edit this way first, with the
    load it planned on as ``base``: each file still as it was then is taken from there, not the cache.
    ``progress(done, total)`` hears of the files read.

    ``narrow(registry)``: which measures a read will show (``queries.measures.unit_keep``), or None
    for all. When every file comes from the cache, only those measures are made, and the ledger is
    for showing them: the result then keeps no records, so nothing is cached or checked from it.
    Otherwise (a file to read again) the ledger is loaded whole, as without it.
    """
    env = dict(os.environ) if env is None else env
    if (absent := _not_a_folder(root)) is not None:
        return LoadResult(None, [absent])
    rels = ledger_files(root)
    stamps = {rel: stamp(root / rel) for rel in rels}  # before any file is read: an edit after it is seen next time
    fingerprint, cache_path = cache_fingerprint(root), cache_file(root, env)
    with _collector_paused():
        if base is not None:
            records = {
                rel: r for rel, r in base.records.items() if (st := stamps.get(rel)) and st == base.stamps.get(rel)
            }
            held = len(base.records)
        elif use_cache and narrow is not None and not overrides:
            records, held = _current(cache_path, fingerprint, stamps, narrow)
            if len(records) == len(rels) == held:
                return LoadResult(_assembled(rels, records), [], stamps=stamps)
            records, held = _current(cache_path, fingerprint, stamps)  # never build on a narrowed record
        else:
            records, held = _current(cache_path, fingerprint, stamps) if use_cache else ({}, 0)
        for rel in overrides or {}:
            records.pop(rel, None)
        if len(records) == len(rels) == held:
            return LoadResult(_assembled(rels, records), [], records=records, stamps=stamps)
        from .build import build_ledger

        result = build_ledger(root, rels, overrides, records, progress)
    result.stamps = stamps
    if result.ledger is not None and not result.problems and use_cache and not overrides:
        remember(root, result, env)
    return result


def _not_a_folder(root: Path) -> Problem | None:
    if root.is_dir():
        return None
    what = "不是目录，而是一个文件" if root.exists() else "台账目录不存在"
    return Problem(str(root), 1, 1, what, hint="用 --data 指定台账目录")


def check_ledger(root: Path, progress: Callable[[int, int], None] | None = None) -> Checked:
    """``ledger check`` of the ledger at ``root``: every file read, the problems a load without the cache
    finds (the same, in the same order), the ledger never held whole (``store/check.py``)."""
    from .check import Checked, check_files

    if (absent := _not_a_folder(root)) is not None:
        return Checked([absent])
    with _collector_paused():
        return check_files(root, progress)


def _assembled(rels: list[str], records: Mapping[str, object]) -> Ledger:
    plan, registry = records[PLAN_FILE], records[UNITS_FILE]
    assert isinstance(plan, Plan) and isinstance(registry, UnitRegistry)
    indicators = [(rel, r) for rel in rels if isinstance(r := records[rel], Indicator)]
    counties = [(rel, r) for rel in rels if isinstance(r := records[rel], County)]
    return assemble(plan, registry, indicators, counties)


def remember(
    root: Path, result: LoadResult, env: dict[str, str] | None = None, *, written: Mapping[str, bytes] | None = None
) -> None:
    """Cache a validated ledger's records, each under the stamp its file had when it was read.

    A write calls this with the files it wrote (``written``, validated as overrides), so that the
    next command reads nothing from YAML: a written file is cached only while it holds exactly what
    was validated, and every other file only while its stamp is still the one it was read with.
    Entries already in the cache are copied, not encoded again (those the load read, when it kept them).
    """
    env = dict(os.environ) if env is None else env
    fingerprint, cache_path = cache_fingerprint(root), cache_file(root, env)
    old = result.lines
    # A write's load that read the cache whole (the index's places failed it) writes it whole, which
    # mends the index; one that read only the lines it decoded adds the new ones.
    if not old.keys() >= result.stamps.keys():
        if written and _appended(root, result, env, written):
            return
        old = {**old_entries(cache_path, fingerprint), **old}
    lines: list[Entry] = []
    for rel in [*result.records, *(rel for rel in result.stamps if rel not in result.records)]:
        if rel not in result.records:  # a write's load decoded only the files it touched: the rest stay as cached
            entry = old.get(rel)
            if entry is None or entry.stamp != result.stamps[rel] or stamp(root / rel) != entry.stamp:
                return
            lines.append(entry)
            continue
        record = result.records[rel]
        now = _written_stamp(root / rel, written[rel]) if written and rel in written else result.stamps.get(rel)
        if now is None or (written is not None and rel not in written and stamp(root / rel) != now):
            return  # changed meanwhile: the next command reads it
        if rel not in result.reread and (entry := old.get(rel)) is not None and entry.stamp == now:
            lines.append(entry)  # the very line this record was decoded from
            continue
        try:
            body = _encoded(record, result.lines.get(rel), result.edited.get(rel))
            lines.append(Entry(rel, now, body, result.nodes.get(rel)))
        except (TypeError, ValueError):
            return
    where = rewrite(cache_path, fingerprint, lines)
    remember_names(root, result, env, {line.rel: line.stamp for line in lines}, where)


def _appended(root: Path, result: LoadResult, env: dict[str, str], written: Mapping[str, bytes]) -> bool:
    """A write's files added to the cache as new lines, and the index told where; False: write the cache whole.

    Only when the index says the cache holds every other file's line as the file is now (its
    stamps are the lines'), and where: the write then neither reads nor writes the other lines.
    """
    index = _raw_index(root, env)
    where = where_of(index.get("at")) if index is not None else None
    kept = index.get("stamps") if index is not None else None
    if where is None or not isinstance(kept, dict) or where.keys() != result.stamps.keys():
        return False
    if any(rel not in written and (now is None or kept.get(rel) != now) for rel, now in result.stamps.items()):
        return False
    lines: list[Entry] = []
    for rel, data in written.items():
        now = _written_stamp(root / rel, data)
        if now is None or rel not in result.records:
            return False
        try:
            body = _encoded(result.records[rel], result.lines.get(rel), result.edited.get(rel))
        except (TypeError, ValueError):
            return False
        lines.append(Entry(rel, now, body, result.nodes.get(rel)))
    live = sum(length for rel, (_, length) in where.items() if rel not in written)
    added = append(cache_file(root, env), cache_fingerprint(root), lines, live)
    if added is None:
        return False
    stamps = {**result.stamps, **{line.rel: line.stamp for line in lines}}
    remember_names(root, result, env, stamps, {**where, **added}, index)
    return True


def _encoded(record: object, old: Entry | None, edited: tuple[str | int, ...] | None) -> bytes:
    """The record's cache line: made from the line it was decoded from where a write changed one item of it."""
    from . import cache_format

    if old is not None and edited is not None:
        spliced = cache_format.encode_edited(old.body, record, edited)
        if spliced is not None:
            return spliced
    return cache_format.encode_entry(record)


def remember_names(
    root: Path,
    result: LoadResult,
    env: dict[str, str] | None = None,
    stamps: Mapping[str, str | None] | None = None,
    where: Where | None = None,
    index: dict[str, Any] | None = None,
) -> None:
    """Write the completion index of a loaded ledger (with the cache; or after completion found none).

    A write's load holds the records of the files it touched only: the other files' parts of the
    index are kept from the index as it was, each while its file's stamp is unchanged. ``where``:
    each file's line in the cache just written (a write's load reads its lines there). ``index``: the
    index as it was, when the caller has just read it.
    """
    from .names_index import index_file, index_of, merged

    if result.ledger is None:
        return
    env = dict(os.environ) if env is None else env
    stamps = result.stamps if stamps is None else stamps
    complete = stamps.keys() <= result.records.keys()
    sections = merged(None if complete else index or _raw_index(root, env), result.records, stamps)
    if sections is not None:
        data = index_of(result.ledger.plan, result.ledger.registry, sections, cache_fingerprint(root), stamps, where)
        write_private(index_file(cache_file(root, env)), data)


def _raw_index(root: Path, env: dict[str, str]) -> dict[str, Any] | None:
    """The index beside the cache as it is, whatever its stamps (``names_index.merged`` compares them)."""
    import json

    from .names_index import FORMAT, index_file

    fh = open_private(index_file(cache_file(root, env)))
    if fh is None:
        return None
    with fh:
        try:
            index = json.loads(fh.read())
        except ValueError:
            return None
    good = (
        isinstance(index, dict)
        and index.get("format") == FORMAT
        and index.get("fingerprint") == cache_fingerprint(root)
    )
    return index if good else None


def _written_stamp(path: Path, data: bytes) -> str | None:
    """The stamp of a file that holds exactly ``data`` (read between two equal stamps); else None."""
    before = stamp(path)
    try:
        same = path.read_bytes() == data
    except OSError:
        return None
    return before if same and stamp(path) == before else None
