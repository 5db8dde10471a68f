"""Time the everyday read commands under typer 0.28 and the current 0.29.x, round-robin.

Run by hand (never by the tests):  python benchmarks/bench_typer.py [--runs 15] [--new 0.29.2]

Each typer gets a virtual environment of its own under the temporary directory,
with this checkout installed in it (editable, without its pin) and the same other
libraries. The commands then run in turn, one of each per round, so a busy moment
of the machine hits both alike; the medians and their ratio are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_overdue import _children_cpu  # the script's own folder is on sys.path

REPO = Path(__file__).resolve().parent.parent
AS_OF = ["--as-of", "2022-10-01"]
EVERYDAY = {
    "overdue --unit 市财政局": ["overdue", "--unit", "市财政局"],
    "list": ["list"],
    "gap 获得电力": ["gap", "获得电力"],
    "units": ["units"],
    "show 13.3": ["show", "13.3"],
    "list --help": ["list", "--help"],
}
OTHERS = ["pyyaml>=6.0", "pydantic>=2.6,<3", "openpyxl>=3.1", "rich>=13.8", "python-dateutil>=2.8.2"]


def make_env(where: Path, typer: str) -> Path:
    """A virtual environment with ``typer`` and this checkout; its python."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = where / ("Scripts" if os.name == "nt" else "bin") / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, f"typer=={typer}", *OTHERS], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(REPO)], check=True)
    version = subprocess.run(
        [str(python), "-c", "import typer; print(typer.__version__)"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if version != typer:
        raise SystemExit(f"wanted typer {typer}, got {version}")
    subprocess.run([str(python), "-m", "compileall", "-q", str(where), str(REPO / "src")], check=False)
    return python


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed: {proc.stderr.decode()}")
    return elapsed, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--old", default="0.28.0")
    parser.add_argument("--new", default="0.29.2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-typer-") as tmp:
        pythons = {v: make_env(Path(tmp) / f"typer-{v}", v) for v in (args.old, args.new)}
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
        env["LEDGER_CACHE_DIR"] = str(Path(tmp) / "cache")
        commands = {
            (label, v): [
                str(py),
                "-m",
                "bizenv_ledger",
                "--data",
                str(REPO / "data"),
                *cmd,
                *([] if "--help" in cmd else AS_OF),
            ]
            for label, cmd in EVERYDAY.items()
            for v, py in pythons.items()
        }
        commands |= {("import typer", v): [str(py), "-c", "import typer"] for v, py in pythons.items()}
        for cmd in commands.values():
            run_once(cmd, env)  # fill the cache and the bytecode
        samples: dict[tuple[str, str], list[tuple[float, float]]] = {key: [] for key in commands}
        for _ in range(args.runs):
            for key, cmd in commands.items():
                samples[key].append(run_once(cmd, env))
        wall = {key: statistics.median(w for w, _ in values) for key, values in samples.items()}
        cpu = {key: statistics.median(c for _, c in values) for key, values in samples.items()}
        head = f"{'typer ' + args.old:>13} {'typer ' + args.new:>13} {'difference':>11} {'ratio':>6}"
        print(f"{'command':<26} {head}   CPU: {head}")
        for label in [*EVERYDAY, "import typer"]:
            row = []
            for m in (wall, cpu):
                old, new = m[(label, args.old)], m[(label, args.new)]
                ratio = new / old if old else 0.0
                row.append(f"{old * 1000:10.1f} ms {new * 1000:10.1f} ms {(new - old) * 1000:+8.1f} ms {ratio:6.2f}")
            print(f"{label:<26} {row[0]}   CPU: {row[1]}")
        print(f"({args.runs} round-robin runs each, warm cache; medians of wall and of CPU time)")


if __name__ == "__main__":
    main()
