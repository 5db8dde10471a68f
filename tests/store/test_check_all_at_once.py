"""`check` lists every problem in one run (issue 8, item 5), and the read commands refuse in brief.

An unknown key (``owner:``) used to make its whole file unreadable, so the same file's
other problems surfaced only after it was fixed. Now the schema's problems are
reported, the rest of the file is checked as well, and every problem carries its line.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bizenv_ledger.store.loader import load_ledger
from tests.helpers import edit, run
from tests.writing import FILE03


def line_of(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


def _three_problems(ledger_dir: Path) -> Path:
    """03-获得电力.yaml with an unknown key, an unreadable deadline and a closing-less done, in three measures."""
    path = ledger_dir / FILE03
    edit(path, '  - id: "3.1"\n', '  - id: "3.1"\n    owner: 张三\n')
    edit(path, "    deadline: 2022年8月\n", "    deadline: 明年\n")
    edit(path, "    deadline: 2022年7月\n", "    deadline: 2022年7月\n    status: done\n")
    return path


def test_check__unknown_key_no_longer_hides_the_files_other_problems(ledger_dir: Path, runner: CliRunner) -> None:
    path = _three_problems(ledger_dir)
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    owner, deadline, status = line_of(path, "owner:"), line_of(path, "明年"), line_of(path, "status: done")
    assert lines == [
        f"{path}:{owner}:5: 未知字段（拼写错误？）［3.1 的 owner］",
        f"{path}:{deadline}:5: 无法识别的完成时限“明年”（可写作 2022年12月、2022年底、2022-12-31，或再加“，长期坚持”）"
        "［3.2 的 deadline］",
        f"{path}:{status}:5: 已销号的措施缺少销号记录（销号日期与佐证材料）［3.3 的 status］"
        "（提示：在该措施下写 closing:，其中 on 为销号日期，evidence 为佐证材料；或用 ledger done 销号）",
        "共 3 个问题。",
    ]


def test_check__json_lists_the_same_three(ledger_dir: Path, runner: CliRunner) -> None:
    import json

    _three_problems(ledger_dir)
    result = run(runner, ledger_dir, "check", "--format", "json")
    assert result.exit_code == 1
    assert [p["field"] for p in json.loads(result.stdout)["problems"]] == [
        "measures.0.owner",
        "measures.1.deadline",
        "measures.2.status",
    ]


def test_list__refuses_naming_the_file_and_the_count_and_points_to_check(ledger_dir: Path, runner: CliRunner) -> None:
    path = _three_problems(ledger_dir)
    for args in (("list",), ("overdue", "--as-of", "2022-10-01"), ("gap", "获得电力")):
        result = run(runner, ledger_dir, *args)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "台账未通过校验，共 3 个问题，命令未执行：",
            f"  {path}：3 个问题",
            "请运行“ledger check”查看每个问题的位置与说明，改正后再试。",
        ]


def test_list__counts_the_problems_of_each_file(ledger_dir: Path, runner: CliRunner) -> None:
    path = _three_problems(ledger_dir)
    other = ledger_dir / "indicators/01-开办企业与注销.yaml"
    edit(other, "units: [市财政局]", "units: [市财正局]")
    result = run(runner, ledger_dir, "list")
    assert result.exit_code == 1
    assert f"  {other}：1 个问题" in result.stderr.splitlines()
    assert f"  {path}：3 个问题" in result.stderr.splitlines()
    assert "共 4 个问题" in result.stderr


def test_done__on_an_invalid_ledger_refuses_in_brief(git_ledger: Path, runner: CliRunner) -> None:
    path = _three_problems(git_ledger)
    result = run(runner, git_ledger, "done", "3.4", "-e", "张电〔2022〕12号", "--on", "2022-08-15")
    assert result.exit_code == 1
    assert f"  {path}：3 个问题" in result.stderr and "ledger check" in result.stderr


def test_check__a_dropped_measure_does_not_shift_the_lines_of_the_next(ledger_dir: Path, runner: CliRunner) -> None:
    """A measure with a schema problem is left out of the cross-file checks; those of the measures after it
    still point at their own lines (the checks' indices are mapped back to the file's)."""
    path = ledger_dir / FILE03
    edit(path, "    deadline: 2022年8月\n", "")  # measure 3.2 loses its required deadline
    edit(path, "    deadline: 2022年7月\n", "    deadline: 2022年7月，以后再说\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("units: [国网张掖供电公司]", "units: [国网张掖供电工司]", 4), encoding="utf-8")
    result = run(runner, ledger_dir, "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    second = line_of(path, '- id: "3.2"')
    assert f"{path}:{second}:5: 缺少必填字段［3.2 的 deadline］" in lines
    assert any(line.startswith(f"{path}:{line_of(path, '以后再说')}:5: 无法识别的完成时限") for line in lines)
    unit_lines = [line for line in lines if "国网张掖供电工司" in line]
    # 3.2's own unit is not checked (the measure is left out); 3.1, 3.3 and 3.4's are, at their lines
    numbered = enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    expected = [n for n, t in numbered if "国网张掖供电工司" in t]
    assert [int(line.split(":")[1]) for line in unit_lines] == [expected[0], expected[2], expected[3]]
    assert [line.split("［")[1].split("］")[0] for line in unit_lines] == [
        "3.1 的 units 第 1 项",
        "3.3 的 units 第 1 项",
        "3.4 的 units 第 1 项",
    ]


def test_check__a_broken_unit_entry_does_not_make_every_measure_unregistered(ledger_dir: Path, tmp_path: Path) -> None:
    """units.yaml read in part: the check that needs all of it holds back, rather than flood the report."""
    units = ledger_dir / "units.yaml"
    edit(
        units, "  - name: 国网张掖供电公司\n    level: 中央和省属驻张", "  - name: 国网张掖供电公司\n    level: [央企]"
    )
    result = load_ledger(ledger_dir, {"LEDGER_CACHE_DIR": str(tmp_path / "c")}, use_cache=False)
    assert [p.message for p in result.problems] == ["应为文本；数字、日期样式的值请加引号"]
    assert result.problems[0].line == line_of(units, "level: [央企]")


def test_check__unknown_keys_everywhere_are_all_reported_with_the_rest(ledger_dir: Path, tmp_path: Path) -> None:
    edit(ledger_dir / "plan.yaml", "title:", "titel: x\ntitle:")
    edit(ledger_dir / "units.yaml", "  - name: 国网张掖供电公司\n", "  - name: 国网张掖供电公司\n    phone: 1\n")
    edit(ledger_dir / "indicators/01-开办企业与注销.yaml", "units: [市财政局]", "units: [市财正局]")
    result = load_ledger(ledger_dir, {"LEDGER_CACHE_DIR": str(tmp_path / "c")}, use_cache=False)
    assert [(Path(p.path).name, p.field) for p in result.problems] == [
        ("plan.yaml", "titel"),
        ("units.yaml", "units.14.phone"),
        ("01-开办企业与注销.yaml", "measures.3.units.0"),
    ]
