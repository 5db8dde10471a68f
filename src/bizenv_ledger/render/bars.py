"""Small horizontal bar charts for the terminal, drawn by rich: a label, a bar, the figure.

Imported only when a table is drawn for people (``gap`` and ``units`` in table form),
so rich's import is paid where it is used. Labels are unit or indicator names: they are
never cut, the bars give way first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.bar import Bar as RichBar
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table as RichTable

from .layout import allot
from .screen import Column, Part, names, prose, words
from .terminal import Flow, Stack, draw
from .values import fmt_decimal, fmt_percent, fmt_progress

if TYPE_CHECKING:  # `units` draws its chart without importing gap's query
    from ..queries.gap import GapRow, IndicatorGap
    from ..queries.scorecard import UnitCard

__all__ = ["Bar", "chart", "gap_chart", "ranking_chart", "units_chart"]

BAR_WIDTH = 20
MIN_BAR = 8
LABEL_WIDTH = 28  # a label wider than this wraps (a unit's name never: its own width is its floor)
TRACK = "grey30"


@dataclass(frozen=True, slots=True, eq=False)
class Bar:
    """One bar of a chart: its label, its share of a full bar, the figure after it."""

    label: Part
    share: Decimal | float | None
    text: str  # the figure printed after the bar
    style: str | None = None  # red | yellow | green


def _bar(share: Decimal | float | None, width: int, style: str | None, colour: bool) -> RenderableType:
    end = 0.0 if share is None else max(0.0, min(1.0, float(share)))
    return RichBar(
        1.0,
        0.0,
        end,
        width=width,
        color=(style or "white") if colour else "default",
        bgcolor=TRACK if colour and share is not None else "default",
    )


class _Bars:
    """The chart's bar column: each bar on its row's first line, blank lines to the row's height."""

    def __init__(self, bars: list[RenderableType], heights: list[int]) -> None:
        self.bars = bars
        self.heights = heights

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        blank, end = Segment(" " * options.max_width), Segment.line()
        for bar, height in zip(self.bars, self.heights, strict=True):
            yield from console.render(bar, options)
            for _ in range(height - 1):
                yield blank
                yield end


def chart(title: str, bars: list[Bar], *, colour: bool, width: int, notes: list[str] | None = None) -> str:
    """One line per bar: labels in a column of their own (CJK counts two), bars, figures; within ``width``."""
    if not bars:
        return ""
    labels = [Flow((b.label,), colour=colour) for b in bars]
    figures = [Flow((words([b.text]),), colour=colour) for b in bars]
    label_lo = max(f.widths()[0] for f in labels)
    label_hi = max(label_lo, min(LABEL_WIDTH, max(f.widths()[1] for f in labels)))
    figure = max(f.widths()[1] for f in figures)
    columns = [Column("", min_width=label_lo), Column("", min_width=MIN_BAR), Column("")]
    widths = allot(columns, [(label_lo, label_hi), (MIN_BAR, BAR_WIDTH), (figure, figure)], width)
    label_w, bar_w, figure_w = widths or (label_lo, MIN_BAR, figure)
    grid = RichTable(box=None, show_header=False, show_edge=False, padding=(0, 1, 0, 0), pad_edge=False)
    grid.add_column(width=label_w)
    grid.add_column(width=bar_w, no_wrap=True)
    grid.add_column(width=figure_w)
    if widths is None:  # too narrow for the floors: rich squeezes the columns and wraps each cell itself
        for b, label, fig in zip(bars, labels, figures, strict=True):
            grid.add_row(label, _bar(b.share, bar_w, b.style, colour), fig)
    else:  # one row of column stacks, as terminal.py draws a long table: rich's cost is per cell more than per line
        label_lines = [f.lines(label_w) for f in labels]
        figure_lines = [f.lines(figure_w) for f in figures]
        heights = [max(len(a), 1, len(b)) for a, b in zip(label_lines, figure_lines, strict=True)]
        grid.add_row(
            Stack(label_lines, heights, spaced=False, justify="left", colour=colour),
            _Bars([_bar(b.share, bar_w, b.style, colour) for b in bars], heights),
            Stack(figure_lines, heights, spaced=False, justify="left", colour=colour),
        )
    parts: list[RenderableType] = [
        Flow((prose(""),), colour=colour),
        Flow((prose(title, "bold"),), colour=colour),
        grid,
    ]
    parts += [Flow((prose(n),), colour=colour) for n in notes or []]
    return draw([Group(*parts)], width, colour)


def _score_style(score: Decimal | None) -> str | None:
    if score is None:
        return None
    return "green" if score >= 100 else ("yellow" if score >= 80 else "red")


def ranking_chart(ranking: list[IndicatorGap], *, colour: bool, width: int) -> str:
    """对标得分 per indicator, as bars, in the ranking's order."""
    bars = [
        Bar(
            words([f"{g.indicator.number:>2} ", g.indicator.name]),
            g.score / 100 if g.score is not None else None,
            fmt_decimal(g.score.quantize(1)) if g.score is not None else "—（无可比项）",
            _score_style(g.score),
        )
        for g in ranking
    ]
    return chart("对标得分（满格 = 达到全省最优）", bars, colour=colour, width=width)


def gap_chart(rows: list[GapRow], *, colour: bool, width: int) -> str:
    """Per metric: closeness to the province best, and progress from baseline to target where it moved."""
    bars = [
        Bar(
            prose(r.metric.name),
            r.score / 100 if r.score is not None else None,
            (fmt_decimal(r.score.quantize(1)) if r.score is not None else "—")
            + (f"　进度 {fmt_progress(r.progress)}" if r.progress is not None else ""),
            _score_style(r.score),
        )
        for r in rows
    ]
    return chart("对标得分（满格 = 达到全省最优）", bars, colour=colour, width=width)


def units_chart(cards: list[UnitCard], *, colour: bool, width: int) -> str:
    """Per unit with something done or due: on-time rate as a bar, then its overdue count as blocks."""
    shown = [c for c in cards if c.on_time_rate is not None or c.overdue]
    rest = len(cards) - len(shown)
    bars = [
        Bar(
            names([c.unit], lead=False),
            c.on_time_rate,
            f"{fmt_percent(c.on_time_rate):>6}　逾期 {'■' * min(c.overdue, 10)}{'…' if c.overdue > 10 else ''} {c.overdue}",
            "red" if c.overdue else "green",
        )
        for c in shown
    ]
    notes = [f"另有 {rest} 个单位暂无已完成或已到期的措施。"] if rest and shown else []
    return chart("按期完成率与逾期项数", bars, colour=colour, notes=notes, width=width)
