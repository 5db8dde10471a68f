"""Fuzz: the real plan's YAML, mutated, never gets a traceback or a hang out of the loader, `check` or `list`.

Issue 9 found crashes in a fuzz of 4,400 malformed ledgers; this keeps that fuzz in the
suite, bounded and reproducible (tests/fuzzing.py). Each example edits one to three of
the plan's files (bytes, lines, values, YAML tags, huge numbers, control characters,
deep nesting, wrong types, year-0 dates), then loads the ledger and runs `check` and
`list`, and puts the files back. `check`, which reads one file at a time, must find what a load finds.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from bizenv_ledger.store.layout import ledger_files
from bizenv_ledger.store.loader import load_ledger
from tests.conftest import DATA
from tests.fuzzing import HOSTILE, fuzz, hostile_text, no_hang
from tests.helpers import run

FILES = ledger_files(DATA)

SNIPPETS = [
    "!!int 0x10",
    "!!int ''",
    "!!float abc",
    "!!float .nan",
    "!!bool yes",
    "!!null x",
    "!!str 3",
    "!!set {a}",
    "!!binary aGk=",
    "!!python/object/apply:os.system ['true']",
    "!custom x",
    "&anchor x",
    "*anchor",
    "<<: {a: 1}",
    "[" * 70 + "]" * 70,
    "[" * 5000,
    "- " * 2000 + "x",
    "{a: [b, {c: d}]}",
    '"\\ud800"',
    '"\\x07"',
    "'unclosed",
    '"unclosed',
    "|0",
    ">-",
    "---",
    "...",
    "%YAML 2.0",
    "? [a, b]",
    "@at",
    "`tick",
    "9" * 5000,
    "-" + "1" * 4400 + ".5",
    "true",
    "~",
    "[]",
    "{}",
    "0000年底",
    "0000-01-01",
]
KEYS = ["deadline", "status", "on", "number", "units", "closing", "value", "best", "id", "issued", "owner", "text"]


@st.composite
def mutation(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    kind = draw(st.sampled_from(["value", "value", "line", "insert", "delete", "bytes", "indent"]))
    at = draw(st.integers(0, max(0, len(lines) - 1)))
    if kind == "value":  # keep the key, change what follows it: the wrong types and tags
        keyed = [i for i, line in enumerate(lines) if ": " in line] or [at]
        at = draw(st.sampled_from(keyed))
        key = lines[at].split(": ", 1)[0] if ": " in lines[at] else lines[at]
        lines[at] = f"{key}: {draw(st.one_of(st.sampled_from(SNIPPETS), hostile_text))}"
    elif kind == "line":
        lines[at] = draw(st.one_of(st.sampled_from(SNIPPETS), hostile_text))
    elif kind == "insert":
        indent = " " * draw(st.sampled_from([0, 2, 4, 6, 8]))
        key = draw(st.sampled_from(KEYS))
        lines.insert(at, f"{indent}{key}: {draw(st.one_of(st.sampled_from(SNIPPETS), st.sampled_from(HOSTILE)))}")
    elif kind == "delete":
        del lines[at : at + draw(st.integers(1, 8))]
    elif kind == "indent":
        lines[at] = " " * draw(st.integers(0, 9)) + lines[at].lstrip() if lines else ""
    else:
        return text  # bytes: applied below, on the encoded file
    return "\n".join(lines)


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    rel = draw(st.sampled_from(FILES))
    text = (DATA / rel).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        text = draw(mutation(text))
    raw = text.encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()) and draw(st.booleans()):  # a quarter of the files also get raw bytes
        start = draw(st.integers(0, len(raw)))
        junk = draw(st.one_of(st.binary(max_size=12), st.sampled_from([b"\xff\xfe", b"\x00", b"\xe4\xb8", b"\r"])))
        raw = raw[:start] + junk + raw[start + draw(st.integers(0, 4)) :]
    return rel, raw


def _clean(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


@fuzz
@given(edits=st.lists(mutated_file(), min_size=1, max_size=3))
def test_fuzz__a_mutated_ledger_never_crashes_the_loader_check_or_list(
    ledger_dir: Path, runner: CliRunner, edits: list[tuple[str, bytes]]
) -> None:
    originals = {rel: (ledger_dir / rel).read_bytes() for rel, _ in edits}
    try:
        for rel, raw in edits:
            (ledger_dir / rel).write_bytes(raw)
        with no_hang():
            checked = run(runner, ledger_dir, "check", "--format", "json")
            listed = run(runner, ledger_dir, "list", "--as-of", "2022-10-01", "--format", "json")
            again = run(runner, ledger_dir, "list", "--as-of", "2022-10-01", "--format", "json")  # from the cache
        for result in (checked, listed, again):
            _clean(result)
        verdict = json.loads(checked.stdout)
        assert checked.exit_code == (0 if verdict["ok"] else 1), checked.output
        loaded = load_ledger(ledger_dir, use_cache=False)  # check reads a file at a time: what a load finds
        assert verdict["problems"] == json.loads(json.dumps([p.as_dict() for p in loaded.problems]))
        assert listed.exit_code == checked.exit_code, listed.output  # check's verdict is the read commands' verdict
        if verdict["ok"]:
            assert again.stdout == listed.stdout  # the cache gives back what the files say
        else:
            assert verdict["problems"] and all(p["line"] >= 1 and p["col"] >= 1 for p in verdict["problems"])
            assert "ledger check" in listed.stderr
    finally:
        for rel, raw in originals.items():
            (ledger_dir / rel).write_bytes(raw)
