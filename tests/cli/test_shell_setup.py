"""``--install-completion [SHELL]`` and ``--show-completion [SHELL]`` through the installed program, in a private HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bizenv_ledger.cli.shell_setup import plan_install, take_shell_word

LEDGER = str(Path(sys.executable).parent / "ledger")


def _ledger(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "USERPROFILE": str(home)}
    return subprocess.run([LEDGER, *args], capture_output=True, text=True, env=env, check=False)


def _files(home: Path) -> list[str]:
    return sorted(str(p.relative_to(home)) for p in home.rglob("*"))


def test_install_completion__an_unsupported_shell_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    proc = _ledger(tmp_path, "--install-completion", "tcsh")
    assert proc.returncode == 2
    assert "用法错误：不支持为 shell“tcsh”安装补全（可选：bash、zsh、fish、powershell、pwsh）" in proc.stderr
    assert _files(tmp_path) == []  # no ~/.bashrc, no script: typer would have installed bash's


def test_install_completion__says_what_it_will_change_before_changing_it(tmp_path: Path) -> None:
    rc = tmp_path / ".bashrc"
    rc.write_text("# 用户自己的设置\nexport A=1", encoding="utf-8")  # no final newline
    proc = _ledger(tmp_path, "--install-completion", "bash")
    assert proc.returncode == 0, proc.stderr
    script = tmp_path / ".bash_completions" / "ledger.sh"
    line = f"source '{script}'"
    assert proc.stdout.splitlines() == [
        "将为 bash 安装 ledger 的命令补全：",
        f"  写入补全脚本 {script}",
        f"  在 {rc} 末尾加入一行：{line}",
        "已安装。重新打开终端后生效。",
    ]
    assert rc.read_text(encoding="utf-8") == f"# 用户自己的设置\nexport A=1\n{line}\n"
    assert "_LEDGER_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    again = _ledger(tmp_path, "--install-completion=bash")
    assert again.returncode == 0 and f"  {rc} 已加载该脚本，不作改动" in again.stdout
    assert rc.read_text(encoding="utf-8").count(line) == 1


def test_install_completion__zsh_and_fish_in_their_own_places(tmp_path: Path) -> None:
    assert _ledger(tmp_path, "--install-completion", "zsh").returncode == 0
    assert (tmp_path / ".zshrc").read_text(encoding="utf-8") == "fpath+=~/.zfunc; autoload -Uz compinit; compinit\n"
    assert "compdef" in (tmp_path / ".zfunc" / "_ledger").read_text(encoding="utf-8")
    fish = _ledger(tmp_path, "--install-completion", "fish")
    assert fish.returncode == 0 and "末尾加入" not in fish.stdout  # fish needs no start-up file
    assert (tmp_path / ".config" / "fish" / "completions" / "ledger.fish").is_file()
    assert not (tmp_path / ".bashrc").exists()


def test_show_completion__prints_the_script_and_writes_nothing(tmp_path: Path) -> None:
    proc = _ledger(tmp_path, "--show-completion", "zsh")
    assert proc.returncode == 0 and "compdef _ledger_completion ledger" in proc.stdout
    refused = _ledger(tmp_path, "--show-completion", "csh")
    assert refused.returncode == 2 and "不支持为 shell“csh”生成补全" in refused.stderr
    assert _files(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "kept", "shell"),
    [
        (["--install-completion", "tcsh"], ["--install-completion"], "tcsh"),
        (["--install-completion=zsh"], ["--install-completion"], "zsh"),
        (["--install-completion", "list"], ["--install-completion", "list"], None),  # a command, not a shell
        (["--data", "d", "--show-completion", "fish"], ["--data", "d", "--show-completion"], "fish"),
        (["progress", "3.3", "--", "--install-completion", "x"], None, None),  # a command's text is its own
    ],
)
def test_take_shell_word__only_the_word_after_the_flag_before_the_command(
    args: list[str], kept: list[str] | None, shell: str | None
) -> None:
    ctx = SimpleNamespace(meta={})  # all take_shell_word uses of the click context
    out = take_shell_word(ctx, list(args), {"list", "progress"})  # type: ignore[arg-type]
    assert out == (kept if kept is not None else args)
    assert ctx.meta.get("bizenv_ledger.completion_shell") == shell


def test_plan_install__powershell_loads_a_script_beside_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = tmp_path / "Documents" / "PowerShell" / "Microsoft.PowerShell_profile.ps1"
    monkeypatch.setattr("bizenv_ledger.cli.shell_setup._powershell_profile", lambda shell: profile)
    plan = plan_install("pwsh", "ledger", tmp_path)
    assert plan.startup == profile and plan.script_path == profile.parent / "ledger-completion.ps1"
    assert plan.line == f". '{plan.script_path}'" and "Register-ArgumentCompleter" in plan.script
