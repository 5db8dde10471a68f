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
