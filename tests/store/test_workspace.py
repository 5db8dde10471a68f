"""The workspace file and ledgers read from git refs with one ``git cat-file --batch`` each."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from bizenv_ledger.model.errors import ProblemsFound, UsageError
from bizenv_ledger.store import gitsource
from bizenv_ledger.store.workspace import from_data, load_workspace, read_workspace

from ..conftest import git
from ..workspaces import FETCHED, city_workspace


def _problem(tmp_path: Path, text: str) -> str:
    file = tmp_path / "ledger.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        read_workspace(file)
    return caught.value.problems[0].render()


def test_read_workspace__bad_toml_names_file_and_line(tmp_path: Path) -> None:
    message = _problem(tmp_path, '[[ledgers]]\nname = "张掖市"\npath = data\n')
    assert "ledger.toml:3:" in message and "TOML 格式错误" in message
    assert "值写得不对" in message and "第 3 行第 8 列" in message


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ('[[ledgers]]\nname = "a"\nname = "b"\n', 3, "同一个名称写了两次"),
        ('[[ledgers]]\nname = "a\n', 2, "字符串中有不允许的字符"),
        ("[[ledgers]\n", 1, "表名缺少右方括号“]]”"),
        ('[[ledgers]]\nname "a"\n', 2, "名称后面缺少等号“=”"),
        ('[[ledgers]]\nname = "a" path = "b"\n', 2, "一行只能写一项"),
        ('[[ledgers]]\nunits = ["a",\n', 2, '值写得不对（文字要加英文引号，如 path = "linze"）（在文件末尾）'),
    ],
)
def test_read_workspace__toml_faults_in_chinese_at_their_line(tmp_path: Path, text: str, line: int, why: str) -> None:
    message = _problem(tmp_path, text)
    assert f"ledger.toml:{line}:" in message and why in message, message
    assert not any(english in message for english in ("line", "column", "Expected", "Invalid", "Cannot")), message


def test_read_workspace__neither_path_nor_ref(tmp_path: Path) -> None:
    message = _problem(tmp_path, '[[ledgers]]\nname = "a"\npath = "x"\n\n[[ledgers]]\nname = "临泽县"\n')
    assert "ledger.toml:5:" in message and "须给出 path（文件夹）或 ref（git 引用）之一" in message


@pytest.mark.parametrize(("name", "why"), [("临泽:县", "不能含冒号"), ("", "不能为空")])
def test_read_workspace__names_usable_as_id_prefixes(tmp_path: Path, name: str, why: str) -> None:
    assert why in _problem(tmp_path, f'[[ledgers]]\nname = "{name}"\npath = "x"\n')


def test_read_workspace__duplicate_names(tmp_path: Path) -> None:
    text = '[[ledgers]]\nname = "a"\npath = "x"\n[[ledgers]]\nname = "a"\npath = "y"\n'
    message = _problem(tmp_path, text)
    assert "与前面的台账重名" in message and "ledger.toml:4:" in message  # the second table's line, not line 1


def test_read_workspace__nesting_too_deep_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    message = _problem(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "ledger.toml:1:" in message and "嵌套过深" in message


def test_read_workspace__an_empty_path_is_named(tmp_path: Path) -> None:
    assert "的 path 不能为空" in _problem(tmp_path, '[[ledgers]]\nname = "a"\npath = ""\n')


def test_from_data__a_name_with_no_folder_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--data 2021=：台账目录不能为空"):
        from_data(["data", "2021="])


def test_read_workspace__unknown_key(tmp_path: Path) -> None:
    assert "未知字段：branch" in _problem(tmp_path, '[[ledgers]]\nname = "a"\nbranch = "main"\n')


def test_read_workspace__a_year_name_stays_text(tmp_path: Path) -> None:
    file = tmp_path / "ledger.toml"
    file.write_text('[[ledgers]]\nname = "2021"\npath = "plan-2021"\n', encoding="utf-8")
    entry = read_workspace(file).entries[0]
    assert entry.name == "2021" and entry.path == tmp_path / "plan-2021"


@pytest.fixture
def city(tmp_path: Path) -> Path:
    return city_workspace(tmp_path)


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    real = subprocess.run

    def run(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        calls.append(list(cmd))
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(gitsource.subprocess, "run", run)
    return calls


def test_load_refs__one_cat_file_batch_per_ref(city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _spy(monkeypatch)
    result = load_workspace(read_workspace(city / "ledger.toml"), {"LEDGER_CACHE_DIR": str(city / ".cache")})
    assert result.ledger is not None, [p.render() for p in result.problems]
    batches = [c for c in calls if "cat-file" in c and "--batch" in c]
    assert len(batches) == len(FETCHED)
    # and one --batch-check for the trees of all refs of the repository
    assert sum(1 for c in calls if "--batch-check=%(objectname) %(objecttype)" in c) == 1
    assert not any("checkout" in c or "worktree" in c for c in calls)


def test_load_refs__an_unchanged_tree_is_read_from_the_cache(city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"LEDGER_CACHE_DIR": str(city / ".cache")}
    load_workspace(read_workspace(city / "ledger.toml"), env)
    calls = _spy(monkeypatch)
    assert load_workspace(read_workspace(city / "ledger.toml"), env).ledger is not None
    assert not [c for c in calls if "--batch" in c]


def test_load_refs__a_new_fetch_is_read_again(city: Path, tmp_path: Path) -> None:
    env = {"LEDGER_CACHE_DIR": str(city / ".cache")}
    assert "临泽县:1.1" in load_workspace(read_workspace(city / "ledger.toml"), env).ledger.measure_ledger  # type: ignore[union-attr]
    office = tmp_path / "offices" / "临泽县"
    plan = office / "data" / "indicators" / "01-开办企业.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("id: '1.1'", "id: '1.9'"), encoding="utf-8")
    git(office, "commit", "-qam", "改号")
    git(city, "fetch", "-q", "linze")
    ledger = load_workspace(read_workspace(city / "ledger.toml"), env).ledger
    assert ledger is not None
    assert "临泽县:1.9" in ledger.measure_ledger and "临泽县:1.1" not in ledger.measure_ledger


def test_load_refs__the_work_tree_is_never_read(city: Path) -> None:
    """A ref is read from git objects: a folder at the same path in the work tree does not count."""
    decoy = city / "linze" / "main:data"
    decoy.mkdir(parents=True)
    result = load_workspace(read_workspace(city / "ledger.toml"), {"LEDGER_CACHE_DIR": str(city / ".c")})
    assert result.ledger is not None
    assert sum(1 for n in result.ledger.measure_ledger.values() if n == "临泽县") == 11


def test_load_refs__a_bad_file_in_a_ref_is_named_by_ref_and_line(city: Path, tmp_path: Path) -> None:
    office = tmp_path / "offices" / "高台县"
    path = office / "data" / "indicators" / "02-办理建筑许可.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("deadline: 2022年9月", "deadline: [2022年9月"), encoding="utf-8"
    )
    git(office, "commit", "-qam", "坏文件")
    git(city, "fetch", "-q", "gaotai")
    result = load_workspace(read_workspace(city / "ledger.toml"), {"LEDGER_CACHE_DIR": str(city / ".cache")})
    assert result.ledger is None
    assert [p.path for p in result.problems] == ["gaotai/main:data/indicators/02-办理建筑许可.yaml"]
    assert result.problems[0].line > 1


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (('ref = "linze/main"', 'ref = "nosuch/main"'), "找不到引用“nosuch/main”"),
        (('ref = "linze/main"', 'ref = "--upload-pack=touch"'), "找不到引用“--upload-pack=touch”"),
        (
            ('ref = "linze/main"\ndir = "data"', 'ref = "linze/main"\ndir = "nodir"'),
            "引用“linze/main”中没有目录“nodir”",
        ),
        (('ref = "linze/main"', 'ref = "linze/main"\nrepo = "../plain"'), "不是 git 仓库"),
        (('ref = "linze/main"', 'ref = "linze/main"\nrepo = "nowhere"'), "repo 文件夹"),
    ],
)
def test_load_refs__a_missing_ledger_says_which_part_is_missing(city: Path, change: tuple[str, str], why: str) -> None:
    (city.parent / "plain").mkdir()  # a folder outside any repository
    toml = city / "ledger.toml"
    text = toml.read_text(encoding="utf-8")
    assert change[0] in text
    toml.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = load_workspace(read_workspace(toml), {"LEDGER_CACHE_DIR": str(city / ".cache")})
    assert result.ledger is None
    messages = [p.message for p in result.problems]
    assert any(why in m for m in messages), messages
    assert not (city / "touch").exists()


def test_read_workspace__a_fault_at_the_end_is_at_the_last_line_without_a_final_newline(tmp_path: Path) -> None:
    message = _problem(tmp_path, '[[ledgers]]\nname = "a"\npath = "x')
    assert "ledger.toml:3:" in message and "在文件末尾" in message
