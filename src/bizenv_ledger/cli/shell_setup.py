"""``ledger --install-completion [SHELL]`` and ``--show-completion [SHELL]``, said in Chinese.

typer's own options install bash completion whatever shell is named (``--install-completion
tcsh`` edits ~/.bashrc), append to start-up files without a word first, and on PowerShell
loosen the execution policy. Here a shell is named or detected, an unsupported one is
refused (exit 2), and every file to be written or start-up file to be edited is said
before anything is touched. The scripts themselves are typer's: the tab-time side is
typer's completion classes, which these scripts talk to.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import typer

from ..model.errors import UsageError

__all__ = ["SHELLS", "InstallPlan", "install", "plan_install", "script", "take_shell_word"]

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
_FLAGS = ("--install-completion", "--show-completion")
_META = "bizenv_ledger.completion_shell"


def take_shell_word(ctx: typer.Context, args: list[str], commands: set[str]) -> list[str]:
    """Move the shell named after ``--install-completion`` / ``--show-completion`` out of ``args``.

    click's flags take no value, so ``--install-completion tcsh`` would leave ``tcsh`` to be
    read as a command after the flag had already acted. Only the global options before the
    command are looked at, and a command's name is never taken for a shell.
    """
    out: list[str] = []
    rest = iter(args)
    for token in rest:
        flag, eq, value = token.partition("=")
        if flag in _FLAGS:
            out.append(flag)
            if eq:
                ctx.meta[_META] = value
            elif (following := next(rest, None)) is not None:
                if following.startswith("-") or following in commands:
                    out.append(following)
                else:
                    ctx.meta[_META] = following
            continue
        out.append(token)
        if token == "--data":
            out.extend(v for v in [next(rest, None)] if v is not None)
        elif not token.startswith("-") or token == "--":
            out.extend(rest)  # the command and its own arguments: not ours to look at
    return out


def _shell(ctx: typer.Context, flag: str) -> str:
    """The shell named on the command line, else the one this program runs under."""
    named = ctx.meta.get(_META)
    if named is None:
        from typer._completion_shared import _get_shell_name  # shellingham's guess, as typer makes it

        named = _get_shell_name()
        if named is None:
            msg = f"无法判断当前使用的 shell，请写明：ledger {flag} bash（可选：{'、'.join(SHELLS)}）"
            raise UsageError(msg)
    shell = str(named).strip().lower()
    if shell not in SHELLS:
        msg = f"不支持为 shell“{named}”{'安装' if flag == _FLAGS[0] else '生成'}补全（可选：{'、'.join(SHELLS)}）"
        raise UsageError(msg)
    return shell


def script(shell: str, prog: str) -> str:
    from typer._completion_shared import get_completion_script  # typer is pinned to 0.28 (pyproject)

    complete_var = "_{}_COMPLETE".format(prog.replace("-", "_").upper())
    return get_completion_script(prog_name=prog, complete_var=complete_var, shell=shell)


@dataclass(frozen=True)
class InstallPlan:
    shell: str
    script_path: Path
    script: str
    startup: Path | None  # the start-up file that must load the script, if the shell needs one
    line: str | None  # the line to add to it; None when it is already there


def _powershell_profile(shell: str) -> Path:
    """The user's PowerShell profile, as PowerShell itself says (Documents may be redirected)."""
    try:
        out = subprocess.run(
            [shell, "-NoProfile", "-Command", "echo $profile"], capture_output=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        msg = f"无法运行 {shell} 查询其配置文件（$profile）的位置；可用 ledger --show-completion {shell} 自行安装"
        raise UsageError(msg) from None
    text = out.stdout.decode("utf-8", errors="replace").strip()
    if not text:
        msg = f"{shell} 没有给出配置文件（$profile）的位置；可用 ledger --show-completion {shell} 自行安装"
        raise UsageError(msg)
    return Path(text)


def plan_install(shell: str, prog: str, home: Path) -> InstallPlan:
    """Where the script goes and which start-up file must load it; nothing is written here."""
    startup: Path | None
    if shell == "bash":
        path, startup = home / ".bash_completions" / f"{prog}.sh", home / ".bashrc"
        line = f"source '{path}'"
    elif shell == "zsh":
        path, startup = home / ".zfunc" / f"_{prog}", home / ".zshrc"
        line = "fpath+=~/.zfunc; autoload -Uz compinit; compinit"
    elif shell == "fish":  # fish loads ~/.config/fish/completions by itself
        path, startup, line = home / ".config" / "fish" / "completions" / f"{prog}.fish", None, ""
    else:
        startup = _powershell_profile(shell)
        path = startup.parent / f"{prog}-completion.ps1"
        line = f". '{path}'"
    present = (
        startup is not None and startup.is_file() and line in startup.read_text(encoding="utf-8", errors="replace")
    )
    return InstallPlan(shell, path, script(shell, prog), startup, None if present or startup is None else line)


def describe(plan: InstallPlan) -> list[str]:
    lines = [f"将为 {plan.shell} 安装 ledger 的命令补全：", f"  写入补全脚本 {plan.script_path}"]
    if plan.startup is not None and plan.line is not None:
        lines.append(f"  在 {plan.startup} 末尾加入一行：{plan.line}")
    elif plan.startup is not None:
        lines.append(f"  {plan.startup} 已加载该脚本，不作改动")
    return lines


def install(plan: InstallPlan) -> None:
    plan.script_path.parent.mkdir(parents=True, exist_ok=True)
    plan.script_path.write_text(plan.script + "\n", encoding="utf-8")
    if plan.startup is not None and plan.line is not None:
        plan.startup.parent.mkdir(parents=True, exist_ok=True)
        old = plan.startup.read_text(encoding="utf-8") if plan.startup.is_file() else ""
        sep = "" if not old or old.endswith("\n") else "\n"
        with plan.startup.open("a", encoding="utf-8") as fh:
            fh.write(f"{sep}{plan.line}\n")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def run_install(ctx: typer.Context) -> None:
    """Say what will change, change it, say it is done."""
    prog = ctx.find_root().info_name or "ledger"
    plan = plan_install(_shell(ctx, _FLAGS[0]), prog, Path.home())
    for line in describe(plan):
        _out(line)
    try:
        install(plan)
    except OSError as exc:
        where = f"{exc.filename}：" if exc.filename else ""
        sys.stderr.write(f"错误：安装失败，{where}{exc.strerror or exc}\n")
        raise typer.Exit(1) from None
    note = "已安装。重新打开终端后生效。"
    if plan.shell in ("powershell", "pwsh"):
        note += "若 PowerShell 提示禁止运行脚本，请自行执行：Set-ExecutionPolicy -Scope CurrentUser RemoteSigned"
    _out(note)


def run_show(ctx: typer.Context) -> None:
    prog = ctx.find_root().info_name or "ledger"
    _out(script(_shell(ctx, _FLAGS[1]), prog))
