"""Inline SVG for the board: one small chart per metric, baseline → current → target → best.

The axis runs so that better is always to the right (reversed for lower-is-better
metrics). A range is drawn as a bar from its low to its high end, a bound as a
marker at its limit with a tail towards the side it allows, a yes/no figure as
four badges. Missing figures are simply not drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from ..model.domain import Bound, Metric, Range, Value
from ..queries.gap import GapRow

__all__ = ["MARKS", "metric_svg"]

WIDTH, HEIGHT, PAD = 300, 30, 22
MID = 15
DRAW_ORDER = ("best", "target", "baseline", "current")  # largest shape first

# (key, label, colour, shape)
MARKS = (
    ("baseline", "基线", "#8c8c8c", "circle"),
    ("current", "当前", "#1f5fbf", "dot"),
    ("target", "目标", "#e08a00", "diamond"),
    ("best", "最优", "#1a8a3a", "square"),
)


@dataclass(frozen=True, slots=True)
class _Point:
    key: str
    colour: str
    shape: str
    lo: float
    hi: float
    tail: int  # -1 / +1: a bound's allowed side in value terms; 0 for none


def _point(key: str, colour: str, shape: str, value: Value | None) -> _Point | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Range):
        return _Point(key, colour, shape, float(value.min), float(value.max), 0)
    if isinstance(value, Bound):
        if value.at_most is not None:
            return _Point(key, colour, shape, float(value.at_most), float(value.at_most), -1)
        if value.at_least is not None:
            return _Point(key, colour, shape, float(value.at_least), float(value.at_least), 1)
        return None
    return _Point(key, colour, shape, float(Decimal(value)), float(Decimal(value)), 0)


def _values(metric: Metric, row: GapRow) -> dict[str, Value | None]:
    return {"baseline": metric.baseline, "current": row.current, "target": metric.target, "best": metric.best}


def _scale(points: list[_Point], lower_better: bool) -> tuple[float, float, bool]:
    lo = min(p.lo for p in points)
    hi = max(p.hi for p in points)
    if hi == lo:
        spread = abs(hi) * 0.5 or 1.0
        lo, hi = lo - spread, hi + spread
    return lo, hi, lower_better


def _x(value: float, scale: tuple[float, float, bool]) -> float:
    lo, hi, reverse = scale
    share = (value - lo) / (hi - lo)
    if reverse:
        share = 1 - share
    return round(PAD + share * (WIDTH - 2 * PAD), 1)


def _marker(shape: str, x: float, colour: str) -> str:
    """Outlined shapes of falling size, so figures that coincide still all show."""
    if shape == "square":
        return (
            f'<rect x="{x - 7}" y="{MID - 7}" width="14" height="14" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
    if shape == "diamond":
        pts = f"{x},{MID - 6} {x + 6},{MID} {x},{MID + 6} {x - 6},{MID}"
        return f'<polygon points="{pts}" fill="#fff" stroke="{colour}" stroke-width="2"/>'
    if shape == "circle":
        return f'<circle cx="{x}" cy="{MID}" r="4.2" fill="#fff" stroke="{colour}" stroke-width="1.6"/>'
    return f'<circle cx="{x}" cy="{MID}" r="2.8" fill="{colour}"/>'


def _draw(p: _Point, scale: tuple[float, float, bool]) -> str:
    x1, x2 = _x(p.lo, scale), _x(p.hi, scale)
    out = []
    if x1 != x2:
        out.append(
            f'<line x1="{x1}" y1="{MID}" x2="{x2}" y2="{MID}" stroke="{p.colour}" stroke-width="6" '
            'stroke-linecap="round" opacity=".55"/>'
        )
    if p.tail:
        step = (scale[1] - scale[0]) * 0.08 * p.tail
        xt = max(PAD - 8, min(WIDTH - PAD + 8, _x(p.lo + step, scale)))
        out.append(f'<line x1="{x1}" y1="{MID}" x2="{xt}" y2="{MID}" stroke="{p.colour}" stroke-dasharray="3 2"/>')
    out.append(_marker(p.shape, round((x1 + x2) / 2, 1), p.colour))
    return "".join(out)


def _gap_band(points: dict[str, _Point], row: GapRow, scale: tuple[float, float, bool]) -> str:
    cur, best = points.get("current"), points.get("best")
    if cur is None or best is None or row.gap_to_best is None or row.gap_to_best == 0:
        return ""
    colour = "#d93025" if row.gap_to_best > 0 else "#1a8a3a"
    xa, xb = _x((cur.lo + cur.hi) / 2, scale), _x((best.lo + best.hi) / 2, scale)
    x, w = min(xa, xb), abs(xa - xb)
    return f'<rect x="{x}" y="{MID - 4}" width="{w}" height="8" fill="{colour}" opacity=".18"/>'


def _bool_svg(metric: Metric, row: GapRow, label: str) -> str:
    values = _values(metric, row)
    parts = []
    for i, (key, name, _colour, _shape) in enumerate(MARKS):
        value = values[key]
        x = 4 + i * 74
        if not isinstance(value, bool):
            fill, text = "#f2f2f2", f"{name} —"
        else:
            good = value == (metric.direction == "higher")
            fill, text = ("#c6efce" if good else "#ffc7ce"), f"{name} {'是' if value else '否'}"
        parts.append(
            f'<rect x="{x}" y="5" width="68" height="20" rx="4" fill="{fill}"/>'
            f'<text x="{x + 34}" y="19" text-anchor="middle" font-size="11">{escape(text)}</text>'
        )
    return _wrap("".join(parts), label)


def _wrap(body: str, label: str) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)}">{body}</svg>'
    )


def metric_svg(row: GapRow, label: str) -> str:
    """The metric's chart; ``label`` is its text alternative."""
    metric = row.metric
    values = _values(metric, row)
    if any(isinstance(v, bool) for v in values.values()):
        return _bool_svg(metric, row, label)
    points = {key: p for key, _n, colour, shape in MARKS if (p := _point(key, colour, shape, values[key])) is not None}
    if not points:
        body = f'<text x="{WIDTH / 2}" y="19" text-anchor="middle" font-size="11" fill="#888">无可比数据</text>'
        return _wrap(body, label)
    scale = _scale(list(points.values()), metric.direction == "lower")
    axis = (
        f'<line x1="{PAD}" y1="{MID}" x2="{WIDTH - PAD}" y2="{MID}" stroke="#ccc" stroke-width="2"/>'
        f'<text x="{WIDTH - 2}" y="{MID + 4}" text-anchor="end" font-size="10" fill="#999">优</text>'
        f'<text x="2" y="{MID + 4}" font-size="10" fill="#999">差</text>'
    )
    drawn = "".join(_draw(points[k], scale) for k in DRAW_ORDER if k in points)
    body = axis + _gap_band(points, row, scale) + drawn
    return _wrap(body, label)
