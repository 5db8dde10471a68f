"""``show ID --as-of D``: the card shows what stood on D and nothing after, exactly as its JSON does.

The September scenario has postponements (3.3 on 09-10, 3.1 on 09-15), progress
(13.3 on 09-05), closings (2.1 on 09-05, 3.2 on 09-20, 13.3 on 09-28) and a
退回整改 (2.1 on 09-29); each is asked for on days before, on and after it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.helpers import run, run_json
from tests.queries.test_report_scenario import september

EVENT_LABELS = ("延期", "进展", "退回整改", "销号")
LIGHT_WORDS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "done": "已销号", "ongoing": "持续推进"}
ASKED = [
    (mid, day)
    for mid in ("2.1", "3.1", "3.2", "3.3", "13.3")
    for day in ("2022-09-04", "2022-09-05", "2022-09-10", "2022-09-12", "2022-09-15", "2022-09-20", "2022-09-29")
]


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from tests.conftest import DATA

    target = tmp_path_factory.mktemp("card") / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("sources"))
    return september(target)


def _card(runner: CliRunner, data: Path, mid: str, day: str) -> dict[str, list[str]]:
    """The card's rows, label → contents, read from its CSV form (the same table, unwrapped)."""
    result = run(runner, data, "show", mid, "--as-of", day, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows: dict[str, list[str]] = {}
    for label, content in list(csv.reader(io.StringIO(result.stdout, newline="")))[1:]:
        rows.setdefault(label, []).append(content)
    return rows


def _card_events(rows: dict[str, list[str]]) -> set[tuple[str, str]]:
    out = set()
    for label in EVENT_LABELS:
        for content in rows.get(label, []):
            found = re.match(r"(\d{4}-\d{2}-\d{2})", content)
            assert found, (label, content)
            out.add((label, found[1]))
    return out


def _json_events(card: dict[str, Any]) -> set[tuple[str, str]]:
    out = {("延期", p["on"]) for p in card["postponements"]}
    out |= {("进展", p["on"]) for p in card["progress"]}
    out |= {("退回整改", r["on"]) for r in card["reopenings"]}
    return out | ({("销号", card["done_on"])} if card["done_on"] else set())


@pytest.mark.parametrize(("mid", "day"), ASKED, ids=[f"{m}@{d}" for m, d in ASKED])
def test_show_measure__table_shows_exactly_what_the_json_shows(
    runner: CliRunner, busy: Path, mid: str, day: str
) -> None:
    rows = _card(runner, busy, mid, day)
    card = run_json(runner, busy, "show", mid, "--as-of", day)
    events = _card_events(rows)
    assert events == _json_events(card)
    assert all(date.fromisoformat(on) <= date.fromisoformat(day) for _, on in events), events
    assert rows["状态"][0].startswith(LIGHT_WORDS[card["light"]])
    assert rows["完成时限"][0].startswith(card["deadline"])


def test_show_measure__nothing_after_the_as_of_date(runner: CliRunner, busy: Path) -> None:
    # 3.1 was postponed on 09-15: on the 12th it still has its plan deadline and no 延期 row
    before = _card(runner, busy, "3.1", "2022-09-12")
    assert "延期" not in before and before["完成时限"] == ["2022年11月"]
    after = _card(runner, busy, "3.1", "2022-09-15")
    assert after["延期"] == ["2022-09-15 由“2022年11月”延至“2022年12月”：配套电网工程物资供货周期延长"]
    # 2.1, closed on 09-05 and sent back on 09-29: on the 10th it is closed and nothing says it was sent back
    closed = _card(runner, busy, "2.1", "2022-09-10")
    assert closed["状态"] == ["已销号"] and "退回整改" not in closed
    assert closed["销号"] == ["2022-09-05；佐证：张住建〔2022〕30号"]
    reopened = _card(runner, busy, "2.1", "2022-09-29")
    assert reopened["状态"][0].startswith("红灯") and "销号" not in reopened
    assert reopened["退回整改"] == ["2022-09-29（原 2022-09-05 销号）：复核发现联合验收尚未实际运行"]
    # 13.3's progress of 09-05 is not there on the 4th
    assert "进展" not in _card(runner, busy, "13.3", "2022-09-04")


def test_show_measure__json_history_is_as_of_the_date(runner: CliRunner, busy: Path) -> None:
    early = run_json(runner, busy, "show", "2.1", "--as-of", "2022-09-10")
    assert (early["status"], early["done_on"], early["reopenings"]) == ("done", "2022-09-05", [])
    late = run_json(runner, busy, "show", "2.1", "--as-of", "2022-09-30")
    assert late["status"] == "open" and late["done_on"] is None
    assert late["reopenings"] == [
        {"on": "2022-09-29", "reason": "复核发现联合验收尚未实际运行", "closed_on": "2022-09-05"}
    ]
    assert run_json(runner, busy, "show", "3.1", "--as-of", "2022-09-12")["postponements"] == []
    assert run_json(runner, busy, "show", "13.3", "--as-of", "2022-09-30")["progress"] == [
        {"on": "2022-09-05", "text": "市级平台已上线试运行"}
    ]
