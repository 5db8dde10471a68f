"""What an import found out beside the ledger itself: the raw material of the 导入报告."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Finding", "Findings", "Skipped"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A place the importer was unsure of: a person must look at it (exit 1)."""

    kind: str  # 单位 / 完成时限 / 条款 / 编号 / 指标项 / 结构 …
    where: str  # 第 12 行
    text: str  # the source text it is about
    message: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A part of the document that did not become ledger data, and why."""

    where: str
    title: str
    reason: str


@dataclass(slots=True)
class Findings:
    review: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # facts about the run (encoding, shape), not problems
    measure_sources: dict[str, str] = field(default_factory=dict)  # measure id -> 第 N 行
    # proposed metrics: (indicator, key, name, unit, direction, best / baseline / target, pairing, phrases)
    proposed: list[tuple[str, ...]] = field(default_factory=list)

    def unsure(self, kind: str, where: str, text: str, message: str) -> None:
        self.review.append(Finding(kind, where, _short(text), message))

    def skip(self, where: str, title: str, reason: str) -> None:
        self.skipped.append(Skipped(where, _short(title, 30), reason))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
