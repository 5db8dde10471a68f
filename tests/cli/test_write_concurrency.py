"""Ten ``ledger done`` on different measures of one file, started at once as real processes: all land."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bizenv_ledger.store.loader import load_ledger
from tests.conftest import git
from tests.writing import EVIDENCE, commits

FILE01 = "indicators/01-开办企业与注销.yaml"
EXTRA = "".join(
    f'  - id: "1.{n}"\n    text: 测试用措施 {n}（并发写入）。\n    units: [市市场监管局]\n    deadline: 2022年12月\n'
    for n in range(7, 11)
)


def test_done__ten_concurrent_processes_all_land_in_the_file_and_in_git(git_ledger: Path) -> None:
    repo, target = git_ledger.parent, git_ledger / FILE01
    target.write_text(target.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")  # 1.1–1.10 in one file
    git(repo, "commit", "-q", "-am", "十项措施")
    before = commits(repo)
    ids = [f"1.{n}" for n in range(1, 11)]
    env = {**os.environ, "LEDGER_LOCK_TIMEOUT": "120"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bizenv_ledger",
                "--data",
                str(git_ledger),
                "done",
                mid,
                "-e",
                EVIDENCE,
                "--on",
                "2022-08-15",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for mid in ids
    ]
    results = [(p.wait(timeout=180), p.communicate()) for p in procs]
    assert all(code == 0 for code, _ in results), [err for _, (_, err) in results]

    ledger = load_ledger(git_ledger, use_cache=False).ledger
    assert ledger is not None
    done = {m.id for m in ledger.indicators[0].measures if m.status == "done"}
    assert done == set(ids)
    assert commits(repo) == before + 10
    items = git(repo, "log", f"-{len(ids)}", "--format=%(trailers:key=Ledger-Item,valueonly)").split()
    assert sorted(items) == sorted(ids)
    touched = git(repo, "log", f"-{len(ids)}", "--format=", "--name-only").split()
    assert len(touched) == 10 and len(set(touched)) == 1
    assert git(repo, "status", "--porcelain").strip() == ""
