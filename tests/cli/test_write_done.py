"""``ledger done`` end to end on real git repositories: the file, the commit, the history, the refusals."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.cli.app import real_today
from bizenv_ledger.store.loader import load_ledger
from tests.conftest import git
from tests.helpers import run, run_json
from tests.writing import FILE03, HOSTILE, commits, measure_span, use_commented_fixture

EVIDENCE = "张电〔2022〕12号"


def _hunks(diff: str) -> list[tuple[int, int]]:
    """Old-side (start, count) of each hunk of a -U0 diff."""
    return [(int(m[1]), int(m[2] or 1)) for m in re.finditer(r"^@@ -(\d+)(?:,(\d+))? \+", diff, re.M)]


def test_done__acceptance_scenario_in_a_clone(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(git_ledger.parent), str(clone))
    git(clone, "config", "user.name", "营商办 张三")
    git(clone, "config", "user.email", "zhangsan@example.org")
    data = clone / "data"
    before = (data / FILE03).read_text(encoding="utf-8")
    assert "3.2" in {i["id"] for i in run_json(runner, data, "overdue", "--as-of", "2023-01-01")}

    result = run(runner, data, "done", "3.2", "--on", "2022-08-15", "--evidence", EVIDENCE)
    assert result.exit_code == 0, result.output

    stat = git(clone, "-c", "core.quotePath=false", "show", "--stat", "--format=", "HEAD")
    assert stat.strip().splitlines()[-1].strip().startswith("1 file changed")
    assert f"data/{FILE03}" in stat
    start, end = measure_span(before, "3.2")
    hunks = _hunks(git(clone, "diff", "-U0", "HEAD~1"))
    assert hunks and all(start <= line <= end for line, _ in hunks)
    assert "3.2" not in {i["id"] for i in run_json(runner, data, "overdue", "--as-of", "2023-01-01")}
    story = run(runner, data, "history", "3.2")
    assert story.exit_code == 0, story.output
    assert all(word in story.stdout for word in ("营商办 张三", "销号", "3.2", "2022-08-15", EVIDENCE))


def test_done__commit_holds_the_file_and_says_what_happened(git_ledger: Path, runner: CliRunner) -> None:
    repo = git_ledger.parent
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "-e", EVIDENCE, "--note", "已完成数据治理")
    assert result.exit_code == 0, result.output
    sha = git(repo, "rev-parse", "HEAD").strip()
    assert f"已提交 {sha[:7]}" in result.stdout
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("销号 3.2 获得电力：充分应用“网上国网”APP、微信、属地媒体等途径，精准发布各…\n\n")
    assert message.rstrip().endswith(
        "Ledger-Action: done\nLedger-Item: 3.2\nLedger-Indicator: 3\nLedger-Unit: 国网张掖供电公司\n"
        f"Ledger-Date: 2022-08-15\nLedger-Evidence: {EVIDENCE}\nLedger-Note: 已完成数据治理"
    )
    diff = git(repo, "diff", "HEAD~1", "--", f"data/{FILE03}")
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added == [
        "    status: done",
        "    closing:",
        '      "on": "2022-08-15"',
        '      note: "已完成数据治理"',
        "      evidence:",
        f'        - ref: "{EVIDENCE}"',
        "          kind: doc",
    ]
    assert not [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert git(repo, "status", "--porcelain").strip() == ""


def test_done__user_staged_change_stays_staged_and_unstaged_change_untouched(
    git_ledger: Path, runner: CliRunner
) -> None:
    repo = git_ledger.parent
    staged, unstaged = git_ledger / "plan.yaml", git_ledger / "indicators" / "01-开办企业与注销.yaml"
    staged.write_text(staged.read_text(encoding="utf-8") + "# 用户暂存的改动\n", encoding="utf-8")
    git(repo, "add", str(staged))
    unstaged_text = unstaged.read_text(encoding="utf-8") + "# 用户未暂存的改动\n"
    unstaged.write_text(unstaged_text, encoding="utf-8")
    staged_diff = git(repo, "diff", "--cached")

    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15")
    assert result.exit_code == 0, result.output
    assert git(repo, "-c", "core.quotePath=false", "show", "--name-only", "--format=", "HEAD").split() == [
        f"data/{FILE03}"
    ]
    assert git(repo, "diff", "--cached") == staged_diff
    assert unstaged.read_text(encoding="utf-8") == unstaged_text
    status = sorted(git(repo, "-c", "core.quotePath=false", "status", "--porcelain=v1").splitlines())
    assert status == [" M data/indicators/01-开办企业与注销.yaml", "M  data/plan.yaml"]


def test_done__commented_file_changes_only_the_measures_lines(git_ledger: Path, runner: CliRunner) -> None:
    use_commented_fixture(git_ledger)
    before = (git_ledger / FILE03).read_text(encoding="utf-8")
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "--note", "备注")
    assert result.exit_code == 0, result.output
    after = (git_ledger / FILE03).read_text(encoding="utf-8")
    start, _ = measure_span(before, "3.2")
    hunks = _hunks(git(git_ledger.parent, "diff", "-U0", "HEAD~1"))
    assert hunks == [(start + 5, 0)]  # inserted after 3.2's deadline line, nothing removed
    assert after.replace('    status: done\n    closing:\n      "on": "2022-08-15"\n      note: "备注"\n', "") == before


@pytest.mark.parametrize("autocrlf", [False, True])
def test_done__crlf_file_keeps_its_line_ends_and_the_work_tree_stays_clean(
    git_ledger: Path, runner: CliRunner, autocrlf: bool
) -> None:
    repo, target = git_ledger.parent, git_ledger / FILE03
    git(repo, "config", "core.autocrlf", "true" if autocrlf else "false")
    before = target.read_bytes().replace(b"\n", b"\r\n")
    target.write_bytes(before)
    git(repo, "commit", "-q", "--allow-empty", "-am", "CRLF")
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15")
    assert result.exit_code == 0, result.output
    after = target.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n") == before.count(b"\r\n") + 3
    added = b'    status: done\r\n    closing:\r\n      "on": "2022-08-15"\r\n'
    assert after.replace(added, b"", 1) == before
    assert git(repo, "status", "--porcelain=v1") == ""
    stored = subprocess.run(["git", "show", f"HEAD:data/{FILE03}"], cwd=repo, capture_output=True, check=True).stdout
    assert stored == (after.replace(b"\r\n", b"\n") if autocrlf else after)


def test_done__evidence_kinds_url_doc_and_file_with_its_hash(
    git_ledger: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_ledger.parent
    (repo / "evidence").mkdir()
    (repo / "evidence" / "验收报告.pdf").write_bytes(b"%PDF-1.4 fake")
    monkeypatch.chdir(repo / "evidence")
    url = "https://www.example.org/notice?id=12#top"
    result = run(
        runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "-e", "张电[2022]12号", "-e", url, "-e", "验收报告.pdf"
    )
    assert result.exit_code == 0, result.output
    ledger = load_ledger(git_ledger, use_cache=False).ledger
    assert ledger is not None
    closing = next(m for i in ledger.indicators for m in i.measures if m.id == "3.2").closing
    assert closing is not None
    import hashlib

    assert [(e.ref, e.kind, e.sha256) for e in closing.evidence] == [
        ("张电[2022]12号", "doc", None),
        (url, "url", None),
        ("evidence/验收报告.pdf", "file", hashlib.sha256(b"%PDF-1.4 fake").hexdigest()),
    ]
    trailers = [
        line for line in git(repo, "log", "-1", "--format=%B").splitlines() if line.startswith("Ledger-Evidence")
    ]
    assert trailers == [
        "Ledger-Evidence: 张电[2022]12号",
        f"Ledger-Evidence: {url}",
        "Ledger-Evidence: evidence/验收报告.pdf",
    ]


def test_done__default_date_is_today_in_shanghai(git_ledger: Path, runner: CliRunner) -> None:
    result = run(runner, git_ledger, "done", "3.2")
    assert result.exit_code == 0, result.output
    item = run_json(runner, git_ledger, "show", "3.2")
    assert item["done_on"] == real_today().isoformat()


def test_done__as_of_sets_today_for_the_default(git_ledger: Path, runner: CliRunner) -> None:
    result = run(runner, git_ledger, "done", "3.2", "--as-of", "2022-09-30")
    assert result.exit_code == 0, result.output
    assert run_json(runner, git_ledger, "show", "3.2", "--as-of", "2022-10-01")["done_on"] == "2022-09-30"
    late = run(runner, git_ledger, "done", "3.1", "--on", "2022-10-01", "--as-of", "2022-09-30")
    assert late.exit_code == 2 and "晚于今天" in late.stderr


@pytest.mark.parametrize("note", HOSTILE)
def test_done__hostile_note_round_trips_through_the_file_and_git(
    git_ledger: Path, runner: CliRunner, note: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_ledger.parent
    monkeypatch.chdir(repo)
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "--note", note)
    assert result.exit_code == 0, result.output
    assert not (repo / "pwned").exists()
    ledger = load_ledger(git_ledger, use_cache=False).ledger
    assert ledger is not None
    closing = next(m for i in ledger.indicators for m in i.measures if m.id == "3.2").closing
    assert closing is not None and closing.note == note
    (entry,) = run_json(runner, git_ledger, "history", "3.2")
    assert entry["note"] == note
    assert git(repo, "status", "--porcelain").strip() == ""


def test_done__hostile_progress_text_round_trips_through_show_json(git_ledger: Path, runner: CliRunner) -> None:
    for n, text in enumerate(HOSTILE, 1):
        on = f"2022-08-{n:02d}"
        result = run(runner, git_ledger, "progress", "3.2", "--on", on, "--", text)
        assert result.exit_code == 0, result.output
        assert run_json(runner, git_ledger, "show", "3.2", "--as-of", on)["latest_progress"] == {"on": on, "text": text}
    notes = [e["note"] for e in run_json(runner, git_ledger, "history", "3.2")]
    assert notes == HOSTILE


def test_done__already_done_is_refused(git_ledger: Path, runner: CliRunner) -> None:
    assert run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15").exit_code == 0
    before, count = (git_ledger / FILE03).read_bytes(), commits(git_ledger.parent)
    again = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-16")
    assert again.exit_code == 1 and "已于 2022-08-15 销号" in again.stderr
    assert (git_ledger / FILE03).read_bytes() == before and commits(git_ledger.parent) == count
    assert run(runner, git_ledger, "done", "6.1").exit_code == 1  # 已整改 before the plan


def test_done__outside_git_writes_and_says_it_did_not_commit(
    ledger_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    result = run(runner, ledger_dir, "done", "3.2", "--on", "2022-08-15")
    assert result.exit_code == 0, result.output
    assert "不在 git 仓库中" in result.stderr and "未提交" in result.stderr
    assert run_json(runner, ledger_dir, "show", "3.2", "--as-of", "2022-09-01")["status"] == "done"
    assert not (ledger_dir / ".ledger" / "ledger.lock").read_text()  # the lock lives beside the data, released


def test_done__outside_git_the_lock_stays_out_of_a_later_git_add(
    ledger_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    assert run(runner, ledger_dir, "done", "3.2", "--on", "2022-08-15").exit_code == 0
    assert (ledger_dir / ".ledger" / "ledger.lock").is_file()
    git(ledger_dir, "init", "-q")
    git(ledger_dir, "add", ".")
    staged = git(ledger_dir, "diff", "--cached", "--name-only", "-z").split("\0")
    assert "plan.yaml" in staged and not [name for name in staged if name.startswith(".ledger")]


def test_done__no_commit_writes_but_leaves_git_alone(git_ledger: Path, runner: CliRunner) -> None:
    count = commits(git_ledger.parent)
    result = run(runner, git_ledger, "done", "3.2", "--on", "2022-08-15", "--no-commit")
    assert result.exit_code == 0, result.output
    assert "--no-commit" in result.stderr
    assert commits(git_ledger.parent) == count
    assert git(git_ledger.parent, "status", "--porcelain").strip().endswith('.yaml"')


def test_done__runs_as_a_real_subprocess(git_ledger: Path) -> None:
    import os
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "bizenv_ledger", "--data", str(git_ledger), "done", "3.2", "--on", "2022-08-15"],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "已销号 3.2" in proc.stdout
    # git's own trailer parser reads what the tool wrote
    assert git(git_ledger.parent, "log", "-1", "--format=%(trailers:key=Ledger-Item,valueonly)").strip() == "3.2"
