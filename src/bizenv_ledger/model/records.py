"""Ledger records: dataclasses whose generated methods are made when first used, not at import.

``@dataclass`` writes each class's ``__init__`` and ``__repr__`` as source text and compiles it,
about a quarter of a millisecond a class. A read command builds its records from the cache
(``object.__new__`` and the fields set at once) and never calls them, yet it paid for all of
them at every start: 6–10 ms of a 130 ms ``ledger list``. ``record`` leaves a stand-in for each
generated attribute; the first use of any of them (constructing a record, ``repr``,
``dataclasses.fields`` or ``replace``) makes the class a real dataclass, once. ``fields_of``
lists a record's fields without that, for the cache's decoder. Pure: no I/O.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["FieldSpec", "complete", "fields_of", "is_record_type", "record"]

_T = TypeVar("_T")

# what @dataclass(eq=False) adds to a class, each looked up through a stand-in until then
_GENERATED = (
    "__init__",
    "__repr__",
    "__match_args__",
    "__dataclass_fields__",
    "__dataclass_params__",
    *(("__replace__",) if hasattr(copy, "replace") else ()),  # copy.replace's hook, from 3.13
)


class FieldSpec:
    """A field as declared: its name, its annotation's text, and its default or default factory.

    A plain class: a NamedTuple compiles its constructor at import, which this module exists to avoid.
    """

    __slots__ = ("default", "default_factory", "name", "type")

    def __init__(self, name: str, kind: str, default: Any, default_factory: Any) -> None:
        self.name = name
        self.type = kind
        self.default = default
        self.default_factory = default_factory


class _Deferred:
    """Stands in for a generated attribute: the first lookup makes the class a dataclass and returns the real one."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type) -> Any:
        # the record that holds this stand-in, which may be a base of ``owner`` (a plain subclass of a record)
        holder = next(c for c in owner.__mro__ if c.__dict__.get(self.name) is self)
        if self.name == "__init__":
            # what a read needs of a record it makes (a view of each measure): only its constructor, which is
            # a tenth of what making it a whole dataclass costs; the rest stays deferred (dataclass keeps it)
            setattr(holder, self.name, _init_of(holder))
        else:
            complete(holder)
        return getattr(owner if obj is None else obj, self.name)


def _init_of(cls: type) -> Callable[..., None]:
    """The ``__init__`` that ``@dataclass`` would write for ``cls``: each field an argument, in order, with its default."""
    names: dict[str, Any] = {"_MISSING": dataclasses.MISSING}
    params, lines = [], []
    for k, spec in enumerate(_SPECS[cls]):
        if spec.default is not dataclasses.MISSING:
            names[f"_default{k}"] = spec.default
            params.append(f"{spec.name}=_default{k}")
            lines.append(f"self.{spec.name} = {spec.name}")
        elif spec.default_factory is not dataclasses.MISSING:
            names[f"_factory{k}"] = spec.default_factory
            params.append(f"{spec.name}=_MISSING")
            lines.append(f"self.{spec.name} = _factory{k}() if {spec.name} is _MISSING else {spec.name}")
        else:
            params.append(spec.name)
            lines.append(f"self.{spec.name} = {spec.name}")
    source = f"def __init__(self, {', '.join(params)}):\n    " + ("\n    ".join(lines) or "pass") + "\n"
    exec(source, names)
    init: Callable[..., None] = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


_SPECS: dict[type, tuple[FieldSpec, ...]] = {}


_EQ: set[type] = set()  # the records that compare (and hash) by value
_BY_VALUE = ("__eq__", "__hash__")


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(*, eq: bool = False) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(frozen_default=True, eq_default=False, field_specifiers=(dataclasses.field,))
def record(cls: type[_T] | None = None, /, *, eq: bool = False) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """A ledger record: frozen for the type checker, a plain dataclass (``eq=False`` unless asked) when first used.

    mypy refuses any assignment to a record's field, as ``frozen=True`` would at run time; a
    frozen dataclass costs two generated methods more per class and an ``object.__setattr__``
    per field on every construction. Records compare by identity: nothing compares two
    measures by value. ``record(eq=True)`` compares and hashes by value, as a frozen dataclass
    does (a query's result, a filter, a figure). A record may extend another record.
    """
    if cls is None:
        return lambda made: _recorded(made, eq=eq)
    return _recorded(cls, eq=eq)


def _recorded(cls: type[_T], *, eq: bool) -> type[_T]:
    specs = {spec.name: spec for base in reversed(cls.__mro__[1:]) for spec in _SPECS.get(base, ())}
    specs |= {name: _spec(cls, name, str(kind)) for name, kind in getattr(cls, "__annotations__", {}).items()}
    _SPECS[cls] = tuple(specs.values())  # a base's fields first, as dataclasses orders them
    if eq:
        _EQ.add(cls)
    for name in _generated(cls):
        setattr(cls, name, _Deferred(name))
    return cls


def _generated(cls: type) -> tuple[str, ...]:
    return _GENERATED + _BY_VALUE if cls in _EQ else _GENERATED


def _spec(cls: type, name: str, kind: str) -> FieldSpec:
    declared = cls.__dict__.get(name, dataclasses.MISSING)
    if isinstance(declared, dataclasses.Field):
        return FieldSpec(name, kind, declared.default, declared.default_factory)
    return FieldSpec(name, kind, declared, dataclasses.MISSING)


def complete(cls: type[_T]) -> type[_T]:
    """``cls`` made a dataclass, if it is a record not yet made one (dataclass keeps what a class defines)."""
    if _SPECS.get(cls) is None or not isinstance(cls.__dict__.get("__repr__"), _Deferred):
        return cls
    for name in _generated(cls):
        if isinstance(cls.__dict__.get(name), _Deferred):
            delattr(cls, name)  # not the __init__ that ``_init_of`` may have put in its place
    eq = cls in _EQ
    return dataclasses.dataclass(eq=eq, unsafe_hash=eq)(cls)


def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """A record's or a dataclass's fields, in order, without making a record a dataclass."""
    specs = _SPECS.get(cls)
    if specs is not None:
        return specs
    return tuple(FieldSpec(f.name, str(f.type), f.default, f.default_factory) for f in dataclasses.fields(cls))


def is_record_type(value: object) -> bool:
    """Whether ``value`` is a record class or a dataclass (``dataclasses.is_dataclass`` for classes, lazily)."""
    return isinstance(value, type) and (value in _SPECS or dataclasses.is_dataclass(value))
