"""History entries read from commit trailers that anyone could have written."""

from __future__ import annotations

import pytest

from bizenv_ledger.write.audit import entry_from_log
from bizenv_ledger.write.git import LogEntry


@pytest.mark.parametrize(("written", "read"), [("3", 3), ("9" * 5000, None), ("²", None), ("", None), ("-1", None)])
def test_entry_from_log__indicator_trailer_is_read_only_when_it_is_a_number(written: str, read: int | None) -> None:
    """A hand-made commit with `Ledger-Indicator: 999…9` used to stop `history` with a ValueError."""
    message = f"进展 3.2：x\n\nLedger-Action: progress\nLedger-Item: 3.2\nLedger-Indicator: {written}\n"
    entry = entry_from_log(LogEntry("a" * 40, "营商办", "o@example.org", "2022-08-15T10:00:00+08:00", message))
    assert entry is not None and entry.indicator == read
