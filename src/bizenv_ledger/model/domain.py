"""The ledger's data as plain dataclasses. Pure: no I/O, no pydantic.

Records compare by identity (``eq=False``): nothing compares two measures by
value, and skipping the generated ``__eq__`` keeps start-up short. The value
types ``Range`` and ``Bound`` do compare by value.

These classes are the schema of the YAML files and the objects every query
works on. They are validated by pydantic in ``_schema`` (only when files are
read), but importing this module stays cheap, because the read commands run
dozens of times a day and on every shell-completion Tab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

__all__ = [
    "Bound",
    "Closing",
    "CollectiveUnit",
    "County",
    "CountyIndicator",
    "Evidence",
    "Indicator",
    "Ledger",
    "Measure",
    "Member",
    "Metric",
    "MetricSources",
    "Milestone",
    "OverallGoal",
    "Plan",
    "Postponement",
    "ProgressEntry",
    "Range",
    "Reading",
    "Reopening",
    "UnitEntry",
    "UnitRegistry",
    "Value",
]

Direction = Literal["lower", "higher"]


@dataclass(frozen=True)
class Range:
    """A span such as 110-180元不等."""

    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class Bound:
    """A one-sided figure: 最多不超过60天 is at_most 60; 1000万元以上 is at_least 1000."""

    at_most: Decimal | None = None
    at_least: Decimal | None = None


Value = Decimal | Range | Bound | bool


@dataclass(frozen=True, eq=False)
class MetricSources:
    """The document's own phrase behind each value."""

    best: str | None = None
    baseline: str | None = None
    target: str | None = None


@dataclass(frozen=True, eq=False)
class Reading:
    on: date
    value: Decimal | Range | Bound | bool
    source: str | None = None


@dataclass(frozen=True, eq=False)
class Metric:
    key: str
    name: str
    unit: str
    direction: Literal["lower", "higher"]
    best: Decimal | Range | Bound | bool | None = None
    baseline: Decimal | Range | Bound | bool | None = None
    target: Decimal | Range | Bound | bool | None = None
    worst: Decimal | None = None
    source: MetricSources = field(default_factory=MetricSources)
    readings: list[Reading] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Milestone:
    text: str
    deadline: str


@dataclass(frozen=True, eq=False)
class Evidence:
    ref: str
    kind: Literal["doc", "url", "file"]
    sha256: str | None = None


@dataclass(frozen=True, eq=False)
class Closing:
    on: date
    note: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Reopening:
    on: date
    reason: str
    closing: Closing


@dataclass(frozen=True, eq=False)
class ProgressEntry:
    on: date
    text: str


@dataclass(frozen=True, eq=False)
class Postponement:
    on: date
    old: str
    new: str
    reason: str


@dataclass(frozen=True, eq=False)
class Measure:
    id: str
    text: str
    units: list[str]
    deadline: str
    and_related: bool = False
    deadline_label: str = "完成时限"
    status: Literal["open", "done"] = "open"
    closing: Closing | None = None
    milestones: list[Milestone] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)
    postponements: list[Postponement] = field(default_factory=list)
    reopenings: list[Reopening] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Indicator:
    number: int
    name: str
    # 全省最优目标 / 目前现状 / 整改提升目标: empty where the plan's section has none (a 任务分工 plan's sections)
    best: str = ""
    current: str = ""
    target: str = ""
    short_names: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class OverallGoal:
    text: str
    ranking: str
    reach_best: list[int]
    narrow_gap: list[int]
    others: str


@dataclass(frozen=True, eq=False)
class Plan:
    title: str
    doc_number: str
    issuer: str
    issued: date
    # 二、总体目标: a 任务分工 plan without indicators and figures has none
    overall_goal: OverallGoal | None = None
    addressees: str | None = None


@dataclass(frozen=True, eq=False)
class CountyIndicator:
    number: int
    name: str
    best: str
    leader: str
    problems: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    deputy_units: list[str] = field(default_factory=list)
    member_units: list[str] = field(default_factory=list)
    # the county's own figures, where its list differs from the plan (a key shared with the plan's
    # indicator means the same measure)
    metrics: list[Metric] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class County:
    county: str
    title: str
    issuer: str
    issued: date
    indicators: list[CountyIndicator]


@dataclass(frozen=True, eq=False)
class UnitEntry:
    name: str
    level: str
    aliases: list[str] = field(default_factory=list)
    county: str | None = None
    note: str | None = None


@dataclass(frozen=True, eq=False)
class CollectiveUnit:
    name: str
    members: list[str] = field(default_factory=list)
    open_ended: bool = False
    note: str | None = None


@dataclass(frozen=True, eq=False)
class UnitRegistry:
    units: list[UnitEntry]
    collectives: list[CollectiveUnit] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Member:
    """One ledger of a workspace (several --data, or ledger.toml): where it came from and how its ids read."""

    name: str
    label: str
    source: str  # the folder, or REF:DIR for a ledger read from a git ref
    plan: Plan
    prefix: str = ""  # "" for the first (primary) ledger, "NAME:" for every other
    root: str | None = None  # the folder; None for a ledger read from a git ref
    ref: str | None = None  # the git ref it was read from (read-only)


@dataclass(frozen=True, eq=False)
class Ledger:
    """Everything loaded from one ledger directory, or merged from a workspace's ledgers."""

    plan: Plan
    indicators: list[Indicator]
    counties: list[County]
    registry: UnitRegistry
    # measure id -> repository-relative file that holds it (for edits and messages)
    measure_files: dict[str, str] = field(default_factory=dict)
    indicator_files: dict[int, str] = field(default_factory=dict)
    # a workspace's ledgers, in the workspace's order; empty for a single ledger
    members: list[Member] = field(default_factory=list)
    # workspace only: qualified measure id -> ledger name, and the units as written where they were resolved
    measure_ledger: dict[str, str] = field(default_factory=dict)
    written_units: dict[str, list[str]] = field(default_factory=dict)
