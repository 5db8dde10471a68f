"""ledger import on the two real documents: exactly data/'s measures and county rows, and a clean check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bizenv_ledger.importer import REPORT_FILE, import_plan
from bizenv_ledger.model.errors import UsageError
from tests.conftest import CITY_SOURCE, COUNTY_SOURCE

from .exact import county_fields, loaded, measure_fields


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "ledger"
    import_plan([CITY_SOURCE], out)
    return out


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("both") / "ledger"
    import_plan([CITY_SOURCE, COUNTY_SOURCE], out)
    return out


def test_import_plan__reproduces_the_60_measures_of_data(city: Path, plan) -> None:  # type: ignore[no-untyped-def]
    imported = measure_fields(loaded(city))
    expected = measure_fields(plan)
    assert len(imported) == 60
    assert imported == expected


def test_import_plan__reads_the_notice_header_and_the_overall_goal(city: Path, plan) -> None:  # type: ignore[no-untyped-def]
    got = loaded(city).plan
    assert (got.title, got.doc_number, got.issuer) == (plan.plan.title, "张营商办〔2022〕3号", plan.plan.issuer)
    assert got.issued == date(2022, 7, 8)
    assert got.addressees == plan.plan.addressees
    assert got.overall_goal is not None and plan.plan.overall_goal is not None
    assert got.overall_goal.text == plan.plan.overall_goal.text
    assert got.overall_goal.reach_best == [17, 18, 3]
    assert got.overall_goal.narrow_gap == [5, 1, 13]
    assert got.overall_goal.ranking == plan.plan.overall_goal.ranking


def test_import_plan__indicator_texts_are_the_documents_words(city: Path, plan) -> None:  # type: ignore[no-untyped-def]
    got = {i.number: (i.name, i.best, i.current, i.target, i.problems) for i in loaded(city).indicators}
    want = {i.number: (i.name, i.best, i.current, i.target, i.problems) for i in plan.indicators}
    assert got == want


def test_import_plan__reproduces_the_county_lists_18_rows(tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "county"
    import_plan([COUNTY_SOURCE], out)
    ledger = loaded(out)
    assert county_fields(ledger, "临泽县") == county_fields(plan, "临泽县")
    (county,) = ledger.counties
    assert (county.title, county.issuer, county.issued) == (
        "临泽县优化营商环境对标提升责任清单",
        "临泽县人民政府办公室",
        date(2022, 6, 24),
    )


def test_import_plan__plan_with_its_county_list_is_one_ledger(both: Path, plan) -> None:  # type: ignore[no-untyped-def]
    ledger = loaded(both)
    assert county_fields(ledger, "临泽县") == county_fields(plan, "临泽县")
    assert measure_fields(ledger) == measure_fields(plan)
    names = {i.number: i.short_names for i in ledger.indicators}
    assert "开办企业" in names[1] and "保护中小投资者" in names[10]  # the list's own names, kept as short names


def test_import_plan__reports_near_miss_units_and_keeps_both(city: Path) -> None:
    report = (city / REPORT_FILE).read_text(encoding="utf-8")
    assert "“市交通局”与“市交通运输局”相近" in report
    assert "“市中级人民法院”与“张掖市中级人民法院”相近" in report
    assert "“市水务局”与“市税务局”" not in report  # one character apart, but two bodies
    units = {u.name for u in loaded(city).registry.units}
    assert {"市交通局", "市交通运输局", "市中级人民法院", "张掖市中级人民法院"} <= units


def test_import_plan__recognises_collective_units(city: Path) -> None:
    collectives = {c.name: c for c in loaded(city).registry.collectives}
    assert set(collectives) == {"各部门预算单位", "六县区人民政府", "各县人民政府", "各县区人民政府"}
    assert all(c.open_ended and c.members == [] for c in collectives.values())  # members are not in the document


def test_import_plan__report_gives_each_measures_source_line(city: Path) -> None:
    lines = CITY_SOURCE.read_text(encoding="utf-8").splitlines()
    report = (city / REPORT_FILE).read_text(encoding="utf-8")
    by_id = {m.id: m for i in loaded(city).indicators for m in i.measures}
    rows = [row.split("|") for row in report.splitlines() if row.startswith("| ") and "第 " in row and "." in row]
    sources = {cells[1].strip(): cells[2].strip() for cells in rows if cells[1].strip() in by_id}
    assert set(sources) == set(by_id)
    for mid, where in sources.items():
        number = int(where.removeprefix("第 ").removesuffix(" 行"))
        head = by_id[mid].text[:4]
        assert head in "".join(lines[number - 1].split()), (mid, where)


def test_import_plan__report_names_the_skipped_parts(city: Path) -> None:
    report = (city / REPORT_FILE).read_text(encoding="utf-8")
    skipped = report.split("## 跳过的部分", 1)[1]
    assert "总体要求" in skipped and "保障措施" in skipped


def test_import_plan__done_measure_and_shared_clause_need_review(city: Path) -> None:
    report = (city / REPORT_FILE).read_text(encoding="utf-8")
    assert "措施 6.1 写作“已整改”" in report
    assert "措施 11.1 没有自己的责任单位与完成时限，按其后 11.2 的条款" in report
    closing = next(m for i in loaded(city).indicators for m in i.measures if m.id == "6.1").closing
    assert closing is not None and closing.on == date(2021, 6, 1)


def test_import_plan__refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "mine.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="已存在且不为空"):
        import_plan([CITY_SOURCE], out)
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
