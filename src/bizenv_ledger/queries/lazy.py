"""A sequence whose items are made from others each time they are read, never held.

A read command over 100,000 measures keeps the measures it selected (the ledger holds them
anyway) and makes each one's view, or each row of a table, again on every pass over them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

__all__ = ["HELD", "Kept", "Remade", "made"]

_Source = TypeVar("_Source")
_Made = TypeVar("_Made")

HELD = 2000  # up to this many items are made once and held: a plan-size list pays for one pass, not two


class Remade(Sequence[_Made], Generic[_Source, _Made]):
    """``make(item)`` for each of ``items``, made when read: only ``items`` stay in memory."""

    __slots__ = ("_items", "_make")

    def __init__(self, items: Sequence[_Source], make: Callable[[_Source], _Made]) -> None:
        self._items = items
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[_Made]:
        return map(self._make, self._items)

    @overload
    def __getitem__(self, index: int) -> _Made: ...
    @overload
    def __getitem__(self, index: slice) -> Remade[_Source, _Made]: ...
    def __getitem__(self, index: int | slice) -> _Made | Remade[_Source, _Made]:
        if isinstance(index, slice):
            return Remade(self._items[index], self._make)
        return self._make(self._items[index])


class Kept(Sequence[_Made], Generic[_Source, _Made]):
    """``make(item)`` for each of ``items``, made when first read and kept; never made if never read.

    A table offers several layouts and the terminal draws one: the others' rows are never made,
    or only the first few, where a glance at them shows that the layout cannot fit.
    """

    __slots__ = ("_items", "_kept", "_make")

    def __init__(self, items: Sequence[_Source], make: Callable[[_Source], _Made]) -> None:
        self._items = items
        self._make = make
        self._kept: list[_Made] = []

    @classmethod
    def held(
        cls, items: Sequence[_Source], made: list[_Made], make: Callable[[_Source], _Made]
    ) -> Kept[_Source, _Made]:
        """``items`` whose items were all made already (``made``, in order): read, they are not made again."""
        kept = cls(items, make)
        kept._kept = made
        return kept

    def _upto(self, count: int) -> list[_Made]:
        """The kept items, made until there are ``count`` of them (or all there are)."""
        kept, items = self._kept, self._items
        kept.extend(map(self._make, items[len(kept) : count]))
        return kept

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[_Made]:
        kept = self._kept
        for i in range(len(self._items)):
            yield kept[i] if i < len(kept) else self._upto(i + 1)[i]

    @overload
    def __getitem__(self, index: int) -> _Made: ...
    @overload
    def __getitem__(self, index: slice) -> list[_Made]: ...
    def __getitem__(self, index: int | slice) -> _Made | list[_Made]:
        return self._upto(len(self._items))[index]


def made(items: Sequence[_Source], make: Callable[[_Source], _Made]) -> Sequence[_Made]:
    """``make`` over ``items``: made once when first read and kept for a short sequence, else ``Remade`` (made when read)."""
    if len(items) <= HELD:
        return Kept(items, make)
    return Remade(items, make)
