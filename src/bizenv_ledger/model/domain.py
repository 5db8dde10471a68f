"""The ledger's data as plain dataclasses. Pure: no I/O, no pydantic.

Records (``model/records.py``) compare by identity, and their dataclass methods are
made when first used, not at every start. Every class has a docstring: without
one, ``@dataclass`` computes a signature to write one. The value types ``Range``
and ``Bound`` do compare by value (``record(eq=True)``).

These classes are the schema of the YAML files and the objects every query
works on. They are validated by pydantic in ``_schema`` (only when files are
read), but importing this module stays cheap, because the read commands run
dozens of times a day and on every shell-completion Tab.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from decimal import Decimal
from typing import Literal

from .records import record

__all__ = [
    "MAX_DIGITS",
    "Application",
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
    "Reporting",
    "UnitEntry",
    "UnitRegistry",
    "Value",
]

Direction = Literal["lower", "higher"]

# The most digits a figure may have. No figure in a plan comes near it; Python's int() refuses more
# than 4,300 digits, and the reports' Decimal arithmetic (28 significant digits) rounds long before.
MAX_DIGITS = 20


@record(eq=True)
class Range:
    """A span such as 110-180元不等."""

    min: Decimal
    max: Decimal


@record(eq=True)
class Bound:
    """A one-sided figure: 最多不超过60天 is at_most 60; 1000万元以上 is at_least 1000."""

    at_most: Decimal | None = None
    at_least: Decimal | None = None


Value = Decimal | Range | Bound | bool


@record
class MetricSources:
    """The document's own phrase behind each value."""

    best: str | None = None
    baseline: str | None = None
    target: str | None = None


@record
class Reading:
    """A metric's value as read on a day (its latest reading is its current value)."""

    on: date
    value: Decimal | Range | Bound | bool
    source: str | None = None


@record
class Metric:
    """One measured figure of an indicator: its direction and its best, baseline, target and readings."""

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


@record
class Milestone:
    """A dated step inside a measure's text (8月底前市级平台上线运行)."""

    text: str
    deadline: str


@record
class Evidence:
    """佐证材料 for a closing: a document number, a link or a file."""

    ref: str
    kind: Literal["doc", "url", "file"]
    sha256: str | None = None


@record
class Closing:
    """销号: the day a measure was closed, with its note and evidence."""

    on: date
    note: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@record
class Reopening:
    """退回整改: a closing sent back, with the reason."""

    on: date
    reason: str
    closing: Closing


@record
class ProgressEntry:
    """进展情况: a dated progress report."""

    on: date
    text: str
    # who reported it, when it came from a unit's 报送表 (``ledger intake``): the unit, the person
    # who filled it in, and the form's sha256 (which file it came from)
    unit: str | None = None
    by: str | None = None
    source: str | None = None


@record
class Application:
    """A unit's 申请 from its 报送表: 销号 (close) or 延期 (postpone), waiting for the office's review.

    ``status`` is the outcome: pending until ``ledger review`` accepts it (it becomes the closing or
    the postponement) or returns it (退回, with ``review_note``); either way it stays on record.
    """

    kind: Literal["close", "postpone"]
    on: date
    unit: str
    filled_by: str | None = None
    phone: str | None = None
    evidence: str | None = None  # 佐证材料, as the unit wrote it
    new_deadline: str | None = None  # postpone: 申请延期至
    reason: str | None = None  # postpone: 延期理由
    source: str | None = None  # the form's sha256
    status: Literal["pending", "accepted", "returned"] = "pending"
    decided: date | None = None
    review_note: str | None = None


@record
class Postponement:
    """延期: a deadline moved, the old one kept on record."""

    on: date
    old: str
    new: str
    reason: str


@record
class Measure:
    """整改提升措施: one measure of the plan, with its units, deadline and history."""

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
    applications: list[Application] = field(default_factory=list)


@record
class Indicator:
    """One of the plan's 18 indicators: its texts, metrics and measures."""

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


@record
class OverallGoal:
    """二、总体目标: the plan's overall goal and the indicators it wants at the province best."""

    text: str
    ranking: str
    reach_best: list[int]
    narrow_gap: list[int]
    others: str


@record
class Reporting:
    """When the units report progress: every month (or quarter) by ``due_day`` of the month after it.

    ``covers: previous`` (the usual 每月5日前报送上月进展) reports on the period just ended;
    ``current`` on the period the due day falls in (每月25日前报送本月进展).
    """

    cycle: Literal["monthly", "quarterly"] = "monthly"
    due_day: int = 5
    covers: Literal["previous", "current"] = "previous"


@record
class Plan:
    """The plan document itself: title, number, issuer and overall goal."""

    title: str
    doc_number: str
    issuer: str
    issued: date
    # 二、总体目标: a 任务分工 plan without indicators and figures has none
    overall_goal: OverallGoal | None = None
    addressees: str | None = None
    reporting: Reporting | None = None  # when the units report; None: monthly, by the 5th, on the month before


@record
class CountyIndicator:
    """A county list's entry for one indicator: its leader, units and problems."""

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


@record
class County:
    """A county's responsibility list (临泽县 …)."""

    county: str
    title: str
    issuer: str
    issued: date
    indicators: list[CountyIndicator]


@record
class UnitEntry:
    """A responsible unit in units.yaml: its name, level and other spellings."""

    name: str
    level: str
    aliases: list[str] = field(default_factory=list)
    county: str | None = None
    note: str | None = None


@record
class CollectiveUnit:
    """A collective such as 六县区人民政府, and the units it stands for."""

    name: str
    members: list[str] = field(default_factory=list)
    open_ended: bool = False
    note: str | None = None


@record
class UnitRegistry:
    """units.yaml: every responsible unit and collective."""

    units: list[UnitEntry]
    collectives: list[CollectiveUnit] = field(default_factory=list)


@record
class Member:
    """One ledger of a workspace (several --data, or ledger.toml): where it came from and how its ids read."""

    name: str
    label: str
    source: str  # the folder, or REF:DIR for a ledger read from a git ref
    plan: Plan
    prefix: str = ""  # "" for the first (primary) ledger, "NAME:" for every other
    root: str | None = None  # the folder; None for a ledger read from a git ref
    ref: str | None = None  # the git ref it was read from (read-only)


@record
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
