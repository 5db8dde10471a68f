"""A workspace: several ledgers read as one (a city's plan, last year's plan, its counties' ledgers).

It is named by ``--data`` given more than once, or by a ``ledger.toml`` at the
workspace's root (found upward from the current folder, like a ledger)::

    [[ledgers]]
    name = "张掖市"            # the first ledger keeps its ids (3.1); the others read 临泽县:3.1
    path = "data"             # a folder, relative to this file

    [[ledgers]]
    name = "临泽县"
    ref = "linze/main"        # a git ref (a fetched remote-tracking branch): read-only
    dir = "data"              # the ledger's folder inside the ref's tree (default: the root, else data/)
    repo = "."                # the repository holding the ref (default: this file's folder)
    label = "临泽县台账"        # what the roll-up shows (default: the name)

TOML, not YAML, because it is read by the standard library (``tomllib``) and a name
such as ``2021`` stays text. Without a workspace nothing here is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.domain import Ledger, Member
from ..model.errors import Problem, ProblemsFound, UsageError
from .layout import PLAN_FILE, WORKSPACE_FILE, LoadResult, find_workspace

__all__ = [
    "WORKSPACE_FILE",
    "Entry",
    "Workspace",
    "find_workspace",
    "from_data",
    "load_workspace",
    "read_workspace",
    "ref_specs",
]

_KEYS = {"name", "label", "path", "ref", "dir", "repo"}


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    label: str
    path: Path | None = None  # a folder in the work tree (writable)
    ref: str | None = None  # or a git ref (read-only)
    repo: Path | None = None
    folder: str | None = None  # the ledger's folder inside the ref's tree; None: the root, else data/
    written: str | None = None  # the path as ledger.toml writes it (relative to that file), for showing

    @property
    def source(self) -> str:
        """Where it comes from, as the user wrote it: the folder as in ledger.toml or --data, or REF:DIR."""
        if self.ref is None:
            return self.written if self.written is not None else str(self.path)
        return f"{self.ref}:{self.folder}" if self.folder else self.ref


@dataclass(frozen=True, slots=True)
class Workspace:
    file: Path | None  # None: several --data
    entries: list[Entry]

    def entry(self, name: str) -> Entry | None:
        return next((e for e in self.entries if e.name == name), None)


def _name_of(folder: Path) -> str:
    """A folder's ledger name: its own name, or its parent's for the usual ``data/``."""
    resolved = folder.resolve()
    return resolved.parent.name if resolved.name == "data" and resolved.parent.name else resolved.name


def from_data(args: list[str]) -> Workspace:
    """``--data A --data NAME=B``: each a folder, named by NAME= or by the folder."""
    entries = []
    for arg in args:
        name, sep, path = arg.partition("=")
        if sep and not path.strip():
            raise UsageError(f"--data {arg}：台账目录不能为空")
        folder = Path(path if sep else arg)
        name = name.strip() if sep else _name_of(folder)
        entries.append(Entry(name=name, label=name, path=folder))
    _check_names([(e.name, "--data", 1) for e in entries], None)
    return Workspace(None, entries)


def _problem(file: Path, line: int, message: str, hint: str = "") -> ProblemsFound:
    return ProblemsFound([Problem(str(file), line, 1, message, hint=hint)])


def _check_names(names: list[tuple[str, str, int]], file: Path | None) -> None:
    seen: set[str] = set()
    for name, where, line in names:
        why = (
            "不能为空"
            if not name
            else "不能含冒号（冒号用来分隔台账名与措施编号）"
            if ":" in name or "：" in name
            else ""
        )
        why = why or ("与前面的台账重名" if name in seen else "")
        if why:
            msg = f"台账名“{name}”{why}"
            raise _problem(file, line, msg) if file else ProblemsFound([Problem(where, 1, 1, msg)])
        seen.add(name)


def _table_lines(text: str) -> list[int]:
    """The line of each ``[[ledgers]]`` table, in order, for messages (one pass over the text)."""
    table = re.compile(r"[ \t]*\[\[[ \t]*ledgers[ \t]*\]\]")
    return [n for n, line in enumerate(text.splitlines(), 1) if table.match(line)]


def _entry(raw: Any, base: Path, file: Path, line: int) -> Entry:
    if not isinstance(raw, dict):
        raise _problem(file, line, "每个 [[ledgers]] 应为一张表（name = …、path = … 或 ref = …）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise _problem(
            file, line, f"未知字段：{'、'.join(unknown)}", hint="可用字段：name、label、path、ref、dir、repo"
        )
    if not all(isinstance(v, str) for v in raw.values()):
        raise _problem(file, line, '各字段都应为文本（加引号，如 name = "2021"）')
    name = raw.get("name", "").strip()
    if ("path" in raw) == ("ref" in raw):
        raise _problem(file, line, f"台账“{name}”须给出 path（文件夹）或 ref（git 引用）之一")
    if "path" in raw and not raw["path"].strip():
        raise _problem(file, line, f"台账“{name}”的 path 不能为空")
    if "path" not in raw and not raw["ref"].strip():
        raise _problem(file, line, f"台账“{name}”的 ref 不能为空")
    if "path" in raw and ({"dir", "repo"} & set(raw)):
        raise _problem(file, line, f"台账“{name}”：dir 与 repo 只用于 ref")
    label = raw.get("label", "").strip() or name
    if "path" in raw:
        return Entry(name, label, path=base / raw["path"], written=raw["path"])
    folder = raw.get("dir", "").strip().strip("/") or None
    return Entry(name, label, ref=raw["ref"].strip(), repo=base / raw.get("repo", "."), folder=folder)


# tomllib's messages (CPython's tomllib/_parser.py), as the users read them; any other is shown by its place alone
_TOML_FAULTS = (
    ("Cannot overwrite a value", "同一个名称写了两次"),
    ("Cannot declare", "同一个表写了两次"),
    ("Cannot redefine", "同一个表写了两次"),
    ("Cannot mutate", "同一个表写了两次"),
    ("Duplicate inline table key", "同一个名称写了两次"),
    ("Unterminated string", "引号没有配对（字符串没有结束）"),
    ("Illegal character", "字符串中有不允许的字符（例如换行）"),
    ("Unescaped", "反斜杠“\\”须写成“\\\\”"),
    ("Unclosed array", "方括号没有配对"),
    ("Unclosed inline table", "花括号没有配对"),
    ("Expected ']'", "表名缺少右方括号“]”"),
    ("Expected ']]'", "表名缺少右方括号“]]”"),
    ("Expected '='", "名称后面缺少等号“=”"),
    ("Expected newline", "一行只能写一项"),
    ("Invalid value", '值写得不对（文字要加英文引号，如 path = "linze"）'),
    ("Invalid initial character", "名称写得不对"),
    ("Invalid statement", "这一行不是“名称 = 值”的形式"),
)


def _toml_fault(message: str, last_line: int) -> tuple[int, str]:
    """tomllib's English message as its line and a Chinese reason."""
    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line, where = (int(m[1]), f"（第 {m[1]} 行第 {m[2]} 列）") if m else (last_line, "（在文件末尾）")
    why = next((zh for en, zh in _TOML_FAULTS if message.startswith(en)), "不符合 TOML 的写法")
    return line, why + where


def read_workspace(file: Path) -> Workspace:
    import tomllib

    try:
        text = file.read_bytes().decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise _problem(file, 1, "不是 UTF-8 编码的文本") from None
    except tomllib.TOMLDecodeError as exc:
        line, why = _toml_fault(str(exc), len(text.splitlines()) or 1)
        raise _problem(file, line, f"TOML 格式错误：{why}") from None
    except RecursionError:  # tomllib recurses into nested arrays and tables
        raise _problem(file, 1, "TOML 嵌套过深，不像是工作区文件") from None
    raw = data.get("ledgers")
    if not isinstance(raw, list) or not raw:
        raise _problem(file, 1, "没有 [[ledgers]]：工作区至少要列出一个台账", hint="见 docs/workspace.md")
    tables = _table_lines(text)
    lines = [tables[i] if i < len(tables) else 1 for i in range(len(raw))]
    entries = [_entry(r, file.parent, file, line) for r, line in zip(raw, lines, strict=True)]
    _check_names([(e.name, str(file), line) for e, line in zip(entries, lines, strict=True)], file)
    return Workspace(file, entries)


def _member(entry: Entry, ledger: Ledger, first: bool) -> Member:
    return Member(
        name=entry.name,
        label=entry.label,
        source=entry.source,
        plan=ledger.plan,
        prefix="" if first else f"{entry.name}:",
        root=str(entry.path) if entry.path is not None else None,
        ref=entry.ref,
    )


def ref_specs(entries: list[Entry]) -> list[Any]:
    """Each ref's ledger folder: as given, else the tree's root when it holds plan.yaml, else data/."""
    from .gitsource import RefSpec, objects

    unset = [e for e in entries if e.folder is None]
    found: dict[str, bool] = {}
    for repo in {e.repo for e in unset}:
        mine = [e for e in unset if e.repo == repo]
        assert repo is not None
        for e, obj in zip(mine, objects(repo, [f"{e.ref}:{PLAN_FILE}" for e in mine]), strict=True):
            found[e.name] = obj is not None
    specs = []
    for e in entries:
        assert e.ref is not None and e.repo is not None
        folder = e.folder if e.folder is not None else ("" if found[e.name] else "data")
        specs.append(RefSpec(e.repo, e.ref, folder))
    return specs


def load_workspace(
    ws: Workspace, env: dict[str, str], *, use_cache: bool = True, only: set[str] | None = None
) -> LoadResult:
    """Every ledger loaded on its own, then merged; problems of all of them together. ``only`` keeps those named."""
    from .loader import load_ledger

    results: dict[str, LoadResult] = {}
    refs = [e for e in ws.entries if e.ref is not None and (only is None or e.name in only)]
    if refs:
        from .gitsource import load_refs

        for e, r in zip(refs, load_refs(ref_specs(refs), env, use_cache=use_cache), strict=True):
            results[e.name] = r
    for e in ws.entries:
        if e.path is not None and (only is None or e.name in only):
            results[e.name] = load_ledger(e.path, env, use_cache=use_cache)
    problems = [p for r in results.values() for p in r.problems]
    if problems:
        return LoadResult(None, problems)
    from ..model.workspace import merge

    members = []
    for i, e in enumerate(ws.entries):
        loaded = results[e.name].ledger if e.name in results else None
        if loaded is not None:
            members.append((_member(e, loaded, i == 0), loaded))
    merged, clashes = merge(members)
    where = str(ws.file) if ws.file else "--data"
    clash = [Problem(where, 1, 1, f"台账“{n}”的措施编号与前面的台账重复", hint="给台账改名") for n in clashes]
    return LoadResult(None if clash else merged, clash)
