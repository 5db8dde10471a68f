"""A Tab answered before typer is imported, for the values that come from the names index.

Importing typer and building the app costs a Tab two thirds of its time. Most Tabs ask for one
of a few things: the first argument of a command (``ledger show 13.<Tab>``, ``ledger done <Tab>``)
or the value of a filter option right after the command (``ledger overdue --unit 市<Tab>``),
with ``--data`` or ``--workspace`` perhaps before it. For those, ``answer`` reads the shell's
variables as typer does, offers the same words (``cli/offers.py``, which typer's completers
use too) and prints them in typer's format for the shell. Anything else (a command's name, an
option's name, a second argument, a stale index, a shell typer would not know) gets None, and
typer answers as before. tests/cli/test_quick_tab.py holds both answers to be the same, byte for
byte, for every completer of every command and every shell, and checks the tables below against
the app.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FIRST_ARGUMENT", "OPTIONS", "answer"]

COMPLETE_VAR = "_LEDGER_COMPLETE"  # typer's name for prog_name "ledger" (cli/usage.run)

# What the first argument of each command completes with (cli/offers.py's kinds and fixed words)
FIRST_ARGUMENT = {
    **dict.fromkeys(("done", "postpone", "progress", "reopen", "review"), "measures"),
    **dict.fromkeys(("show", "history"), "targets"),
    **dict.fromkeys(("gap", "record"), "indicators"),
    "units": "units",
}
_UNIT = {"--unit": "units", "-u": "units"}
_INDICATOR = {"--indicator": "indicators", "-i": "indicators"}
_FILTERS = {**_UNIT, **_INDICATOR, "--status": "statuses", "--light": "lights", "--county": "counties"}
# What each command's options complete with, when the option is the word before the one completed
OPTIONS: dict[str, dict[str, str]] = {
    "board": _FILTERS,
    "list": _FILTERS,
    "export": {**_FILTERS, "--format": "export_formats", "-f": "export_formats"},
    "report": {
        **_FILTERS,
        "--month": "months",
        "-m": "months",
        "--format": "report_formats",
        "-f": "report_formats",
    },
    "overdue": {**_UNIT, **_INDICATOR},
    **dict.fromkeys(("form", "history", "intake"), _UNIT),
}
_GLOBAL_VALUED = ("--data", "--workspace")
_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _split(line: str) -> list[str]:
    """The words of a command line as typer's completion splits them (click's split_arg_string)."""
    import shlex

    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:  # an unclosed quote: the partial word as it is
        out.append(lex.token)
    return out


def _typed(shell: str, env: Mapping[str, str]) -> tuple[list[str], str] | None:
    """The words before the one being completed, and that one: read as typer's class for ``shell`` reads them."""
    if shell == "bash":
        try:
            words, at = _split(env["COMP_WORDS"]), int(env["COMP_CWORD"])
        except (KeyError, ValueError):
            return None  # typer's own answer, whatever it is
        if at < 0:
            return None
        return words[1:at], words[at] if at < len(words) else ""
    line = env.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)
    if shell in ("powershell", "pwsh"):
        incomplete = env.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
        return (words[1:-1] if incomplete else words[1:]), incomplete
    args = words[1:]
    if args and not line.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def _where(args: list[str]) -> tuple[str | None, str] | None:
    """The ledger's folder as typed (the first --data) and the kind of value completed; None if not ours."""
    data: str | None = None
    given, i = False, 0
    while i < len(args) and args[i].startswith("-"):
        name, eq, value = args[i].partition("=")
        if name not in _GLOBAL_VALUED:
            return None
        if not eq:
            if i + 1 >= len(args) or args[i + 1].startswith("-"):
                return None
            value, i = args[i + 1], i + 1
        if name == "--data" and not given:
            given, data = True, value or None  # typer's completers take the first --data, and "" as none
        i += 1
    match args[i:]:
        case [command] if command in FIRST_ARGUMENT:
            return data, FIRST_ARGUMENT[command]
        case [command, option] if option in OPTIONS.get(command, {}):
            return data, OPTIONS[command][option]
    return None


def _formatted(shell: str, words: list[str], env: Mapping[str, str]) -> tuple[str | None, int]:
    """What typer prints for these completions in ``shell`` (then a newline), and its exit code."""
    if shell == "bash":
        return "\n".join(words), 0
    if shell == "zsh":
        if not words:
            return "_files", 0
        quoted = "\n".join(f'"{_zsh_escape(w)}"' for w in words)
        return f"_arguments '*: :(({quoted}))'", 0
    if shell == "fish":
        action = env.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return None, 0 if words else 1  # fish asks only whether there are any: no output
        return ("\n".join(words) if action == "get-args" and words else ""), 0
    return "\n".join(f"{w}::: " for w in words), 0


def _zsh_escape(word: str) -> str:
    return word.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")


def answer(env: Mapping[str, str]) -> tuple[str | None, int] | None:
    """typer's output for this Tab (None for none) and exit code; None when typer must answer it."""
    what, _, shell = env.get(COMPLETE_VAR, "").partition("_")
    if what != "complete" or shell not in _SHELLS or (typed := _typed(shell, env)) is None:
        return None
    args, incomplete = typed
    if incomplete.startswith("-") or incomplete == "=" or (where := _where(args)) is None:
        return None  # an option's name, or "--unit=": typer's
    data, kind = where
    from .offers import FIXED, fixed_words, indexed_names, offered

    if kind in FIXED:
        words = fixed_words(kind, incomplete)
    elif (names := indexed_names(data)) is None:
        return None  # no index, or a stale one: typer's completers load the ledger and write it anew
    else:
        try:
            words = offered(kind, names, incomplete)
        except Exception:  # never a traceback in the user's shell: typer's completers answer (or offer nothing)
            return None
    words = [w for w in words if w.startswith(incomplete)]  # as typer keeps them
    if any("\x1b" in w for w in words):
        return None  # click strips escape sequences from what it prints: its answer, then
    return _formatted(shell, words, env)
