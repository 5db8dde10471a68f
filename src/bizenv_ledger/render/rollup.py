"""The roll-up's table and JSON objects: each ledger of a workspace side by side."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .table import Table
from .values import fmt_percent, json_number

if TYPE_CHECKING:
    from ..queries.rollup import RollupRow

__all__ = ["rollup_dict", "rollup_table"]

HEADERS = ["台账", "来源", "措施数", "已完成", "未完成", "红灯", "黄灯", "按期完成率", "逾期最久"]


def _longest(row: RollupRow) -> str:
    v = row.longest
    return f"{v.id}（{v.days_overdue} 天）" if v is not None else "—"


def rollup_table(rows: list[RollupRow], as_of: date) -> Table:
    table = Table(f"各台账对比 · 截至 {as_of.isoformat()}", HEADERS, right={2, 3, 4, 5, 6, 7}, shrink=[1, 8])
    for r in rows:
        source = f"git 引用 {r.member.ref}（只读）" if r.member.ref else r.member.source
        cells = [r.member.label, source, str(len(r.views)), str(r.done), str(r.open), str(r.count("red"))]
        style = "red" if r.count("red") else ("yellow" if r.count("yellow") else None)
        table.add([*cells, str(r.count("yellow")), fmt_percent(r.on_time_rate), _longest(r)], style)
    table.notes.append("按期完成率 = 按期完成数 ÷（已完成数 + 逾期未完成数）；未到期的未完成措施不计。")
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
