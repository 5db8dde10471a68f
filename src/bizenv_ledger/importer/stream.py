"""Undoing PDF artefacts: the document's lines joined into one text, each character knowing its line.

Page breaks cut sentences, words and numbers anywhere ("完成时限：2022" / "年12月"), and a
re-saved file wraps lines at any width, so the parsers never trust a line's end: the kept lines are
joined with nothing between them, page footers (- 3 -, 第 3 页) and blank lines dropped, and the
stray spaces a PDF puts between Chinese and digits (2022 年 11 月) removed. A space between two
Latin letters or digits stays (PM 2.5). What is kept is where each line began, because headings
(一、 （三）) only count at the start of a line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .sources import SourceLine

__all__ = ["FOOTER", "Stream", "build_stream", "clean_line"]

FOOTER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$")
_WORD_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]")
_SPACE = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")


def clean_line(text: str) -> str:
    """A line without Word's bookmark marks and without the spaces a PDF scatters through Chinese."""
    return _SPACE.sub("", _WORD_ARTEFACT.sub("", text))


@dataclass(slots=True)
class Stream:
    text: str
    starts: list[int]  # offset in ``text`` where each kept line begins, ascending
    origin: list[int]  # index into the source lines of each kept line
    source: list[SourceLine]
    footers: list[int] = field(default_factory=list)  # source indexes of dropped page footers
    _start_set: frozenset[int] = frozenset()

    def line_index(self, pos: int) -> int:
        """The source line (index) that holds the character at ``pos``."""
        k = bisect.bisect_right(self.starts, pos) - 1
        return self.origin[max(k, 0)] if self.origin else 0

    def label(self, pos: int) -> str:
        return self.source[self.line_index(pos)].label if self.source else "第 1 行"

    def at_line_start(self, pos: int) -> bool:
        return pos in self._start_set

    def next_start(self, pos: int) -> int:
        """Where the first line beginning after ``pos`` starts (the text's end if none)."""
        k = bisect.bisect_right(self.starts, pos)
        return self.starts[k] if k < len(self.starts) else len(self.text)


def build_stream(lines: list[SourceLine]) -> Stream:
    parts: list[str] = []
    starts: list[int] = []
    origin: list[int] = []
    footers: list[int] = []
    offset = 0
    for index, line in enumerate(lines):
        if FOOTER.match(line.text):
            footers.append(index)
            continue
        cleaned = clean_line(line.text)
        if not cleaned:
            continue
        starts.append(offset)
        origin.append(index)
        parts.append(cleaned)
        offset += len(cleaned)
    stream = Stream("".join(parts), starts, origin, lines, footers)
    stream._start_set = frozenset(starts)
    return stream
