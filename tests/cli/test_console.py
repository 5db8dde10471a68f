"""Look-alikes for characters a GBK (or other non-UTF-8) console cannot show (cli/console.py)."""

from __future__ import annotations

import io

from bizenv_ledger.cli.console import ERRORS, adapt_streams, substitute


def test_substitute__gbk_gets_look_alikes_and_question_marks() -> None:
    assert substitute("✓↻░−•\u00a0", "gbk") == "√◎·-· "
    assert substitute("🚀👩\u200d💻❤\ufe0f", "gbk") == "???" + "?"  # each emoji one ?, joiners and selectors gone


def test_substitute__a_look_alike_the_encoding_lacks_becomes_a_question_mark() -> None:
    assert substitute("✓", "ascii") == "?"  # √ is not ASCII either
    assert substitute("−", "ascii") == "-"


def test_adapt_streams__a_gbk_stream_writes_what_it_cannot_encode_as_look_alikes() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    adapt_streams((stream,))
    stream.write("●红灯 ✓已销号 ↻持续推进 🚀\n")
    stream.flush()
    assert stream.errors == ERRORS
    assert raw.getvalue().decode("gbk") == "●红灯 √已销号 ◎持续推进 ?\n"


def test_adapt_streams__utf8_streams_are_left_strict() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    adapt_streams((stream,))
    assert stream.errors == "strict"
