"""A general 任务分工 plan: every task, its lead and other units, and its deadline."""

from __future__ import annotations

import pytest

from bizenv_ledger.importer import import_plan
from bizenv_ledger.model.domain import Ledger

from .exact import loaded
from .samples import TASK_EXPECTED, TASK_PLAN


@pytest.fixture(scope="module")
def tasks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, str]:
    folder = tmp_path_factory.mktemp("tasks")
    source = folder / "任务分工.txt"
    source.write_text(TASK_PLAN, encoding="utf-8")
    result = import_plan([source], folder / "台账")
    return loaded(folder / "台账"), result.report


def test_import_tasks__every_task_with_its_units_and_deadline(tasks: tuple[Ledger, str]) -> None:
    ledger, _ = tasks
    got = [(m.id, m.units, m.deadline) for ind in ledger.indicators for m in ind.measures]
    assert len(got) >= 20
    assert got == TASK_EXPECTED


def test_import_tasks__sections_play_the_indicators_part(tasks: tuple[Ledger, str]) -> None:
    ledger, report = tasks
    assert [i.name for i in ledger.indicators] == ["提升政务服务效能", "优化市场准入", "加强要素保障", "强化法治保障"]
    assert all(not i.metrics and not i.best for i in ledger.indicators)
    assert ledger.plan.overall_goal is None and ledger.plan.doc_number == "某营商办〔2023〕2号"
    assert "保障措施" in report.split("## 跳过的部分", 1)[1]


def test_import_tasks__task_text_keeps_the_documents_words_without_the_clause(tasks: tuple[Ledger, str]) -> None:
    ledger, _ = tasks
    by_id = {m.id: m for i in ledger.indicators for m in i.measures}
    assert by_id["1.3"].text == "9月底前，全面推行告知承诺制。"
    assert by_id["2.4"].and_related is True
    assert by_id["4.1"].text == "建立涉企执法“白名单”制度"


def test_import_tasks__a_month_without_a_year_takes_the_plans_year_and_says_so(tasks: tuple[Ledger, str]) -> None:
    _, report = tasks
    assert "任务 1.4 的时限“6月底前完成”未写年份，记为“2023年6月”（方案年度）" in report
