"""The audit trail's format (audit): trailer values, message layout, history rebuilt from log entries."""

from __future__ import annotations

from datetime import date

import pytest

from bizenv_ledger.write.audit import CommitMessage, decode_value, encode_value, history, read_trailers, select
from bizenv_ledger.write.git import LogEntry
from tests.writing import HOSTILE, REFUSED


@pytest.mark.parametrize("text", [*HOSTILE, *REFUSED.values(), "张电〔2022〕12号", "https://example.org/a?b=c#d", ""])
def test_encode_value__round_trips_on_one_line(text: str) -> None:
    encoded = encode_value(text)
    assert "\n" not in encoded and "\r" not in encoded
    assert decode_value(encoded) == text


def test_encode_value__plain_text_stays_readable() -> None:
    assert encode_value("张电〔2022〕12号") == "张电〔2022〕12号"
    assert encode_value("第一行\n第二行") == '"第一行\\n第二行"'


def test_commit_message__trailers_form_the_last_paragraph() -> None:
    note = "备注\n\nLedger-Action: undo\n"  # user text that looks like a trailer stays in the body
    message = CommitMessage("销号 3.2", (f"备注：{note}",), (("Ledger-Action", "done"), ("Ledger-Note", note)))
    text = message.render()
    assert text.startswith("销号 3.2\n\n备注：备注\n\nLedger-Action: undo\n\n")
    assert read_trailers(text) == [("Ledger-Action", "done"), ("Ledger-Note", note)]


def _log(commit: str, when: str, *trailers: tuple[str, str]) -> LogEntry:
    message = CommitMessage(f"subject {commit}", (), trailers).render()
    return LogEntry(commit, "营商办", "o@example.org", when, message)


LOGS = [  # newest first, as git log gives them
    _log(
        "c3", "2022-09-02T10:00:00+08:00", ("Ledger-Action", "undo"), ("Ledger-Item", "3.2"), ("Ledger-Reverts", "c2")
    ),
    _log(
        "c2", "2022-09-01T23:30:00+00:00", ("Ledger-Action", "progress"), ("Ledger-Item", "3.2"), ("Ledger-Unit", "U")
    ),
    _log(
        "c1",
        "2022-08-15T09:00:00+08:00",
        ("Ledger-Action", "done"),
        ("Ledger-Item", "3.1"),
        ("Ledger-Evidence", "a"),
        ("Ledger-Evidence", "b"),
    ),
    LogEntry("c0", "someone", "s@example.org", "2022-08-01T00:00:00+08:00", "手工修改\n"),
]


def test_history__oldest_first_ledger_commits_only_with_undo_marked() -> None:
    entries = history(LOGS)
    assert [e.commit for e in entries] == ["c1", "c2", "c3"]
    assert entries[0].evidence == ("a", "b")
    assert entries[1].undone_by == ["c3"] and entries[1].as_dict()["undone_by"] == "c3"


def test_select__by_item_unit_and_shanghai_day() -> None:
    entries = history(LOGS)
    assert [e.commit for e in select(entries, items={"3.2"})] == ["c2", "c3"]
    assert [e.commit for e in select(entries, units={"U"})] == ["c2"]
    # c2 was committed at 23:30 UTC on 09-01, which is 09-02 in Shanghai
    assert [e.commit for e in select(entries, since=date(2022, 9, 2))] == ["c2", "c3"]
    assert [e.commit for e in select(entries, until=date(2022, 9, 1))] == ["c1"]
