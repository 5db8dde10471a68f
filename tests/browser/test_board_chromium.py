"""The 挂图作战 board in a real headless Chromium (Debian's chromium package; .ci/run installs it).

The page must load from a file with no console errors and no request but its own
file, show the expected cards and red items, and print. A screenshot and the
printed PDF are kept in test-artifacts/ for people to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from typer.testing import CliRunner

from tests.browser.cdp import CHROMIUM, Browser
from tests.conftest import DATA, REPO
from tests.helpers import run
from tests.queries.test_report_scenario import plain_due, yaml_measures

AS_OF = date(2022, 10, 1)
ARTIFACTS = REPO / "test-artifacts"


def _expected_red(as_of: date) -> set[str]:
    return {
        str(m["id"])
        for m in yaml_measures(DATA)
        if m.get("status") != "done" and (due := plain_due(str(m["deadline"]))) is not None and due < as_of
    }


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) or run .ci/run, "
            "which installs it",
            pytrace=False,
        )
    tmp = tmp_path_factory.mktemp("chromium")
    board = tmp / "挂图作战.html"
    result = run(CliRunner(), DATA, "board", "-o", str(board), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    profile = tmp / "profile"
    profile.mkdir()
    browser = Browser(profile)
    try:
        browser.open(board.as_uri())
        yield browser
    finally:
        browser.close()


def test_board_in_chromium__loads_without_console_errors_or_requests(page: Browser) -> None:
    assert page.evaluate("document.readyState") == "complete"
    assert page.problems() == []
    urls = page.requested_urls()
    assert len(urls) == 1 and urls[0].startswith("file://"), urls


def test_board_in_chromium__shows_18_cards_and_the_red_items(page: Browser) -> None:
    expected = _expected_red(AS_OF)
    assert len(expected) == 18
    assert page.evaluate("document.querySelectorAll('article.indicator-card').length") == 18
    red_tiles = page.evaluate("[...document.querySelectorAll('.tile.light-red')].map(t => t.dataset.id)")
    assert set(red_tiles) == expected and len(red_tiles) == len(expected)
    red_rows = page.evaluate("[...document.querySelectorAll('#red tr.red-item')].map(r => r.dataset.id)")
    assert set(red_rows) == expected
    assert page.evaluate("document.querySelector('.stat.light-red b').textContent") == str(len(expected))
    assert page.evaluate("document.querySelectorAll('.tile').length") == 60


def test_board_in_chromium__charts_render_with_a_size(page: Browser) -> None:
    sizes = page.evaluate(
        "[...document.querySelectorAll('svg.chart')].map(s => { const r = s.getBoundingClientRect(); "
        "return [r.width, r.height]; })"
    )
    assert len(sizes) >= 18 and all(w > 100 and h > 5 for w, h in sizes)
    # the red tile really is red on screen
    colour = page.evaluate("getComputedStyle(document.querySelector('.tile.light-red')).backgroundColor")
    assert colour == "rgb(217, 48, 37)"


def test_board_in_chromium__screenshot_and_print_are_kept(page: Browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "board.png"
    page.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    pdf = page.pdf()
    (ARTIFACTS / "board.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 842) < 2 and abs(float(h) - 595) < 2 for w, h in boxes)  # A4 landscape
    assert page.problems() == []


# A4 landscape less the board's @page margins (8 mm each side, 8 mm top, 9 mm bottom), in CSS pixels.
PRINT_WIDTH = round((297 - 16) / 25.4 * 96)
PRINT_HEIGHT = round((210 - 17) / 25.4 * 96)
MOST_PAGES = 5  # header and red list; the cards over two pages; the measures; the units


def test_board_in_chromium__prints_on_a_few_pages(page: Browser) -> None:
    pdf = page.pdf()
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 <= pages <= MOST_PAGES, pages


def test_board_in_chromium__print_keeps_cards_whole_and_headings_with_what_follows(page: Browser) -> None:
    page.call("Emulation.setEmulatedMedia", {"media": "print"})
    page.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": PRINT_WIDTH, "height": PRINT_HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        style = page.evaluate(
            "(() => { const s = (q, p) => [...document.querySelectorAll(q)].map(e => getComputedStyle(e)[p]);"
            " return {cards: s('article.indicator-card', 'breakInside'), headings: s('h2', 'breakAfter'),"
            " rows: s('table.list tbody tr', 'breakInside'), metrics: s('.metric', 'breakInside')}; })()"
        )
        heights = page.evaluate(
            "[...document.querySelectorAll('article.indicator-card')].map(e => e.getBoundingClientRect().height)"
        )
        width = page.evaluate("document.querySelector('article.indicator-card').getBoundingClientRect().width")
    finally:
        page.call("Emulation.setEmulatedMedia", {"media": ""})
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1600, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        )
    assert len(style["cards"]) == 18 and set(style["cards"]) == {"avoid"}
    assert (
        set(style["headings"]) == {"avoid"} and set(style["rows"]) == {"avoid"} and set(style["metrics"]) == {"avoid"}
    )
    # every card fits on a page, so ``break-inside: avoid`` can always be honoured: no page starts with a card's tail
    assert max(heights) < PRINT_HEIGHT * 0.9, max(heights)
    assert PRINT_WIDTH / 5 < width < PRINT_WIDTH / 3  # four cards to a row on paper


def test_board_in_chromium__card_borders_show_the_score_band(page: Browser) -> None:
    colours = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('article.indicator-card')].map(c => "
        "[c.dataset.indicator, getComputedStyle(c).borderTopColor]))"
    )
    assert colours["16"] == "rgb(217, 48, 37)"  # 知识产权 scores 35
    assert colours["1"] == "rgb(224, 168, 0)"  # 开办企业 scores 80
    assert colours["2"] == colours["6"] == "rgb(26, 138, 58)"  # 93 (with a red measure) and 100
    assert colours["7"] == "rgb(158, 158, 158)"  # 跨境贸易 has nothing to compare
