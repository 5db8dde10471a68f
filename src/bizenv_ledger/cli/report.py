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
from . import completion
from .app import AsOf, command, parse_as_of, state, write_out
from .options import (
    CountyOpt,
    DueAfterOpt,
    DueBeforeOpt,
    GrepOpt,
    IndicatorOpt,
    LeadOpt,
    LedgerOpt,
    LightOpt,
    SlippedOpt,
    StatusOpt,
    UnitOpt,
    WithinOpt,
    scope,
    window_option,
)

if TYPE_CHECKING:
    from datetime import date

    from ..model.domain import Member
    from ..queries.report import Month, MonthlyReport, Snapshot

__all__ = ["data_version", "write_file"]

NO_GIT = "未纳入 git"

OutOpt = Annotated[Path | None, typer.Option("--output", "-o", metavar="文件", help="输出文件；不给则写到标准输出。")]


def _why(exc: OSError) -> str:
    reasons = {
        # Windows also says "access denied" when the file is open in Excel or WPS, the likeliest cause there.
        errno.EACCES: "没有写入权限，或文件正在 Excel、WPS 等程序中打开（请先关闭它）",
        errno.EPERM: "没有写入权限，或文件正在 Excel、WPS 等程序中打开（请先关闭它）",
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


def _told(message: str) -> None:
    from ..render.safe import visible

    sys.stderr.write(visible(message) + "\n")  # the file name as typed, shown escaped


def _deliver(out: Path | None, data: bytes, what: str) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_file(out, data)
    _told(f"已写入{what}：{out}")


def data_version(root: Path, rev: str = "HEAD") -> str:
    """The data's git commit (short hash), marked when the work tree has changes; or 未纳入 git.

    ``rev`` other than HEAD names a ref of the repository at ``root`` (a ledger read from git: no work tree).
    """

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        # git speaks UTF-8; without an encoding Python would decode with the code page (GBK on Chinese Windows).
        cmd = ["git", "-C", str(root), *args]
        return subprocess.run(cmd, capture_output=True, encoding="utf-8", errors="replace", timeout=20, check=False)

    try:
        head = git("rev-parse", "--short", "--verify", "--end-of-options", f"{rev}^{{commit}}")
        if head.returncode != 0 or not head.stdout.strip():
            return NO_GIT
        dirty = git("status", "--porcelain", "--", ".").stdout.strip() if rev == "HEAD" else ""
    except (OSError, subprocess.SubprocessError):
        return NO_GIT
    return head.stdout.strip() + ("（另有未提交的修改）" if dirty else "")


def workspace_version(members: list[Member]) -> str:
    """Each ledger of a workspace with its own version: 张掖市 bd609ee、临泽县 linze/main 3f2a1b0、…"""
    ws = state().workspace()
    parts = []
    for m in members:
        entry = ws.entry(m.name) if ws is not None else None
        if m.ref is not None and entry is not None and entry.repo is not None:
            parts.append(f"{m.name} {m.ref} {data_version(entry.repo, m.ref)}")
        elif m.root is not None:
            parts.append(f"{m.name} {data_version(Path(m.root))}")
    return "、".join(parts)


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
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="格式",
            help="xlsx、csv 或 json；默认按 -o 文件的扩展名。",
            autocompletion=completion.export_formats,
        ),
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
    grep: GrepOpt = None,
    only: LedgerOpt = None,
    within: WithinOpt = "7d",
    as_of: AsOf = None,
) -> None:
    """导出工作台账：Excel（措施台账、指标对标、责任单位、县区责任清单四张表）、CSV（措施台账）或 JSON。"""
    from ..queries.report import snapshot
    from ..render import xlsx
    from ..render.progress import WorkProgress

    chosen = _export_format(out, fmt)
    day = parse_as_of(as_of)
    flt, label = scope(
        indicator=indicator, unit=unit, lead=lead, status=status, light=light, due_before=due_before,
        due_after=due_after, county=county, slipped=slipped, grep=grep, only=only,
    )  # fmt: skip
    with WorkProgress("读取台账") as tick:
        ledger = state().ledger(progress=tick)
    snap = snapshot(ledger, day, flt, window_option(within, day))
    if chosen == "xlsx":
        version = workspace_version(snap.members) if snap.members else data_version(state().root())
        with WorkProgress("生成工作簿", large=_large(snap)) as tick:
            data = xlsx.workbook_bytes(
                xlsx.sheets(snap), day, plan=xlsx.workbook_plan(snap), version=version, scope=label, progress=tick
            )
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
    grep: GrepOpt = None,
    only: LedgerOpt = None,
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
        due_after=due_after, county=county, slipped=slipped, grep=grep, only=only,
    )  # fmt: skip
    from ..queries.cycles import current_period, stale_views

    with WorkProgress("生成挂图作战图") as tick:  # three steps: the ledger, its snapshot, the page
        ledger = state().ledger(progress=lambda done, total: tick(done * 2 // total, 6))
        snap = snapshot(ledger, day, flt, window_option(within, day))
        tick(4, 6)
        period = current_period(ledger.plan.reporting, day)
        stale = frozenset(v.id for v in stale_views(snap.views, period))
        version = workspace_version(snap.members) if snap.members else data_version(state().root())
        html = board_html(snap, scope=label, version=version, stale=stale, period=period.label)
        tick(6, 6)
    _deliver(out, html.encode("utf-8"), "挂图作战图")


def _report_format(out: Path | None, fmt: str | None) -> str:
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in ("md", "html", "docx"):
            raise UsageError(f"--format 只能是 md、html 或 docx，而不是“{fmt}”")
    elif out is not None and out.suffix.lower() in (".html", ".htm"):
        fmt = "html"
    elif out is not None and out.suffix.lower() == ".docx":
        fmt = "docx"
    else:
        fmt = "md"
    if fmt == "docx" and out is None:
        raise UsageError("Word 通报须用 -o 指定文件，如 -o 九月通报.docx")
    return fmt


def _render_report(rep: MonthlyReport, chosen: str, label: str, keep_fonts: bool) -> bytes:
    if chosen == "docx":
        from ..render.docx import bulletin_docx
        from .fonts import choose_fonts, installed_families

        fonts, notes = choose_fonts(installed_families(), keep=keep_fonts)
        for note in notes:
            sys.stderr.write(note + "\n")
        return bulletin_docx(rep, scope=label, fonts=fonts)
    from ..render.bulletin import bulletin_html, bulletin_markdown

    text = bulletin_html(rep, scope=label) if chosen == "html" else bulletin_markdown(rep, scope=label)
    return text.encode("utf-8")


def _report_day(period: Month, as_of: str | None) -> date:
    """The day the 通报 is as of and signed on: the month's last day, or today while the month runs.

    A 通报 is signed with this date, so one for a month that has not ended is never dated in the
    future without a word: by default it stops at today and says so; one for a month not yet begun
    is refused; an explicit --as-of after today is done as asked, with a warning.
    """
    from .app import real_today

    today = real_today()
    if as_of is not None:
        day = parse_as_of(as_of)
        if day < period.first:
            raise UsageError(f"--as-of {day.isoformat()} 早于所报月份 {period.label}，无从通报")
        if day > today:
            sys.stderr.write(
                f"注意：截至日 {day.isoformat()} 晚于今天（{today.isoformat()}），通报所述是按该日推算的情况。\n"
            )
        return day
    if period.first > today:
        msg = f"{period.label}尚未开始（今天是 {today.isoformat()}），无从通报；如确需预先生成，请用 --as-of 指定截至日"
        raise UsageError(msg)
    if period.last > today:
        sys.stderr.write(f"注意：{period.label}尚未结束，通报截至今天（{today.isoformat()}），落款日期也是今天。\n")
        return today
    return period.last


@command("report")
def report_cmd(
    month: Annotated[
        str,
        typer.Option(
            "--month",
            "-m",
            metavar="月份",
            help="通报的月份：2022-09、2022/9 或 2022年9月。",
            show_default=False,
            autocompletion=completion.months,
        ),
    ],
    out: OutOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="格式",
            help="md、html 或 docx（Word 公文）；默认按 -o 的扩展名，否则 md。",
            autocompletion=completion.report_formats,
        ),
    ] = None,
    keep_fonts: Annotated[
        bool, typer.Option("--keep-fonts", help="Word 通报保留公文规定的字体名，即使本机没有这些字体。")
    ] = False,
    indicator: IndicatorOpt = None,
    unit: UnitOpt = None,
    lead: LeadOpt = False,
    status: StatusOpt = None,
    light: LightOpt = None,
    due_before: DueBeforeOpt = None,
    due_after: DueAfterOpt = None,
    county: CountyOpt = None,
    slipped: SlippedOpt = False,
    grep: GrepOpt = None,
    only: LedgerOpt = None,
    within: WithinOpt = "7d",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            envvar="LEDGER_AS_OF",
            metavar="日期",
            help="以哪一天为准；默认为所报月份的最后一天。",
            show_default=False,
        ),
    ] = None,
) -> None:
    """月度工作进展通报：本月完成、新增逾期、仍逾期、延期、各单位按期完成率、指标数据变化。"""
    from ..model.dates import DeadlineError
    from ..queries.report import monthly_report, parse_month

    chosen = _report_format(out, fmt)
    try:
        period = parse_month(month)
    except DeadlineError as exc:
        raise UsageError(f"--month：{exc}") from None
    day = _report_day(period, as_of)
    flt, label = scope(
        indicator=indicator, unit=unit, lead=lead, status=status, light=light, due_before=due_before,
        due_after=due_after, county=county, slipped=slipped, grep=grep, only=only,
    )  # fmt: skip
    rep = monthly_report(state().ledger(), period, day, flt, window_option(within, day))
    data = _render_report(rep, chosen, label, keep_fonts)
    if out is None:
        write_out(data.decode("utf-8"))
        return
    write_file(out, data)
    _told(f"已写入{period.label}通报：{out}")
