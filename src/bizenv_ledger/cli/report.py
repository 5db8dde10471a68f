"""Report commands: export (Excel 台账, CSV, JSON), board (挂图作战 HTML) and report (monthly 通报).

Thin: parse options, build the snapshot or the month's report, render, write the
file atomically (a temporary file beside it, then a rename), so a failure never
leaves half a file behind.
"""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..model.errors import UsageError, WriteRefused
from .app import AsOf, command, parse_as_of, state, write_out
from .options import (
    CountyOpt,
    DueAfterOpt,
    DueBeforeOpt,
    IndicatorOpt,
    LeadOpt,
    LightOpt,
    SlippedOpt,
    StatusOpt,
    UnitOpt,
    WithinOpt,
    scope,
    window_option,
)

if TYPE_CHECKING:
    from ..queries.report import Snapshot

__all__ = ["data_version", "write_file"]

NO_GIT = "未纳入 git"

OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="输出文件；不给则写到标准输出。")]


def _why(exc: OSError) -> str:
    reasons = {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOENT: "所在目录不存在",
        errno.ENOTDIR: "所在路径不是目录",
        errno.EROFS: "文件系统只读",
        errno.ENOSPC: "磁盘空间不足",
        errno.EISDIR: "这是一个目录",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (never half a file), turning OS faults into a message naming the path."""
    from ..store.files import atomic_write

    if path.is_dir():
        raise WriteRefused(f"无法写入“{path}”：这是一个目录")
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise WriteRefused(f"无法写入“{path}”：{_why(exc)}") from None


def _deliver(out: Path | None, data: bytes, what: str) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_file(out, data)
    sys.stderr.write(f"已写入{what}：{out}\n")


def data_version(root: Path) -> str:
    """The data's git commit (short hash), marked when the work tree has changes; or 未纳入 git."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20, check=False)

    try:
        head = git("rev-parse", "--short", "HEAD")
        if head.returncode != 0 or not head.stdout.strip():
            return NO_GIT
        dirty = git("status", "--porcelain", "--", ".").stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return NO_GIT
    return head.stdout.strip() + ("（另有未提交的修改）" if dirty else "")


def _large(snap: Snapshot) -> bool:
    from ..render.progress import LARGE

    return len(snap.views) > LARGE


def _export_format(out: Path | None, fmt: str | None) -> str:
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in ("xlsx", "csv", "json"):
            raise UsageError(f"--format 只能是 xlsx、csv 或 json，而不是“{fmt}”")
        chosen = fmt
    elif out is not None and out.suffix.lower() in (".xlsx", ".csv", ".json"):
        chosen = out.suffix.lower().lstrip(".")
    elif out is not None:
        raise UsageError(f"无法从文件名“{out}”判断格式：请以 .xlsx、.csv 或 .json 结尾，或加 --format")
    else:
        raise UsageError("请用 -o 给出输出文件（如 台账.xlsx），或用 --format csv|json 输出到标准输出")
    if chosen == "xlsx" and out is None:
        raise UsageError("Excel 工作簿须写入文件：请用 -o 给出文件名（如 台账.xlsx）")
    return chosen


@command("export")
def export_cmd(
    out: OutOpt = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="xlsx、csv 或 json；默认按 -o 文件的扩展名。")
    ] = None,
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    lead: LeadOpt = False,
    status: StatusOpt = None,
    light: LightOpt = None,
    due_before: DueBeforeOpt = None,
    due_after: DueAfterOpt = None,
    county: CountyOpt = None,
    slipped: SlippedOpt = False,
    within: WithinOpt = "7d",
    as_of: AsOf = None,
) -> None:
    """导出工作台账：Excel（措施台账、指标对标、责任单位、县区责任清单四张表）、CSV（措施台账）或 JSON。"""
    from ..queries.report import snapshot
    from ..render import xlsx
    from ..render.progress import WorkProgress

    chosen = _export_format(out, fmt)
    day = parse_as_of(as_of)
    flt, _ = scope(
        indicator=indicator, unit=unit, lead=lead, status=status, light=light, due_before=due_before,
        due_after=due_after, county=county, slipped=slipped,
    )  # fmt: skip
    with WorkProgress("读取台账") as tick:
        ledger = state().ledger(progress=tick)
    snap = snapshot(ledger, day, flt, window_option(within, day))
    if chosen == "xlsx":
        with WorkProgress("生成工作簿", large=_large(snap)) as tick:
            data = xlsx.workbook_bytes(xlsx.sheets(snap), day, progress=tick)
    elif chosen == "csv":
        data = xlsx.csv_bytes(xlsx.measure_sheet(snap))
    else:
        data = xlsx.export_json(snap).encode("utf-8")
    _deliver(out, data, f"工作台账（{len(snap.views)} 项措施）")


@command("board")
def board_cmd(
    out: OutOpt = None,
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    lead: LeadOpt = False,
    status: StatusOpt = None,
    light: LightOpt = None,
    due_before: DueBeforeOpt = None,
    due_after: DueAfterOpt = None,
    county: CountyOpt = None,
    slipped: SlippedOpt = False,
    within: WithinOpt = "7d",
    as_of: AsOf = None,
) -> None:
    """挂图作战图：一个自带样式与图表的 HTML 文件（不依赖外网），红灯在前，可直接打印。"""
    from ..queries.report import snapshot
    from ..render.board import board_html
    from ..render.progress import WorkProgress

    day = parse_as_of(as_of)
    flt, label = scope(
        indicator=indicator, unit=unit, lead=lead, status=status, light=light, due_before=due_before,
        due_after=due_after, county=county, slipped=slipped,
    )  # fmt: skip
    with WorkProgress("生成挂图作战图") as tick:  # three steps: the ledger, its snapshot, the page
        ledger = state().ledger(progress=lambda done, total: tick(done * 2 // total, 6))
        snap = snapshot(ledger, day, flt, window_option(within, day))
        tick(4, 6)
        html = board_html(snap, scope=label, version=data_version(state().root()))
        tick(6, 6)
    _deliver(out, html.encode("utf-8"), "挂图作战图")


def _report_format(out: Path | None, fmt: str | None) -> str:
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in ("md", "html"):
            raise UsageError(f"--format 只能是 md 或 html，而不是“{fmt}”")
        return fmt
    if out is not None and out.suffix.lower() in (".html", ".htm"):
        return "html"
    return "md"


@command("report")
def report_cmd(
    month: Annotated[
        str, typer.Option("--month", "-m", help="通报的月份：2022-09、2022/9 或 2022年9月。", show_default=False)
    ],
    out: OutOpt = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="md 或 html；默认按 -o 的扩展名，否则 md。")] = None,
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    lead: LeadOpt = False,
    status: StatusOpt = None,
    light: LightOpt = None,
    due_before: DueBeforeOpt = None,
    due_after: DueAfterOpt = None,
    county: CountyOpt = None,
    slipped: SlippedOpt = False,
    within: WithinOpt = "7d",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", envvar="LEDGER_AS_OF", help="以哪一天为准；默认为所报月份的最后一天。", show_default=False
        ),
    ] = None,
) -> None:
    """月度工作进展通报：本月完成、新增逾期、仍逾期、延期、各单位按期完成率、指标数据变化。"""
    from ..model.dates import DeadlineError
    from ..queries.report import monthly_report, parse_month
    from ..render.bulletin import bulletin_html, bulletin_markdown

    chosen = _report_format(out, fmt)
    try:
        period = parse_month(month)
    except DeadlineError as exc:
        raise UsageError(f"--month：{exc}") from None
    day = parse_as_of(as_of) if as_of is not None else period.last
    if day < period.first:
        raise UsageError(f"--as-of {day.isoformat()} 早于所报月份 {period.label}，无从通报")
    flt, label = scope(
        indicator=indicator, unit=unit, lead=lead, status=status, light=light, due_before=due_before,
        due_after=due_after, county=county, slipped=slipped,
    )  # fmt: skip
    rep = monthly_report(state().ledger(), period, day, flt, window_option(within, day))
    text = bulletin_html(rep, scope=label) if chosen == "html" else bulletin_markdown(rep, scope=label)
    if out is None:
        write_out(text)
        return
    write_file(out, text.encode("utf-8"))
    sys.stderr.write(f"已写入{period.label}通报：{out}\n")
