"""The city plan as other offices' files have it: re-wrapped, footers elsewhere, punctuation mixed, another year.

Every change is one a PDF export or a re-save makes, so the importer must read each variant to
the same measures. Fixed seeds keep the variants the same from run to run.
"""

from __future__ import annotations

import random
import re

_FOOTER = re.compile(r"^\s*-\s*\d+\s*-\s*$")
_TO_HALF = {"（": "(", "）": ")", "：": ":", "，": ","}
_TO_FULL = {half: full for full, half in _TO_HALF.items()}


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not _FOOTER.match(line)]


def mix_punctuation(text: str, rng: random.Random, share: float = 0.3) -> str:
    out = []
    for ch in text:
        swap = _TO_HALF.get(ch) or _TO_FULL.get(ch)
        out.append(swap if swap and rng.random() < share else ch)
    return "".join(out)


def wrap(paragraph: str, width: int) -> list[str]:
    """Cut every ``width`` characters, wherever that falls (inside words and numbers too)."""
    return [paragraph[k : k + width] for k in range(0, len(paragraph), width)] or [""]


def variant(text: str, *, seed: int, width: int, year: int | None = None, mixed: bool = True) -> str:
    rng = random.Random(seed)
    body = text if year is None else text.replace("2022", str(year))
    lines: list[str] = []
    page = 1
    for paragraph in paragraphs(body):
        if mixed:
            paragraph = mix_punctuation(paragraph, rng)
        for piece in wrap(paragraph, width):
            lines.append(piece)
            roll = rng.random()
            if roll < 0.06:  # a page break: blank lines, the footer, blank lines
                lines += ["", "", f"- {page} -", ""]
                page += 1
            elif roll < 0.12:
                lines.append("")
        lines.append("")
    return "\n".join(lines) + "\n"
