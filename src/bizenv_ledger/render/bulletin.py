"""The monthly 通报 as Markdown or HTML: the text a 营商办 sends. It only shows ``MonthlyReport``.

The document is built once as blocks (headings, paragraphs, tables) and then
written in either form, so the two never drift apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from html import escape

from ..queries.measures import MeasureView
from ..queries.report import LONG_OVERDUE_DAYS, MonthlyReport
from .safe import visible
from .table import Table
from .values import LIGHT_LABELS, fmt_gap, fmt_percent, fmt_value
from .views import deadline_cell

__all__ = ["Block", "blocks_markdown", "bulletin_blocks", "bulletin_html", "bulletin_markdown", "cn_date"]

CHANGE_LABELS = {"better": "改善", "worse": "退步", "same": "持平", "new": "新报数据"}
SECTIONS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # title | subtitle | heading | para | table | sign
    text: str = ""
    table: Table | None = None


def _table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> Block:
    t = Table("", headers, right=right or set())
    for row in rows:
        t.add(row)
    return Block("table", table=t)


def _overview(rep: MonthlyReport) -> list[Block]:
    n, done, lights = len(rep.views), rep.done, rep.lights
    text = (
        f"{'方案确定的' if not rep.filtered else '所选范围内的'}{n}项整改措施中，截至{_md(rep.as_of)}，"
        f"已完成{done}项{f'（其中本月完成{len(rep.finished)}项）' if rep.finished else ''}，未完成{n - done}项。"
        f"未完成的措施中，逾期未完成（红灯）{lights['red']}项，{rep.window}日内到期（黄灯）{lights['yellow']}项，"
        f"其余{lights['green']}项按计划推进{'（不含待复核）' if lights['pending'] else ''}。"
    )
    if lights["pending"]:
        text += f"另有{lights['pending']}项已由责任单位申请销号，待复核。"
    if lights["ongoing"]:
        text += f"已完成的措施中有{lights['ongoing']}项为长期坚持事项，已转入持续推进。"
    return [Block("para", text)]


def _finished(rep: MonthlyReport) -> list[Block]:
    if not rep.finished:
        return [Block("para", "本月无完成销号的措施。")]
    late = rep.finished_late
    text = f"本月共完成并销号{len(rep.finished)}项措施。"
    if late:
        text += f"其中{len(late)}项超过完成时限才完成（{'、'.join(v.id for v in late)}）。"
    rows = []
    for v in rep.finished:
        assert v.closing is not None
        evidence = "；".join(e.ref for e in v.closing.evidence) or (v.closing.note or "—")
        rows.append([v.id, v.indicator_name, v.measure.text, v.lead, v.closing.on.isoformat(), evidence])
    return [Block("para", text), _table(["编号", "指标", "措施", "牵头单位", "销号日期", "佐证材料"], rows)]


def _reopened(rep: MonthlyReport) -> list[Block]:
    """Closings sent back in the month (退回整改): the measure, the closing it undid, the reason, where it stands."""
    if not rep.reopened:
        return [Block("para", "本月无退回整改事项。")]
    text = f"本月共有{len(rep.reopened)}项措施经复核退回整改，原销号记录留档备查，按未完成重新计算。"
    late = [r for r in rep.reopened if r.view.light == "red"]
    if late:
        text += f"其中{len(late)}项已超过完成时限，列入逾期未完成事项。"
    rows = []
    for r in rep.reopened:
        undone, v = r.reopening.closing, r.view
        evidence = "；".join(e.ref for e in undone.evidence) or (undone.note or "—")
        rows.append(
            [v.id, v.indicator_name, v.measure.text, v.lead, undone.on.isoformat(), evidence,
             r.reopening.on.isoformat(), r.reopening.reason, _state(v.light, v.days_overdue, v.done_on)]
        )  # fmt: skip
    headers = ["编号", "指标", "措施", "牵头单位", "原销号日期", "原佐证材料", "退回日期", "退回原因", "目前状态"]
    return [Block("para", text), _table(headers, rows)]


def _state(light: str, days: int | None, done_on: date | None) -> str:
    if light == "red":
        return f"仍逾期，已逾期{days}天"
    if done_on is not None:
        return f"已于{_md(done_on)}完成"
    return LIGHT_LABELS[light]


def _newly_red(rep: MonthlyReport) -> list[Block]:
    if not rep.newly_red:
        return [Block("para", "本月无新增逾期事项。")]
    leads = Counter(n.view.lead for n in rep.newly_red)
    text = (
        f"本月新增逾期{len(rep.newly_red)}项，涉及{len(leads)}个牵头单位："
        + "；".join(f"{u}{k}项" for u, k in leads.most_common())
        + "。"
    )
    rows = [
        [
            n.view.id, n.view.indicator_name, n.view.measure.text, n.view.lead, n.due.isoformat(),
            n.went_red_on.isoformat(), _state(n.view.light, n.view.days_overdue, n.view.done_on),
        ]
        for n in rep.newly_red
    ]  # fmt: skip
    headers = ["编号", "指标", "措施", "牵头单位", "到期日", "转为逾期", "目前状态"]
    return [Block("para", text), _table(headers, rows)]


def _still_red(rep: MonthlyReport) -> list[Block]:
    if not rep.still_red:
        return [Block("para", f"截至{_md(rep.as_of)}，无逾期未完成事项。"), *_missed_milestones(rep)]
    text = f"截至{_md(rep.as_of)}，仍有{len(rep.still_red)}项措施逾期未完成"
    text += f"，其中逾期超过{LONG_OVERDUE_DAYS}天的{len(rep.long_overdue)}项。" if rep.long_overdue else "。"
    rows = [
        [v.id, v.indicator_name, v.measure.text, v.lead, deadline_cell(v), f"{v.days_overdue}天"] for v in rep.still_red
    ]
    return [
        Block("para", text),
        _table(["编号", "指标", "措施", "牵头单位", "完成时限", "逾期"], rows, {5}),
        *_missed_milestones(rep),
    ]


def _missed_milestones(rep: MonthlyReport) -> list[Block]:
    """Open measures not yet late as a whole whose dated steps (8月底前…) are."""
    late = [v for v in rep.views if v.missed_milestones and v.light != "red"]
    if not late:
        return []
    items = "；".join(
        f"{v.id}（{v.lead}）的" + "、".join(f"“{m.milestone.text}”" for m in v.missed_milestones) for v in late
    )
    return [Block("para", f"另有{len(late)}项措施尚未到期，但其阶段性节点已过期未完成：{items}。")]


def _postponed(rep: MonthlyReport) -> list[Block]:
    if not rep.postponed:
        return [Block("para", "本月无延期事项。")]
    text = f"本月共有{len(rep.postponed)}项措施调整完成时限，原时限留档备查。"
    rows = [
        [p.view.id, p.view.indicator_name, p.view.lead, p.postponement.old, p.postponement.new,
         p.postponement.on.isoformat(), p.postponement.reason]
        for p in rep.postponed
    ]  # fmt: skip
    return [Block("para", text), _table(["编号", "指标", "牵头单位", "原完成时限", "调整为", "调整日期", "理由"], rows)]


def _units(rep: MonthlyReport) -> list[Block]:
    rule = "按期完成率＝按期完成数÷（已完成数＋逾期未完成数），未到期的未完成措施不计。"
    if not rep.units:
        return [Block("para", rule + f"截至{_md(rep.as_of)}，尚无已完成或已到期的措施。")]
    text = rule + f"截至{_md(rep.as_of)}，{len(rep.units)}个责任单位有已完成或已到期的措施，按期完成率由低到高如下："
    rows = [
        [c.unit, str(len(c.led)), str(len(c.joined)), str(c.done), str(c.overdue), fmt_percent(c.on_time_rate)]
        for c in rep.units
    ]
    return [
        Block("para", text),
        _table(["责任单位", "牵头", "配合", "已完成", "逾期", "按期完成率"], rows, {1, 2, 3, 4, 5}),
    ]


def _reporting(rep: MonthlyReport) -> list[Block]:
    period = rep.reporting_period
    if period is None or not rep.reporting:
        return [Block("para", "本期没有需要报送进展的单位。")]
    on_time = [r.unit for r in rep.reporting if r.reported_on is not None and not r.late]
    late = [r for r in rep.reporting if r.late]
    missing = [r.unit for r in rep.reporting if r.missing]
    text = (
        f"{period.label}工作进展应于{_md(period.due)}前报送。截至{_md(rep.period_end)}，"
        f"按时报送{len(on_time)}个单位，逾期报送{len(late)}个单位，未报送{len(missing)}个单位。"
    )
    rows = [["按时报送", "、".join(on_time) or "无"]]
    rows.append(["逾期报送", "、".join(f"{r.unit}（{_md(r.reported_on)}）" for r in late if r.reported_on) or "无"])
    rows.append(["未报送", "、".join(missing) or "无"])
    return [Block("para", text), _table(["情况", "单位"], rows)]


def _movements(rep: MonthlyReport) -> list[Block]:
    if not rep.movements:
        return [Block("para", "本月各指标项未报送新的数据。")]
    changes = Counter(m.change for m in rep.movements)
    text = f"本月{len(rep.movements)}个指标项报送了新数据，" + "，".join(
        f"{CHANGE_LABELS[k]}{changes[k]}项" for k in CHANGE_LABELS if changes[k]
    ) + "。"  # fmt: skip
    rows = []
    for m in rep.movements:
        before = fmt_value(m.before) + (f"（{m.before_on.isoformat()}）" if m.before_on else "（基线）")
        after = f"{fmt_value(m.after)}（{m.after_on.isoformat()}）"
        rows.append(
            [m.indicator.name, m.metric.name, m.metric.unit, before, after, CHANGE_LABELS[m.change],
             fmt_value(m.metric.best), fmt_gap(m.row.gap_to_best, m.metric)]
        )  # fmt: skip
    headers = ["指标", "指标项", "单位", "此前", "本月", "变化", "全省最优", "与最优差距"]
    return [Block("para", text), _table(headers, rows)]


def _next_steps(rep: MonthlyReport) -> list[Block]:
    nxt = rep.month.next()
    out = []
    soon = [v for v in rep.views if v.light == "yellow"]
    if soon:
        ids = "、".join(f"{v.id}（{v.lead}，{_due_text(v)}）" for v in soon)
        out.append(f"临期（{rep.window}日内到期）的措施共{len(soon)}项：{ids}。请相关牵头单位抓紧办结，避免逾期。")
    later = [v for v in rep.due_next if v.light != "yellow"]
    if later:
        ids = "、".join(f"{v.id}（{v.lead}）" for v in later)
        lead = "还有" if len(later) < len(rep.due_next) else "共"
        out.append(f"{nxt.label}到期的措施{lead}{len(later)}项：{ids}。请各牵头单位加快推进，确保按期完成。")
    elif not rep.due_next:
        out.append(f"{nxt.label}无到期措施，请各责任单位按计划推进。")
    if rep.still_red:
        out.append(
            "请逾期事项的牵头单位抓紧整改，向市营商办书面报送整改进展、逾期原因和完成时间，"
            "确需延期的，按程序提出延期申请。"
        )
    if rep.reopened:
        out.append("退回整改的措施，请牵头单位按复核意见抓紧整改，整改到位后重新报送佐证材料，申请销号。")
    out.append("已完成的措施，请及时报送佐证材料，办理销号。")
    return [Block("para", t) for t in out]


def _due_text(v: MeasureView) -> str:
    due = v.deadline.due
    if due is None:
        return v.deadline.written
    return f"{_md(due)}到期"


def bulletin_blocks(rep: MonthlyReport, scope: str) -> list[Block]:
    """The 通报 as blocks, written by each form (Markdown, HTML, Word) in its own way."""
    place = rep.place
    blocks = [Block("title", f"{place}优化营商环境对标整改提升工作进展通报（{rep.month.label}）")]
    if scope:
        blocks.append(Block("subtitle", f"（范围：{scope}）"))
    intro = (
        f"根据《{rep.plan.title}》（{rep.plan.doc_number}）要求，现将截至{cn_date(rep.as_of)}"
        f"{'全市' if not rep.filtered else '所选范围内'}对标整改提升工作进展情况通报如下。"
    )
    blocks.append(Block("para", intro))
    sections = [
        ("总体进展", _overview(rep)),
        ("本月完成事项", _finished(rep)),
        ("本月退回整改事项", _reopened(rep)),
        ("本月新增逾期事项", _newly_red(rep)),
        ("逾期未完成事项", _still_red(rep)),
        ("本月延期事项", _postponed(rep)),
        ("各责任单位按期完成情况", _units(rep)),
        *([("各责任单位报送情况", _reporting(rep))] if rep.reporting_period else []),
        ("指标数据变化", _movements(rep)),
        ("下步工作要求", _next_steps(rep)),
    ]
    for number, (heading, body) in zip(SECTIONS, sections, strict=False):
        blocks.append(Block("heading", f"{number}、{heading}"))
        blocks.extend(body)
    blocks.append(Block("sign", rep.plan.issuer))
    blocks.append(Block("sign", cn_date(rep.as_of)))
    return blocks


def bulletin_markdown(rep: MonthlyReport, *, scope: str = "") -> str:
    return blocks_markdown(bulletin_blocks(rep, scope))


def blocks_markdown(blocks: list[Block]) -> str:
    """Bulletin blocks (the 通报, a 督办通知) as Markdown."""
    out = []
    for b in blocks:
        if b.kind == "title":
            out.append(f"# {b.text}\n")
        elif b.kind == "heading":
            out.append(f"## {b.text}\n")
        elif b.kind == "table" and b.table is not None:
            out.append(b.table.to_markdown())
        elif b.kind == "sign":
            out.append(f"{b.text}\n")
        else:
            out.append(f"{b.text}\n")
    return visible("\n".join(out))


_CSS = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun","Songti SC",serif;max-width:60em;margin:2em auto;
padding:0 1.5em;line-height:1.8;color:#111}
h1{font-size:1.55em;text-align:center;margin:.8em 0 .2em;color:#b00}
.subtitle{text-align:center;color:#444;margin:0 0 1em}
h2{font-size:1.15em;margin:1.2em 0 .4em}
p{text-indent:2em;margin:.3em 0}
p.sign{text-align:right;text-indent:0;margin:0}
table{border-collapse:collapse;width:100%;margin:.4em 0 .8em;font-size:.9em;line-height:1.5}
th,td{border:1px solid #999;padding:.25em .45em;vertical-align:top;text-align:left}
th{background:#eee;white-space:nowrap}
td.num{text-align:right;white-space:nowrap}
td.nw{white-space:nowrap}
@page{size:A4;margin:18mm 16mm}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def _cell_class(i: int, text: str, t: Table) -> str:
    """Figures right-aligned; short cells (ids, dates, 2022年7月) kept on one line."""
    if i in t.right:
        return " class=num"
    return " class=nw" if len(text) <= 12 else ""


def _html_table(t: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in t.headers)
    body = "".join(
        "<tr>" + "".join(f"<td{_cell_class(i, c, t)}>{escape(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in t.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def bulletin_html(rep: MonthlyReport, *, scope: str = "") -> str:
    blocks = bulletin_blocks(rep, scope)
    parts = []
    for b in blocks:
        if b.kind == "title":
            parts.append(f"<h1>{escape(b.text)}</h1>")
        elif b.kind == "subtitle":
            parts.append(f'<p class="subtitle">{escape(b.text)}</p>')
        elif b.kind == "heading":
            parts.append(f"<h2>{escape(b.text)}</h2>")
        elif b.kind == "table" and b.table is not None:
            parts.append(_html_table(b.table))
        elif b.kind == "sign":
            parts.append(f'<p class="sign">{escape(b.text)}</p>')
        else:
            parts.append(f"<p>{escape(b.text)}</p>")
    title = escape(blocks[0].text)
    return visible(
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
