"""Fuzz: random command lines against a git ledger never end in a traceback, a hang, or an English error.

Issue 9 found crashes in a fuzz of 3,800 bad arguments; this keeps that fuzz in the suite,
bounded and reproducible (tests/fuzzing.py). Each example is one command with arguments
and options drawn from what the commands take and from values that broke the tool once
(year 0, thousands of digits, empty strings, control characters, any unicode). A write
that succeeds is fine, and its commit stays for the next example: the ledger must stay
valid and its git work tree clean throughout.

Output files only ever go under the test's own folder: the generated text never names a path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import git
from tests.fuzzing import fuzz, hostile_text, no_hang, run_program
from tests.helpers import run

FILTERS = [
    "--indicator",
    "-i",
    "--unit",
    "-u",
    "--status",
    "--light",
    "--due-before",
    "--due-after",
    "--county",
    "--within",
    "-w",
]
FLAGS = ["--lead", "--slipped"]
READ = ["--format", "-f", "--as-of"]
WRITE = ["--on", "--no-commit", "--as-of"]
MEASURE = ["3.2", "13.1", "1.1", "6.1", "临泽县:3.1", "3.9", "99.9", "0.0", "3.2.1"]
INDICATOR = ["获得电力", "3", "三", "电力", "政府采购", "19", "开办"]
PLAUSIBLE = {
    "measure": MEASURE,
    "target": [*MEASURE, *INDICATOR, "市财政局"],
    "indicator": INDICATOR,
    "unit": ["市财政局", "国网张掖供电公司", "六县区人民政府", "财政"],
    "metric": ["高压办电时间", "high_voltage_days", "多渠道", "刻章费用", "seal_cost"],
    "reading": ["5", "4.5天", "是", "否", "≤60", "≥1000", "110-180", "0", "4.5小时"],
    "text": ["已完成现场勘查", "进展：已召开推进会"],
    "deadline": ["2022年12月", "2023年底", "2022年12月，长期坚持", "0000年底", "明年"],
}
COMMANDS: dict[str, tuple[list[str], list[str]]] = {  # positional arguments, options
    "check": ([], READ),
    "list": ([], [*FILTERS, *FLAGS, *READ]),
    "overdue": ([], ["--unit", "-u", "--indicator", "-i", "--lead", "--within", "-w", "--exit-code", *READ]),
    "gap": (["indicator"], READ),
    "show": (["target"], READ),
    "units": (["unit"], READ),
    "history": (["target"], ["--unit", "-u", "--since", *READ]),
    "export": ([], ["--output", "-o", *FILTERS, *FLAGS, *READ]),
    "board": ([], ["--output", "-o", *FILTERS, *FLAGS, "--as-of"]),
    "report": ([], ["--month", "-m", "--output", "-o", *FILTERS, *FLAGS, *READ]),
    "done": (["measure"], ["--note", "--evidence", "-e", *WRITE]),
    "reopen": (["measure"], ["--reason", *WRITE]),
    "progress": (["measure", "text"], WRITE),
    "postpone": (["measure", "deadline"], ["--reason", *WRITE]),
    "record": (["indicator", "metric", "reading"], ["--source", *WRITE]),
    "undo": ([], ["--as-of"]),
    "nosuch": ([], ["--bogus"]),
}
VALUES = {
    "--format": ["table", "json", "csv", "md", "xlsx", "XML", ""],
    "-f": ["table", "json", "csv", "md", "html"],
    "--as-of": [
        "2022-10-01",
        "2022/10/1",
        "2022年10月1日",
        "20221001",
        "0000-01-01",
        "9999-12-31",
        "2022-02-30",
        "明天",
    ],
    "--on": ["2022-08-15", "2022-09-01", "2022-10-01", "2022/9/30", "2022-07-07", "0000-01-01", "9999-12-31", ""],
    "--month": ["2022-09", "2022年9月", "0000-01", "9999-12", "2022-13", "202209"],
    "--status": ["open", "done", "closed", ""],
    "--light": ["red", "yellow", "green", "done", "红", "purple"],
    "--within": ["7", "7d", "2w", "30天", "0", "99999", "-1", "1m"],
    "--since": ["2022-07-08", "0000-01-01", "9999-12-31", "昨天"],
    "--unit": PLAUSIBLE["unit"],
    "-u": PLAUSIBLE["unit"],
    "--indicator": INDICATOR,
    "-i": INDICATOR,
    "--county": ["临泽县", "甘州区", ""],
    "--reason": ["系统升级", "资金未到位"],
    "--note": ["已完成", "张电〔2022〕12号"],
    "--evidence": ["张电〔2022〕12号", "https://example.org/a.pdf", "no/such/file.pdf", ""],
    "-e": ["张电〔2022〕12号", "https://example.org/a.pdf"],
    "--source": ["供电公司月报"],
}
# Where an output may be written: under the test's folder, by name or by an absolute path built from it.
OUTPUT_NAMES = [
    "out.xlsx",
    "out.csv",
    "out.md",
    "out.json",
    "out.html",
    "out.txt",
    "报表 2022.xlsx",
    "no-such-dir/x.xlsx",
    ".",
]
OUTPUT_OPTIONS = {"--output", "-o"}
ENGLISH = (
    "Error:",
    "Usage:",
    "Missing ",
    "Invalid value",
    "No such",
    "does not take",
    "requires an",
    "is not a valid",
    "Got unexpected",
    "Try '",
)


def brief(argv: list[str]) -> list[str]:
    """The command line for a failure message: long values cut."""
    return [a if len(a) <= 60 else f"{a[:50]}…（{len(a)} 字符）" for a in argv]


def mostly(plausible: list[str]) -> st.SearchStrategy[str]:
    """Three times in four a value the command may accept (so writes do happen), else anything."""
    return st.integers(0, 3).flatmap(lambda n: st.sampled_from(plausible) if n else hostile_text)


def value_for(option: str) -> st.SearchStrategy[str]:
    if option in OUTPUT_OPTIONS:
        return st.sampled_from(OUTPUT_NAMES)
    return mostly(VALUES[option]) if option in VALUES else hostile_text


@st.composite
def command_line(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    positional, options = COMMANDS[name]
    argv = [name, *(draw(mostly(PLAUSIBLE[kind])) for kind in positional)]
    if draw(st.integers(0, 9)) == 0:  # one argument too few, or one too many
        argv = argv[:-1] if len(argv) > 1 and draw(st.booleans()) else [*argv, draw(hostile_text)]
    if name in ("reopen", "postpone") and draw(st.integers(0, 9)):
        argv += ["--reason", draw(mostly(VALUES["--reason"]))]  # required: without it only usage errors are seen
    for _ in range(draw(st.integers(0, 3))):
        option = draw(st.sampled_from([*options, "--help"] if draw(st.integers(0, 30)) == 0 else options))
        argv.append(option)
        if option not in (*FLAGS, "--no-commit", "--exit-code", "--help") and draw(st.integers(0, 9)):
            argv.append(draw(value_for(option)))  # now and then the value is missing
    return argv


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Relative output names land here."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@fuzz
@given(argv=command_line())
def test_fuzz__a_random_command_line_is_a_message_and_an_exit_code(
    git_ledger: Path, workdir: Path, runner: CliRunner, argv: list[str]
) -> None:
    with no_hang():
        result = run_program(runner, git_ledger, *argv)
    shown = brief(argv)
    event(f"{argv[0]} → {result.exit_code}")  # pytest --hypothesis-show-statistics: what the examples reached
    assert result.exception is None, (shown, repr(result.exception)[:300])
    assert result.exit_code in (0, 1, 2), (shown, result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output, shown
    if result.exit_code and "--exit-code" not in argv:  # (overdue --exit-code: 1 means "red items", said on stdout)
        assert result.stderr.strip(), shown  # a refusal always says why
        assert not [w for w in ENGLISH if w in result.stderr], (shown, result.stderr[-2000:])
    # whatever happened, the ledger is still valid and git holds every change the tool made
    assert run(runner, git_ledger, "check").exit_code == 0, shown
    status = git(git_ledger.parent, "status", "--porcelain", "--", "data")
    assert status == "" or "--no-commit" in argv, (shown, status)
    if status:
        git(git_ledger.parent, "checkout", "--", "data")  # --no-commit wrote on purpose: start the next one clean
