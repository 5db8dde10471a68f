"""复核: a unit's 销号申请 shows 待复核 until the office accepts or returns it; 延期申请 likewise."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from tests.conftest import git
from tests.helpers import run, run_json

FILE = "indicators/13-政府采购.yaml"
APPLICATIONS = """    applications:
      - kind: close
        "on": "2022-09-28"
        unit: 市财政局
        filled_by: 张三
        evidence: 张财〔2022〕12号
        source: "%s"
      - kind: postpone
        "on": "2022-09-28"
        unit: 市财政局
        filled_by: 张三
        new_deadline: 2022年12月
        reason: 县区平台联调推迟
""" % ("a" * 64)


def _with_applications(data: Path) -> None:
    path = data / FILE
    text = path.read_text(encoding="utf-8")
    anchor = '  - id: "13.4"'
    path.write_text(text.replace(anchor, APPLICATIONS + anchor, 1), encoding="utf-8")
    git(data.parent, "commit", "-qam", "申请")


def _measure(data: Path, mid: str) -> dict:
    doc = yaml.safe_load((data / FILE).read_text(encoding="utf-8"))
    return next(m for m in doc["measures"] if m["id"] == mid)


def test_pending_light__a_close_application_shows_pending_not_red(git_ledger: Path, runner: CliRunner) -> None:
    _with_applications(git_ledger)
    rows = run_json(runner, git_ledger, "list", "--light", "pending", "--as-of", "2022-10-10")
    assert [r["id"] for r in rows] == ["13.3"]
    before = run_json(runner, git_ledger, "list", "--light", "yellow", "--as-of", "2022-09-27")
    assert "13.3" in [r["id"] for r in before]  # before the unit applied it was simply due soon
    units = run_json(runner, git_ledger, "units", "市财政局", "--as-of", "2022-10-10")
    assert units[0]["pending"] == 1


def test_review__accept_close_becomes_the_closing_with_the_units_evidence(git_ledger: Path, runner: CliRunner) -> None:
    _with_applications(git_ledger)
    result = run(runner, git_ledger, "review", "13.3", "--accept", "--kind", "销号", "--as-of", "2022-10-10")
    assert result.exit_code == 0, result.output
    m = _measure(git_ledger, "13.3")
    assert m["status"] == "done"
    assert m["closing"]["on"] == "2022-09-28"
    assert m["closing"]["evidence"] == [{"ref": "张财〔2022〕12号", "kind": "doc"}]
    assert m["applications"][0]["status"] == "accepted"
    assert m["applications"][0]["decided"] == "2022-10-10"
    assert m["applications"][1].get("status", "pending") == "pending"
    log = git(git_ledger.parent, "log", "-1", "--format=%B")
    assert "Ledger-Action: done" in log and "Ledger-Reporter: 市财政局" in log
    assert run(runner, git_ledger, "check").exit_code == 0


def test_review__return_keeps_the_application_and_the_measure_open(git_ledger: Path, runner: CliRunner) -> None:
    _with_applications(git_ledger)
    args = ("review", "13.3", "--return", "--kind", "销号", "--reason", "县区平台尚未上线", "--as-of", "2022-10-10")
    result = run(runner, git_ledger, *args)
    assert result.exit_code == 0, result.output
    m = _measure(git_ledger, "13.3")
    assert m.get("status", "open") == "open"
    assert m["applications"][0]["status"] == "returned"
    assert m["applications"][0]["review_note"] == "县区平台尚未上线"
    rows = run_json(runner, git_ledger, "list", "--light", "red", "--as-of", "2022-10-11")
    assert "13.3" in [r["id"] for r in rows]  # returned: overdue again


def test_review__accept_postpone_moves_the_deadline(git_ledger: Path, runner: CliRunner) -> None:
    _with_applications(git_ledger)
    result = run(runner, git_ledger, "review", "13.3", "--accept", "--kind", "延期", "--as-of", "2022-10-10")
    assert result.exit_code == 0, result.output
    m = _measure(git_ledger, "13.3")
    assert m["deadline"] == "2022年12月"
    assert m["postponements"][-1]["old"] == "2022年9月，长期坚持"
    assert m["postponements"][-1]["reason"] == "县区平台联调推迟"


def test_review__two_pending_kinds_need_kind_and_none_pending_is_refused(git_ledger: Path, runner: CliRunner) -> None:
    _with_applications(git_ledger)
    assert run(runner, git_ledger, "review", "13.3", "--accept", "--as-of", "2022-10-10").exit_code == 2
    result = run(runner, git_ledger, "review", "13.1", "--accept", "--as-of", "2022-10-10")
    assert result.exit_code == 1
    assert "没有待复核" in result.output
    assert run(runner, git_ledger, "review", "13.3", "--return", "--as-of", "2022-10-10").exit_code == 2
