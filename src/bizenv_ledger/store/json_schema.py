"""JSON Schemas (draft 2020-12) of the ledger's files, generated from the pydantic schema.

Editors validate YAML against them as one types (the YAML extension of VS Code reads the
``# yaml-language-server: $schema=…`` line at the top of each file). They are generated, never
written by hand, so they cannot drift from what ``ledger check`` enforces at the schema level;
the cross-file rules (ids, units, dates in order) remain ``check``'s alone.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from ..model import domain

__all__ = ["KINDS", "SCHEMA_DIR", "json_schema", "kind_of", "modeline", "schema_text"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"
KINDS: dict[str, tuple[type[Any], str]] = {
    "plan": (domain.Plan, "方案文件 plan.yaml：发文信息与总体目标"),
    "units": (domain.UnitRegistry, "责任单位登记 units.yaml"),
    "indicator": (domain.Indicator, "指标文件 indicators/NN-名称.yaml：目标、指标项与措施"),
    "county": (domain.County, "县区责任清单 counties/县名.yaml"),
}
# A number may also be written as text ("2.7"), as pydantic accepts it; nothing else passes as one.
_NUMBER_TEXT = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"


def kind_of(rel: str) -> str | None:
    """Which schema a ledger file follows, by its place in the ledger."""
    path = PurePosixPath(rel)
    if path.parts == ("plan.yaml",):
        return "plan"
    if path.parts == ("units.yaml",):
        return "units"
    if len(path.parts) == 2 and path.suffix in (".yaml", ".yml"):
        return {"indicators": "indicator", "counties": "county"}.get(path.parts[0])
    return None


def json_schema(kind: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    from .schema import configure

    cls, title = KINDS[kind]
    configure()
    schema = TypeAdapter(cls).json_schema(mode="validation")
    _constrain_number_text(schema)
    for definition in schema.get("$defs", {}).values():
        # the classes' docstrings are notes for developers, in English: an editor would show them on hover
        definition.pop("description", None)
    schema.pop("description", None)
    return {"$schema": DRAFT, "title": title, **{k: v for k, v in schema.items() if k != "title"}}


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def modeline(rel: str) -> str | None:
    """The editor's schema line for the file at ``rel`` (relative to the ledger root), or None."""
    kind = kind_of(rel)
    if kind is None:
        return None
    up = "../" * (len(PurePosixPath(rel).parts) - 1)
    return f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{kind}.schema.json"


def _constrain_number_text(node: Any) -> None:
    """pydantic writes a Decimal as number-or-any-string; only numeric text passes ``check``."""
    if isinstance(node, dict):
        options = node.get("anyOf")
        if isinstance(options, list) and {"type": "number"} in options:
            for option in options:
                if option == {"type": "string"}:
                    option["pattern"] = _NUMBER_TEXT
        for value in node.values():
            _constrain_number_text(value)
    elif isinstance(node, list):
        for value in node:
            _constrain_number_text(value)
