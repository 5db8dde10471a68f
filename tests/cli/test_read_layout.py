"""What the read commands look like in a terminal: every line within its width, cards wrapped not cut,
CJK columns aligned, and the small rendering rules behind that."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bizenv_ledger.render.table import Table, cell_width, wrap
from tests.conftest import DATA
from tests.helpers import run

MEASURE_13_3 = (
    "加快推进“互联网+政府采购”，实现全流程电子化。全力推进政府采购网上商城建设，8月底前市级平台上线运行，"
    "9月底前县区平台上线运行；不断优化政府采购各类系统平台功能，实现平台互联互通和有机衔接，打通政府采购“最后一公里”。"
)


def _terminal(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run(runner, DATA, *args, "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("columns", [60, 80, 100])
@pytest.mark.parametrize(
    "args", [("gap",), ("gap", "办理建筑许可"), ("units",), ("show", "开办企业"), ("show", "13.3"), ("overdue",)]
)
def test_read_commands__every_line_fits_the_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int, args: tuple[str, ...]
) -> None:
    lines = _terminal(runner, monkeypatch, columns, *args)
    too_wide = [line for line in lines if cell_width(line) > columns]
    assert not too_wide, too_wide[0]


def test_show__measure_card_wraps_the_whole_text_instead_of_cutting_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _terminal(runner, monkeypatch, 80, "show", "13.3")
    start = next(i for i, line in enumerate(lines) if line.startswith("措施  "))
    end = next(i for i, line in enumerate(lines) if line.startswith("责任单位"))
    text = "".join(line[len("措施") :].strip() for line in lines[start:end])
    assert text == MEASURE_13_3 and "…" not in "".join(lines[start:end])
    indents = {cell_width(line[: len(line) - len(line.lstrip())]) for line in lines[start + 1 : end]}
    assert indents == {10}  # continuation lines start under the first line's text


def test_gap__too_narrow_for_the_columns_falls_back_to_one_block_per_metric(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _terminal(runner, monkeypatch, 60, "gap", "获得电力")
    assert "指标项      高压办电时间" in lines and "与最优差距  落后 3.3" in lines
    wide = _terminal(runner, monkeypatch, 140, "gap", "获得电力")
    assert wide[1].split() == ["指标项", "单位", "方向", "基线", "当前", "整改目标", "全省最优", "与最优差距", "与目标差距", "目标", "进度"]  # fmt: skip


def test_gap__a_yes_no_metric_is_behind_without_an_amount(runner: CliRunner) -> None:
    lines = run(runner, DATA, "gap", "政府采购", "--as-of", "2022-10-01").stdout.splitlines()
    row = next(line for line in lines if line.startswith("全流程电子化"))
    assert "落后" in row and "落后 1" not in row


def _first_column(line: str, width: int) -> str:
    out, used = [], 0
    for ch in line:
        used += cell_width(ch)
        if used > width:
            break
        out.append(ch)
    return "".join(out).strip()


def test_units__narrow_terminal_wraps_unit_names_rather_than_cutting_them(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _terminal(runner, monkeypatch, 80, "units")
    header = lines[1]
    width = cell_width(header[: header.index("层级")])
    body = lines[2 : lines.index(next(line for line in lines if line.startswith("按期完成率 =")))]
    names = "".join(_first_column(line, width) for line in body)
    assert "…" not in names and "市政府政务服务中心市自然资源局" in names


def test_bars__charts_shrink_to_a_narrow_terminal(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _terminal(runner, monkeypatch, 50, "units")
    chart = lines[lines.index("按期完成率与逾期项数") + 1 :]
    assert chart and all(cell_width(line) <= 50 for line in chart)
    bars = [line for line in chart if "░" in line or "█" in line]
    starts = {cell_width(line[: min(line.find(c) for c in "█░" if c in line)]) for line in bars}
    assert len(bars) > 10 and len(starts) == 1


def test_wrap__chinese_breaks_anywhere_figures_stay_whole() -> None:
    assert wrap("实现企业开办2个环节，0.5天，1份资料", 12) == ["实现企业开办", "2个环节，0.5", "天，1份资料"]
    assert wrap("第一行\n第二行", 20) == ["第一行", "第二行"]
    assert all(cell_width(line) <= 6 for line in wrap("12345678901234", 6))  # a figure wider than a line is split


def test_table__shrinking_never_widens_a_narrow_column() -> None:
    table = Table("", ["名称", "级", "说明"], shrink=[0, 1, 2])
    table.add(["很长很长很长很长很长很长的名称", "市", "说明" * 20])
    lines = table.to_text(width=60).splitlines()
    assert all(cell_width(line) <= 60 for line in lines)
    assert "…  市  说明" in lines[1]  # the one-character column keeps its own width, padded to its header's
