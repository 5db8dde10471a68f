"""The roll-up's table and JSON objects: each ledger of a workspace side by side."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .screen import RIGHT, Cell, Column, Part, Screen, cell, names, prose, words
from .table import Table
from .values import fmt_percent, json_number

if TYPE_CHECKING:
    from ..queries.rollup import RollupRow

__all__ = ["rollup_dict", "rollup_table"]

ROLLUP_NOTE = "按期完成率 = 按期完成数 ÷（已完成数 + 逾期未完成数）；未到期的未完成措施不计。"
HEADERS = ["台账", "来源", "措施数", "已完成", "未完成", "红灯", "黄灯", "按期完成率", "逾期最久"]


def _longest(row: RollupRow) -> str:
    v = row.longest
    return f"{v.id}（{v.days_overdue} 天）" if v is not None else "—"


def rollup_table(rows: list[RollupRow], as_of: date) -> Table:
    title = f"各台账对比 · 截至 {as_of.isoformat()}"
    table = Table(title, HEADERS, right={2, 3, 4, 5, 6, 7}, notes=[ROLLUP_NOTE])
    counts = [Column(words([h[:-1], h[-1]]), RIGHT) for h in ("措施数", "已完成", "未完成")]
    counts += [Column("红灯", RIGHT), Column("黄灯", RIGHT), Column(words(["按期", "完成", "率"]), RIGHT)]
    counts += [Column(words(["逾期", "最久"]))]
    # the ledger's name is never broken; where it came from takes what is left, else it is listed under the table
    wide = Screen(title, [Column("台账"), *counts, Column("来源", flex=1, at_least=0.2)])
    narrow = Screen(title, [Column("台账"), *counts])
    sources: list[Part] = [prose("来源：")]
    for r in rows:
        source = f"git 引用 {r.member.ref}（只读）" if r.member.ref else r.member.source
        red, yellow = r.count("red"), r.count("yellow")
        cells = [r.member.label, source, str(len(r.views)), str(r.done), str(r.open), str(red), str(yellow)]
        cells += [fmt_percent(r.on_time_rate), _longest(r)]
        table.add(cells)
        style = "red" if red else ("yellow" if yellow else None)
        longest = words(["—"])
        if r.longest is not None:  # a qualified id may break after its ledger's name, never inside the number
            where, colon, number = r.longest.id.rpartition(":")
            longest = words([where + colon, number, f"（{r.longest.days_overdue} 天）"])
        row: list[Cell | str] = [(names([r.member.label], lead=False),), *cells[2:5], cell(prose(cells[5], style))]
        row += [cells[6], cells[7], (longest,)]
        wide.add(*row, (words([source]),) if r.member.ref else cells[1])  # a ref and its （只读） stay together
        narrow.add(*row)
        sources.append(words([f"{r.member.label}：", source]))
    wide.notes = [prose(ROLLUP_NOTE)]
    narrow.notes = [prose(ROLLUP_NOTE), *sources]
    table.screens = [wide, narrow]
    return table


def rollup_dict(row: RollupRow) -> dict[str, Any]:
    m, longest = row.member, row.longest
    return {
        "ledger": m.name,
        "label": m.label,
        "source": m.source,
        "ref": m.ref,
        "read_only": m.ref is not None,
        "measures": len(row.views),
        "done": row.done,
        "open": row.open,
        "red": row.count("red"),
        "yellow": row.count("yellow"),
        "on_time_rate": json_number(row.on_time_rate),
        "longest_overdue": {"id": longest.id, "days": longest.days_overdue} if longest is not None else None,
    }
