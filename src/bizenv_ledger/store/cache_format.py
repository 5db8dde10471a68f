"""The read cache's file format: the Ledger's dataclasses as plain JSON, rebuilt without running any code.

The cache used to be a pickle, and unpickling a planted file runs whatever it says.
JSON can only describe data: each dataclass is an object tagged with its class name
(``"_": "Measure"``), and the loader rebuilds only the classes of ``model.domain``,
only when the object carries exactly that class's fields. Anything else (another
class name, a missing or extra field, a value that is not a date or a number where
one must be) makes the whole file unreadable, which only costs a slower start.

Decimals and dates travel as text (``"2.7"``, ``"2022-09-30"``) and are turned back
by the field's declared type; a mapping field travels as a list of pairs, so that
``indicator_files``'s int keys stay ints.

Layout: one header line ``{"format": …, "fingerprint": …}``, then the ledger. A stale
cache is recognised from the header alone, without reading the rest.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from ..model import domain

__all__ = ["FORMAT", "decode", "encode", "fingerprint_of"]

# Bump when the encoding changes. (A change of the dataclasses is caught by the fingerprint,
# which stamps domain.py, and by the exact-fields check below.)
FORMAT = 1
_TAG = "_"

Convert = Callable[[Any], Any]


def _decimal(value: Any) -> Any:
    # in a field such as `Decimal | Range | Bound | bool | None` text can only be a number
    if isinstance(value, str):
        return Decimal(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(value)  # numbers are always written as text: a bare number was not written by us
    return value


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError(value)
    return date.fromisoformat(value)


def _optional_date(value: Any) -> date | None:
    return None if value is None else _date(value)


def _pairs(int_keys: bool) -> Convert:
    def convert(value: Any) -> dict[Any, Any]:
        return {int(k) if int_keys else str(k): v for k, v in value}

    return convert


def _converter(declared: str) -> Convert | None:
    """How a field declared as ``declared`` (domain.py's annotation text) is turned back from JSON."""
    if declared.startswith("dict["):
        return _pairs(declared.startswith("dict[int"))
    if declared.startswith("list["):
        return None  # lists hold dataclasses (rebuilt on their own), text or ints
    if declared == "date":
        return _date
    if declared == "date | None":
        return _optional_date
    if "Decimal" in declared:
        return _decimal
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class _Shape:
    cls: type[Any]
    fields: frozenset[str]
    converters: tuple[tuple[str, Convert], ...]
    dict_fields: tuple[str, ...]


@cache
def _shapes() -> dict[str, _Shape]:
    shapes = {}
    for name in domain.__all__:
        cls = getattr(domain, name)
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            continue
        fields = dataclasses.fields(cls)
        converters = tuple((f.name, c) for f in fields if (c := _converter(str(f.type))) is not None)
        dict_fields = tuple(f.name for f in fields if str(f.type).startswith("dict["))
        shapes[name] = _Shape(cls, frozenset([_TAG, *(f.name for f in fields)]), converters, dict_fields)
    return shapes


def _to_json(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    shape = _shapes().get(type(obj).__name__)
    if shape is None or type(obj) is not shape.cls:
        msg = f"not a ledger value: {type(obj).__name__}"
        raise TypeError(msg)
    tree = {_TAG: type(obj).__name__, **obj.__dict__}
    for name in shape.dict_fields:
        tree[name] = list(tree[name].items())
    return tree


def _rebuilder() -> Callable[[dict[str, Any]], Any]:
    """json's object_hook: each tagged object, bottom-up, back into its dataclass."""
    shapes = _shapes()

    def rebuild(tree: dict[str, Any]) -> Any:
        shape = shapes[tree[_TAG]]  # KeyError for a class that is not the ledger's
        if tree.keys() != shape.fields:
            msg = f"{tree[_TAG]}: fields differ"
            raise ValueError(msg)
        for name, convert in shape.converters:
            tree[name] = convert(tree[name])
        del tree[_TAG]
        obj = object.__new__(shape.cls)
        obj.__dict__.update(tree)  # as unpickling did: the records are frozen, their values already checked
        return obj

    return rebuild


def encode(ledger: domain.Ledger, fingerprint: str) -> bytes:
    header = json.dumps({"format": FORMAT, "fingerprint": fingerprint}, ensure_ascii=True)
    body = json.dumps(ledger, default=_to_json, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    return f"{header}\n{body}".encode()


def fingerprint_of(raw: bytes) -> str | None:
    """The fingerprint in a cache file's header; None when the file is not a cache of this format."""
    header, _, _ = raw.partition(b"\n")
    try:
        meta = json.loads(header)
    except ValueError:
        return None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return None
    found = meta.get("fingerprint")
    return found if isinstance(found, str) else None


def decode(raw: bytes) -> domain.Ledger:
    """The ledger in a cache file; raises ValueError, KeyError or TypeError for anything else."""
    _, _, body = raw.partition(b"\n")
    ledger = json.loads(body, object_hook=_rebuilder())
    if not isinstance(ledger, domain.Ledger):
        msg = "not a ledger"
        raise TypeError(msg)
    return ledger
