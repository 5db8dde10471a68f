"""What the read commands look like in a terminal of 80 and 120 columns, as a new user sees them.

Every line within the width (measured as the terminal draws it), no unit name cut in
two, the measure text given at least half the line and wrapped inside its cell, one
deadline column, and the gap of one indicator as a table rather than blocks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from tests.conftest import DATA
from tests.helpers import edit, run, run_json
from tests.screen_text import column_of, cut

WIDTHS = [80, 120]
MEASURE_13_3 = (
    "加快推进“互联网+政府采购”，实现全流程电子化。全力推进政府采购网上商城建设，8月底前市级平台上线运行，"
    "9月底前县区平台上线运行；不断优化政府采购各类系统平台功能，实现平台互联互通和有机衔接，打通政府采购“最后一公里”。"
)
COMMANDS = [
    ("overdue",),
    ("list",),
    ("units",),
    ("gap", "获得电力"),
    ("gap",),
    ("show", "13.3"),
    ("show", "政府采购"),
]


def _lines(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int, *args: str, data: Path = DATA
) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run(runner, data, *args, "--as-of", "2022-10-01")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _unit_names(runner: CliRunner) -> set[str]:
    return {u["unit"] for u in run_json(runner, DATA, "units", "--as-of", "2022-10-01")}


def _fragments(text: str, indicator_names: set[str]) -> list[str]:
    """A line of a unit list cut at 、 with the marks taken off: what is left must be whole names."""
    for name in indicator_names:
        text = text.removeprefix(f"{name}｜")
    parts = [p.replace("（牵头）", "").removesuffix("等相关部门") for p in text.split("、")]
    return [p for p in parts if p]


LIGHT_WORDS = ("红灯", "黄灯", "绿灯", "销号", "持续")


def _rows(lines: list[str], rule: int) -> list[str]:
    """The table's lines after its rule: each row starts with its light, or is a row's continuation."""
    end = next(
        (i for i in range(rule + 1, len(lines)) if lines[i][:1].strip() and not lines[i].startswith(LIGHT_WORDS)),
        len(lines),
    )
    return lines[rule + 1 : end]


def _unit_column_lines(lines: list[str], columns: int) -> list[str]:
    """The lines of the measure list that hold unit names: their own column, or the line under the text."""
    header = next(i for i, line in enumerate(lines) if line.startswith("灯"))
    if "责任单位" in lines[header]:
        r, start, end = column_of(lines, "责任单位", header - 1)
        return [cut(line, start, end) for line in _rows(lines, r)]
    r, start, end = column_of(lines, "措施", header - 1)
    out, inside = [], False
    for line in _rows(lines, r):
        text = cut(line, start, end)
        inside = ("｜" in text) or (inside and bool(line.strip()))
        if inside:
            out.append(text)
    return out


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_read_commands__every_line_fits_the_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int, args: tuple[str, ...]
) -> None:
    lines = _lines(runner, monkeypatch, columns, *args)
    too_wide = [line for line in lines if cell_len(line) > columns]
    assert not too_wide, too_wide[0]
    assert any(cell_len(line) > columns * 0.7 for line in lines)  # the width is used, not ignored


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", ["overdue", "list"])
def test_measure_lists__no_unit_name_is_cut(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int, command: str
) -> None:
    lines = _lines(runner, monkeypatch, columns, command)
    shown = run_json(runner, DATA, command, "--as-of", "2022-10-01")
    known = _unit_names(runner)
    indicators = {m["indicator_name"] for m in shown}
    fragments = [f for line in _unit_column_lines(lines, columns) for f in _fragments(line, indicators)]
    assert fragments and set(fragments) <= known, set(fragments) - known
    assert {u for m in shown for u in m["units"]} <= set(fragments)  # every row's units are there, whole


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", ["overdue", "list"])
def test_measure_lists__the_measure_text_has_half_the_line_and_wraps_in_its_cell(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int, command: str
) -> None:
    lines = _lines(runner, monkeypatch, columns, command)
    header = next(i for i, line in enumerate(lines) if line.startswith("灯"))
    r, start, end = column_of(lines, "措施", header - 1)
    assert end - start >= columns / 2
    text = "".join(cut(line, start, end) for line in lines[r + 1 :])
    assert MEASURE_13_3 in text or command == "overdue"  # 13.3 is overdue only with its milestone warning first
    assert "…" not in "".join(cut(line, start, end) for line in lines[r + 1 :])  # never cut short
    # one deadline column: the deadline as written, and the days late under it
    assert "到期日" not in lines[header] and lines[header].rstrip().endswith("完成时限")


def test_overdue__13_3_text_reads_whole_after_its_warning(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(runner, monkeypatch, 80, "overdue")
    r, start, end = column_of(lines, "措施", 0)
    text = "".join(cut(line, start, end) for line in lines[r + 1 :])
    assert "［未按期：8月底前市级平台上线运行；9月底前县区平台上线运行］" + MEASURE_13_3 in text


@pytest.mark.parametrize("columns", WIDTHS)
def test_units__unit_names_whole_in_the_table_and_the_chart(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    lines = _lines(runner, monkeypatch, columns, "units")
    cards = run_json(runner, DATA, "units", "--as-of", "2022-10-01")
    known = {c["unit"] for c in cards}
    r, start, end = column_of(lines, "责任单位", 0)
    table_end = next(i for i, line in enumerate(lines) if line.startswith("按期完成率 ="))
    names = [cut(line, start, end) for line in lines[r + 1 : table_end]]
    with_measures = {c["unit"] for c in cards if c["led"] or c["joined"]}
    assert {n for n in names if n} == with_measures  # one whole name per row, every unit with measures
    # the units with county duties only are listed under the table, each name whole at the head of its line
    only = lines[next(i for i, line in enumerate(lines) if line.startswith("仅承担县区职责的单位")) + 1 :]
    heads = {line.split("：")[0] for line in only if "：" in line and line.split("：")[0] in known}
    assert heads == known - with_measures
    chart = lines[lines.index("按期完成率与逾期项数") + 1 :]
    labels = [line.split()[0] for line in chart if "逾期" in line]
    assert labels and set(labels) <= known


@pytest.mark.parametrize("columns", WIDTHS)
def test_gap__one_indicator_is_a_table_not_a_block_per_row(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    lines = _lines(runner, monkeypatch, columns, "gap", "获得电力")
    assert len(lines) <= 30
    r, _start, _end = column_of(lines, "指标项", 0)
    heads = " ".join(lines[1:r])
    for header in ("单位", "方向", "基线", "当前", "全省", "最优", "进度"):
        assert header in heads
    row = next(line for line in lines if line.startswith("高压办电时间"))
    assert "落后 3.3" in row and "未达" in row  # the whole metric on one line, not one line per field


@pytest.mark.parametrize("columns", WIDTHS)
def test_show__measure_card_wraps_its_text_and_keeps_unit_names(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    lines = _lines(runner, monkeypatch, columns, "show", "13.3")
    _r, start, end = column_of(lines, "内容", 0)
    labels = [cut(line, 0, start).strip() for line in lines]
    text_rows = range(labels.index("措施"), labels.index("责任单位"))
    assert "".join(cut(lines[i], start, end) for i in text_rows) == MEASURE_13_3
    unit_rows = range(labels.index("责任单位"), labels.index("完成时限"))
    fragments = [f for i in unit_rows for f in _fragments(cut(lines[i], start, end), set())]
    assert fragments == ["市财政局", "市公共资源交易中心", "六县区人民政府"]


@pytest.mark.parametrize("columns", WIDTHS)
def test_show__indicator_card_lists_its_measures_with_whole_unit_names(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    lines = _lines(runner, monkeypatch, columns, "show", "政府采购")
    measures = lines[lines.index("整改提升措施") :]
    fragments = [f for line in _unit_column_lines(measures, columns) for f in _fragments(line, {"政府采购"})]
    card = run_json(runner, DATA, "show", "政府采购", "--as-of", "2022-10-01")
    assert set(fragments) == {u for m in card["measures"] for u in m["units"]}


@pytest.mark.parametrize("columns", WIDTHS)
def test_check__problems_drawn_within_the_width(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, ledger_dir: Path, columns: int
) -> None:
    edit(ledger_dir / "indicators" / "03-获得电力.yaml", "deadline: 2022年7月", "deadline: 2022年13月")
    edit(ledger_dir / "indicators" / "13-政府采购.yaml", "市公共资源交易中心", "市公共资源交易所")
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert all(cell_len(line) <= columns for line in lines), max(lines, key=cell_len)
    r, start, end = column_of(lines, "问题", 0)
    assert end - start >= columns / 2
    problems = "".join(cut(line, start, end) for line in lines[r + 1 :])
    assert "无法识别的完成时限“2022年13月”" in problems and "市公共资源交易所" in problems
    assert lines[-1] == "共 2 个问题。"


def test_check__piped_without_columns_keeps_one_documented_line_per_problem(
    runner: CliRunner, ledger_dir: Path
) -> None:
    path = ledger_dir / "indicators" / "03-获得电力.yaml"
    edit(path, "deadline: 2022年7月", "deadline: 2022年13月")
    lines = run(runner, ledger_dir, "check").stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{path}:") and "“2022年13月”" in lines[0]


def _subprocess(*args: str, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "--data", str(DATA), *args, "--as-of", "2022-10-01"],
        capture_output=True, text=True, env={**base, **env}, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_piped__without_columns_draws_at_a_fixed_width() -> None:
    from bizenv_ledger.render.output import PIPED_WIDTH

    widths = [cell_len(line) for line in _subprocess("list").splitlines()]
    assert max(widths) <= PIPED_WIDTH and max(widths) > 80
    assert max(cell_len(line) for line in _subprocess("list", COLUMNS="120").splitlines()) > PIPED_WIDTH


def test_colour__forced_terminal_has_it_no_color_never(monkeypatch: pytest.MonkeyPatch) -> None:
    coloured = _subprocess("overdue", FORCE_COLOR="1")
    assert "\x1b[31m●" in coloured  # the red light
    assert "\x1b[" not in _subprocess("overdue", FORCE_COLOR="1", NO_COLOR="1")
    assert "\x1b[" not in _subprocess("overdue")  # piped: plain, the light in words
    assert "红灯" in _subprocess("overdue")


def test_user_text__is_shown_literally_never_read_as_markup(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, ledger_dir: Path
) -> None:
    path = ledger_dir / "indicators" / "01-开办企业与注销.yaml"
    text = path.read_text(encoding="utf-8")
    edit(path, "依托“一网通办”平台", "依托[red]一网通办[/red]平台[bold]:warning:")
    assert text != path.read_text(encoding="utf-8")
    monkeypatch.setenv("FORCE_COLOR", "1")
    for args in (("show", "1.1"), ("list", "--indicator", "1")):
        out = "\n".join(_lines(runner, monkeypatch, 120, *args, data=ledger_dir))
        assert "[red]一网通办[/red]平台[bold]:warning:" in out, args


@pytest.mark.parametrize(
    ("fmt", "colour", "rich_loaded"),
    [("json", False, False), ("csv", False, False), ("table", False, False), ("table", True, True)],
)
def test_imports__rich_only_when_a_table_is_drawn_in_colour(fmt: str, colour: bool, rich_loaded: bool) -> None:
    """The machine formats and uncoloured tables (a pipe, a file) never pay for rich's import; a coloured
    terminal does (and nothing pulls in pydantic)."""
    probe = (
        "import sys, runpy; sys.argv = ['ledger', '--data', sys.argv[1], 'overdue', '--format', sys.argv[2],"
        " '--as-of', '2022-10-01']\n"
        "try:\n    runpy.run_module('bizenv_ledger', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('RICH' if 'rich.console' in sys.modules else 'NO-RICH', 'pydantic' in sys.modules, file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    warm = [sys.executable, "-m", "bizenv_ledger", "--data", str(DATA), "overdue", "--format", "json"]
    subprocess.run(warm, env=env, check=True, capture_output=True)  # the cache filled, as in everyday use
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(DATA), fmt],
        capture_output=True,
        text=True,
        env={**env, "FORCE_COLOR": "1"} if colour else env,
        check=False,
    )
    assert proc.stderr.split() == ["RICH" if rich_loaded else "NO-RICH", "False"], proc.stderr
    assert ("\x1b[" in proc.stdout) == colour and (fmt != "table" or "─" in proc.stdout)


def test_gap__a_yes_no_metric_is_behind_without_an_amount(runner: CliRunner) -> None:
    lines = run(runner, DATA, "gap", "政府采购", "--as-of", "2022-10-01").stdout.splitlines()
    row = next(line for line in lines if line.startswith("全流程电子化"))
    assert "落后" in row and "落后 1" not in row


def test_bars__charts_give_way_on_a_narrow_terminal_and_stay_aligned(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines(runner, monkeypatch, 50, "units")
    chart = lines[lines.index("按期完成率与逾期项数") + 1 :]
    assert chart and all(cell_len(line) <= 50 for line in chart)
    figures = [line for line in chart if "逾期" in line]
    starts = {cell_len(line[: line.index("逾期")]) for line in figures}
    assert len(figures) > 10 and len(starts) == 1  # every figure in the same column, whatever the CJK label
    assert "███" in next(line for line in figures if line.startswith("市税务局"))  # 50% of a shrunk bar
