"""Time `ledger rollup` over 100 ledgers of 300 measures: from folders, and from git refs.

Run by hand (never by the tests):  python benchmarks/bench_workspace.py [--ledgers 100] [--runs 5]

Budget (issue 13): the roll-up of ledgers read from git refs (fetched remote-tracking
branches, read with `git cat-file --batch`) within 3x the roll-up of the same ledgers in
folders. "Warm" runs use the caches as everyday use does (a folder's by file stamps, a
ref's by its tree id); "cold" runs clear them first (the first roll-up after a fetch).
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
QUERY = ["rollup", "--as-of", "2022-10-01"]


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def synthesise(target: Path, measures: int) -> None:
    """A ledger of the plan's 18 indicators carrying ``measures`` measures in all (copies of the plan's)."""
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("sources", "schemas", "counties"))
    plan = target / "plan.yaml"  # each ledger its own title, so that no two share a git tree (and a cache entry)
    plan.write_text(plan.read_text(encoding="utf-8").replace("title: ", f"title: {target.name} ", 1), encoding="utf-8")
    paths = sorted((target / "indicators").glob("*.yaml"))
    share = measures // len(paths)
    for k, path in enumerate(paths):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        originals = data.get("measures", [])
        count = share + (1 if k < measures % len(paths) else 0)
        data["measures"] = [{**originals[i % len(originals)], "id": f"{data['number']}.{i + 1}"} for i in range(count)]
        path.write_text(yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=b@b.invalid", *args], cwd=cwd, env=env, check=True
    )


def build(root: Path, ledgers: int, measures: int) -> tuple[Path, Path]:
    """Two workspaces of the same ledgers: one listing folders, one listing branches of a fetched repository."""
    offices = root / "offices"
    offices.mkdir(parents=True)
    git(offices, "init", "-q", "-b", "main")
    for i in range(ledgers):
        synthesise(offices / f"L{i:03d}", measures)
    git(offices, "add", ".")
    git(offices, "commit", "-q", "-m", "ledgers")
    folders = root / "folders"
    folders.mkdir()
    (folders / "ledger.toml").write_text(
        "".join(f'[[ledgers]]\nname = "L{i:03d}"\npath = "../offices/L{i:03d}"\n' for i in range(ledgers)),
        encoding="utf-8",
    )
    refs = root / "refs"
    refs.mkdir()
    git(refs, "init", "-q", "-b", "main")
    git(refs, "remote", "add", "offices", str(offices))
    git(refs, "fetch", "-q", "offices")
    (refs / "ledger.toml").write_text(
        "".join(f'[[ledgers]]\nname = "L{i:03d}"\nref = "offices/main"\ndir = "L{i:03d}"\n' for i in range(ledgers)),
        encoding="utf-8",
    )
    return folders, refs


def timed(workspace: Path, env: dict[str, str], runs: int, cold: bool) -> float:
    cmd = [sys.executable, "-m", "bizenv_ledger", "--workspace", str(workspace), *QUERY]
    times = []
    for _ in range(runs):
        if cold:
            shutil.rmtree(env["LEDGER_CACHE_DIR"], ignore_errors=True)
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr.decode())
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ledgers", type=int, default=100)
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folders, refs = build(root, args.ledgers, args.measures)
        for label, cold in (("warm", False), ("cold", True)):
            results = {}
            for name, ws in (("folders", folders), ("refs", refs)):
                env = {**os.environ, "LEDGER_CACHE_DIR": str(root / f"cache-{name}")}
                if not cold:
                    timed(ws, env, 1, cold=False)  # fill the cache
                results[name] = timed(ws, env, args.runs, cold)
            ratio = results["refs"] / results["folders"]
            verdict = "ok" if ratio <= 3 else "OVER BUDGET"
            print(
                f"{label}: {args.ledgers} ledgers x {args.measures} measures: folders {results['folders']:.2f}s, "
                f"git refs {results['refs']:.2f}s, ratio {ratio:.2f} (budget 3.0: {verdict})"
            )


if __name__ == "__main__":
    main()
