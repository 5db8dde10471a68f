"""Text made safe to show: no character that drives a terminal, a spreadsheet or a Markdown table.

``check`` and the write commands keep such characters out of the ledger
(``model.text``), but text still reaches the output from elsewhere: old commits
read by ``history``, arguments echoed in an error message, a file edited by
hand and not yet checked. Every renderer passes what it shows through here, so
the guard does not depend on which table renderer draws it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..model.text import UNSAFE

__all__ = ["csv_cell", "json_chunks", "json_text", "visible"]

_TAB_NEWLINE = re.compile("[\t\n]")


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def visible(text: str, *, layout: bool = True) -> str:
    """``text`` with each control, bidi, invisible-format and noncharacter shown as ``\\x1b`` or ``<U+202E>``.

    Newline and tab are kept when ``layout`` is true (the table or the file lays them out), else escaped.
    """
    if text.isprintable():
        return text  # nearly every text, and the cheap test (a control or format character is not printable)
    shown = UNSAFE.sub(lambda m: _escape(m[0]), text) if UNSAFE.search(text) else text
    return shown if layout else _TAB_NEWLINE.sub(lambda m: _escape(m[0]), shown)


# A cell Excel or WPS would read as a formula (OWASP's list): = + - @ and a leading tab or CR.
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def csv_cell(text: str) -> str:
    """A CSV cell that a spreadsheet shows as the text itself: controls escaped, a formula lead quoted with '.

    A plain number (-3, +0.5, -12%) is left alone: the spreadsheet reads it as the number it is.
    """
    shown = visible(text)
    if shown.startswith(_FORMULA_LEAD) and not _NUMBER.fullmatch(shown):
        return "'" + shown
    return shown


# json.dumps(ensure_ascii=False) escapes only C0 controls; DEL, C1 (U+009B is a CSI), bidi
# overrides and the rest would reach the terminal raw. Inside a JSON string \\uXXXX is the same text.
def _json_escape(m: re.Match[str]) -> str:
    return json.dumps(m[0])[1:-1]


def json_text(payload: Any) -> str:
    """``payload`` as indented JSON (UTF-8 text kept readable) with no character that drives a terminal."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    return UNSAFE.sub(_json_escape, text) + "\n"


def json_chunks(items: Iterable[Any]) -> Iterator[str]:
    """The same text as ``json_text(list(items))``, one item at a time: a long list is never held whole.

    A JSON string holds no raw newline, so indenting each item's lines by two spaces nests it exactly
    as ``json.dumps`` of the whole list would.
    """
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + UNSAFE.sub(_json_escape, body)
        first = False
    yield "[]\n" if first else "\n]\n"
