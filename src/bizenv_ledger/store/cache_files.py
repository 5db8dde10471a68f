"""The cache's files: where they are, the stamps that say they are current, private reads and writes.

Light on purpose: a Tab (shell completion) reads the names index through here without
importing the domain model or the cache's decoder.
"""

from __future__ import annotations

import contextlib
import os
import stat
import zlib
from pathlib import Path

from .. import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which would cost a Tab 5 ms
if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = ["CACHE_VERSION", "cache_dir", "cache_file", "cache_fingerprint", "open_private", "stamp", "write_private"]

CACHE_VERSION = "3"  # 1 was a pickle, 2 one object for the whole ledger
_POSIX = hasattr(os, "getuid")


def cache_dir(env: dict[str, str]) -> Path:
    if env.get("LEDGER_CACHE_DIR"):
        return Path(env["LEDGER_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bizenv-ledger"


def cache_fingerprint(root: Path) -> str:
    """The code's version and the ledger's folder: a cache written by other code, or for another folder, is not read."""
    # The schema's own file stamps the cache too: a cache of an older domain.py must not be reused.
    schema_stamp = (Path(__file__).parents[1] / "model" / "domain.py").stat().st_mtime_ns
    return "\n".join([CACHE_VERSION, __version__, str(root.resolve()), str(schema_stamp)])


def stamp(path: Path) -> str | None:
    """A file's size and times: any edit (or replacement) of the file gives another stamp."""
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def cache_file(root: Path, env: dict[str, str]) -> Path:
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


_LINE_BUFFER = 1 << 20


def open_private(path: Path, *, update: bool = False) -> BinaryIO | None:
    """A file of the cache, if it is this user's own, private, regular file (never through a link).

    ``update``: open it to be read and added to (``cache_lines.append``), not only read.
    """
    if not _private_dir(path.parent, create=False):
        return None
    flags = (os.O_RDWR if update else os.O_RDONLY) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    # a line is a whole file's records (megabytes at 100,000 measures): read through a buffer of the
    # default 8 KB, each is put together from hundreds of reads, a third of the time of reading the cache
    fh = os.fdopen(fd, "r+b" if update else "rb", buffering=_LINE_BUFFER)
    try:
        st = os.fstat(fh.fileno())
    except OSError:
        st = None
    if st is None or not stat.S_ISREG(st.st_mode) or not _private(st):
        fh.close()
        return None  # planted, or left readable by others: never trusted
    return fh


def write_private(path: Path, data: bytes) -> bool:
    """Write a file of the cache whole (a temporary file renamed over it); whether it was written."""
    if not _private_dir(path.parent, create=True):
        return False
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:  # an unwritable cache only costs speed
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True
