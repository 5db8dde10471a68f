"""Helpers for the write-side tests: the commented fixture, git inspection, and which lines changed."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from bizenv_ledger.store.yaml_reader import parse
from bizenv_ledger.write.edit import measure_path
from tests.conftest import FIXTURES, git

FILE03 = "indicators/03-获得电力.yaml"
COMMENTED = FIXTURES / "commented" / "03-获得电力.yaml"
HOSTILE = [
    "--amend $(touch pwned)",
    "`rm -rf /`; echo 'x' && \"quoted\"",
    "key: value # not a comment",
    "第一行\n第二行\n\n第四行",
    "- leading dash",
    "no",
    "2022-01-01",
    "  leading and trailing spaces  ",
    "tab\tand\ttabs",
    '"starts with a quote',
    "[flow, {like: this}]",
    "&anchor *alias !tag %directive @at",
    "〔 CJK 标点 〕（全角）：；、",
]
# Text the write commands refuse (exit 2) and check reports: each drives a terminal or hides itself.
REFUSED = {
    "escape": "\x1b]0;PWNED\x1b\\\x1b[31mRED\x1b[2J",
    "bel": "响铃\x07",
    "backspace": "退格\x08\x08",
    "del": "删除\x7f",
    "cr": "回车\r覆盖",
    "csi": "八位\x9b31m",
    "nel": "换行\x85",
    "rlo": "反向\u202e文字",
    "isolate": "隔离\u2066文字\u2069",
    "line-separator": "分隔符\u2028",
    "zero-width": "零宽\u200b空格",
    "fffe": "非字符\ufffe",
    "ffff": "非字符\uffff",
    "10ffff": "非字符\U0010ffff",
    "fdd0": "非字符\ufdd0",
}


def use_commented_fixture(data: Path, *, commit: bool = True) -> None:
    """Put the commented 获得电力 file in place (and commit it when ``data`` is in a git repo)."""
    shutil.copyfile(COMMENTED, data / FILE03)
    if commit:
        git(data.parent, "add", str(data / FILE03))
        git(data.parent, "commit", "-q", "-m", "注释夹具")


def repo_of(data: Path) -> Path:
    return data.parent


def commits(repo: Path) -> int:
    return int(git(repo, "rev-list", "--count", "HEAD").strip())


def measure_span(text: str, measure_id: str) -> tuple[int, int]:
    """First and last line (1-based) of a measure's item, up to the next item or key at its level."""
    parsed, _ = parse(text.encode("utf-8"))
    assert parsed is not None
    path = measure_path(parsed.data, measure_id)
    assert path is not None
    start = parsed.positions[(*path, "id")][0]
    items = parsed.data["measures"]
    index = path[-1]
    assert isinstance(index, int)
    last = index + 1 == len(items)
    end = len(text.splitlines()) if last else parsed.positions[(*path[:-1], index + 1)][0] - 1
    return start, end


def touched_old_lines(old: str, new: str) -> list[int]:
    """Old line numbers (1-based) around which the new text differs; an insertion counts at the line before."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(keepends=True), b=new.splitlines(keepends=True), autojunk=False)
    touched: list[int] = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        touched.extend(range(i1 + 1, i2 + 1) if i2 > i1 else [i1])
    return touched
