"""Output on consoles that are not UTF-8: a Chinese Windows pipe or console code page is GBK (cp936).

Python writes to such a stream in its encoding and, by default, stops with a
UnicodeEncodeError at the first character the code page lacks: the tool's own
marks (✓ done, ↻ ongoing, ░ the bars' track, − minus) or whatever a user typed
(an emoji in a progress note). The installed program therefore gives stdout and
stderr an error handler that writes a look-alike the code page has (✓ → √,
↻ → ◎, ░ → ·), drops the invisible joiners of emoji sequences, and writes ``?``
for anything else, as Windows itself does. UTF-8 streams are left alone.
"""

from __future__ import annotations

import codecs
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: a Tab (cli/quick_tab.py) comes here too
if TYPE_CHECKING:
    from typing import TextIO

__all__ = ["ERRORS", "FALLBACKS", "adapt_streams", "substitute"]

ERRORS = "bizenv-ledger-fallback"

# Each replacement is used only if the stream's encoding has it; otherwise "?".
FALLBACKS = {
    "✓": "√",
    "✔": "√",
    "↻": "◎",
    "░": "·",
    "▒": "▓",
    "−": "-",
    "•": "·",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u200d": "",  # zero-width joiner inside emoji sequences
    "\ufe0f": "",  # emoji presentation selector
    "\ufe0e": "",
}
_UTF = ("utf-8", "utf-16", "utf-32", "utf-8-sig")


def substitute(text: str, encoding: str) -> str:
    """``text`` with every character ``encoding`` lacks replaced as the stream's handler would."""
    out = []
    for ch in text:
        sub = FALLBACKS.get(ch, "?")
        try:
            sub.encode(encoding)
        except UnicodeEncodeError:
            sub = "?"
        out.append(sub)
    return "".join(out)


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return substitute(exc.object[exc.start : exc.end], exc.encoding), exc.end


def adapt_streams(streams: tuple[TextIO, ...] | None = None) -> None:
    """Give every non-UTF-8 text stream among stdout and stderr the look-alike handler."""
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _fallback)
    for stream in streams if streams is not None else (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if not encoding or reconfigure is None:
            continue
        try:
            if codecs.lookup(encoding).name in _UTF:
                continue
        except LookupError:
            continue
        reconfigure(errors=ERRORS)
