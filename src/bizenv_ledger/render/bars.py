"""Small horizontal bar charts for the terminal, in Unicode blocks, with CJK labels kept aligned.

No rich here: these run with ``ledger gap`` and ``ledger units`` on every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..queries.gap import GapRow, IndicatorGap
from ..queries.scorecard import UnitCard
from .table import cell_width, fit_lines, truncate
from .values import fmt_decimal, fmt_percent, fmt_progress

__all__ = ["Bar", "bar", "chart", "gap_chart", "ranking_chart", "units_chart"]

_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"
_TRACK = "░"
_COLOURS = {"red": "\x1b[31m", "yellow": "\x1b[33m", "green": "\x1b[32m"}
_RESET = "\x1b[0m"
LABEL_WIDTH = 28
BAR_WIDTH = 20


def bar(share: Decimal | float | None, width: int = BAR_WIDTH) -> str:
    """``share`` (0–1) of ``width`` cells in eighth-blocks, the rest as a light track."""
    if share is None:
        return " " * width
    eighths = round(max(0.0, min(1.0, float(share))) * width * 8)
    full, part = divmod(eighths, 8)
    body = _FULL * full + (_EIGHTHS[part] if part else "")
    return body + _TRACK * (width - cell_width(body))


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    share: Decimal | float | None
    text: str  # the figure printed after the bar
    style: str | None = None  # red | yellow | green


def chart(
    title: str, bars: list[Bar], *, colour: bool = False, notes: list[str] | None = None, width: int | None = None
) -> str:
    """One line per bar: label padded to a common width (CJK counts two), bar, figure; within ``width`` if given."""
    if not bars:
        return ""
    label_width = min(LABEL_WIDTH, max(cell_width(b.label) for b in bars))
    bar_width = BAR_WIDTH
    if width is not None:  # a narrow terminal: labels give way first, then the bars
        spare = width - 6 - max(cell_width(b.text) for b in bars)
        label_width = max(6, min(label_width, spare - bar_width))
        bar_width = max(8, min(bar_width, spare - label_width))
    lines = ["", *fit_lines([title], width)]
    for b in bars:
        label = truncate(b.label, label_width)
        drawn = bar(b.share, bar_width)
        if colour and b.style in _COLOURS:
            drawn = f"{_COLOURS[b.style]}{drawn}{_RESET}"
        pad = " " * (label_width - cell_width(label))
        lines.append(f"  {label}{pad}  {drawn}  {b.text}".rstrip())
    lines.extend(fit_lines(notes or [], width))
    return "\n".join(lines) + "\n"


def _score_style(score: Decimal | None) -> str | None:
    if score is None:
        return None
    return "green" if score >= 100 else ("yellow" if score >= 80 else "red")


def ranking_chart(ranking: list[IndicatorGap], *, colour: bool = False, width: int | None = None) -> str:
    """对标得分 per indicator, as bars, in the ranking's order."""
    bars = [
        Bar(
            f"{g.indicator.number:>2} {g.indicator.name}",
            g.score / 100 if g.score is not None else None,
            fmt_decimal(g.score.quantize(1)) if g.score is not None else "—（无可比项）",
            _score_style(g.score),
        )
        for g in ranking
    ]
    return chart("对标得分（满格 = 达到全省最优）", bars, colour=colour, width=width)


def gap_chart(rows: list[GapRow], *, colour: bool = False, width: int | None = None) -> str:
    """Per metric: closeness to the province best, and progress from baseline to target where it moved."""
    bars = [
        Bar(
            r.metric.name,
            r.score / 100 if r.score is not None else None,
            (fmt_decimal(r.score.quantize(1)) if r.score is not None else "—")
            + (f"　进度 {fmt_progress(r.progress)}" if r.progress is not None else ""),
            _score_style(r.score),
        )
        for r in rows
    ]
    return chart("对标得分（满格 = 达到全省最优）", bars, colour=colour, width=width)


def units_chart(cards: list[UnitCard], *, colour: bool = False, width: int | None = None) -> str:
    """Per unit with something done or due: on-time rate as a bar, then its overdue count as blocks."""
    shown = [c for c in cards if c.on_time_rate is not None or c.overdue]
    rest = len(cards) - len(shown)
    bars = [
        Bar(
            c.unit,
            c.on_time_rate,
            f"{fmt_percent(c.on_time_rate):>6}　逾期 {'■' * min(c.overdue, 10)}{'…' if c.overdue > 10 else ''} {c.overdue}",
            "red" if c.overdue else "green",
        )
        for c in shown
    ]
    notes = [f"另有 {rest} 个单位暂无已完成或已到期的措施。"] if rest and shown else []
    return chart("按期完成率与逾期项数", bars, colour=colour, notes=notes, width=width)
