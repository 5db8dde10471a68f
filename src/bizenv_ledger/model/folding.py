"""How a typed name is compared with the ledger's: NFKC, no whitespace. Pure.

Its own module, importing only unicodedata, so that a Tab (cli/quick_tab.py) matches names
without importing the calendar (dateutil, datetime) that ``model.dates`` needs.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["normalise"]


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """NFKC and no whitespace: full/half-width brackets, colons and spaces stop mattering."""
    return "".join(unicodedata.normalize("NFKC", text).split())
