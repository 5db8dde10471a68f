"""The 挂图作战 board: one self-contained HTML page (inline CSS and SVG, nothing fetched). It only shows.

Red first: the counters and the red list open the page, then the overall goals,
the 18 indicator cards, the measures as a wall chart coloured by light, and the
units' scorecard. A card's top border is its indicator's 对标得分 band (the legend says which).

It prints on A4 landscape in a denser layout: cards four to a column set and kept
whole, headings kept with what follows, the measures and the units each kept on one
page when they fit there; the plan's 60 measures print on five pages.
"""

from __future__ import annotations

from html import escape

from ..model.domain import Indicator
from ..queries.gap import FAIR_SCORE, GOOD_SCORE, GapRow, standing
from ..queries.measures import MeasureView
from ..queries.report import IndicatorPanel, Snapshot
from ..queries.scorecard import UnitCard
from .bulletin import cn_date
from .safe import visible
from .svg import MARKS, metric_svg
from .values import LIGHT_LABELS, fmt_decimal, fmt_gap, fmt_percent, fmt_value
from .views import deadline_cell

__all__ = ["board_html"]

_CN = "一二三四五六七八九十"

CSS = """
*{box-sizing:border-box}
body{margin:0;padding:16px 20px;font:14px/1.5 "Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",
"Microsoft YaHei","PingFang SC",sans-serif;color:#1d1d1f;background:#f4f5f7}
h1{margin:0;font-size:24px;color:#b3261e;letter-spacing:1px}
h2{font-size:17px;margin:18px 0 8px;padding-left:8px;border-left:4px solid #b3261e}
header{background:#fff;padding:12px 16px;border-radius:6px;box-shadow:0 1px 2px #0002}
.meta,.scope{margin:4px 0;color:#555}
.stats{display:flex;gap:10px;flex-wrap:wrap;margin-top:8px}
.stat{min-width:92px;padding:6px 12px;border-radius:6px;background:#eee;text-align:center}
.stat b{display:block;font-size:24px;line-height:1.2}
section{margin-top:12px}
table.list{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
.list th,.list td{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
.list th{background:#eef0f4}
td.num{text-align:right;white-space:nowrap}
td.text{max-width:48em}
#red tr.red-item td:first-child{color:#b3261e;font-weight:bold}
#goals{background:#fff;padding:6px 16px 8px;border-radius:6px}
#goals h2{margin-top:8px}
.goal-text{margin:4px 0}
#goals ul{margin:4px 0;padding-left:20px}
.legend{color:#555;font-size:12px;margin:4px 0}
.key{margin-right:14px;white-space:nowrap}
.key i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px;border-radius:2px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:10px}
.indicator-card{background:#fff;border-radius:6px;padding:8px 10px;border-top:5px solid #9e9e9e;
box-shadow:0 1px 2px #0002;break-inside:avoid}
.standing-good{border-top-color:#1a8a3a}.standing-fair{border-top-color:#e0a800}
.standing-poor{border-top-color:#d93025}.standing-none{border-top-color:#9e9e9e}
.key i.standing-good{background:#1a8a3a}.key i.standing-fair{background:#e0a800}
.key i.standing-poor{background:#d93025}.key i.standing-none{background:#9e9e9e}
.reds{color:#b3261e;font-weight:bold}
.indicator-card h3{margin:0;font-size:15px;display:flex;align-items:baseline}
.indicator-card .no{color:#777;font-weight:normal}
.score{margin-left:auto;font-size:20px;color:#1f5fbf}
.goal{margin:2px 0 4px;font-size:12px;color:#555}
.warn{margin:2px 0 4px;font-size:12px;color:#b3261e}
.none{color:#888;font-size:12px}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-left:2px}
.metric{border-top:1px dashed #e3e3e3;padding-top:3px;margin-top:3px}
.mname{font-size:12px;display:flex;gap:6px;align-items:baseline}
.mname .unit{color:#888}
.mname .gap{margin-left:auto;font-size:11px}
.gap.behind{color:#d93025}.gap.ok{color:#1a8a3a}
svg.chart{display:block;width:100%;max-width:300px;height:auto}
.figures{font-size:11px;color:#666}
.grid{background:#fff;border-radius:6px;padding:6px 10px}
.row{display:flex;border-bottom:1px solid #eee;padding:4px 0}
.rowhead{width:13em;flex:none;font-size:13px;padding-top:6px}
.tiles{display:flex;flex-wrap:wrap;gap:6px}
.tile{width:118px;padding:4px 6px;border-radius:4px;font-size:11px;line-height:1.35;color:#111}
.tile b{font-size:14px;margin-right:4px}
.tile[data-stale]{outline:2px dashed #555;outline-offset:-3px}
.tile span{display:block;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.tile .flag{display:inline;color:#b3261e}
.key i[class^=mk-]{border:2px solid;background:#fff}.key i.mk-current{background:#1f5fbf;border-radius:50%;
width:7px;height:7px}.key i.mk-baseline{border-radius:50%}.key i.mk-target{transform:rotate(45deg);width:9px;height:9px}
.key i.light-red{background:#d93025}
.light-red{background:#f4b6b0}.light-yellow{background:#ffe08a}.light-green{background:#bfe5c6}
.light-done{background:#dcdcdc}.light-pending{background:#e4dfec}.light-ongoing{background:#c7dcf2}
.tile.light-red{background:#d93025;color:#fff}.tile.light-red .flag{color:#fff}
.stat.light-red{background:#d93025;color:#fff}
.units{max-width:900px}
td.rate{white-space:nowrap}
.bar{display:inline-block;width:90px;height:9px;background:#e6e6e6;margin-right:6px;vertical-align:0}
.bar span{display:block;height:100%;background:#1a8a3a}
tr.light-red td:first-child{border-left:4px solid #d93025}
tr.light-yellow td:first-child{border-left:4px solid #e0a800}
.list tr.light-red,.list tr.light-yellow{background:none}
.note{font-size:12px;color:#666;margin:4px 0}
footer{margin-top:16px;padding-top:8px;border-top:1px solid #ccc;color:#555;font-size:12px;
display:flex;gap:24px;flex-wrap:wrap}
@page{size:A4 landscape;margin:8mm 8mm 9mm}
@media print{
body{background:#fff;padding:0;font-size:10px;line-height:1.35;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:18px}
h2{font-size:13px;margin:8px 0 4px;break-after:avoid}
.legend{font-size:9px;margin:2px 0;break-after:avoid}
header{padding:6px 10px}
header,.grid,#goals{box-shadow:none;border:1px solid #ccc}
.stats{margin-top:4px;gap:6px}.stat{min-width:70px;padding:2px 8px}.stat b{font-size:16px}
section{margin-top:6px}
table.list{font-size:9.5px}.list th,.list td{padding:2px 4px}
td.text{max-width:none}#red td:not(.text),#red th{white-space:nowrap}
#goals{padding:2px 10px 4px}#goals h2{margin-top:4px}.goal-text,#goals ul{margin:2px 0}
.cards{display:block;columns:4;column-gap:6px}
.indicator-card{box-shadow:none;border-left:1px solid #ccc;border-right:1px solid #ccc;border-bottom:1px solid #ccc;
padding:3px 6px 4px;margin:0 0 6px;break-inside:avoid;border-top-width:4px}
.indicator-card h3{font-size:11px}.score{font-size:14px}
.goal,.warn{font-size:8.5px;margin:1px 0 2px}
.metric{display:grid;grid-template-columns:1fr 40%;column-gap:4px;align-items:center;padding-top:1px;margin-top:1px}
.mname{font-size:8.5px;grid-column:1}.mname .gap{font-size:8px}
svg.chart{grid-column:2;grid-row:1/span 2;max-width:none}
.figures{font-size:8px;grid-column:1;line-height:1.25}
.grid{padding:2px 6px}.row{padding:2px 0}
.rowhead{width:12em;font-size:9.5px;padding-top:2px}
.tiles{gap:3px}.tile{display:flex;flex-wrap:wrap;align-items:baseline;width:104px;padding:1px 4px;font-size:8.5px;
line-height:1.25}.tile b{font-size:9.5px}.tile .state{order:1;margin-left:auto}.tile .lead{order:2;flex-basis:100%}
#measures,#units{break-inside:avoid}
.units-wrap{columns:2;column-gap:14px}.units{max-width:none}
.bar{width:36px;height:7px;margin-right:3px}
.note{font-size:8.5px;margin:2px 0}
footer{margin-top:6px;padding-top:4px;font-size:9px}
tr,.row,.metric,.stat{break-inside:avoid}
}
"""
LIGHT_ORDER = ("red", "yellow", "green", "pending", "ongoing", "done")


def cn_number(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    return ("" if n < 20 else _CN[n // 10 - 1]) + "十" + (_CN[n % 10 - 1] if n % 10 else "")


def _e(text: object) -> str:
    return escape(str(text))


def _stats(snap: Snapshot) -> str:
    lights = snap.lights
    cells = [f'<div class="stat total"><b>{len(snap.views)}</b>项措施</div>']
    cells += [
        f'<div class="stat light-{k}" data-light="{k}"><b>{lights[k]}</b>{LIGHT_LABELS[k]}</div>' for k in LIGHT_ORDER
    ]
    return f'<div class="stats">{"".join(cells)}</div>'


def _title(snap: Snapshot) -> str:
    """The plan's title made the board's; in a workspace the workspace's, not only the first ledger's plan."""
    if snap.members:
        return f"工作区挂图作战图（{len(snap.members)} 个台账）"
    return snap.plan.title.replace("工作方案", "挂图作战图")


def _header(snap: Snapshot, scope: str) -> str:
    title = _title(snap)
    source = "、".join(m.label for m in snap.members) if snap.members else snap.plan.doc_number
    meta = f"{source} · 截至 {cn_date(snap.as_of)} · 临期提醒 {snap.window} 天"
    scope_line = f'<p class="scope">范围：{_e(scope)}</p>' if scope else ""
    return f"<header><h1>{_e(title)}</h1><p class=meta>{_e(meta)}</p>{scope_line}{_stats(snap)}</header>"


def _red(snap: Snapshot) -> str:
    red = snap.red
    if not red:
        return '<section id="red"><h2>红灯事项</h2><p class="none">截至当日无逾期未完成事项。</p></section>'
    rows = "".join(
        f'<tr class="red-item" data-id="{_e(v.id)}"><td class="num">{v.days_overdue}天</td><td>{_e(v.id)}</td>'
        f"<td>{_e(v.indicator_name)}</td><td>{_e(v.lead)}</td><td>{_e(deadline_cell(v))}</td>"
        f'<td class="text">{_e(v.measure.text)}</td></tr>'
        for v in red
    )
    head = "<tr><th>逾期</th><th>编号</th><th>指标</th><th>牵头单位</th><th>完成时限</th><th>措施</th></tr>"
    return (
        f'<section id="red"><h2>红灯事项（{len(red)}项，逾期最久的在前）</h2>'
        f'<table class="list"><thead>{head}</thead><tbody>{rows}</tbody></table></section>'
    )


def _goals(snap: Snapshot) -> str:
    goal = snap.plan.overall_goal
    if goal is None:
        return ""
    items = [
        ("达到全省最优", "、".join(i.name for i in snap.reach_best)),
        ("与全省最优差距大幅减少", "、".join(i.name for i in snap.narrow_gap)),
        ("争取进入全省前五", "、".join(i.name for i in _the_rest(snap))),
    ]
    lis = "".join(f"<li><b>{_e(k)}：</b>{_e(v)}</li>" for k, v in items if v)
    return f'<section id="goals"><h2>总体目标</h2><p class="goal-text">{_e(goal.text)}</p><ul>{lis}</ul></section>'


def _the_rest(snap: Snapshot) -> list[Indicator]:
    """The indicators 二、总体目标 names neither for the best nor for a much smaller gap: 其他指标."""
    goal = snap.plan.overall_goal
    named = {*goal.reach_best, *goal.narrow_gap} if goal is not None else set()
    return [p.indicator for p in snap.panels if p.indicator.number not in named]


def _legend() -> str:
    keys = "".join(
        f'<span class="key"><i class="mk-{k}" style="border-color:{c}"></i>{_e(n)}</span>' for k, n, c, _s in MARKS
    )
    bands = (
        ("good", f"{GOOD_SCORE}分及以上"),
        ("fair", f"{FAIR_SCORE}–{GOOD_SCORE - 1}分"),
        ("poor", f"低于{FAIR_SCORE}分"),
        ("none", "无可比指标项"),
    )
    edges = "".join(f'<span class="key"><i class="standing-{k}"></i>{_e(n)}</span>' for k, n in bands)
    return (
        f'<p class="legend">图例：{keys}<span class="key">图中越靠右越好；淡红为当前与全省最优的差距</span></p>'
        f'<p class="legend" id="standing-legend">卡片顶边颜色为对标得分：{edges}</p>'
    )


def _metric(row: GapRow) -> str:
    m = row.metric
    figures = " → ".join(
        f"{n} {fmt_value(v)}"
        for n, v in (("基线", m.baseline), ("当前", row.current), ("目标", m.target), ("最优", m.best))
    )
    label = f"{m.name}（{m.unit}）：{figures}"
    gap = fmt_gap(row.gap_to_best, m)
    cls = "behind" if row.gap_to_best is not None and row.gap_to_best > 0 else "ok"
    return (
        f'<div class="metric"><div class="mname">{_e(m.name)}<span class="unit">{_e(m.unit)}</span>'
        f'<span class="gap {cls}">{_e(gap)}</span></div>{metric_svg(row, label)}'
        f'<div class="figures">{_e(figures)}</div></div>'
    )


def _dots(panel: IndicatorPanel) -> str:
    return "".join(f'<i class="dot light-{v.light}" title="{_e(v.id)}"></i>' for v in panel.views)


def _card(panel: IndicatorPanel) -> str:
    """The indicator's card; its top border says how close the indicator is to the best (its 对标得分)."""
    ind, gap = panel.indicator, panel.gap
    score = fmt_decimal(gap.score.quantize(1)) if gap.score is not None else "—"
    red = panel.lights["red"]
    warn = ""
    if panel.contradiction is not None:
        names = "、".join(m.name for m in panel.contradiction.metrics)
        warn = f'<p class="warn">注意：总体目标要求达到全省最优，但{_e(names)}的整改目标仍落后于全省最优。</p>'
    metrics = "".join(_metric(r) for r in panel.rows) or '<p class="none">本指标未设可比的量化指标项。</p>'
    return (
        f'<article class="indicator-card standing-{standing(gap.score)}{" has-red" if red else ""}" '
        f'data-indicator="{ind.number}" data-standing="{standing(gap.score)}">'
        f'<h3><span class="no">（{cn_number(ind.number)}）</span>{_e(ind.name)}'
        f'<span class="score" title="对标得分">{score}</span></h3>'
        f'<p class="goal">总体目标：{_e(panel.goal)} · 措施 {len(panel.views)} 项'
        f"{f'，<span class=reds>红灯 {red} 项</span>' if red else ''} {_dots(panel)}</p>"
        f"{warn}{metrics}</article>"
    )


def _indicators(snap: Snapshot) -> str:
    cards = "".join(_card(p) for p in snap.panels)
    return (
        f'<section id="indicators"><h2>{len(snap.panels)}项指标对标（基线 → 当前 → 目标 → 全省最优）</h2>'
        f'{_legend()}<div class="cards">{cards}</div></section>'
    )


def _tile_state(v: MeasureView) -> str:
    if v.light == "red":
        return f"逾期{v.days_overdue}天"
    if v.closing is not None:
        return f"{LIGHT_LABELS[v.light]} {v.closing.on.isoformat()}"
    if v.days_left is not None:
        return "今日到期" if v.days_left == 0 else f"剩{v.days_left}天"
    return LIGHT_LABELS[v.light]


def _tile(v: MeasureView, stale: frozenset[str]) -> str:
    flag = '<span class="flag" title="有未按期完成的节点">⚑</span>' if v.missed_milestones else ""
    if v.id in stale:
        flag += '<span class="flag stale-mark" title="本报送期尚未报送进展">◌</span>'
    tip = f"{v.id} {v.measure.text}\n责任单位：{'、'.join(v.units)}\n完成时限：{deadline_cell(v)}"
    return (
        f'<div class="tile light-{v.light}" data-light="{v.light}" data-id="{_e(v.id)}"'
        f'{" data-stale" if v.id in stale else ""} title="{_e(tip)}">'
        f"<b>{_e(v.id)}</b>{flag}<span class=lead>{_e(v.lead)}</span><span class=state>{_e(_tile_state(v))}</span></div>"
    )


def _measures(snap: Snapshot, stale: frozenset[str], period: str) -> str:
    rows = "".join(
        f'<div class="row"><div class="rowhead">（{cn_number(p.indicator.number)}）{_e(p.indicator.name)}</div>'
        f'<div class="tiles">{"".join(_tile(v, stale) for v in p.views)}</div></div>'
        for p in snap.panels
        if p.views
    )
    keys = "".join(f'<span class="key"><i class="light-{k}"></i>{LIGHT_LABELS[k]}</span>' for k in LIGHT_ORDER)
    return (
        f'<section id="measures"><h2>措施挂图（{len(snap.views)}项，按指标排列，颜色为灯色）</h2>'
        f'<p class="legend">{keys}<span class="key">⚑ 有未按期完成的节点</span>'
        + (
            f'<span class="key" id="stale-key">◌ 本报送期（{_e(period)}）尚未报送进展：{len(stale)}项</span>'
            if period
            else ""
        )
        + f'</p><div class="grid">{rows}</div></section>'
    )


def _unit_row(c: UnitCard) -> str:
    rate = c.on_time_rate
    width = "0" if rate is None else fmt_decimal((rate * 100).quantize(1))
    bar = f'<span class="bar"><span style="width:{width}%"></span></span>' if rate is not None else ""
    cls = "light-red" if c.overdue else ("light-yellow" if c.due_soon else "")
    return (
        f'<tr class="{cls}"><td>{_e(c.unit)}</td><td class="num">{len(c.led)}</td><td class="num">{len(c.joined)}</td>'
        f'<td class="num">{c.done}</td><td class="num">{c.overdue}</td><td class="num">{c.due_soon}</td><td class="num">{c.pending}</td>'
        f'<td class="rate">{bar}{_e(fmt_percent(rate))}</td></tr>'
    )


def _units(snap: Snapshot) -> str:
    shown = [c for c in snap.cards if c.measures]
    rest = len(snap.cards) - len(shown)
    head = "<tr><th>责任单位</th><th>牵头</th><th>配合</th><th>已完成</th><th>逾期</th><th>临期</th><th>待复核</th><th>按期完成率</th></tr>"
    note = f'<p class="note">另有 {rest} 个单位只承担县区责任清单中的职责，见 Excel 台账。</p>' if rest else ""
    rule = "按期完成率 = 按期完成数 ÷（已完成数 + 逾期未完成数）；未到期的未完成措施不计。"
    return (
        f'<section id="units"><h2>责任单位履职（逾期多的在前）</h2><div class="units-wrap"><table class="list units">'
        f"<thead>{head}</thead><tbody>{''.join(_unit_row(c) for c in shown)}</tbody></table></div>"
        f'<p class="note">{rule}</p>{note}</section>'
    )


def _footer(snap: Snapshot, version: str) -> str:
    issued = f"{len(snap.members)} 个台账" if snap.members else f"{snap.plan.issuer} · {snap.plan.doc_number}"
    return (
        f'<footer><span>截至 {snap.as_of.isoformat()}</span><span>数据版本：<code id="data-version">{_e(version)}</code>'
        f"</span><span>{_e(issued)}</span><span>由 bizenv-ledger 生成</span></footer>"
    )


def board_html(
    snap: Snapshot, *, scope: str = "", version: str, stale: frozenset[str] = frozenset(), period: str = ""
) -> str:
    """``stale``: ids of the open measures with no progress report in the reporting ``period`` (its label)."""
    title = _title(snap)
    sections = [_header(snap, scope), _red(snap), _goals(snap), _indicators(snap), _measures(snap, stale, period)]
    body = "".join([*sections, _units(snap)])
    return visible(
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>{_e(title)} · {snap.as_of.isoformat()}</title><style>{CSS}</style></head>\n"
        f"<body>{body}{_footer(snap, version)}</body></html>\n"
    )
