"""The progress bar of long work: on a terminal only, after a second or at once on a large ledger; and the
export it watches stays linear in the ledger's size."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.queries.measures import Filters
from bizenv_ledger.queries.report import snapshot
from bizenv_ledger.render import xlsx
from bizenv_ledger.render.progress import WorkProgress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress__a_large_job_on_a_terminal_shows_a_bar_and_clears_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)  # CI itself runs these tests with CI=true
    screen = _Terminal()
    with WorkProgress("生成工作簿", large=True, stream=screen) as tick:
        tick(50, 200)
    assert "生成工作簿" in screen.getvalue() and "50/200" in screen.getvalue()


@pytest.mark.parametrize("where", ["pipe", "ci", "quick"])
def test_progress__never_in_a_pipe_in_ci_or_for_quick_work(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream: io.StringIO = io.StringIO() if where == "pipe" else _Terminal()
    if where == "ci":
        monkeypatch.setenv("CI", "true")
    with WorkProgress("校验台账", large=where != "quick", stream=stream, delay=60) as tick:
        tick(1, 20)
        tick(20, 20)
    assert stream.getvalue() == ""


def test_export_xlsx__counts_its_rows_instead_of_rescanning_the_sheet(
    plan: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ws.max_row rescans the sheet: asked once a row, it made a 6,000-measure export take minutes."""
    calls = []
    original = Worksheet.max_row
    monkeypatch.setattr(Worksheet, "max_row", property(lambda ws: calls.append(1) or original.fget(ws)))
    seen: list[tuple[int, int]] = []
    snap = snapshot(plan, date(2022, 10, 1), Filters())
    data = xlsx.workbook_bytes(
        xlsx.sheets(snap),
        date(2022, 10, 1),
        plan="方案",
        version="未纳入 git",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert data.startswith(b"PK")
    assert len(calls) <= 4 * len(xlsx.sheets(snap))  # a few per sheet (openpyxl's own), never one per row
    assert seen and seen[-1][0] == seen[-1][1]  # the bar ends full
