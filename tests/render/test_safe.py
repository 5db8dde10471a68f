"""Output that cannot drive a terminal or a spreadsheet (render.safe), whatever text reaches the renderers.

``check`` keeps such text out of a ledger, so these tests put it into a loaded ledger
directly, as an old file or a hand edit would, and render it in every format.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len as cell_width

from bizenv_ledger.model.domain import Ledger, ProgressEntry
from bizenv_ledger.model.text import UNSAFE
from bizenv_ledger.queries.measures import Filters, measure_views
from bizenv_ledger.queries.report import snapshot
from bizenv_ledger.render import xlsx
from bizenv_ledger.render.card import measure_card
from bizenv_ledger.render.output import emit
from bizenv_ledger.render.safe import csv_cell, json_chunks, json_text, visible
from bizenv_ledger.render.table import Table
from bizenv_ledger.render.text import screens_text
from bizenv_ledger.render.views import measure_table
from bizenv_ledger.store.loader import load_ledger
from tests.conftest import AS_OF, DATA
from tests.writing import REFUSED

ATTACK = REFUSED["escape"]  # sets the window title, turns the text red, clears the screen
EVERY_ATTACK = "".join(REFUSED.values())
FORMULA_LEADS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


def _ledger_with(text: str) -> Ledger:
    """A fresh copy of the plan whose measure 3.2 reads ``text`` and carries ``text`` as its progress."""
    ledger = load_ledger(DATA, {"LEDGER_CACHE_DIR": "/nonexistent-cache"}, use_cache=False).ledger
    assert ledger is not None
    ind = next(i for i in ledger.indicators if i.number == 3)
    k = next(n for n, m in enumerate(ind.measures) if m.id == "3.2")
    ind.measures[k] = dataclasses.replace(ind.measures[k], text=text, progress=[ProgressEntry(date(2022, 8, 1), text)])
    return ledger


def _raw(output: str) -> list[str]:
    """The unsafe characters in ``output``, but for the CSV's own CRLF row ends."""
    return UNSAFE.findall(output.replace("\r\n", "\n"))


# ---------------------------------------------------------------- visible


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_visible__every_refused_character_is_shown_escaped(name: str) -> None:
    shown = visible(REFUSED[name])
    assert _raw(shown) == []
    assert re.search(r"\\x[0-9a-f]{2}|<U\+[0-9A-F]{4,6}>", shown)


def test_visible__escapes_are_readable_and_idempotent() -> None:
    assert visible("\x1b[31m红\u202e") == "\\x1b[31m红<U+202E>"
    assert visible("a\x9bb\x7f\ufffe\U0010ffff") == "a\\x9bb\\x7f<U+FFFE><U+10FFFF>"
    assert visible(visible(EVERY_ATTACK)) == visible(EVERY_ATTACK)
    assert visible("第一行\n\t第二行") == "第一行\n\t第二行"
    assert visible("第一行\n\t第二行", layout=False) == "第一行\\x0a\\x09第二行"


# ---------------------------------------------------------------- list and show, in every format


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json"])
def test_emit__list_shows_an_escape_sequence_escaped(fmt: str) -> None:
    views = measure_views(_ledger_with(ATTACK), AS_OF)
    out = emit(fmt, [measure_table(views, "措施清单")], [{"text": v.measure.text} for v in views])
    assert _raw(out) == [] and "PWNED" in out
    if fmt != "json":
        assert "\\x1b]0;PWNED" in out
    else:
        assert "\\u001b]0;PWNED" in out


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json"])
def test_measure_card__show_escapes_text_and_progress(fmt: str) -> None:
    out = measure_card(_ledger_with(EVERY_ATTACK), "3.2", AS_OF, fmt)
    assert _raw(out) == []
    if fmt == "json":
        assert json.loads(out)["text"] == EVERY_ATTACK  # JSON escapes, and the text comes back exact
    else:
        assert out.count("\\x1b]0;PWNED") >= 2 and "<U+202E>" in out  # the measure and its progress


def test_emit__table_in_colour_keeps_its_own_codes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    views = measure_views(_ledger_with(ATTACK), AS_OF)
    out = emit("table", [measure_table(views, "措施清单")], None)
    assert "\x1b[31m" in out  # the red light's colour
    assert "\x1b]" not in out and "\x1b[2J" not in out  # not the text's title and clear-screen


def test_json_text__escapes_what_json_dumps_leaves_raw() -> None:
    payload = {"note": EVERY_ATTACK}
    plain = json.dumps(payload, ensure_ascii=False)
    assert _raw(plain)  # json.dumps alone lets DEL, C1, bidi and noncharacters through
    text = json_text(payload)
    assert _raw(text) == [] and json.loads(text) == payload


# ---------------------------------------------------------------- CSV: formulas stay text


@pytest.mark.parametrize("lead", [*FORMULA_LEADS, "\t=1+1"])
def test_csv_cell__formula_lead_is_quoted(lead: str) -> None:
    assert csv_cell(lead) == "'" + lead


def test_csv_cell__carriage_return_lead_is_escaped_so_no_formula_follows() -> None:
    assert csv_cell("\r=1+1") == "\\x0d=1+1"


@pytest.mark.parametrize("text", ["-3", "+0.5", "-12%", "市财政局", "2022-08-15", "落后 3.3"])
def test_csv_cell__numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert csv_cell(text) == text


@pytest.mark.parametrize("lead", FORMULA_LEADS)
def test_emit__list_csv_quotes_a_formula_measure(lead: str) -> None:
    views = measure_views(_ledger_with(lead), AS_OF)
    rows = list(csv.reader(io.StringIO(emit("csv", [measure_table(views, "")], None))))
    assert next(r for r in rows if r[1] == "3.2")[3] == "'" + lead


@pytest.mark.parametrize("lead", FORMULA_LEADS)
def test_csv_bytes__export_quotes_a_formula_measure(lead: str) -> None:
    snap = snapshot(_ledger_with(lead), AS_OF, Filters())
    text = xlsx.csv_bytes(xlsx.measure_sheet(snap)).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "3.2")
    assert row[2] == "'" + lead


# ---------------------------------------------------------------- the workbook


def test_workbook_bytes__formula_text_is_a_string_cell(tmp_path: Path) -> None:
    text = '=HYPERLINK("http://evil.example/","详情")'
    snap = snapshot(_ledger_with(text), AS_OF, Filters())
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx.workbook_bytes(xlsx.sheets(snap), AS_OF, plan="方案", version="未纳入 git"))
    ws = load_workbook(path)["措施台账"]
    cell = next(row[2] for row in ws.iter_rows(min_row=2) if row[0].value == "3.2")
    assert cell.data_type == "s" and cell.value == text
    with zipfile.ZipFile(path) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)


def test_workbook_bytes__control_characters_are_written_escaped(tmp_path: Path) -> None:
    """openpyxl refuses C0 controls with IllegalCharacterError: they reach the sheet escaped instead."""
    snap = snapshot(_ledger_with("进展\x07\x1b[2J\x0b完成"), AS_OF, Filters())
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx.workbook_bytes(xlsx.sheets(snap), AS_OF, plan="方案", version="未纳入 git"))
    ws = load_workbook(path)["措施台账"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "3.2")
    assert row[2] == "进展\\x07\\x1b[2J\\x0b完成" and "进展\\x07" in str(row[10])


# ---------------------------------------------------------------- size


def test_table__one_huge_cell_does_not_pad_every_row() -> None:
    """1.5 million characters in one cell used to pad all 60 rows to its width (184 MB from `ledger list`)."""
    huge = "\u3400" * 1_500_000  # 㐀: a character the plan does not use
    views = measure_views(_ledger_with(huge), AS_OF)
    table = measure_table(views, "措施清单")
    drawn = screens_text(table.layouts(), 100, colour=False)
    assert drawn.count("\u3400") == len(huge)  # wrapped, not cut
    assert len(drawn) < 2 * len(huge)  # in proportion to the text (it was rows × the widest cell)
    assert max(cell_width(line) for line in drawn.splitlines()) <= 100


def test_table__a_long_cell_wraps_in_its_column_and_the_next_column_stays_aligned() -> None:
    table = Table("", ["编号", "措施", "完成时限"])
    long = "甲" * 407
    table.add(["1.1", long, "2022年8月"])
    table.add(["1.2", "短", "2022年9月"])
    lines = screens_text(table.layouts(), 80, colour=False).splitlines()
    assert "".join(lines).count("甲") == len(long)  # nothing cut
    assert max(cell_width(line) for line in lines) <= 80
    first = next(line for line in lines if "2022年8月" in line)
    last = next(line for line in lines if "2022年9月" in line)
    assert cell_width(last[: last.index("2022年9月")]) == cell_width(first[: first.index("2022年8月")])  # aligned


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"id": "3.2"}],
        [{"id": "3.2", "text": "进展\x1b[31m红\u202e", "units": ["市财政局", "六县区人民政府"], "n": 1.5}, {"x": None}],
        [{"nested": {"a": [1, 2, {"b": "换\n行"}]}}, [], "字符串"],
    ],
)
def test_json_chunks__same_text_as_the_whole_list(items: list[object]) -> None:
    assert "".join(json_chunks(iter(items))) == json_text(items)
