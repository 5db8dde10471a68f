"""A ledger read straight from git objects: a remote-tracking branch such as ``linze/main``, no checkout.

A county pushes its ledger to its own repository; the city fetches it and reads
``linze/main`` here. Per repository, one ``git cat-file --batch-check`` names the
tree of every ref asked for (the cache key: a fetched ref whose tree did not change
costs no more). On a cache miss, ``git ls-tree`` lists the ref's ledger files and
one ``git cat-file --batch`` per ref reads them all; the bytes go to the ordinary
build (``build_ledger``'s ``overrides``), so a ref is validated exactly as a folder
is, and nothing is written to the work tree.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..model.errors import Problem
from .layout import PLAN_FILE, UNITS_FILE, LoadResult

__all__ = ["RefSpec", "load_refs", "objects", "tree_ids"]

# read-only plumbing; fsmonitor off as everywhere the tool runs git (see write/git.py)
_GIT = ("git", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false")
_ENV_EXTRA = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


@dataclass(frozen=True, slots=True)
class RefSpec:
    """A ledger in a git repository: the ref and the ledger's folder inside its tree ("" for the root)."""

    repo: Path
    ref: str
    folder: str = ""

    @property
    def spec(self) -> str:
        return f"{self.ref}:{self.folder}" if self.folder else f"{self.ref}:"

    @property
    def shown(self) -> str:
        return f"{self.ref}:{self.folder}" if self.folder else self.ref


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **_ENV_EXTRA}
    return subprocess.run(
        [*_GIT, "-C", str(repo), *args], input=stdin, capture_output=True, env=env, check=False, timeout=300
    )


def objects(repo: Path, names: list[str]) -> list[tuple[str, str] | None]:
    """(object id, type) of each ``REF:PATH`` (None where missing), through one ``git cat-file --batch-check``."""
    asked = b"".join(n.encode("utf-8") + b"\n" for n in names)
    proc = _git(repo, "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin=asked)
    lines = proc.stdout.decode("utf-8", "replace").splitlines() if proc.returncode == 0 else []
    out: list[tuple[str, str] | None] = []
    for i in range(len(names)):
        parts = lines[i].split() if i < len(lines) else []
        out.append((parts[0], parts[1]) if len(parts) == 2 and parts[1] != "missing" else None)
    return out


def tree_ids(repo: Path, specs: list[RefSpec]) -> list[str | None]:
    """The tree of each ref's ledger folder (None where the ref or folder is missing): one process."""
    return [o[0] if o is not None and o[1] == "tree" else None for o in objects(repo, [s.spec for s in specs])]


def _wanted(rel: str) -> bool:
    if rel in (PLAN_FILE, UNITS_FILE):
        return True
    p = PurePosixPath(rel)
    return len(p.parts) == 2 and p.parts[0] in ("indicators", "counties") and p.suffix in (".yaml", ".yml")


def _list_files(spec: RefSpec, tree: str) -> list[tuple[str, str]]:
    """(ledger-relative path, blob id) of the ledger's files in the tree, in the order a folder lists them."""
    proc = _git(spec.repo, "ls-tree", "-r", "-z", tree)
    found: list[tuple[str, str]] = []
    for record in proc.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == b"blob":
            rel = name.decode("utf-8", "replace")
            if _wanted(rel):
                found.append((rel, parts[2].decode()))
    head = [r for r in found if r[0] in (PLAN_FILE, UNITS_FILE)]
    return sorted(head, key=lambda r: r[0] != PLAN_FILE) + sorted(r for r in found if r not in head)


def _read_blobs(repo: Path, blobs: list[str]) -> list[bytes]:
    """Every blob's bytes through one ``git cat-file --batch``."""
    proc = _git(repo, "cat-file", "--batch", stdin=b"".join(b.encode() + b"\n" for b in blobs))
    data, pos, out = proc.stdout, 0, []
    for _ in blobs:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        size = int(header[2]) if len(header) == 3 else 0
        out.append(data[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1
    return out


def _load_one(spec: RefSpec, tree: str) -> LoadResult:
    from .build import build_ledger

    files = _list_files(spec, tree)
    blobs = _read_blobs(spec.repo, [blob for _, blob in files]) if files else []
    contents = {rel: data for (rel, _), data in zip(files, blobs, strict=True)}
    rels = [rel for rel, _ in files]
    for must in (UNITS_FILE, PLAN_FILE):
        if must not in contents:  # reported as missing: the root below is no folder to read it from
            rels.insert(0, must)
    return build_ledger(Path(spec.shown), rels, contents)


def load_refs(specs: list[RefSpec], env: dict[str, str], *, use_cache: bool = True) -> list[LoadResult]:
    """Each ref's ledger, validated; problems name ``REF:DIR/FILE``. Cached by tree id, like a folder by stamps."""
    by_repo: dict[Path, list[int]] = {}
    for i, s in enumerate(specs):
        by_repo.setdefault(s.repo, []).append(i)
    results: dict[int, LoadResult] = {}
    for repo, positions in by_repo.items():
        for i, tree in zip(positions, tree_ids(repo, [specs[i] for i in positions]), strict=True):
            results[i] = _load_tree(specs[i], tree, env, use_cache)
    return [results[i] for i in range(len(specs))]


def _why_missing(spec: RefSpec) -> tuple[str, str]:
    """Why a ref's ledger folder is not there: no such folder, not a repository, no such ref, or no such folder in it."""
    if not spec.repo.is_dir():
        return f"工作区中的 repo 文件夹 {spec.repo} 不存在", "核对 ledger.toml 中的 repo"
    if _git(spec.repo, "rev-parse", "--git-dir").returncode != 0:
        return f"{spec.repo} 不是 git 仓库", "核对 ledger.toml 中的 repo，或先在那里 git clone"
    # a ref read as an option ("-…") is no ref: never handed to git's command line
    if spec.ref.startswith("-") or _git(spec.repo, "rev-parse", "--verify", "--quiet", f"{spec.ref}^{{commit}}").returncode != 0:  # fmt: skip
        return f"在 git 仓库 {spec.repo} 中找不到引用“{spec.ref}”", "先 git fetch，再核对 ref"
    return f"引用“{spec.ref}”中没有目录“{spec.folder}”", "核对 ledger.toml 中的 dir"


def _load_tree(spec: RefSpec, tree: str | None, env: dict[str, str], use_cache: bool) -> LoadResult:
    from .loader import read_cache, write_cache

    if tree is None:
        msg, hint = _why_missing(spec)
        return LoadResult(None, [Problem(spec.shown, 1, 1, msg, hint=hint)])
    key = f"tree-{tree}"
    if use_cache and (cached := read_cache(key, env)) is not None:
        return LoadResult(cached, [])
    result = _load_one(spec, tree)
    if use_cache and result.ledger is not None:
        write_cache(key, env, result)
    return result
