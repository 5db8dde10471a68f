"""The bar charts: a label that wraps keeps its bar on its first line and the next bar on the next row."""

from __future__ import annotations

import re
from decimal import Decimal

from rich.cells import cell_len

from bizenv_ledger.render.bars import Bar, chart
from bizenv_ledger.render.screen import names, prose

LONG = "多渠道办理、所有渠道通畅且线上线下同标准办理的企业占全部企业的比例"


def _lines(width: int, colour: bool = False) -> list[str]:
    bars = [
        Bar(prose(LONG), Decimal("0.5"), "50"),
        Bar(names(["市财政局"], lead=False), Decimal(1), "100", "green"),
        Bar(prose("低压办电时间"), None, "—"),
    ]
    return chart("对标得分", bars, colour=colour, width=width).splitlines()


def test_chart__a_wrapped_label_keeps_its_bar_on_its_first_line() -> None:
    lines = _lines(60)
    assert lines[:2] == ["", "对标得分"]
    body = lines[2:]
    first = [i for i, line in enumerate(body) if "█" in line]
    assert first[0] == 0 and body[0].rstrip().endswith("50")  # the long label's first line has its bar and figure
    label_rows = [line for line in body if not line.startswith(("市财政局", "低压办电时间"))]
    assert len(label_rows) >= 2 and "█" not in label_rows[1]  # its second line: label only
    assert body[len(label_rows)].startswith("市财政局") and body[len(label_rows)].rstrip().endswith("100")
    assert body[-1].startswith("低压办电时间") and body[-1].rstrip().endswith("—")


def test_chart__every_line_within_the_width_and_the_bars_in_one_column() -> None:
    for width in (40, 60, 80, 120):
        body = _lines(width)[2:]
        assert all(cell_len(line) <= width for line in body), width
        starts = {cell_len(line[: line.index("█")]) for line in body if "█" in line}
        assert len(starts) == 1, (width, body)  # the bars start in the same column on every row


def test_chart__colour_adds_styles_not_text() -> None:
    plain = _lines(80)
    coloured = _lines(80, colour=True)
    assert any("\x1b[" in line for line in coloured)
    assert plain == [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip(" ") for line in coloured]


def test_chart__too_narrow_for_the_columns_still_wraps_every_figure() -> None:
    bars = [Bar(names(["市市场监管局"], lead=False), Decimal("0.1"), "  10%　逾期 ■■■■■■■■■■… 15", "red")]
    text = chart("按期完成率与逾期项数", bars, colour=False, width=30)
    assert "15" in text.replace("\n", "").replace(" ", "")  # the count is wrapped, never cut off
