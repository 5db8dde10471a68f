"""Completion of every value the command line takes, in bash, zsh and fish, through typer's completion variables."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA

LEDGER = str(Path(sys.executable).parent / "ledger")

CASES = [
    ("ledger list --status d", ["done"]),
    ("ledger list --status 未", ["未完成"]),
    ("ledger list --light 红", ["红灯"]),
    ("ledger list --light ye", ["yellow"]),
    ("ledger list --county 临", ["临泽县"]),
    ("ledger list --format j", ["json"]),
    ("ledger export --format x", ["xlsx"]),
    ("ledger report --format do", ["docx"]),
    ("ledger report --month 2022-1", ["2022-10", "2022-11", "2022-12"]),
    ("ledger record 获得电力 高压", ["高压办电时间", "高压办电环节", "高压办电材料"]),
    ("ledger record 电力 low_voltage_d", ["low_voltage_days", "low_voltage_documents"]),
    ("ledger gap 获得电", ["获得电力"]),
    ("ledger show 13.", ["13.1", "13.2", "13.3", "13.4"]),
    ("ledger list --unit 市财", ["市财政局"]),
]


def _complete(shell: str, words: str, tmp_path: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_DATA"}
    env.update(_LEDGER_COMPLETE=f"complete_{shell}", LEDGER_CACHE_DIR=str(tmp_path / "cache"), LEDGER_DATA=str(DATA))
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words, _TYPER_COMPLETE_FISH_ACTION="get-args")
    proc = subprocess.run([LEDGER], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    if shell == "zsh":  # _arguments '*: :(("done" "未完成"))'
        return re.findall(r'"((?:[^"]|"")*)"', proc.stdout)
    return [line.split("\t")[0] for line in proc.stdout.splitlines() if line]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize(("words", "expected"), CASES)
def test_completion__every_value_in_every_shell(shell: str, words: str, expected: list[str], tmp_path: Path) -> None:
    assert _complete(shell, words, tmp_path) == expected


def test_completion__months_run_from_the_plans_issue(tmp_path: Path) -> None:
    months = _complete("bash", "ledger report --month 2022", tmp_path)
    assert months[:3] == ["2022-07", "2022-08", "2022-09"] and months[-1] == "2022-12"


def _complete_in(data: Path, words: str, cache: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_DATA"}
    env.update(_LEDGER_COMPLETE="complete_bash", LEDGER_CACHE_DIR=str(cache), LEDGER_DATA=str(data))
    env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1))
    proc = subprocess.run([LEDGER], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.splitlines()


def _cache_files(cache: Path) -> tuple[Path, Path]:
    (index,) = cache.glob("*.names.json")
    (ledger,) = [p for p in cache.glob("*.json") if p != index]
    return ledger, index


def test_completion__comes_from_the_index_not_the_ledger(ledger_dir: Path, tmp_path: Path) -> None:
    """With the index current, a Tab does not read the cached ledger at all: a ruined cache goes unnoticed."""
    cache = tmp_path / "cache"
    assert _complete_in(ledger_dir, "ledger show 13.", cache) == ["13.1", "13.2", "13.3", "13.4"]
    cached, _ = _cache_files(cache)  # the first Tab loaded the ledger and wrote both
    cached.write_bytes(b"not a cache")
    assert _complete_in(ledger_dir, "ledger list --unit 市财", cache) == ["市财政局"]
    assert _complete_in(ledger_dir, "ledger record 电力 low_voltage_d", cache) == [
        "low_voltage_days",
        "low_voltage_documents",
    ]
    assert cached.read_bytes() == b"not a cache"  # no load happened: a load would have written the cache anew


def test_completion__a_stale_or_missing_index_falls_back_to_the_ledger(ledger_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _complete_in(ledger_dir, "ledger show 13.", cache) == ["13.1", "13.2", "13.3", "13.4"]
    path = ledger_dir / "indicators/13-政府采购.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('id: "13.4"', 'id: "13.1000"'), encoding="utf-8")  # an edit by hand
    assert _complete_in(ledger_dir, "ledger show 13.", cache) == ["13.1", "13.2", "13.3", "13.1000"]
    _, index = _cache_files(cache)
    index.unlink()
    assert _complete_in(ledger_dir, "ledger done 13.10", cache) == ["13.1000"]
    assert index.exists()  # written again, for the next Tab


def test_completion__a_tab_with_a_current_index_imports_no_domain_model(ledger_dir: Path, tmp_path: Path) -> None:
    """The model and the cache's decoder cost a Tab a fifth of its time: with the index current, neither loads."""
    cache = tmp_path / "cache"
    assert _complete_in(ledger_dir, "ledger show 13.", cache) == ["13.1", "13.2", "13.3", "13.4"]  # writes the index
    probe = (
        "import sys\nfrom bizenv_ledger.cli.main import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.endswith(('model.domain', 'store.loader', 'store.cache_format')))\n"
        "sys.stderr.write('LOADED=' + ','.join(heavy) + '\\n')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_DATA"}
    env.update(_LEDGER_COMPLETE="complete_bash", COMP_WORDS="ledger show 13.", COMP_CWORD="2")
    env.update(LEDGER_CACHE_DIR=str(cache), LEDGER_DATA=str(ledger_dir))
    proc = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stdout.split() == ["13.1", "13.2", "13.3", "13.4"], proc.stderr
    assert "LOADED=\n" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "files",
    [
        3,
        [3],
        "abc",
        {"indicators/x.yaml": {"ids": [3]}},
        {"indicators/x.yaml": {"ids": ["3.1"], "indicator": [3, "x"], "metrics": [], "last": None}},
    ],
)
def test_completion__a_damaged_index_of_the_right_stamps_falls_back_and_is_rewritten(
    ledger_dir: Path, tmp_path: Path, files: object
) -> None:
    import json

    cache = tmp_path / "cache"
    assert _complete_in(ledger_dir, "ledger show 13.", cache) == ["13.1", "13.2", "13.3", "13.4"]
    _, index = _cache_files(cache)
    damaged = {**json.loads(index.read_bytes()), "files": files}
    index.write_text(json.dumps(damaged), encoding="utf-8")
    assert _complete_in(ledger_dir, "ledger show 13.", cache) == ["13.1", "13.2", "13.3", "13.4"]
    assert json.loads(index.read_bytes())["files"] != files  # written anew for the next Tab
