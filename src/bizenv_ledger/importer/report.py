"""The 导入报告: what was imported from where, what needs a person's eye, what was skipped."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.errors import Problem
from .findings import Findings

__all__ = ["ReportInput", "render_report", "render_summary"]


@dataclass(frozen=True, slots=True)
class ReportInput:
    sources: list[str]  # one line per document: name, format, encoding, shape
    out_dir: str
    indicators: int
    measures: int
    units: int
    counties: list[str]
    findings: Findings
    check_problems: list[Problem]


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def _summary_lines(r: ReportInput) -> list[str]:
    review = len(r.findings.review) + len(r.check_problems)
    out = [f"- 来源：{s}" for s in r.sources]
    counties = f"，县区清单：{'、'.join(r.counties)}" if r.counties else ""
    out.append(f"- 写入：{r.out_dir}（{r.indicators} 项指标，{r.measures} 项措施，{r.units} 个责任单位{counties}）")
    if r.check_problems:
        out.append(f"- 台账校验（ledger check）：未通过，{len(r.check_problems)} 个问题，见下")
    else:
        out.append("- 台账校验（ledger check）：通过")
    out.append(f"- 需要复核：{review} 处" if review else "- 需要复核：无")
    if r.findings.proposed:
        out.append(f"- 建议的指标项：{len(r.findings.proposed)} 项，均按原文数字建议，须逐项复核（见报告）")
    return out


def render_summary(r: ReportInput) -> str:
    """What the terminal shows: the summary and the places to review (the full report is in the file)."""
    out = ["导入报告", *_summary_lines(r)]
    for p in r.check_problems:
        out.append(f"  校验：{p.render()}")
    for f in r.findings.review:
        out.append(f"  {f.where}［{f.kind}］{f.message}" + (f"：“{f.text}”" if f.text else ""))
    if r.findings.skipped:
        out.append(f"- 跳过：{len(r.findings.skipped)} 处（见报告）")
    out.append(f"完整报告：{r.out_dir}/导入报告.md")
    return "\n".join(out) + "\n"


def render_report(r: ReportInput) -> str:
    out = ["# 导入报告", "", *_summary_lines(r), ""]
    out += [f"- {note}" for note in r.findings.notes]
    out += ["", "## 需要复核", ""]
    if not r.findings.review and not r.check_problems:
        out.append("无。")
    if r.check_problems:
        out += ["台账校验发现的问题（请先修正这些，再运行 `ledger check`）：", ""]
        out += [f"- {p.render()}" for p in r.check_problems]
        out.append("")
    if r.findings.review:
        out += ["| 位置 | 类别 | 说明 | 原文 |", "|---|---|---|---|"]
        for f in r.findings.review:
            out.append(f"| {f.where} | {f.kind} | {_cell(f.message)} | {_cell(f.text)} |")
    out += ["", "## 建议的指标项（均待复核）", ""]
    if r.findings.proposed:
        out.append("按原文数字与是/否事实建议；方向按单位与措辞推测，配对按名称。请逐项核对后删去 `# review:` 注释。")
        out += [
            "",
            "| 指标 | 键 | 名称 | 单位 | 方向 | 最优 / 现状 / 目标 | 配对 | 原文 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in r.findings.proposed]
    else:
        out.append("无。")
    out += ["", "## 措施来源", ""]
    if r.findings.measure_sources:
        out += ["| 编号 | 原文位置 |", "|---|---|"]
        out += [f"| {mid} | {where} |" for mid, where in r.findings.measure_sources.items()]
    else:
        out.append("无。")
    out += ["", "## 跳过的部分", ""]
    if r.findings.skipped:
        out += ["| 位置 | 内容 | 原因 |", "|---|---|---|"]
        out += [f"| {s.where} | {_cell(s.title)} | {s.reason} |" for s in r.findings.skipped]
    else:
        out.append("无。")
    return "\n".join(out) + "\n"
