"""``import_plan``: documents in, a checked ledger folder and its 导入报告 out, or nothing at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..model.domain import County, Indicator, Plan, UnitRegistry
from ..model.errors import Problem, UsageError
from .county_shape import is_county_list, parse_county
from .draft import Draft
from .emit import county_yaml, file_name, indicator_yaml, plan_yaml, units_yaml
from .metrics import attach_metrics
from .plan_doc import parse_plan
from .report import ReportInput, render_report, render_summary
from .sources import ImportRefused, SourceDoc, read_source
from .stream import build_stream
from .units import build_registry

__all__ = ["REPORT_FILE", "ImportResult", "build_import", "import_plan"]

REPORT_FILE = "导入报告.md"
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ImportResult:
    out_dir: Path
    summary: str  # for the terminal
    report: str  # DIR/导入报告.md
    needs_review: bool
    measures: int

    @property
    def exit_code(self) -> int:
        return 1 if self.needs_review else 0


def import_plan(
    paths: list[Path], out_dir: Path, *, progress: Progress | None = None, units: Path | None = None
) -> ImportResult:
    """Read the plan (and any county lists) and write a new ledger at ``out_dir``.

    Raises UsageError for a bad argument and ImportRefused for a document that cannot be read; in
    both cases nothing is written. ``progress`` is told each step's name (for a progress bar).
    """
    _check_out_dir(out_dir)
    files, result = build_import(paths, out_dir, progress=progress, units=units)
    _write_all(out_dir, files)
    (progress or (lambda _name: None))("写入")
    return result


def build_import(
    paths: list[Path], out_dir: Path, *, progress: Progress | None = None, units: Path | None = None
) -> tuple[dict[str, str], ImportResult]:
    """The ledger's files (root-relative path -> text, the 导入报告 among them), checked, not written.

    ``units``: an existing units.yaml whose names and aliases the document's spellings resolve to.
    """
    step = progress or (lambda _name: None)
    if not paths:
        raise UsageError("请给出要导入的方案文件")
    existing = _existing_registry(units) if units is not None else None
    docs = [read_source(path) for path in paths]
    step("读取")
    draft = Draft(Plan("", "", "", _NO_DATE))
    sources = [_parse(doc, k, draft) for k, doc in enumerate(docs)]
    attach_metrics(draft.indicators, draft.findings.proposed)
    step("解析")
    registry, first_seen = build_registry(draft.indicators, draft.counties, draft.findings, existing)
    step("责任单位")
    files = _files(draft, registry, first_seen, docs)
    problems = _check(out_dir, files)
    step("校验")
    report_in = ReportInput(
        sources=sources,
        out_dir=str(out_dir),
        indicators=len(draft.indicators),
        measures=sum(len(i.measures) for i in draft.indicators),
        units=len(registry.units) + len(registry.collectives),
        counties=[c.county for c in draft.counties],
        findings=draft.findings,
        check_problems=problems,
    )
    report = render_report(report_in)
    files[REPORT_FILE] = report
    needs_review = bool(draft.findings.review or draft.findings.proposed or problems)
    return files, ImportResult(out_dir, render_summary(report_in), report, needs_review, report_in.measures)


from .plan_doc import NO_DATE as _NO_DATE  # noqa: E402  (after the names it is used beside)


def _existing_registry(path: Path) -> UnitRegistry:
    from ..store.build import read_registry

    if not path.is_file():
        raise UsageError(f"找不到责任单位登记表“{path}”")
    registry, problems = read_registry(path)
    if registry is None or problems:
        detail = "；".join(p.render() for p in problems[:3])
        raise ImportRefused(f"责任单位登记表“{path}”有误，未导入：{detail}")
    return registry


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise UsageError(f"输出目录“{out_dir}”已存在且不为空：请换一个新目录，以免覆盖已有台账")


def _parse(doc: SourceDoc, k: int, draft: Draft) -> str:
    encoding = f"，编码 {doc.encoding}" if doc.encoding else ""
    if not any(line.text.strip() for line in doc.lines):
        raise ImportRefused(f"{doc.path.name}：文件里没有文字，无法导入")
    if is_county_list(doc.lines):
        county = parse_county(doc.lines, draft)
        _add_county(county, draft, first=k == 0)
        return f"{doc.path.name}（{doc.kind}{encoding}；县区责任清单：{len(county.indicators)} 行）"
    if k > 0:
        msg = f"{doc.path.name}：只有第一个文件可以是方案，其后的文件应是县区责任清单"
        raise UsageError(msg)
    parse_plan(build_stream(doc.lines), draft)
    if not draft.indicators:
        raise ImportRefused(f"{doc.path.name}：没有读出任何指标或任务（找不到（一）（二）…与“整改提升措施”），未写入")
    return f"{doc.path.name}（{doc.kind}{encoding}；方案：{len(draft.indicators)} 项指标）"


def _add_county(county: County, draft: Draft, *, first: bool) -> None:
    """A county list joins the plan; alone, its rows are also the ledger's indicators."""
    draft.counties.append(county)
    if first:
        draft.plan = Plan(county.title, "", county.issuer, county.issued)
        draft.indicators.extend(Indicator(row.number, row.name) for row in county.indicators)
        return
    by_number = {ind.number: ind for ind in draft.indicators}
    for row in county.indicators:
        city = by_number.get(row.number)
        where = draft.findings.measure_sources.get(f"{county.county}:{row.number}", "")
        if city is None:
            draft.findings.unsure("指标名", where, row.name, f"清单第 {row.number} 行在方案中没有对应的指标")
        elif row.name != city.name and row.name not in city.short_names:
            city.short_names.append(row.name)
            draft.findings.notes.append(
                f"清单第 {row.number} 行“{row.name}”即方案第 {city.number} 项“{city.name}”，已记为简称"
            )


def _files(draft: Draft, registry: object, first_seen: dict[str, str], docs: list[SourceDoc]) -> dict[str, str]:

    assert isinstance(registry, UnitRegistry)
    source = docs[0].path.name
    plan = draft.plan
    files = {"plan.yaml": plan_yaml(plan, source), "units.yaml": units_yaml(registry, first_seen)}
    if plan.issued == _NO_DATE:
        files["plan.yaml"] = files["plan.yaml"].replace(
            'issued: "0001-01-01"', 'issued: ""   # 待补：文件中未找到印发日期'
        )
    sources = draft.findings.measure_sources
    for ind in draft.indicators:
        heading = f"（{ind.number}）{ind.name} —— {plan.title or source}"
        files[f"indicators/{file_name(ind.number, ind.name)}"] = indicator_yaml(ind, sources, heading)
    for county, doc in zip(draft.counties, docs[len(docs) - len(draft.counties) :], strict=False):
        files[f"counties/{file_name(0, county.county)[3:]}"] = county_yaml(county, doc.path.name, sources)
    return files


def _check(out_dir: Path, files: dict[str, str]) -> list[Problem]:
    """`ledger check` on the files before they are written (the store validates text in memory)."""
    from ..store.build import build_ledger

    overrides = {rel: text.encode("utf-8") for rel, text in files.items()}
    result = build_ledger(out_dir, sorted(overrides), overrides)
    return [
        replace(p, path=os.path.relpath(p.path, out_dir) if p.path.startswith(str(out_dir)) else p.path)
        for p in result.problems
    ]


def _write_all(out_dir: Path, files: dict[str, str]) -> None:
    """All files or none: written into a sibling temporary folder, then moved into place."""
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    try:
        for rel, text in files.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        (tmp / "counties").mkdir(exist_ok=True)
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked above
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
