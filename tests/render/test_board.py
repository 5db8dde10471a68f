"""The 挂图作战 board as a file: self-contained, escaped, versioned, and honouring --as-of and the filters."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, git
from tests.helpers import edit, run, run_json
from tests.queries.test_report_scenario import plain_due, yaml_measures


def _board(runner: CliRunner, data: Path, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "挂图作战.html"
    result = run(runner, data, "board", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _red_count(as_of: date) -> int:
    return sum(
        1
        for m in yaml_measures(DATA)
        if m.get("status") != "done" and (due := plain_due(str(m["deadline"]))) is not None and due < as_of
    )


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _board(CliRunner(), DATA, tmp_path_factory.mktemp("board"), "--as-of", "2022-10-01")


def test_board__is_self_contained(october: str) -> None:
    assert october.startswith("<!DOCTYPE html>")
    assert "<script" not in october and "@import" not in october and "url(" not in october
    assert not re.search(r"<link[^>]+stylesheet", october)
    # the only URL is the SVG namespace, which is a name and never fetched
    assert set(re.findall(r"https?://[^\s\"'<>)]+", october)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r'\b(?:src|href)="(?!data:)', october)


def test_board__has_the_goals_cards_grid_units_and_red_first(october: str) -> None:
    assert october.count('<article class="indicator-card') == 18
    assert october.count('class="tile ') == 60
    assert october.count('class="tile light-red"') == october.count('class="red-item"') == _red_count(date(2022, 10, 1))
    assert "市场监管、包容普惠创新、获得电力3项指标达到全省最优" in october
    assert october.index('id="red"') < october.index('id="indicators"') < october.index('id="measures"')
    assert october.index('id="measures"') < october.index('id="units"')
    assert october.count("<svg") >= 18


def test_board__prints_on_a4_landscape(october: str) -> None:
    assert "@media print" in october and "size:A4 landscape" in october


def test_board__footer_has_as_of_and_no_git_outside_a_repository(
    runner: CliRunner, ledger_dir: Path, tmp_path: Path
) -> None:
    html = _board(runner, ledger_dir, tmp_path, "--as-of", "2022-10-01")
    assert '<code id="data-version">未纳入 git</code>' in html
    assert "<span>截至 2022-10-01</span>" in html


def test_board__footer_has_the_datas_commit(runner: CliRunner, git_ledger: Path, tmp_path: Path) -> None:
    head = git(git_ledger, "rev-parse", "--short", "HEAD").strip()
    html = _board(runner, git_ledger, tmp_path, "--as-of", "2022-10-01")
    assert f'<code id="data-version">{head}</code>' in html
    edit(git_ledger / "plan.yaml", "其他指标争取进入全省前五", "其他指标争取进入全省前四")
    dirty = _board(runner, git_ledger, tmp_path, "--as-of", "2022-10-01")
    assert f'<code id="data-version">{head}（另有未提交的修改）</code>' in dirty


def test_board__escapes_the_datas_text(runner: CliRunner, ledger_dir: Path, tmp_path: Path) -> None:
    path = ledger_dir / "indicators" / "03-获得电力.yaml"
    edit(
        path, "text: 建立业扩报装全过程时限管控机制", 'text: <script>alert("x")</script>&建立业扩报装全过程时限管控机制'
    )
    html = _board(runner, ledger_dir, tmp_path, "--as-of", "2022-12-15")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;建立" in html


def test_board__as_of_changes_the_lights(runner: CliRunner, tmp_path: Path) -> None:
    html = _board(runner, DATA, tmp_path, "--as-of", "2022-08-01")
    assert html.count('class="tile light-red"') == _red_count(date(2022, 8, 1)) == 7
    assert "截至 2022年8月1日" in html


def test_board__filters_narrow_cards_and_tiles(runner: CliRunner, tmp_path: Path) -> None:
    html = _board(runner, DATA, tmp_path, "--indicator", "电力", "--as-of", "2022-10-01")
    assert html.count('<article class="indicator-card') == 1 and html.count('class="tile ') == 5
    assert "范围：指标：获得电力" in html
    red = _board(runner, DATA, tmp_path, "--light", "red", "--unit", "市财政局", "--as-of", "2022-10-01")
    assert re.findall(r'class="tile light-(\w+)" data-light="\w+" data-id="([\d.]+)"', red) == [
        ("red", "13.1"),
        ("red", "13.3"),
    ]


def test_board__without_output_goes_to_stdout(runner: CliRunner) -> None:
    result = run(runner, DATA, "board", "--as-of", "2022-10-01")
    assert result.exit_code == 0 and result.stdout.count('<article class="indicator-card') == 18


def _band(score: float | None) -> str:
    """The legend's bands, on the whole points the card shows."""
    if score is None:
        return "none"
    shown = int(Decimal(str(score)).quantize(Decimal(1)))
    return "good" if shown >= 90 else "fair" if shown >= 60 else "poor"


def test_board__card_border_says_the_indicators_score_band(october: str, runner: CliRunner) -> None:
    ranking = {r["indicator"]: r["score"] for r in run_json(runner, DATA, "gap", "--as-of", "2022-10-01")}
    cards = re.findall(r'<article class="indicator-card standing-(\w+)( has-red)?" data-indicator="(\d+)"', october)
    assert len(cards) == 18
    seen = {int(number): band for band, _red, number in cards}
    assert seen == {n: _band(score) for n, score in ranking.items()}
    assert set(seen.values()) == {"good", "fair", "poor", "none"}
    # 办理建筑许可 scores 93 although its 2.1 is red: the border is its standing, the red shows in its line
    red_but_close = next(c for c in cards if c[2] == "2")
    assert red_but_close[:2] == ("good", " has-red") and "<span class=reds>红灯 1 项</span>" in october
    legend = october[october.index('id="standing-legend"') :].split("</p>", 1)[0]
    assert [k for k in ("good", "fair", "poor", "none") if f'class="standing-{k}"' in legend] == [
        "good", "fair", "poor", "none",
    ]  # fmt: skip
    assert "90分及以上" in legend and "60–89分" in legend and "低于60分" in legend and "无可比指标项" in legend
