"""Pydantic validation of the YAML files against the domain dataclasses.

Imported only when files are actually read (a cache miss or ``check``), because
building pydantic validators costs more than a whole cached query.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Iterator
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from pydantic import ConfigDict, TypeAdapter, ValidationError

from ..model import domain

__all__ = ["SchemaProblem", "configure", "validate"]

T = TypeVar("T")

_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=False)


def configure() -> None:
    """Forbid unknown keys in every dataclass (pydantic reads the config off the class)."""
    for name in domain.__all__:
        cls = getattr(domain, name)
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            setattr(cls, "__pydantic_config__", _CONFIG)  # noqa: B010  (pydantic reads it off the class)


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(cls: type[T]) -> TypeAdapter[T]:
    if cls not in _ADAPTERS:
        configure()
        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


@dataclasses.dataclass(frozen=True, slots=True)
class SchemaProblem:
    loc: tuple[str | int, ...]
    message: str
    kind: str


_MESSAGES = {
    "missing": "缺少必填字段",
    "unexpected_keyword_argument": "未知字段（拼写错误？）",
    "string_type": "应为文本；数字、日期样式的值请加引号",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dataclass_type": "应为映射（键: 值）",
    "dict_type": "应为映射（键: 值）",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "int_from_float": "应为整数",
    "date_from_datetime_parsing": "不是有效日期（应写作 YYYY-MM-DD）",
    "date_from_datetime_inexact": "不是有效日期（应写作 YYYY-MM-DD）",
    "date_parsing": "不是有效日期（应写作 YYYY-MM-DD）",
    "date_type": "不是有效日期（应写作 YYYY-MM-DD）",
    "literal_error": "取值不在允许范围内",
}


def _message(err: Any) -> str:
    kind = err["type"]
    base = _MESSAGES.get(kind)
    if kind == "literal_error":
        return f"{base}：{err['ctx'].get('expected', '')}"
    if base is None:
        return str(err["msg"])
    return base


_UNION_TAGS = frozenset({"bool", "decimal", "str", "int", "none"})
_VALUE_MESSAGE = "应为数字、true/false、{min: 下限, max: 上限} 或 {at_most: 上限}/{at_least: 下限}"


def _clean_loc(loc: tuple[Any, ...]) -> tuple[tuple[str | int, ...], bool]:
    """Drop pydantic's union-branch labels (``Range``, ``decimal``) from a location.

    Returns the cleaned location and whether the error came from inside a union.
    """
    keep: list[str | int] = []
    in_union = False
    for part in loc:
        if isinstance(part, int):
            keep.append(part)
        elif part in _UNION_TAGS or part[:1].isupper() or "[" in part:
            in_union = True
        else:
            keep.append(part)
    return tuple(keep), in_union


@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    return get_type_hints(cls)


@cache
def _holds_int(tp: Any) -> bool:
    """Whether ``tp`` has an int anywhere in it (a measure has none: its thousands need no walk)."""
    if tp is int:
        return True
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return any(_holds_int(hint) for hint in _hints(tp).values())
    return any(_holds_int(arg) for arg in get_args(tp))


def _bools_for_ints(tp: Any, value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where ``true``/``false`` stands for an int: pydantic reads it as 1/0 (`!!bool yes` became 指标编号 0)."""
    if not _holds_int(tp):
        return
    origin = get_origin(tp)
    if tp is int:
        if isinstance(value, bool):
            yield loc
    elif origin is list and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bools_for_ints(get_args(tp)[0], item, (*loc, index))
    elif origin in (Union, types.UnionType):
        for arg in get_args(tp):
            yield from _bools_for_ints(arg, value, loc)
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp) and isinstance(value, dict):
        hints = _hints(tp)
        for f in dataclasses.fields(tp):
            if f.name in value:
                yield from _bools_for_ints(hints[f.name], value[f.name], (*loc, f.name))


def validate(cls: type[T], data: Any) -> tuple[T | None, list[SchemaProblem]]:
    """Validate ``data`` as ``cls``; on failure return every problem, one per location."""
    seen: dict[tuple[str | int, ...], SchemaProblem] = {}
    try:
        value: T | None = _adapter(cls).validate_python(data)
    except ValidationError as exc:
        value = None
        for err in exc.errors():
            loc, in_union = _clean_loc(tuple(err["loc"]))
            if loc not in seen:
                message = _VALUE_MESSAGE if in_union else _message(err)
                seen[loc] = SchemaProblem(loc, message, err["type"])
    for loc in _bools_for_ints(cls, data, ()):
        seen.setdefault(loc, SchemaProblem(loc, "应为整数，而不是 true/false", "int_from_bool"))
    return (value, []) if not seen else (None, list(seen.values()))
