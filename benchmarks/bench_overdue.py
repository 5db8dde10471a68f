"""Time `ledger overdue` against bare imports, at the plan's size and on synthetic 10× and 100× ledgers.

Run by hand (never by the tests):  python benchmarks/bench_overdue.py [--runs 15]

Budgets (issue 3): at the plan's size the median is at most 1.3× the median of
`python -c "import typer, pydantic, yaml"`; at 100× the size, at most 2× the
plan-size time. "Warm" runs use the ledger cache as everyday use does; "cold"
runs clear it first (the first command after an edit pays that once).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
QUERY = ["overdue", "--unit", "市财政局", "--as-of", "2022-10-01"]


class _NoAliasDumper(yaml.SafeDumper):
    """The ledger refuses anchors and aliases, so the copies must be written out in full."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def synthesise(target: Path, factor: int) -> Path:
    """A copy of the plan whose every indicator carries ``factor`` times its measures."""
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("sources"))
    for path in sorted((target / "indicators").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        measures = data.get("measures", [])
        number = data["number"]
        copies = []
        for _ in range(factor):
            for m in measures:
                copies.append({**m, "id": f"{number}.{len(copies) + 1}"})
        data["measures"] = copies
        text = yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return target


def timed(cmd: list[str], env: dict[str, str], runs: int, before: object = None) -> float:
    samples = []
    for _ in range(runs):
        if callable(before):
            before()
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        samples.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{cmd} failed: {proc.stderr.decode()}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ledger = [sys.executable, "-m", "bizenv_ledger"]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "LEDGER_CACHE_DIR": str(cache)}
        base = timed([sys.executable, "-c", "import typer, pydantic, yaml"], env, args.runs)
        print(f"import typer, pydantic, yaml          median {base * 1000:7.1f} ms")
        sizes = {"plan (60 measures)": REPO / "data"}
        for factor in (10, 100):
            sizes[f"{factor}x ({60 * factor} measures)"] = synthesise(Path(tmp) / f"x{factor}", factor)
        results = {}
        for label, data in sizes.items():
            cmd = [*ledger, "--data", str(data), *QUERY]
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=False)  # fill the cache
            warm = timed(cmd, env, args.runs)
            cold = timed(cmd, env, max(3, args.runs // 3), before=lambda: shutil.rmtree(cache, ignore_errors=True))
            results[label] = warm
            print(f"{label:<24} warm median {warm * 1000:7.1f} ms   cold median {cold * 1000:7.1f} ms")
        plan = results["plan (60 measures)"]
        big = results["100x (6000 measures)"]
        print(f"plan / import = {plan / base:.2f}  (budget 1.30)")
        print(f"100x / plan   = {big / plan:.2f}  (budget 2.00)")


if __name__ == "__main__":
    main()
