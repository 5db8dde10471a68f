"""A September 2022 with things happening in it, written into a copy of the real plan, for the report tests.

``september(ledger_dir)`` edits the YAML the way the office would record events:
closings, postponements, progress and metric readings, some inside September and
some just outside it. Other report tests import it; the tests here check that
the edited ledger still validates and that the edits say what the tests assume.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

import yaml
from typer.testing import CliRunner

from tests.helpers import edit, run

__all__ = ["plain_due", "september", "yaml_measures"]


def _close(on: str, ref: str | None = None, note: str | None = None) -> str:
    lines = ["    status: done", "    closing:", f'      "on": "{on}"']
    if note:
        lines.append(f"      note: {note}")
    if ref:
        lines += ["      evidence:", f"        - ref: {ref}", "          kind: doc"]
    return "\n".join(lines) + "\n"


def _postpone(on: str, old: str, new: str, reason: str) -> str:
    return (
        f"    deadline: {new}\n    postponements:\n"
        f'      - "on": "{on}"\n        old: {old}\n        new: {new}\n        reason: {reason}\n'
    )


def _reopen(on: str, reason: str, closed_on: str, ref: str) -> str:
    """A closing sent back (退回整改): the measure is open again, the closing kept under the reopening."""
    return (
        f'    reopenings:\n      - "on": "{on}"\n        reason: {reason}\n        closing:\n'
        f'          "on": "{closed_on}"\n          evidence:\n            - ref: {ref}\n              kind: doc\n'
    )


def _readings(*pairs: tuple[str, str]) -> str:
    body = "".join(f'      - "on": "{on}"\n        value: {value}\n' for on, value in pairs)
    return "    readings:\n" + body


def september(data: Path) -> Path:
    """Record September 2022's events (and a few around it) in the ledger at ``data``."""
    ind = data / "indicators"
    power, startup = ind / "03-获得电力.yaml", ind / "01-开办企业与注销.yaml"
    procurement, property_ = ind / "13-政府采购.yaml", ind / "05-登记财产.yaml"
    # 3.1 (due 2022-11-30) postponed on 2022-09-15 to the year's end.
    edit(
        power,
        '    deadline: 2022年11月\n  - id: "3.2"',
        _postpone("2022-09-15", "2022年11月", "2022年12月", "配套电网工程物资供货周期延长") + '  - id: "3.2"',
    )
    # 3.2 (due 2022-08-31) went red on 2022-09-01 and was closed late, on 2022-09-20, with a note and evidence.
    edit(power, '    deadline: 2022年8月\n  - id: "3.3"', "    deadline: 2022年8月\n" + _close("2022-09-20", "张电〔2022〕12号", "业扩报装时限管控机制已印发执行") + '  - id: "3.3"')  # fmt: skip
    # 3.3 (due 2022-07-31, red since August) postponed on 2022-09-10 to October.
    edit(
        power,
        '    deadline: 2022年7月\n  - id: "3.4"',
        _postpone("2022-09-10", "2022年7月", "2022年10月", "作业指导书需待省公司模板下发后修订") + '  - id: "3.4"',
    )
    # 2.1 (due 2022-08-31) went red on 2022-09-01, was closed on 2022-09-05 and sent back on 2022-09-29.
    edit(
        data / "indicators" / "02-办理建筑许可.yaml",
        '    deadline: 2022年8月\n  - id: "2.2"',
        "    deadline: 2022年8月\n"
        + _reopen("2022-09-29", "复核发现联合验收尚未实际运行", "2022-09-05", "张住建〔2022〕30号")
        + '  - id: "2.2"',
    )
    # Readings: 高压办电时间 6 → 5.5 in August → 4 in September (better); 低压办电时间 1 → 1.2 (worse).
    edit(power, "      target: 高压5天(剔除客户侧工程施工时间)\n", "      target: 高压5天(剔除客户侧工程施工时间)\n" + _readings(("2022-08-10", "5.5"), ("2022-09-15", "4")))  # fmt: skip
    edit(power, "      target: 低压0.5天\n", "      target: 低压0.5天\n" + _readings(("2022-09-20", "1.2")))
    # 1.3 (due 2022-08-31) closed in August, before it could go red.
    edit(startup, '    deadline: 2022年8月\n  - id: "1.4"', "    deadline: 2022年8月\n" + _close("2022-08-25") + '  - id: "1.4"')  # fmt: skip
    # 13.3 (due 2022-09-30, 长期坚持): progress in September, closed on time on 2022-09-28.
    edit(
        procurement,
        '        deadline: 2022年9月\n  - id: "13.4"',
        "        deadline: 2022年9月\n"
        + _close("2022-09-28", "张财采〔2022〕8号")
        + '    progress:\n      - "on": "2022-09-05"\n        text: 市级平台已上线试运行\n'
        + '  - id: "13.4"',
    )
    # Outside September: 5.1 postponed on 2022-10-08; 不动产登记时间 read on 2022-10-10.
    edit(
        property_,
        '    deadline: 2022年7月\n  - id: "5.2"',
        _postpone("2022-10-08", "2022年7月", "2022年12月", "平台部署调试延后") + '  - id: "5.2"',
    )
    edit(
        property_, "      target: 不动产登记0.5天\n", "      target: 不动产登记0.5天\n" + _readings(("2022-10-10", "1"))
    )
    return data


# --- an independent reading of the YAML, for the tests' expectations ----------------------------------


def yaml_measures(data: Path) -> list[dict[str, object]]:
    """Every city measure straight from the YAML files (no ledger code), with its indicator number."""
    out = []
    for path in sorted((data / "indicators").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for m in doc["measures"]:
            out.append({**m, "indicator": int(doc["number"])})
    return out


def plain_due(written: str) -> date | None:
    """The due date of a written deadline, by the README's rule, without the ledger's parser."""
    if m := re.search(r"(\d{4})年(\d{1,2})月", written):
        year, month = int(m[1]), int(m[2])
        return date(year, month, calendar.monthrange(year, month)[1])
    if m := re.search(r"(\d{4})年底", written):
        return date(int(m[1]), 12, 31)
    return None


def test_september__edited_ledger_still_validates(ledger_dir: Path, runner: CliRunner) -> None:
    september(ledger_dir)
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 0, result.output


def test_september__edits_are_what_the_tests_assume(ledger_dir: Path) -> None:
    by_id = {str(m["id"]): m for m in yaml_measures(september(ledger_dir))}
    assert by_id["3.2"]["status"] == "done" and by_id["3.2"]["closing"]["on"] == "2022-09-20"  # type: ignore[index]
    assert by_id["3.3"]["deadline"] == "2022年10月"
    assert by_id["3.2"]["closing"]["note"] == "业扩报装时限管控机制已印发执行"  # type: ignore[index]
    (reopening,) = by_id["2.1"]["reopenings"]  # type: ignore[misc]
    assert (reopening["on"], reopening["closing"]["on"]) == ("2022-09-29", "2022-09-05")  # type: ignore[index]
    assert by_id["2.1"].get("status", "open") == "open"
    assert by_id["1.3"]["closing"]["on"] == "2022-08-25"  # type: ignore[index]
    assert plain_due(str(by_id["3.3"]["postponements"][0]["old"])) == date(2022, 7, 31)  # type: ignore[index]


def test_plain_due__reads_the_plan_forms() -> None:
    assert plain_due("2022年8月") == date(2022, 8, 31)
    assert plain_due("2022年9月，长期坚持") == date(2022, 9, 30)
    assert plain_due("2022年底") == date(2022, 12, 31)
    assert plain_due("已整改") is None
