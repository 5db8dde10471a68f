"""The 督办通知 the office sends a unit: title, addressee, the items with deadlines and days overdue, the reply date.

Built as bulletin blocks, so the Markdown and the Word (GB/T 9704) forms are the 通报's own writers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model.domain import Plan
from ..queries.cycles import Period, UnitReport
from ..queries.measures import MeasureView
from .bulletin import Block, _table, cn_date
from .values import LIGHT_LABELS
from .views import deadline_cell

__all__ = ["Notice", "notice_blocks"]


@dataclass(frozen=True)
class Notice:
    plan: Plan
    report: UnitReport
    period: Period
    flagged: list[MeasureView]  # the unit's red and yellow measures
    as_of: date
    reply_by: date


def _days(v: MeasureView) -> str:
    if v.days_overdue:
        return f"逾期{v.days_overdue}天"
    return "今日到期" if v.days_left == 0 else f"剩{v.days_left}天"


def notice_blocks(n: Notice) -> list[Block]:
    unit = n.report.unit
    blocks = [Block("title", "优化营商环境对标整改提升工作督办通知"), Block("address", f"{unit}：")]
    reasons = []
    if n.report.missing:
        reasons.append(
            f"截至{cn_date(n.as_of)}，你单位尚未报送{n.period.label}工作进展（应于{cn_date(n.period.due)}前报送）"
        )
    elif n.report.late:
        reasons.append(f"你单位{n.period.label}工作进展于{cn_date(n.report.reported_on or n.as_of)}报送，晚于规定时限")
    if n.flagged:
        red = sum(1 for v in n.flagged if v.light == "red")
        reasons.append(f"你单位承担的整改措施中有{red}项逾期未完成、{len(n.flagged) - red}项即将到期")
    intro = (
        f"根据《{n.plan.title}》（{n.plan.doc_number}）关于销号管理、严把工作时限的要求，" + "；".join(reasons) + "。"
    )
    blocks.append(Block("para", intro))
    rows = [[v.id, v.indicator_name, "牵头" if v.lead == unit else "配合", deadline_cell(v), LIGHT_LABELS[v.light], _days(v)]
            for v in (n.flagged or n.report.open_measures)]  # fmt: skip
    blocks.append(_table(["编号", "指标", "职责", "完成时限", "状态", "逾期/剩余"], rows))
    blocks.append(
        Block(
            "para", f"请于{cn_date(n.reply_by)}前通过报送表反馈整改进展；已完成的请附佐证材料，确需延期的请说明理由。"
        )
    )
    blocks.append(Block("sign", n.plan.issuer))
    blocks.append(Block("sign", cn_date(n.as_of)))
    return blocks
