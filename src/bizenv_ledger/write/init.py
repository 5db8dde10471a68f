"""``ledger init DIR``: a new, empty ledger in its own git repository, ready for editors and pre-commit.

Everything is built in a temporary folder beside ``DIR`` (files, ``git init``, the first commit) and
renamed into place at the end, so an interrupted or refused init leaves nothing half made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model.errors import GitError, WriteRefused
from ..store.files import atomic_write
from ..store.json_schema import KINDS, SCHEMA_DIR, modeline, schema_text

__all__ = [
    "GITATTRIBUTES",
    "MERGE_DRIVER",
    "PRE_COMMIT_CONFIG",
    "InitResult",
    "init_ledger",
    "plan_template",
    "setup_merge",
]

UNITS_TEMPLATE = """\
# 责任单位登记：规范名称、层级、别名；集体单位（如 各县区人民政府）列在 collectives 下
units: []
"""

PRE_COMMIT_CONFIG = """\
# pre-commit（https://pre-commit.com）：每次 git commit 之前先运行 ledger check，台账有问题就不提交。
# 启用：pip install pre-commit，然后在本目录运行 pre-commit install。
# 这里用本机已安装的 ledger（language: system），内网电脑无需联网；
# 也可改用 bizenv-ledger 仓库里的 .pre-commit-hooks.yaml（repo: 仓库地址，rev: 版本，id: ledger-check）。
repos:
  - repo: local
    hooks:
      - id: ledger-check
        name: 校验台账（ledger check）
        entry: ledger check
        language: system
        pass_filenames: false
        files: \\.ya?ml$
"""

GITATTRIBUTES = """\
# 台账文件按文本比较；行尾保持文件原样（CRLF 文件仍是 CRLF）
*.yaml -text diff
# 台账文件按措施、指标项合并（ledger merge-driver）：两处同时记的进展、读数都保留，按日期排好。
# git 不随仓库传递驱动的设置：每个克隆须在仓库里运行一次 ledger init-repo。
/plan.yaml merge=ledger
/units.yaml merge=ledger
/indicators/*.yaml merge=ledger
/counties/*.yaml merge=ledger
"""
MERGE_DRIVER = "ledger merge-driver %O %A %B %P"
MERGE_DRIVER_NAME = "台账 YAML 按措施、指标项合并（bizenv-ledger）"


def plan_template(today: date) -> str:
    return f"""\
{modeline("plan.yaml")}
# 方案的发文信息：请按正式文件填写。
title: （请填写方案标题）
doc_number: （请填写文号，如 张营商办〔2023〕1号）
issuer: （请填写印发机关）
issued: "{today.isoformat()}"  # 请改为印发日期
# 二、总体目标（可选）：
# overall_goal:
#   text: ……
#   ranking: ……
#   reach_best: [17, 18, 3]
#   narrow_gap: [5, 1, 13]
#   others: ……
"""


@dataclass(frozen=True, slots=True)
class InitResult:
    root: Path
    commit: str
    files: list[str]


def init_ledger(
    target: Path, today: date, content: Mapping[str, str] | None = None, message: str = "新建台账（ledger init）"
) -> InitResult:
    """Make ``target`` a new ledger repository with one commit. Refuses a folder that already holds files.

    ``content`` (root-relative path -> text, e.g. an imported plan) replaces the templates and adds
    its files; each YAML file gets its schema line on top, as the templates have.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        what = "不是目录" if not target.is_dir() else "不是空目录"
        raise WriteRefused(f"“{target}”{what}；请换一个新目录")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise WriteRefused(f"“{parent}”不存在；请先建好上级目录")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".init", dir=parent))
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(staging, 0o777 & ~mask)  # mkdtemp's folder is private; a ledger folder is as any other
        files = _write_files(staging, today, content or {})
        commit = _first_commit(staging, files, message)
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return InitResult(target, commit, files)


def _with_modeline(rel: str, text: str) -> str:
    line = modeline(rel)
    return text if line is None or text.startswith(line) else f"{line}\n{text}"


def _write_files(root: Path, today: date, content: Mapping[str, str]) -> list[str]:
    contents = {
        "plan.yaml": plan_template(today),
        "units.yaml": f"{modeline('units.yaml')}\n{UNITS_TEMPLATE}",
        "indicators/.gitkeep": "",
        "counties/.gitkeep": "",
        ".pre-commit-config.yaml": PRE_COMMIT_CONFIG,
        ".gitattributes": GITATTRIBUTES,
        **{f"{SCHEMA_DIR}/{kind}.schema.json": schema_text(kind) for kind in KINDS},
        **{rel: _with_modeline(rel, text) for rel, text in content.items()},
    }
    for rel, text in contents.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return sorted(contents)


def _git(root: Path, *args: str) -> str:
    # No hooks of the user's global configuration run in the new repository's first commit.
    cmd = ["git", "-c", "core.hooksPath=", "-c", "core.fsmonitor=false", *args]
    try:
        proc = subprocess.run(cmd, cwd=root, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"无法运行 git：{exc.strerror}（请先安装 git）") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        if "Please tell me who you are" in detail or "user.email" in detail:
            msg = (
                "git 还不知道提交人是谁；请先运行：\n"
                '  git config --global user.name "你的名字"\n'
                '  git config --global user.email "you@example.com"'
            )
            raise GitError(msg)
        raise GitError(f"git {args[0]} 失败：{detail}")
    return proc.stdout.decode("utf-8", "replace").strip()


def _first_commit(root: Path, files: list[str], message: str) -> str:
    _git(root, "init", "-q")
    _configure_driver(root)
    _git(root, "add", "--", *files)
    _git(root, "-c", "i18n.commitEncoding=utf-8", "commit", "-q", "--no-verify", "-m", message)
    return _git(root, "rev-parse", "HEAD")


def _configure_driver(root: Path) -> None:
    """Register the merge driver in the repository's own config (git does not carry config in the repo)."""
    _git(root, "config", "--local", "merge.ledger.name", MERGE_DRIVER_NAME)
    _git(root, "config", "--local", "merge.ledger.driver", MERGE_DRIVER)


def setup_merge(root: Path) -> tuple[Path, list[str]]:
    """``ledger init-repo``: the ledger's ``.gitattributes`` names the driver, this clone's config defines it.

    Returns the attributes file and the lines it gained (none when it had them all: running twice is harmless).
    """
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree") == "true"
    except GitError:
        inside = False
    if not inside:
        raise WriteRefused(f"“{root}”不在 git 仓库的工作区中；请先 git init 或 git clone")
    attributes = root / ".gitattributes"
    try:
        text = attributes.read_bytes().decode("utf-8") if attributes.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise WriteRefused(f"无法读取 {attributes}：{exc}") from None
    have = {line.strip() for line in text.splitlines()}
    wanted = GITATTRIBUTES.splitlines()
    added = [line for line in wanted if not line.startswith("#") and line not in have]
    if added:
        block = [line for line in wanted if line.startswith("#") and line not in have] + added
        atomic_write(
            attributes,
            (text + ("\n" if text and not text.endswith("\n") else "") + "\n".join(block) + "\n").encode("utf-8"),
        )
    _configure_driver(root)
    return attributes, added
