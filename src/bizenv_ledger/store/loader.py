"""Reading a ledger directory: find it, parse every file, validate, and cache the result.

The pipeline is beancount's: parse → schema → cross-file checks, with every
problem collected as a located value. A validated ledger is cached (keyed on
each file's size and times), so the everyday read commands skip YAML and
pydantic entirely.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Mapping
from pathlib import Path

from .. import __version__
from ..model.domain import Ledger
from ..model.errors import Problem
from .layout import LoadResult, ledger_files

__all__ = ["cache_dir", "load_ledger", "read_cache", "write_cache"]

CACHE_VERSION = "1"


def cache_dir(env: dict[str, str]) -> Path:
    if env.get("LEDGER_CACHE_DIR"):
        return Path(env["LEDGER_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bizenv-ledger"


def _code_stamp() -> list[str]:
    # The schema's own file stamps the cache too: pickles of an older domain.py must not be reused.
    schema_stamp = (Path(__file__).parents[1] / "model" / "domain.py").stat().st_mtime_ns
    return [CACHE_VERSION, __version__, str(schema_stamp)]


def _fingerprint(root: Path, rels: list[str]) -> str:
    """Every file's size and times, and the code's own version: any edit makes a new fingerprint."""
    parts = [*_code_stamp(), str(root.resolve())]
    for rel in rels:
        try:
            st = (root / rel).stat()
        except OSError:
            continue
        parts.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}")
    return "\n".join(parts)


def _cache_file(root: Path, env: dict[str, str]) -> Path:
    key = f"{zlib.crc32(str(root.resolve()).encode()):08x}"
    return cache_dir(env) / f"{key}.pickle"


def _read_cache(path: Path, fingerprint: str) -> Ledger | None:
    try:
        with path.open("rb") as fh:
            stored_fp, ledger = pickle.load(fh)
        if not isinstance(ledger, Ledger):
            return None
    except Exception:  # a missing, stale or corrupt cache is only a slower start
        return None
    return ledger if stored_fp == fingerprint else None


def _write_cache(path: Path, fingerprint: str, ledger: Ledger) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump((fingerprint, ledger), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # an unwritable cache only costs speed


def read_cache(key: str, env: dict[str, str]) -> Ledger | None:
    """A ledger cached under a content key (a git tree id): what a ref's unchanged tree loads from.

    The content alone decides: two refs with the same tree share one entry.
    """
    return _read_cache(cache_dir(env) / f"{key}.pickle", "\n".join([*_code_stamp(), key]))


def write_cache(key: str, env: dict[str, str], ledger: Ledger) -> None:
    _write_cache(cache_dir(env) / f"{key}.pickle", "\n".join([*_code_stamp(), key]), ledger)


def load_ledger(
    root: Path,
    env: dict[str, str] | None = None,
    *,
    use_cache: bool = True,
    overrides: Mapping[str, bytes] | None = None,
) -> LoadResult:
    """Load and validate the ledger at ``root``. Never raises for bad data: problems are returned.

    ``overrides`` (root-relative path -> bytes) validates the ledger as it would be with those
    files' contents, without writing them: the write side checks an edit this way first.
    """
    env = dict(os.environ) if env is None else env
    if not root.is_dir():
        what = "不是目录，而是一个文件" if root.exists() else "台账目录不存在"
        return LoadResult(None, [Problem(str(root), 1, 1, what, hint="用 --data 指定台账目录")])
    rels = ledger_files(root)
    if overrides:
        return _load_from_files(root, rels, overrides)
    fingerprint = _fingerprint(root, rels)
    cache_path = _cache_file(root, env)
    if use_cache and (cached := _read_cache(cache_path, fingerprint)) is not None:
        return LoadResult(cached, [])
    result = _load_from_files(root, rels)
    if result.ledger is not None and not result.problems and use_cache:
        _write_cache(cache_path, fingerprint, result.ledger)
    return result


def _load_from_files(root: Path, rels: list[str], overrides: Mapping[str, bytes] | None = None) -> LoadResult:
    from .build import build_ledger

    return build_ledger(root, rels, overrides)
