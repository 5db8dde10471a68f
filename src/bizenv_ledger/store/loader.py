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
import stat
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

from .. import __version__
from ..model.domain import Ledger
from ..model.errors import Problem
from .layout import LoadResult, ledger_files

__all__ = ["cache_dir", "load_ledger", "read_cache", "write_cache"]

CACHE_VERSION = "2"  # 1 was a pickle
_POSIX = hasattr(os, "getuid")


def cache_dir(env: dict[str, str]) -> Path:
    if env.get("LEDGER_CACHE_DIR"):
        return Path(env["LEDGER_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bizenv-ledger"


def _code_stamp() -> list[str]:
    # The schema's own file stamps the cache too: a cache of an older domain.py must not be reused.
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
    return cache_dir(env) / f"{key}.json"


def _private(st: os.stat_result) -> bool:
    """Owned by this user, and neither group nor others may read or write it."""
    return not _POSIX or (st.st_uid == os.getuid() and not st.st_mode & 0o077)


def _private_dir(folder: Path, *, create: bool) -> bool:
    """Whether ``folder`` is this user's own private directory; an own one left open is closed (0700)."""
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
        if not stat.S_ISDIR(st.st_mode) or (_POSIX and st.st_uid != os.getuid()):
            return False
        if _POSIX and st.st_mode & 0o077:
            folder.chmod(0o700)  # e.g. made 0755 by an older version or by hand
        return True
    except OSError:
        return False


def _read_cache(path: Path, fingerprint: str) -> Ledger | None:
    from . import cache_format

    if not _private_dir(path.parent, create=False):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or not _private(st):
                return None  # planted, or left readable by others: never trusted
            raw = fh.read()
        if cache_format.fingerprint_of(raw) != fingerprint:
            return None
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of new objects, none of them garbage: the collector only costs time
        try:
            return cache_format.decode(raw)
        finally:
            if collecting:
                gc.enable()
    except Exception:  # a stale, truncated or corrupt cache is only a slower start
        return None


def _write_cache(path: Path, fingerprint: str, ledger: Ledger) -> None:
    from . import cache_format

    if not _private_dir(path.parent, create=True):
        return
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        data = cache_format.encode(ledger, fingerprint)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):  # an unwritable cache only costs speed
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def read_cache(key: str, env: dict[str, str]) -> Ledger | None:
    """A ledger cached under a content key (a git tree id): what a ref's unchanged tree loads from.

    The content alone decides: two refs with the same tree share one entry.
    """
    return _read_cache(cache_dir(env) / f"{key}.json", "\n".join([*_code_stamp(), key]))


def write_cache(key: str, env: dict[str, str], ledger: Ledger) -> None:
    _write_cache(cache_dir(env) / f"{key}.json", "\n".join([*_code_stamp(), key]), ledger)


def load_ledger(
    root: Path,
    env: dict[str, str] | None = None,
    *,
    use_cache: bool = True,
    overrides: Mapping[str, bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """Load and validate the ledger at ``root``. Never raises for bad data: problems are returned.

    ``overrides`` (root-relative path -> bytes) validates the ledger as it would be with those
    files' contents, without writing them: the write side checks an edit this way first.
    ``progress(done, total)`` hears of the files read on a cache miss.
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
    result = _load_from_files(root, rels, progress=progress)
    if result.ledger is not None and not result.problems and use_cache:
        _write_cache(cache_path, fingerprint, result.ledger)
    return result


def _load_from_files(
    root: Path,
    rels: list[str],
    overrides: Mapping[str, bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    from .build import build_ledger

    return build_ledger(root, rels, overrides, progress)
