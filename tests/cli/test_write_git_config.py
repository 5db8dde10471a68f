"""What git runs during a write: no hook and no fsmonitor; the user's clean filter and signing program, yes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import git
from tests.helpers import run
from tests.writing import FILE03

PROGRESS = ("progress", "3.2", "完成可研批复", "--on", "2022-08-15")
HOOKS = ("reference-transaction", "post-index-change", "pre-commit", "commit-msg", "post-commit", "pre-auto-gc")


def _script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def _hooks(folder: Path, marks: Path) -> None:
    marks.mkdir(exist_ok=True)
    for name in HOOKS:
        _script(folder / name, f'touch "{marks / name}"\ncat > /dev/null\nexit 0')


def _committed(repo: Path) -> str:
    return git(repo, "show", f"HEAD:data/{FILE03}")


@pytest.mark.parametrize("where", ["git-dir", "hooks-path"])
def test_progress__runs_no_hook(git_ledger: Path, runner: CliRunner, tmp_path: Path, where: str) -> None:
    repo, marks = git_ledger.parent, tmp_path / "marks"
    if where == "git-dir":
        _hooks(repo / ".git" / "hooks", marks)
    else:
        _hooks(tmp_path / "shared-hooks", marks)
        git(repo, "config", "core.hooksPath", str(tmp_path / "shared-hooks"))
    result = run(runner, git_ledger, *PROGRESS)
    assert result.exit_code == 0, result.output
    assert "完成可研批复" in _committed(repo)
    assert sorted(p.name for p in marks.iterdir()) == []
    # the hooks are real: plain git runs them
    git(repo, "update-ref", "refs/heads/probe", "HEAD")
    git(repo, "read-tree", "HEAD")
    assert {"reference-transaction", "post-index-change"} <= {p.name for p in marks.iterdir()}


def test_progress__runs_no_fsmonitor(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    repo, mark = git_ledger.parent, tmp_path / "fsmonitor-ran"
    git(repo, "config", "core.fsmonitor", str(_script(tmp_path / "fsmonitor", f'touch "{mark}"\nexit 1')))
    result = run(runner, git_ledger, *PROGRESS)
    assert result.exit_code == 0, result.output
    assert "完成可研批复" in _committed(repo) and not mark.exists()
    git(repo, "status", "--porcelain")
    assert mark.exists()  # the setting is real: plain git status runs it


def test_progress__the_paths_clean_filter_still_applies(git_ledger: Path, runner: CliRunner, tmp_path: Path) -> None:
    repo, mark = git_ledger.parent, tmp_path / "clean-ran"
    clean = _script(tmp_path / "clean", f'touch "{mark}"\ncat\necho "# 经 clean 过滤器"')
    (repo / ".gitattributes").write_text("*.yaml filter=stamp\n", encoding="utf-8")
    git(repo, "config", "filter.stamp.clean", str(clean))
    git(repo, "add", ".gitattributes")
    git(repo, "add", "--renormalize", "data")
    git(repo, "commit", "-q", "-m", "clean 过滤器")
    mark.unlink()
    result = run(runner, git_ledger, *PROGRESS)
    assert result.exit_code == 0, result.output
    committed = _committed(repo)
    assert mark.exists() and "完成可研批复" in committed and committed.endswith("# 经 clean 过滤器\n")
    assert "# 经 clean 过滤器" not in (git_ledger / FILE03).read_text(encoding="utf-8")
    assert git(repo, "status", "--porcelain") == ""


FAKE_GPG = """touch "{mark}"
cat > /dev/null
printf '\\n[GNUPG:] SIG_CREATED D 1 8 00 1660000000 0123456789ABCDEF\\n' >&2
printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nZmFrZQ==\\n-----END PGP SIGNATURE-----\\n'"""


@pytest.mark.parametrize("signing", [True, False])
def test_progress__runs_the_signing_program_only_when_signing_is_on(
    git_ledger: Path, runner: CliRunner, tmp_path: Path, signing: bool
) -> None:
    repo, mark = git_ledger.parent, tmp_path / "gpg-ran"
    git(repo, "config", "gpg.program", str(_script(tmp_path / "gpg", FAKE_GPG.format(mark=mark))))
    git(repo, "config", "user.signingKey", "0123456789ABCDEF")
    git(repo, "config", "commit.gpgSign", "true" if signing else "false")
    result = run(runner, git_ledger, *PROGRESS)
    assert result.exit_code == 0, result.output
    assert mark.exists() is signing
    assert ("gpgsig" in git(repo, "cat-file", "commit", "HEAD")) is signing
