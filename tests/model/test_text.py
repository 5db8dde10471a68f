"""What a ledger text may hold (model.text): the refused characters and each field's length limit."""

from __future__ import annotations

import pytest

from bizenv_ledger.model.domain import Ledger
from bizenv_ledger.model.text import LONG_TEXT, NAME, REFERENCE, text_fault
from tests.writing import HOSTILE, REFUSED


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_text_fault__refused_character_is_named_with_its_code_point(name: str) -> None:
    text = REFUSED[name]
    fault = text_fault(text, "note")
    assert fault is not None
    bad = next(ch for ch in text if not ch.isprintable())
    assert f"U+{ord(bad):04X}" in fault
    assert f"位于第 {text.index(bad) + 1} 个字符" in fault


def test_text_fault__names_the_common_controls() -> None:
    assert "控制字符 U+001B（ESC）" in (text_fault("\x1b[2J", "text") or "")
    assert "控制字符 U+009B（CSI）" in (text_fault("a\x9bb", "text") or "")
    assert "双向文本控制符 U+202E" in (text_fault("a\u202eb", "text") or "")
    assert "非字符 U+10FFFF" in (text_fault("a\U0010ffff", "text") or "")


@pytest.mark.parametrize("text", HOSTILE)
def test_text_fault__hostile_but_printable_text_is_accepted_in_a_note(text: str) -> None:
    assert text_fault(text, "note") is None


def test_text_fault__newline_and_tab_only_in_free_text_fields() -> None:
    for field in ("text", "note", "reason", "problems", "best"):
        assert text_fault("第一行\n第二行\t续", field) is None
    for field in ("name", "units", "ref", "deadline", "aliases"):
        assert "此处只能写一行" in (text_fault("市财政局\n市税务局", field) or "")
        assert "制表符" in (text_fault("市财政局\t", field) or "")


@pytest.mark.parametrize(
    ("field", "limit"), [("text", LONG_TEXT), ("note", LONG_TEXT), ("ref", REFERENCE), ("name", NAME)]
)
def test_text_fault__length_limit_per_field(field: str, limit: int) -> None:
    assert text_fault("整" * limit, field) is None
    assert text_fault("整" * (limit + 1), field) == f"长度 {limit + 1} 字，超过上限 {limit} 字"


def test_text_fault__limits_leave_headroom_over_the_plan(plan: Ledger) -> None:
    """The plan's own longest texts (a measure of 183 characters, a name of 21) are far inside the limits."""
    longest_measure = max(len(m.text) for i in plan.indicators for m in i.measures)
    longest_unit = max(len(u.name) for u in plan.registry.units)
    assert longest_measure * 10 <= LONG_TEXT and longest_unit * 4 <= NAME
