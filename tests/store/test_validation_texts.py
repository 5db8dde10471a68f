"""`ledger check` on texts that drive a terminal, hide themselves, or flood the output (validate_texts).

YAML's double-quoted escapes (``"\\e[2J"``, ``"\\uFFFE"``) let a file carry any character,
so the checks look at the loaded text, not at the bytes of the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizenv_ledger.model.text import LONG_TEXT, UNSAFE
from tests.helpers import edit, run
from tests.store.test_validation import ELECTRICITY, at, rendered
from tests.writing import REFUSED

HINT = "请在文件中删除或改正该字符，或缩短这段文字"
MEASURE_32 = '  - id: "3.2"\n'


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every unprintable character written as an escape."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and code < 0x10000:
            out.append(ch)
        else:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _add_progress(data: Path, text: str) -> None:
    """A progress entry for 3.2 reading ``text``, as a hand edit would add it."""
    edit(
        data / ELECTRICITY,
        "    deadline: 2022年8月\n",
        f'    deadline: 2022年8月\n    progress:\n      - "on": "2022-08-01"\n        text: {yaml_quoted(text)}\n',
    )


def _no_raw(*outputs: str) -> None:
    for out in outputs:
        assert UNSAFE.findall(out) == [], out[:200]
        assert "Traceback" not in out


def test_check__unit_name_with_an_escape_sequence_is_an_error_at_its_line(ledger_dir: Path, runner: CliRunner) -> None:
    edit(ledger_dir / "units.yaml", "units:\n", 'units:\n  - name: "市\\e[31m红色\\e[2J局"\n    level: 市直\n')
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    line, col = at(ledger_dir / "units.yaml", 'name: "市\\e')
    message = "含有控制字符 U+001B（ESC），位于第 2 个字符；台账文本不能含有这类字符"
    assert rendered(ledger_dir / "units.yaml", line, col, message, "units.0.name", HINT) in result.stderr
    _no_raw(result.stdout, result.stderr)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_check__refused_character_in_a_progress_text_is_an_error_at_its_line(
    ledger_dir: Path, runner: CliRunner, name: str
) -> None:
    text = REFUSED[name]
    _add_progress(ledger_dir, text)
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    bad = next(ch for ch in text if UNSAFE.match(ch))
    line, _ = at(ledger_dir / ELECTRICITY, "        text: ")
    assert f"{ELECTRICITY}:{line}:9: 含有" in result.stderr and f"U+{ord(bad):04X}" in result.stderr
    assert "[measures.1.progress.0.text]" in result.stderr
    _no_raw(result.stdout, result.stderr)


def test_check__json_names_the_field_and_escapes_nothing_raw(ledger_dir: Path, runner: CliRunner) -> None:
    _add_progress(ledger_dir, REFUSED["csi"] + REFUSED["rlo"])
    result = run(runner, ledger_dir, "check", "--format", "json")
    assert result.exit_code == 1
    assert '"field": "measures.1.progress.0.text"' in result.stdout and "U+009B" in result.stdout
    _no_raw(result.stdout, result.stderr)


def test_check__newline_in_a_unit_name_is_an_error_but_allowed_in_a_note(ledger_dir: Path, runner: CliRunner) -> None:
    edit(
        ledger_dir / "units.yaml",
        "units:\n",
        'units:\n  - name: "市\\n红色局"\n    level: 市直\n    note: "第一行\\n第二行"\n',
    )
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    assert "含有换行符，位于第 2 个字符；此处只能写一行 [units.0.name]" in result.stderr
    assert "units.0.note" not in result.stderr


def test_check__a_measure_text_of_a_million_and_a_half_characters_is_an_error(
    ledger_dir: Path, runner: CliRunner
) -> None:
    """Inside the 5 MB file limit; it used to make `ledger list` print 184 MB and take 1.1 GB."""
    huge = "整" * 1_500_000
    path = ledger_dir / ELECTRICITY
    text = path.read_text(encoding="utf-8")
    start = text.index("text: ", text.index(MEASURE_32)) + len("text: ")
    path.write_text(text[:start] + huge + text[text.index("\n", start) :], encoding="utf-8")
    assert path.stat().st_size < 5 * 1024 * 1024
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    line, col = at(path, f"text: {huge[:10]}")
    message = f"长度 1500000 字，超过上限 {LONG_TEXT} 字"
    assert rendered(path, line, col, message, "measures.1.text", HINT) in result.stderr
    listed = run(runner, ledger_dir, "list", "--as-of", "2022-10-01")
    assert listed.exit_code == 1 and listed.stdout == "" and len(listed.stderr) < 2000


def test_check__evidence_file_inside_dot_git_is_an_error(ledger_dir: Path, runner: CliRunner) -> None:
    edit(
        ledger_dir / ELECTRICITY,
        "    deadline: 2022年8月\n",
        "    deadline: 2022年8月\n    status: done\n    closing:\n"
        '      "on": "2022-08-15"\n      evidence:\n        - ref: .git/config\n          kind: file\n',
    )
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    line, col = at(ledger_dir / ELECTRICITY, "- ref: .git/config")
    message = "佐证文件“.git/config”在 git 的内部目录（.git）中"
    assert (
        rendered(ledger_dir / ELECTRICITY, line, col + 2, message, "measures.1.closing.evidence.0.ref") in result.stderr
    )
