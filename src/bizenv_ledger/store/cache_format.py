"""The read cache's file format: each file's record as plain JSON, rebuilt without running any code.

The cache used to be a pickle, and unpickling a planted file runs whatever it says.
JSON can only describe data. A record (a dataclass of ``model.domain``) is a JSON array
of its fields' values in the order the class declares them, the trailing fields that
hold their defaults left out; the reader knows each field's class from the declaration,
and rebuilds only the classes of ``model.domain``, only from an array of a length the
class allows. Anything else (a value that is not a date or a number where one must be,
an array too long or too short) makes the whole file unreadable, which only costs a
slower start.

Decimals and dates travel as text (``"2.7"``, ``"2022-09-30"``); a range or bound, where
a number may stand, as ``["Range", min, max]`` / ``["Bound", at_most, at_least]``.

Arrays rather than objects: no key is written or read for each of 100,000 measures,
which makes the cache a third of the size and its reading four times as fast. What a
province's ledger repeats (unit names, deadlines, statuses) is read into one string
each, and every empty list of a decoded record is one shared list that refuses to be
changed (``FrozenList``): 280 bytes a measure.

The cache file that holds these records, a line per ledger file under its stamp, is
``cache_lines``.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from ..model import domain
from ..model.records import FieldSpec, fields_of, is_record_type

__all__ = [
    "FORMAT",
    "FrozenList",
    "decode_entry",
    "encode_edited",
    "encode_entry",
]

# Bump when the encoding changes. (A change of the dataclasses is caught by the fingerprint,
# which stamps domain.py, and by the length check below.)
FORMAT = 5  # 1 held the whole ledger as tagged objects; 2 had no checksum on its lines; 3 no node counts;
# 4 one line per file (5: a file may have several, the last one its own: ``cache_lines``)
_SHORT = 24  # texts up to this long are read into one string each (the unit names, the deadlines)
# the text fields whose values recur across thousands of records (besides the lists of names and the Literals)
_REPEATED = frozenset({"deadline", "deadline_label", "unit", "level", "county", "leader"})

T = TypeVar("T")
Memo = dict[str, str]
Decode = Callable[[Any, Memo], Any]
Encode = Callable[[Any], Any]


class FrozenList(list[Any]):
    """The empty list that every decoded record shares: changing it in place raises instead of changing all."""

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        msg = "a record read from the cache is not changed in place"
        raise TypeError(msg)

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


EMPTY = FrozenList()
_SHARED_TEXT = 40  # characters: a unit's name, a deadline, a status recur; a measure's text does not


def compact(record: Any) -> Any:
    """A record just validated, made as small as one read from the cache: its empty lists the shared
    ``EMPTY``, its short texts one string each. At 100,000 measures this is half of ``check``'s memory.
    """
    if isinstance(record, list):
        for i, item in enumerate(record):
            record[i] = compact(item)
        return record
    if isinstance(record, str):
        return sys.intern(record) if len(record) <= _SHARED_TEXT else record
    fields = getattr(record, "__dict__", None)
    if fields is None or not dataclasses.is_dataclass(record):
        return record
    for name, value in fields.items():
        if isinstance(value, list):
            fields[name] = compact(value) if value else EMPTY
        elif isinstance(value, str) or dataclasses.is_dataclass(value):
            fields[name] = compact(value)
    return record


def _text(value: Any, memo: Memo) -> Any:
    if not isinstance(value, str):
        if value is None:
            return None
        raise ValueError(value)
    return memo.setdefault(value, value) if len(value) <= _SHORT else value


def _texts(value: Any, memo: Memo) -> Any:
    if not isinstance(value, list):
        raise ValueError(value)
    return [_text(v, memo) for v in value] if value else EMPTY


def _int(value: Any, memo: Memo) -> Any:
    if type(value) is not int:
        raise ValueError(value)
    return value


def _ints(value: Any, memo: Memo) -> Any:
    if not isinstance(value, list) or not all(type(v) is int for v in value):
        raise ValueError(value)
    return value or EMPTY


def _date(value: Any, memo: Memo) -> Any:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    return date.fromisoformat(value)


def _number(value: Any) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(value)  # numbers are always written as text: a bare number was not written by us
    return Decimal(value)


def _value(value: Any, memo: Memo) -> Any:
    """A field such as ``Decimal | Range | Bound | bool | None``."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return Decimal(value)
    if isinstance(value, list) and len(value) == 3 and value[0] == "Range":
        low, high = _number(value[1]), _number(value[2])
        if low is None or high is None:
            raise ValueError(value)
        return domain.Range(low, high)
    if isinstance(value, list) and len(value) == 3 and value[0] == "Bound":
        return domain.Bound(_number(value[1]), _number(value[2]))
    raise ValueError(value)


def _encode_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, domain.Range):
        return ["Range", str(value.min), str(value.max)]
    if isinstance(value, domain.Bound):
        return ["Bound", *(None if v is None else str(v) for v in (value.at_most, value.at_least))]
    return value


def _encode_date(value: Any) -> Any:
    return None if value is None else value.isoformat()


class _Shape:
    """How one record class is written: its fields, and the codec of each that is not taken as it is.

    A plain class, not a dataclass: making one costs a millisecond and a half of every read's start.
    """

    __slots__ = ("cls", "decoders", "defaults", "encoders", "names", "required", "tails")

    def __init__(
        self,
        cls: type[Any],
        names: tuple[str, ...],
        required: int,
        decoders: tuple[tuple[int, Decode], ...],  # the fields that are not taken as they are, in order
        encoders: tuple[Encode | None, ...],
        # each field's default, to leave out a trailing field that holds it (an empty list, None, "open" …;
        # a record such as MetricSources() is never equal to its encoding, and is written out)
        defaults: tuple[Any, ...],
        tails: tuple[dict[str, Any], ...],  # for each length, the defaults of the fields left out
    ) -> None:
        self.cls, self.names, self.required = cls, names, required
        self.decoders, self.encoders, self.defaults, self.tails = decoders, encoders, defaults, tails

    def decode(self, value: Any, memo: Memo) -> Any:
        if type(value) is not list or not self.required <= len(value) <= len(self.names):
            msg = f"{self.cls.__name__}: not its fields"
            raise ValueError(msg)
        n = len(value)
        for i, decode in self.decoders:
            if i >= n:
                break
            value[i] = decode(value[i], memo)
        obj = object.__new__(self.cls)
        fields = obj.__dict__
        fields.update(zip(self.names, value, strict=False))
        fields.update(self.tails[n])
        return obj  # as unpickling did: the records are frozen, their values already checked

    def encode(self, obj: Any) -> list[Any]:
        out = [
            getattr(obj, name) if enc is None else enc(getattr(obj, name))
            for name, enc in zip(self.names, self.encoders, strict=True)
        ]
        while len(out) > self.required and out[-1] == self.defaults[len(out) - 1]:
            out.pop()
        return out


def _record(name: str) -> tuple[Decode, Encode]:
    def decode(value: Any, memo: Memo) -> Any:
        return None if value is None else _shapes()[name].decode(value, memo)

    def encode(value: Any) -> Any:
        return None if value is None else _shapes()[name].encode(value)

    return decode, encode


def _records(name: str) -> tuple[Decode, Encode]:
    def decode(value: Any, memo: Memo) -> Any:
        if not isinstance(value, list):
            raise ValueError(value)
        shape = _shapes()[name]
        return [shape.decode(v, memo) for v in value] if value else EMPTY

    def encode(value: Any) -> Any:
        shape = _shapes()[name]
        return [shape.encode(v) for v in value]

    return decode, encode


def _codec(field: FieldSpec, classes: set[str]) -> tuple[Decode | None, Encode | None]:
    """How a field declared as ``field.type`` (domain.py's annotation text) is read back and written."""
    declared = str(field.type)
    bare = declared.removesuffix(" | None")
    if bare in classes:
        return _record(bare)
    if declared.startswith("list[") and declared[5:-1] in classes:
        return _records(declared[5:-1])
    if declared == "list[str]":
        return _texts, None
    if declared == "list[int]":
        return _ints, None
    if declared == "int":
        return _int, None  # an indicator's number: what the records are sorted and found by
    if bare == "date":
        return _date, _encode_date
    if "Decimal" in declared:
        return _value, _encode_value
    if declared.startswith("Literal[") or (bare == "str" and field.name in _REPEATED):
        return _text, None
    return None, None  # other texts as they are (each measure's own text, its id)


def _default(field: FieldSpec) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    made = field.default_factory()
    return EMPTY if isinstance(made, list) else made  # a MetricSources() of Nones is shared as well


@cache
def _shapes() -> dict[str, _Shape]:
    # read without making the records dataclasses: a read builds them with object.__new__ (see model/records.py)
    classes = {n for n in domain.__all__ if is_record_type(getattr(domain, n))} - {"Ledger"}
    shapes = {}
    for name in sorted(classes):
        cls = getattr(domain, name)
        fields = fields_of(cls)
        names = tuple(f.name for f in fields)
        required = sum(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING for f in fields)
        codecs = [_codec(f, classes) for f in fields]
        defaults = tuple(None if k < required else _default(f) for k, f in enumerate(fields))
        tails = tuple(dict(zip(names[n:], defaults[n:], strict=True)) for n in range(len(names) + 1))
        decoders = tuple((k, dec) for k, (dec, _) in enumerate(codecs) if dec is not None)
        shapes[name] = _Shape(cls, names, required, decoders, tuple(enc for _, enc in codecs), defaults, tails)
    return shapes


def encode_entry(value: Any) -> bytes:
    """One file's record (a Plan, UnitRegistry, Indicator or County) as one line of JSON."""
    shape = _shapes().get(type(value).__name__)
    if shape is None or type(value) is not shape.cls:
        msg = f"not a ledger record: {type(value).__name__}"
        raise TypeError(msg)
    return json.dumps(shape.encode(value), ensure_ascii=False, separators=(",", ":"), check_circular=False).encode()


def encode_edited(old: bytes, value: Any, path: tuple[str | int, ...]) -> bytes | None:
    """``encode_entry(value)``, made from ``old``: the line of a record that ``value`` equals but for the
    list item at ``path`` (``("measures", 41)``, ``("indicators", 2, "measures", 0)``), which alone is encoded.

    A write changes one measure of a file of thousands: encoding them all again was a tenth of a write
    at 100,000 measures, where reading the old line and writing it out again are done in C. None when
    the path cannot be followed through ``old`` (the full encoding is then the answer).
    """
    shapes = _shapes()
    shape, record, root = shapes.get(type(value).__name__), value, json.loads(old)
    holder = root
    if shape is None or type(value) is not shape.cls or len(path) % 2 or not path:
        return None
    for depth in range(0, len(path), 2):
        name, index = path[depth], path[depth + 1]
        if not isinstance(name, str) or name not in shape.names or not isinstance(index, int):
            return None
        field = shape.names.index(name)
        items = getattr(record, name)
        if field >= len(holder) or not isinstance(holder[field], list) or len(holder[field]) != len(items):
            return None
        if not 0 <= index < len(items) or (shape := shapes.get(type(items[index]).__name__)) is None:
            return None
        record = items[index]
        if depth + 2 == len(path):
            holder[field][index] = shape.encode(record)
        else:
            holder = holder[field][index]
    return json.dumps(root, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode()


Keep = Callable[[list[str]], bool]  # whether a measure is wanted, from its units as written


def decode_entry(body: bytes, cls: type[T], memo: Memo | None = None, keep: Keep | None = None) -> T:
    """The record in one line of a cache file; raises ValueError, KeyError or TypeError for anything else.

    ``keep``: only the measures it wants are made (a read that shows one unit's measures); the
    record then holds only those, and is for showing them, never to be cached or checked.
    """
    raw = json.loads(body)
    if keep is not None:
        _narrow(raw, cls.__name__, keep)
    value = _shapes()[cls.__name__].decode(raw, {} if memo is None else memo)
    if not isinstance(value, cls):
        msg = f"not a {cls.__name__}"
        raise TypeError(msg)
    return value


def _narrow(raw: Any, kind: str, keep: Keep) -> None:
    """Drop from an encoded Indicator or County the measures ``keep`` does not want (in place)."""
    shapes = _shapes()
    if kind == "County" and isinstance(raw, list):
        at = shapes["County"].names.index("indicators")
        for item in raw[at] if len(raw) > at and isinstance(raw[at], list) else []:
            _narrow(item, "CountyIndicator", keep)
    elif kind in ("Indicator", "CountyIndicator") and isinstance(raw, list):
        at, units = shapes[kind].names.index("measures"), shapes["Measure"].names.index("units")
        if len(raw) > at and isinstance(raw[at], list):
            raw[at] = [m for m in raw[at] if not (isinstance(m, list) and len(m) > units) or keep(m[units])]
