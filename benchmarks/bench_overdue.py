"""Time the everyday read commands against bare imports, at the plan's size and on synthetic 10× and 100× ledgers.

Run by hand (never by the tests):  python benchmarks/bench_overdue.py [--runs 15]

Budgets (issues 3 and 10): at the plan's size each everyday read command's median
is at most 1.3× the median of `python -c "import typer, yaml, rich.console, rich.table"`
(the libraries a read command must use to answer: the CLI, the YAML reader, and
rich to draw the table); at 100× the size, `overdue` takes at most 2× its
plan-size time. "Warm" runs use the ledger cache as everyday use does; "cold"
runs clear it first (the first command after an edit pays that once).

Output goes to a pipe, so the commands draw their tables at the fixed piped
width, without colour, exactly as `ledger overdue | less` does. Such a table is
joined by render/text.py without importing rich's console (the same text rich would
draw); the reference still imports rich, as the budget was set.
"""

from __future__ import annotations

import argparse
import compileall
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
AS_OF = ["--as-of", "2022-10-01"]
REFERENCE = "import typer, yaml, rich.console, rich.table"
# the everyday read commands, as a 营商办 runs them
EVERYDAY = {
    "overdue --unit 市财政局": ["overdue", "--unit", "市财政局"],
    "list": ["list"],
    "gap": ["gap"],
    "gap 获得电力": ["gap", "获得电力"],
    "units": ["units"],
    "show 13.3": ["show", "13.3"],
}
SCALED = ["overdue", "--unit", "市财政局"]


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


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (POSIX; 0 elsewhere, where only wall time is shown)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(cmd: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed: {proc.stderr.decode()}")
    if cpu is not None:
        cpu.append(_children_cpu() - before)
    return elapsed


def interleaved(
    commands: dict[str, list[str]], env: dict[str, str], runs: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Medians of round-robin runs (wall and CPU time), so a slow moment of the machine hits every command alike.

    CPU time is what to read on a busy machine: other processes stretch the wall clock, not a command's own work.
    """
    samples: dict[str, list[float]] = {label: [] for label in commands}
    cpu: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, cmd in commands.items():
            samples[label].append(run_once(cmd, env, cpu[label]))
    median = statistics.median
    return {k: median(v) for k, v in samples.items()}, {k: median(v) for k, v in cpu.items()}


def cold(cmd: list[str], env: dict[str, str], cache: Path, runs: int) -> float:
    values = []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        values.append(run_once(cmd, env))
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ledger = [sys.executable, "-m", "bizenv_ledger"]
    # pip compiles an installed package's bytecode; an editable checkout under PYTHONDONTWRITEBYTECODE=1
    # would otherwise recompile every module on every run and time the compiler, not the ledger.
    import bizenv_ledger

    compileall.compile_dir(Path(bizenv_ledger.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
        env["LEDGER_CACHE_DIR"] = str(cache)
        sizes = {"overdue, plan (60 measures)": REPO / "data"}
        for factor in (10, 100):
            sizes[f"overdue, {factor}x ({60 * factor} measures)"] = synthesise(Path(tmp) / f"x{factor}", factor)
        commands = {REFERENCE: [sys.executable, "-c", REFERENCE]}
        commands |= {label: [*ledger, "--data", str(REPO / "data"), *cmd, *AS_OF] for label, cmd in EVERYDAY.items()}
        commands |= {label: [*ledger, "--data", str(data), *SCALED, *AS_OF] for label, data in sizes.items()}
        for cmd in commands.values():
            run_once(cmd, env)  # fill the caches
        warm, cpu = interleaved(commands, env, args.runs)
        base, cpu_base = warm[REFERENCE], cpu[REFERENCE] or 1.0
        print(f"{'':<34} {'warm median':>12} {'÷ import':>9} {'CPU median':>11} {'÷ import':>9}")
        for label, median in warm.items():
            extra = ""
            if label in sizes:
                extra = f"   cold median {cold(commands[label], env, cache, max(3, args.runs // 3)) * 1000:7.1f} ms"
            own = cpu[label]
            print(
                f"{label:<34} {median * 1000:9.1f} ms {median / base:8.2f}× {own * 1000:8.1f} ms {own / cpu_base:8.2f}×{extra}"
            )
        worst = max(EVERYDAY, key=lambda label: warm[label])
        worst_cpu = max(EVERYDAY, key=lambda label: cpu[label])
        plan, big = warm["overdue, plan (60 measures)"], warm["overdue, 100x (6000 measures)"]
        print(
            f"slowest everyday command / import = {warm[worst] / base:.2f} wall ({worst}), "
            f"{cpu[worst_cpu] / cpu_base:.2f} CPU ({worst_cpu}); budget 1.30"
        )
        print(f"overdue 100x / plan               = {big / plan:.2f}  (budget 2.00)")


if __name__ == "__main__":
    main()
