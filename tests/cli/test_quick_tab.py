"""The quick answer to a Tab (cli/quick_tab.py) is typer's answer, byte for byte, without importing typer."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bizenv_ledger.cli import quick_tab
from bizenv_ledger.cli.main import app
from bizenv_ledger.store.loader import load_ledger, remember_names

LINES = {
    # the command line before the word completed: each command's first argument, each option after it
    **{f"ledger {command}": kind for command, kind in quick_tab.FIRST_ARGUMENT.items()},
    **{f"ledger {c} {option}": kind for c, options in quick_tab.OPTIONS.items() for option, kind in options.items()},
}
SHELLS = ["bash", "zsh", "fish", "powershell", "pwsh"]


@pytest.fixture
def indexed(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The plan's copy, with its names index written (as the first load writes it)."""
    remember_names(ledger_dir, load_ledger(ledger_dir))
    monkeypatch.setenv("LEDGER_DATA", str(ledger_dir))
    yield ledger_dir


def _variables(shell: str, line: str, incomplete: str) -> dict[str, str]:
    """What typer's completion script for ``shell`` sets at a Tab after ``line`` with ``incomplete`` typed."""
    typed = f"{line} {incomplete}"
    if shell == "bash":
        return {"_LEDGER_COMPLETE": "complete_bash", "COMP_WORDS": typed, "COMP_CWORD": str(len(line.split()))}
    if shell in ("powershell", "pwsh"):
        return {
            "_LEDGER_COMPLETE": f"complete_{shell}",
            "_TYPER_COMPLETE_ARGS": typed,
            "_TYPER_COMPLETE_WORD_TO_COMPLETE": incomplete,
        }
    action = {"_TYPER_COMPLETE_FISH_ACTION": "get-args"} if shell == "fish" else {}
    return {"_LEDGER_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": typed, **action}


def _typers(variables: dict[str, str]) -> tuple[str, int]:
    result = CliRunner().invoke(app, [], env=variables, prog_name="ledger")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.stdout, result.exit_code


def _quick(variables: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, int] | None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    answered = quick_tab.answer(os.environ)
    if answered is None:
        return None
    text, code = answered
    return ("" if text is None else text + "\n"), code


def _both(shell: str, line: str, incomplete: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    variables = _variables(shell, line, incomplete)
    return _quick(variables, monkeypatch), _typers(variables)


@pytest.mark.parametrize("line", sorted(LINES))
def test_answer__is_typers_for_every_command_and_option_it_answers(
    indexed: Path, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = _typers(_variables("bash", line, ""))
    assert everything[0].strip(), f"typer offers nothing after {line!r}: the case would prove nothing"
    begun = everything[0].split("\n")[0][:1]  # the first letter of the first word offered
    for incomplete in ("", begun, "没有这样的名称"):
        quick, typers = _both("bash", line, incomplete, monkeypatch)
        assert quick == typers, (line, incomplete)


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    ("line", "incomplete"),
    [
        ("ledger show", "13."),
        ("ledger done", ""),
        ("ledger gap", "获得"),
        ("ledger gap", "电力"),  # our completers find it inside a name; typer keeps only what begins so
        ("ledger show", "１３．"),  # typed full-width: found normalised, and dropped by typer likewise
        ("ledger list --unit", "市财"),
        ("ledger units", "没有这样的单位"),  # nothing: zsh says _files, fish nothing
        ("ledger list --light", "红"),
        ("ledger report --month", "2022-1"),
    ],
)
def test_answer__is_typers_in_every_shell(
    indexed: Path, shell: str, line: str, incomplete: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick, typers = _both(shell, line, incomplete, monkeypatch)
    assert quick is not None and quick == typers


@pytest.mark.parametrize("incomplete", ["13.", "没有"])
def test_answer__fish_asking_whether_there_are_any_gets_only_the_exit_code(
    indexed: Path, incomplete: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = {**_variables("fish", "ledger show", incomplete), "_TYPER_COMPLETE_FISH_ACTION": "is-args"}
    assert _quick(variables, monkeypatch) == _typers(variables) == ("", 0 if incomplete == "13." else 1)


@pytest.mark.parametrize(
    "before", ["--data {data}", "--data={data}", "--data {data} --data /没有", "--workspace x --data {data}"]
)
def test_answer__reads_the_ledger_the_command_line_names(
    indexed: Path, before: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_DATA", str(tmp_path / "没有这个台账"))  # the command line wins
    line = f"ledger {before.format(data=indexed)} show"
    quick, typers = _both("bash", line, "13.", monkeypatch)
    assert quick == typers == ("13.1\n13.2\n13.3\n13.4\n", 0)


@pytest.mark.parametrize(
    ("line", "incomplete"),
    [
        ("ledger", "ov"),  # a command's name: typer knows the commands
        ("ledger show", "--"),  # an option's name
        ("ledger show 13.1", ""),  # a second argument
        ("ledger record 获得电力", ""),  # metrics, of the indicator before
        ("ledger list --format", "j"),  # a choice typer completes itself
        ("ledger overdue --as-of 2022-10-01 --unit", "市"),  # an option after others
        ("ledger --version show", ""),
        ("ledger --data", ""),
        ("ledger list --unit=", ""),
    ],
)
def test_answer__leaves_to_typer_what_it_does_not_know(
    indexed: Path, line: str, incomplete: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _quick(_variables("bash", line, incomplete), monkeypatch) is None


@pytest.mark.parametrize(
    "variables",
    [
        {"_LEDGER_COMPLETE": "source_bash"},
        {"_LEDGER_COMPLETE": "complete_tcsh", "_TYPER_COMPLETE_ARGS": "ledger show "},
        {"_LEDGER_COMPLETE": "complete_bash", "COMP_WORDS": "ledger show 13.", "COMP_CWORD": "二"},
        {"_LEDGER_COMPLETE": "complete_bash", "COMP_WORDS": "ledger show 13."},
    ],
)
def test_answer__leaves_other_instructions_and_broken_variables_to_typer(
    indexed: Path, variables: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMP_CWORD", raising=False)
    assert _quick(variables, monkeypatch) is None


def test_answer__a_stale_index_is_left_to_typer_which_writes_it_anew(
    indexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = indexed / "indicators/13-政府采购.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('id: "13.4"', 'id: "13.1000"'), encoding="utf-8")
    variables = _variables("bash", "ledger show", "13.")
    assert _quick(variables, monkeypatch) is None
    assert _typers(variables) == ("13.1\n13.2\n13.3\n13.1000\n", 0)
    assert _quick(variables, monkeypatch) == ("13.1\n13.2\n13.3\n13.1000\n", 0)  # the index is current again


@pytest.mark.parametrize("shell", SHELLS)
def test_answer__a_newline_typed_inside_quotes_offers_no_two_ids_run_together(
    indexed: Path, shell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index keeps a file's ids as lines of one text: what is typed must not match across two of them."""
    quick, typers = _both(shell, "ledger show", '"13.1\n13.2', monkeypatch)
    assert quick == typers
    assert quick is not None and "13.1\n13.2" not in quick[0]


@pytest.mark.parametrize("issued", ["garbage", "2022-13-45", 20220701])
def test_answer__a_damaged_index_gives_no_traceback_and_is_written_anew(
    indexed: Path, issued: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from bizenv_ledger.store.cache_files import cache_file
    from bizenv_ledger.store.names_index import index_file

    index = index_file(cache_file(indexed, dict(os.environ)))
    index.write_text(json.dumps({**json.loads(index.read_bytes()), "issued": issued}), encoding="utf-8")
    variables = _variables("bash", "ledger report --month", "2022-1")
    assert _quick(variables, monkeypatch) is None  # read as no index: typer's completers load the ledger
    assert _typers(variables) == ("2022-10\n2022-11\n2022-12\n", 0)
    assert _quick(variables, monkeypatch) == ("2022-10\n2022-11\n2022-12\n", 0)  # written anew


def _completer_name(param: object) -> str | None:
    """The cli/completion.py function typer calls for ``param`` (inside typer's wrappers), if any."""
    wrapper = getattr(param, "_custom_shell_complete", None)
    cells = [c.cell_contents for c in getattr(wrapper, "__closure__", None) or ()]
    named = [f for f in cells if callable(f) and getattr(f, "__module__", "").endswith("cli.completion")]
    return named[0].__name__ if named else None


def test_tables__name_every_completer_of_every_command_as_the_app_does() -> None:
    """A new command, argument or option with a completer is answered quickly too, with the same words."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    first, options = {}, {}
    for name, command in group.commands.items():
        arguments = [p for p in command.params if isinstance(p, typer.core.TyperArgument)]
        if arguments and (kind := _completer_name(arguments[0])) is not None:
            first[name] = kind
        for param in command.params:
            if isinstance(param, typer.core.TyperOption) and (kind := _completer_name(param)) is not None:
                options.setdefault(name, {}).update(dict.fromkeys(param.opts, kind))
    assert first == quick_tab.FIRST_ARGUMENT
    assert options == quick_tab.OPTIONS


def test_main__a_tab_the_index_answers_imports_neither_typer_nor_the_model(indexed: Path, tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom bizenv_ledger.cli.main import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m == 'typer' or m.endswith(('model.domain', 'store.loader')))\n"
        "sys.stderr.write('LOADED=' + ','.join(heavy) + '\\n')\n"
    )
    env = {**os.environ, **_variables("bash", "ledger list --unit", "市财")}
    proc = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stdout == "市财政局\n", proc.stderr
    assert "LOADED=\n" in proc.stderr, proc.stderr
