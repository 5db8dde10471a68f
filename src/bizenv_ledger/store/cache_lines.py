"""A cache file's lines: read them all or only some (by where they are), rewrite them, add to them.

Layout: one header line ``{"format": …, "fingerprint": …}`` (the code and the ledger's folder),
then a line per file of the ledger: ``["indicators/03-获得电力.yaml", "STAMP", CRC, NODES]``, a tab,
and that file's record as ``cache_format`` encodes it (NODES: the file's YAML nodes as the reader
counts them, or null). The stamp is the file's size, times and inode when it was read, so after an
edit only the edited file is read again, and the other lines are copied as they are.

A cache file is a header and a line per ledger file (``cache_format``). A write changes one file
of a ledger: at 100,000 measures its line is a fourteenth of a 35 MB cache, and reading and writing
the whole cache was a third of the write. So a write adds its file's new line at the end, and the
names index beside the cache (``names_index``) says where each file's current line starts and how
long it is; a write reads the lines it needs there and nothing else.

A file's line may then appear more than once: the last one is its line (``old_entries``), and
the earlier ones carry a stamp the file no longer has, so no reader takes them. A write whose
adding would leave the cache more than half stale lines writes the whole cache instead, which
drops them (``append`` answers None, and the caller rewrites).

Every line carries its file's path, stamp and checksum: a line read where the index says is used
only when it is that file's, as the file is now; a line cut short (the process killed while adding
it) fails its checksum, and the cache is then read as none, a slower start and no more.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from .cache_files import open_private, write_private
from .cache_format import FORMAT

__all__ = [
    "Entry",
    "Where",
    "append",
    "encode",
    "entries",
    "entries_at",
    "entry_of",
    "fingerprint_of",
    "old_entries",
    "rewrite",
    "where_of",
]

Where = dict[str, list[int]]  # each file's line in the cache file: [offset, length] in bytes
_SLACK = 1 << 20  # a small cache may hold this much stale before it is rewritten


def entries(path: Path, fingerprint: str) -> Iterator[Entry]:
    """The lines of the cache file, one at a time (so a warm read never holds the whole file).

    Nothing when there is no usable cache; raises ValueError for a malformed line.
    """
    fh = open_private(path)
    if fh is None:
        return
    with fh:
        if fingerprint_of(fh.readline()) != fingerprint:
            return
        for line in fh:
            yield entry_of(line.removesuffix(b"\n"))


def old_entries(path: Path, fingerprint: str) -> dict[str, Entry]:
    """Each file's line, the last where a file has several; nothing from a damaged cache."""
    try:
        return {entry.rel: entry for entry in entries(path, fingerprint)}
    except ValueError:
        return {}


def where_of(raw: object) -> Where | None:
    """``raw`` (from the names index) if it is a map of paths to [offset, length]; else None."""
    if not isinstance(raw, dict):
        return None
    for place in raw.values():
        if not (isinstance(place, list) and len(place) == 2 and all(type(n) is int and n >= 0 for n in place)):
            return None
    return raw


def entries_at(
    path: Path, fingerprint: str, where: Where, wanted: list[str], stamps: Mapping[str, str | None]
) -> dict[str, Entry] | None:
    """The lines of the files ``wanted``, read where ``where`` says; None unless each is that file's, as it is now."""
    fh = open_private(path)
    if fh is None:
        return None
    found: dict[str, Entry] = {}
    with fh:
        if fingerprint_of(fh.readline()) != fingerprint:
            return None
        for rel in wanted:
            if rel not in where:
                return None
            offset, length = where[rel]
            fh.seek(offset)
            try:
                entry = entry_of(fh.read(length))
            except ValueError:
                return None
            if entry.rel != rel or entry.stamp != stamps.get(rel):
                return None
            found[rel] = entry
    return found


def rewrite(path: Path, fingerprint: str, lines: list[Entry]) -> Where | None:
    """Write the cache file anew with ``lines``; where each line is in it (None: it could not be written)."""
    header = encode_header(fingerprint)
    encoded = [encode_line(entry) for entry in lines]
    where: Where = {}
    offset = len(header) + 1
    for entry, line in zip(lines, encoded, strict=True):
        where[entry.rel] = [offset, len(line)]
        offset += len(line) + 1
    return where if write_private(path, b"\n".join([header, *encoded])) else None


def append(path: Path, fingerprint: str, lines: list[Entry], live: int) -> Where | None:
    """Add ``lines`` at the end of the cache file; where they are. ``live``: the bytes of the lines kept.

    None (nothing added) when there is no usable cache file, or when it would then be more than
    half stale: the caller writes it anew. The caller holds the ledger's lock, so no other write
    adds meanwhile; a read that writes the whole cache meanwhile replaces the file, and what is
    added here goes to the file it replaced (the index then points at lines that are not there,
    which a write's reading finds, and it reads the cache whole).
    """
    encoded = [encode_line(entry) for entry in lines]
    fh = open_private(path, update=True)
    if fh is None:
        return None
    try:
        with fh:
            return _added(fh, fingerprint, lines, encoded, live)
    except OSError:  # a full disk: a line cut short is a damaged cache, read as none next time
        return None


def _added(fh: BinaryIO, fingerprint: str, lines: list[Entry], encoded: list[bytes], live: int) -> Where | None:
    if fingerprint_of(fh.readline()) != fingerprint:
        return None
    size = fh.seek(0, os.SEEK_END)
    added = sum(len(line) + 1 for line in encoded)
    if size + added > 2 * (live + added) + _SLACK:
        return None
    where: Where = {}
    offset = size + 1
    for entry, line in zip(lines, encoded, strict=True):
        where[entry.rel] = [offset, len(line)]
        offset += len(line) + 1
    data = memoryview(b"".join(b"\n" + line for line in encoded))
    fd, done = fh.fileno(), 0  # written past the buffer: nothing is left to be flushed when the file closes
    try:
        while done < len(data):
            done += os.write(fd, data[done:])
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise
    return where


class Entry:
    """One file of the ledger in the cache: where it is, the stamp it had when read, its record, encoded,
    and its YAML nodes as the reader counts them (None when not known), for a write's limits."""

    __slots__ = ("body", "nodes", "rel", "stamp")

    def __init__(self, rel: str, stamp: str, body: bytes, nodes: int | None = None) -> None:
        self.rel, self.stamp, self.body, self.nodes = rel, stamp, body, nodes


def encode_header(fingerprint: str) -> bytes:
    """A cache file's first line: the format and the fingerprint of the code and folder it was written by."""
    return json.dumps({"format": FORMAT, "fingerprint": fingerprint}, ensure_ascii=True).encode()


def encode_line(entry: Entry) -> bytes:
    """One file's line in a cache file (without its newline)."""
    # the rel, the stamp and the body's checksum as a JSON list, which has no raw tab in it: the body
    # starts after the first tab. The checksum catches a line damaged on disk, which could otherwise
    # decode into a record of the wrong shape (the decoder trusts what it wrote).
    where = json.dumps([entry.rel, entry.stamp, zlib.crc32(entry.body), entry.nodes], ensure_ascii=False).encode()
    return where + b"\t" + entry.body


def encode(fingerprint: str, entries: list[Entry]) -> bytes:
    return b"\n".join([encode_header(fingerprint), *(encode_line(entry) for entry in entries)])


def fingerprint_of(raw: bytes) -> str | None:
    """The fingerprint in a cache file's header (its first line); None when it is not a cache of this format."""
    header, _, _ = raw.partition(b"\n")
    try:
        meta = json.loads(header)
    except ValueError:
        return None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return None
    found = meta.get("fingerprint")
    return found if isinstance(found, str) else None


def entry_of(line: bytes) -> Entry:
    """One file in a cache file (a line after the header), its record still encoded; ValueError if malformed."""
    where, tab, body = line.partition(b"\t")
    head = json.loads(where)
    if not tab or not (isinstance(head, list) and len(head) == 4 and all(isinstance(p, str) for p in head[:2])):
        msg = "not an entry"
        raise ValueError(msg)
    if head[2] != zlib.crc32(body):
        msg = "a damaged entry"
        raise ValueError(msg)
    nodes = head[3]
    if nodes is not None and (type(nodes) is not int or nodes < 0):
        msg = "not an entry"
        raise ValueError(msg)
    return Entry(head[0], head[1], body, nodes)
