"""A province's size: 10,000 and 100,000 measures, against Taskwarrior and against the budgets of issue 13.

Run by hand (never by the tests):  python benchmarks/bench_scale.py [--runs 5] [--only writes]

``--only writes`` builds the 100,000-measure ledger alone and times the three writes against it
(no Taskwarrior, no reads): the figures of issue 13's write budget, quickly.

Builds, in a temporary folder, the plan with its measures copied until there are 10,000 and
100,000 of them (bench_overdue.py's approach: copies renumbered; here each copy's text is
made its own, so that no string is shared that a real ledger would not share), each a git
repository. Installs Taskwarrior 2.6 with apt-get if it is missing (needs root) and gives it
the same 10,000 measures as tasks (project: the lead unit; due: the deadline, moved so that
the same measures are overdue today as on 2022-10-01). Every figure is a median of runs taken
round-robin, so a busy moment of the machine hits all commands alike; time and peak memory
are the child's own (os.wait4). It prints a table and whether each budget holds.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2022-10-01"
UNIT = "市财政局"
EVIDENCE = "张电〔2022〕12号"
LEDGER = [sys.executable, "-m", "bizenv_ledger"]


class _NoAliasDumper(yaml.SafeDumper):
    """The ledger refuses anchors and aliases, so the copies must be written out in full."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def synthesise(target: Path, total: int) -> Path:
    """A git repository holding the plan whose indicators carry ``total`` measures between them."""
    data = target / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("sources"))
    paths = sorted((data / "indicators").glob("*.yaml"))
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths]
    plan_size = sum(len(d.get("measures", [])) for d in docs)
    for path, doc in zip(paths, docs, strict=True):
        measures, number = doc.get("measures", []), doc["number"]
        share = round(total * len(measures) / plan_size)
        doc["measures"] = [
            {
                **measures[k % len(measures)],
                "id": f"{number}.{k + 1}",
                "text": f"{measures[k % len(measures)]['text']}（第{k + 1}项）",
            }
            for k in range(share)
        ]
        path.write_text(yaml.dump(doc, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "基准"],
        ["config", "user.email", "bench@example.org"],
    ):
        subprocess.run(["git", *args], cwd=target, check=True)
    subprocess.run(["git", "add", "data"], cwd=target, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "基准台账"], cwd=target, check=True)
    return data


_TIME = shutil.which("time", path="/usr/bin:/bin")


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KB) of one run of ``cmd``; exits if it fails.

    The peak is taken by /usr/bin/time, which starts the command itself: a child forked from this
    process (which has built 100,000-measure ledgers) would count this process's pages as its own
    until it execs. Without /usr/bin/time, os.wait4's figure is that inflated one.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        wrapped = [_TIME, "-q", "-f", "%M", "-o", out.name, *cmd] if _TIME else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        peak = int(out.read().split()[-1]) if _TIME else usage.ru_maxrss
    if code not in (0, 1):  # 1: overdue found red lights, which is its exit code by design
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {err.decode(errors='replace')}")
    return elapsed, peak


def medians(commands: dict[str, Callable[[], tuple[float, int]]], runs: int) -> dict[str, tuple[float, int]]:
    """Median time and the largest peak RSS of each command, run round-robin."""
    samples: dict[str, list[tuple[float, int]]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, once in commands.items():
            samples[label].append(once())
    return {label: (statistics.median(t for t, _ in s), max(m for _, m in s)) for label, s in samples.items()}


def taskwarrior(folder: Path, data: Path) -> dict[str, str]:
    """A Taskwarrior database of the same measures; its environment."""
    if shutil.which("task") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "taskwarrior"], check=True, stdout=subprocess.DEVNULL)
    sys.path.insert(0, str(REPO / "src"))
    from bizenv_ledger.model.dates import parse_deadline
    from bizenv_ledger.store.loader import load_ledger

    ledger = load_ledger(data, use_cache=False).ledger
    assert ledger is not None
    shift = date.today() - date.fromisoformat(AS_OF)
    tasks = []
    for k, m in enumerate(m for i in ledger.indicators for m in i.measures):
        task = {"uuid": f"{k:08x}-0000-4000-8000-{k:012x}", "status": "pending", "entry": "20220701T000000Z"}
        task |= {"description": m.text, "project": m.units[0]}
        if (due := parse_deadline(m.deadline).due) is not None:
            task["due"] = datetime.combine(due + shift, datetime.min.time()).strftime("%Y%m%dT%H%M%SZ")
        tasks.append(task)
    (folder / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    rc = folder / "taskrc"
    rc.write_text(f"data.location={folder / 'task'}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc)}
    subprocess.run(["task", "import", str(folder / "tasks.json")], env=env, check=True, stdout=subprocess.DEVNULL)
    return env


READS = {
    "check": ["check"],
    "list": ["list", "--as-of", AS_OF],
    "overdue": ["overdue", "--unit", UNIT, "--as-of", AS_OF],
    "gap": ["gap"],
    "show": ["show", "3.2", "--as-of", AS_OF],
    "units": ["units", "--as-of", AS_OF],
}


def _row(label: str, figure: str, budget: str, holds: bool | None) -> None:
    verdict = "" if holds is None else ("holds" if holds else "MISSED")
    print(f"{label:<52} {figure:>22}   {budget:<26} {verdict}")


def time_writes(big: Path, env: dict[str, str], runs: int) -> dict[str, tuple[float, int]]:
    """done, progress and record at 100k (each done closes another measure, each record gives another
    figure: the same one again would be refused, not written), medians of ``runs``."""
    counter = iter(range(200, 200 + runs))
    figures = iter(range(runs))

    def ledger(*words: str) -> Callable[[], tuple[float, int]]:
        return lambda: run([*LEDGER, "--data", str(big), *words], env)

    return medians(
        {
            "done": lambda: ledger("done", f"3.{next(counter)}", "--on", AS_OF, "--evidence", EVIDENCE)(),
            "progress": ledger("progress", "3.2", "线路改造已完成过半", "--on", AS_OF),
            "record": lambda: ledger("record", "获得电力", "高压办电时间", f"4.{next(figures)}", "--on", AS_OF)(),
        },
        runs,
    )


def _write_rows(writes: dict[str, tuple[float, int]]) -> None:
    for name, (seconds, rss) in writes.items():
        _row(
            f"{name} at 100k",
            f"{seconds:.2f} s, {rss / 1024:.0f} MB",
            "< 1 s and < 200 MB",
            seconds < 1 and rss < 200 * 1024,
        )


def only_writes(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "LEDGER_CACHE_DIR": str(root / "cache")}
        big = synthesise(root / "l100k", 100_000)
        run([*LEDGER, "--data", str(big), "list"], env)  # fill the cache
        writes = time_writes(big, env, runs)
        print(f"\n{runs} runs each, medians\n")
        _write_rows(writes)


def reads_only(runs: int, names: list[str]) -> None:
    """The read budgets alone (time ratio and memory a measure at 100k), for iterating on them."""
    import bizenv_ledger

    compileall.compile_dir(Path(bizenv_ledger.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "LEDGER_CACHE_DIR": str(root / "cache")}
        sizes = {"10k": synthesise(root / "l10k", 10_000), "100k": synthesise(root / "l100k", 100_000)}
        for data in sizes.values():
            run([*LEDGER, "--data", str(data), "list"], env)  # fill the cache
        base = medians({"version": lambda: run([*LEDGER, "--version"], env)}, runs)["version"]
        reads = medians(
            {
                f"{name} {size}": (lambda d=d, w=READS[name]: run([*LEDGER, "--data", str(d), *w], env))
                for name in names
                for size, d in sizes.items()
            },
            runs,
        )
        print(
            f"\n{runs} runs each, medians; interpreter and imports: {base[0] * 1000:.0f} ms, {base[1] / 1024:.0f} MB\n"
        )
        _read_rows(reads, base, names)


def _read_rows(reads: dict[str, tuple[float, int]], base: tuple[float, int], names: list[str]) -> None:
    for name in names:
        (t10, _), (t100, m100) = reads[f"{name} 10k"], reads[f"{name} 100k"]
        per = (m100 - base[1]) * 1024 / 100_020
        _row(f"{name}: 100k / 10k", f"{t100:.2f} / {t10:.2f} s = {t100 / t10:.1f}x", "<= 10x", t100 / t10 <= 10)
        _row(f"{name} at 100k: peak over the interpreter", f"{per:.0f} B a measure", "<= 1024 B", per <= 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["writes"], help="time only the writes at 100k")
    parser.add_argument(
        "--reads",
        nargs="*",
        choices=sorted(READS),
        metavar="COMMAND",
        help="only the read commands' time and memory (all of them, or those named)",
    )
    args = parser.parse_args()
    if args.reads is not None:
        reads_only(args.runs, args.reads or list(READS))
        return
    import bizenv_ledger  # an editable checkout would otherwise compile every module on every run

    compileall.compile_dir(Path(bizenv_ledger.__file__).parent, quiet=1)
    if args.only == "writes":
        only_writes(args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "LEDGER_CACHE_DIR": str(root / "cache")}
        small, big = synthesise(root / "l10k", 10_000), synthesise(root / "l100k", 100_000)
        tw_env = taskwarrior(root, small)
        sizes = {"10k": (small, 10_020), "100k": (big, 100_020)}
        for data, _ in sizes.values():
            run([*LEDGER, "--data", str(data), "list"], env)  # fill the cache

        def ledger(data: Path, *words: str) -> Callable[[], tuple[float, int]]:
            return lambda: run([*LEDGER, "--data", str(data), *words], env)

        base = medians({"version": lambda: run([*LEDGER, "--version"], env)}, args.runs)["version"]
        tw = ["task", "+OVERDUE", f"project:{UNIT}", "list"]
        warm = medians(
            {
                "ledger": ledger(small, *READS["overdue"]),
                "task": lambda: run(tw, tw_env),
                # what the ledger pays before it reads anything: the CLI's library (an uncoloured table needs no rich)
                "floor": lambda: run([sys.executable, "-c", "import typer"], env),
            },
            args.runs,
        )
        # first read after a done (each round closes another measure) against a warm read
        counter = iter(range(100, 100 + args.runs))
        after: list[float] = []
        steady: list[float] = []
        for _ in range(args.runs):
            run(
                [*LEDGER, "--data", str(small), "done", f"1.{next(counter)}", "--on", AS_OF, "--evidence", EVIDENCE],
                env,
            )
            after.append(ledger(small, *READS["overdue"])()[0])
            steady.append(ledger(small, *READS["overdue"])()[0])
        writes = time_writes(big, env, args.runs)
        reads = medians(
            {f"{name} {size}": ledger(d, *words) for name, words in READS.items() for size, (d, _) in sizes.items()},
            args.runs,
        )
        completion_env = {
            **env,
            "_LEDGER_COMPLETE": "complete_bash",
            "COMP_WORDS": "ledger show 13.",
            "COMP_CWORD": "2",
        }
        complete = medians(
            {
                size: (lambda d=d: run(LEDGER, {**completion_env, "LEDGER_DATA": str(d)}))
                for size, (d, _) in sizes.items()
            },
            args.runs,
        )

        print(
            f"\n{args.runs} runs each, medians; interpreter and imports (ledger --version): {base[0] * 1000:.0f} ms, {base[1] / 1024:.0f} MB\n"
        )
        _row(
            "warm overdue --unit at 10k / task +OVERDUE at 10k",
            f"{warm['ledger'][0] * 1000:.0f} / {warm['task'][0] * 1000:.0f} ms = {warm['ledger'][0] / warm['task'][0]:.2f}x",
            "< 1x",
            warm["ledger"][0] < warm["task"][0],
        )
        _row(
            "  of which importing typer alone / task",
            f"{warm['floor'][0] * 1000:.0f} / {warm['task'][0] * 1000:.0f} ms = {warm['floor'][0] / warm['task'][0]:.2f}x",
            "",
            None,
        )
        ratio = statistics.median(after) / statistics.median(steady)
        _row("first read after a done / warm read, 10k", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
        _write_rows(writes)
        _read_rows(reads, base, list(READS))
        _row("check at 100k", f"{reads['check 100k'][0]:.2f} s", "< 10 s", reads["check 100k"][0] < 10)
        for size, (seconds, _) in complete.items():
            _row(f"completion (show 13.<Tab>) at {size}", f"{seconds * 1000:.0f} ms", "< 100 ms", seconds < 0.1)


if __name__ == "__main__":
    main()
