"""A city workspace read as one: its plan, last year's plan and six county ledgers (three from git refs)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from bizenv_ledger.cli.main import app

from ..conftest import DATA, git
from ..workspaces import COUNTIES, FETCHED, city_workspace

AS_OF = "2022-10-01"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return city_workspace(tmp_path_factory.mktemp("ws"))


def ws(city: Path, *args: str) -> Any:
    result = CliRunner().invoke(app, ["--workspace", str(city / "ledger.toml"), *args, "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return result


def ws_json(city: Path, *args: str) -> Any:
    return json.loads(ws(city, *args, "--format", "json").stdout)


def test_list__every_ledger_with_qualified_ids(city: Path) -> None:
    items = ws_json(city, "list")
    ids = {i["id"] for i in items}
    assert {"3.2", "2021:3.2", "临泽县:1.1", "甘州区:1.1", "肃南裕固族自治县:3.2"} <= ids
    assert len(items) == 60 + 60 + 6 * 11
    assert {i["ledger"] for i in items} == {"张掖市", "2021", *COUNTIES}
    assert next(i for i in items if i["id"] == "临泽县:1.1")["ledger"] == "临泽县"


def test_list__single_ledger_objects_have_no_ledger_key(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--data", str(DATA), "list", "--format", "json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert all("ledger" not in item for item in json.loads(result.stdout))


def test_list__ledger_option_keeps_the_named_ledgers(city: Path) -> None:
    items = ws_json(city, "list", "--ledger", "高台县", "--ledger", "2021")
    assert {i["ledger"] for i in items} == {"高台县", "2021"}
    assert len(items) == 60 + 11


def test_list__unknown_ledger_is_a_usage_error(city: Path) -> None:
    result = CliRunner().invoke(app, ["--workspace", str(city), "list", "--ledger", "酒泉市"])
    assert result.exit_code == 2
    assert "工作区中没有台账“酒泉市”" in result.output


def test_units__each_ledger_resolves_its_own_spelling(city: Path) -> None:
    gaotai = next(i for i in ws_json(city, "list", "--ledger", "高台县") if i["id"] == "高台县:1.1")
    assert gaotai["units"][0] == "高台县市场监管局"
    assert gaotai["units_as_written"][0] == "县市场监管局"
    cards = ws_json(city, "units", "高台县市场监管局")
    assert [c["unit"] for c in cards] == ["高台县市场监管局"]
    assert cards[0]["led"] == ["高台县:1.1", "高台县:1.2", "高台县:1.3", "高台县:1.4"]


def test_units__a_spelling_shared_by_counties_is_ambiguous(city: Path) -> None:
    result = CliRunner().invoke(app, ["--workspace", str(city), "units", "县市场监管局"])
    assert result.exit_code == 1
    assert "不唯一" in result.output and "高台县市场监管局" in result.output and "山丹县市场监管局" in result.output


def test_overdue__red_items_of_every_ledger(city: Path) -> None:
    red = ws_json(city, "overdue")
    by_ledger = {i["ledger"] for i in red}
    assert {"张掖市", "2021", "临泽县"} <= by_ledger
    assert red[0]["days_overdue"] >= red[-1]["days_overdue"]
    ids = {i["id"] for i in red}
    assert "临泽县:1.1" in ids  # 2022年9月 and not done: red on 2022-10-01
    assert "临泽县:2.1" not in ids  # done on 2022-09-20 (see tests/workspaces.py)


def test_show__a_measure_read_from_a_git_ref(city: Path) -> None:
    card = ws_json(city, "show", "临泽县:3.1")
    assert card["id"] == "临泽县:3.1" and card["ledger"] == "临泽县"
    assert card["units"][0] == "国家电网临泽县供电公司"


def test_gap__one_table_per_ledger_holding_the_indicator(city: Path) -> None:
    rows = ws_json(city, "gap", "3")
    assert {r["ledger"] for r in rows} == {"张掖市", "2021"}  # the county ledgers carry no figures
    assert sum(1 for r in rows if r["key"] == "high_voltage_days") == 2
    ranking = ws_json(city, "gap")
    assert sum(1 for g in ranking if g["indicator"] == 3) == 2 + len(COUNTIES)
    titles = [line for line in ws(city, "gap", "3").stdout.splitlines() if "截至" in line]
    assert [t.split(" · ")[0] for t in titles] == ["张掖市", "2021"]  # each table says whose it is


def test_indicator__a_name_every_ledger_holds_is_one_indicator(city: Path) -> None:
    """Each ledger has its own 3 获得电力: by name as by number, the reads take every ledger's."""
    assert ws_json(city, "gap", "获得电力") == ws_json(city, "gap", "3")
    listed = ws_json(city, "list", "--indicator", "获得电力")
    assert {i["indicator"] for i in listed} == {3} and {"张掖市", "2021", "临泽县"} <= {i["ledger"] for i in listed}


@pytest.mark.parametrize("width", ["80", "120"])
def test_rollup__fits_the_terminal_and_never_breaks_a_ledger_name(
    city: Path, width: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    lines = ws(city, "rollup").stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= int(width)
    rows = [line for line in lines if line.split(" ")[0] in COUNTIES]
    assert len(rows) == len(COUNTIES)  # every name whole at the start of its row
    assert not [line for line in lines if re.search(r":\d+$|\d\.$|^\s*\.\d", line)]  # no id cut inside its number


def test_rollup__each_ledger_side_by_side(city: Path) -> None:
    rows = ws_json(city, "rollup")
    assert [r["ledger"] for r in rows] == ["张掖市", "2021", *COUNTIES]
    by_name = {r["ledger"]: r for r in rows}
    assert by_name["张掖市"]["measures"] == 60
    assert by_name["临泽县"]["read_only"] is True and by_name["临泽县"]["ref"] == "linze/main"
    assert by_name["甘州区"]["read_only"] is False
    for r in rows:
        assert r["done"] + r["open"] == r["measures"]
    assert by_name["张掖市"]["longest_overdue"] == {"id": "3.3", "days": 62}
    table = ws(city, "rollup").stdout
    assert "git 引用 linze/main（只读）" in table and "按期完成率" in table


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_rollup__csv_and_markdown(city: Path, fmt: str) -> None:
    text = ws(city, "rollup", "--format", fmt).stdout
    assert "措施数" in text and "肃南裕固族自治县" in text


def test_export__json_carries_every_ledger(city: Path, tmp_path: Path) -> None:
    out = tmp_path / "台账.json"
    ws(city, "export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    assert "临泽县:1.1" in text and "2021:3.2" in text


def test_export__xlsx_from_a_workspace(city: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    ws(city, "export", "-o", str(out))
    sheet = load_workbook(out).worksheets[0]
    ids = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "高台县:2.1" in ids and "2021:15.1" in ids


def test_report__the_bulletin_counts_every_ledger(city: Path) -> None:
    text = ws(city, "report", "--month", "2022-09").stdout
    assert "临泽县:2.1" in text and "2021:" in text


def test_report__with_ledger_option_only_that_ledger(city: Path) -> None:
    text = ws(city, "report", "--month", "2022-09", "--ledger", "山丹县").stdout
    assert "山丹县:2.1" in text and "临泽县:" not in text


def test_workspace__found_upward_from_the_current_folder(city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(city / "counties")
    result = CliRunner().invoke(app, ["rollup", "--format", "json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2 + len(COUNTIES)


def test_workspace__inside_a_ledger_folder_that_ledger_alone(city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(city / "counties" / "山丹县")
    result = CliRunner().invoke(app, ["list", "--format", "json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert {i["id"] for i in json.loads(result.stdout)} >= {"1.1", "2.1"}  # its own, unqualified ids


def test_data__given_twice_is_a_workspace_named_by_the_arguments(city: Path) -> None:
    args = ["--data", str(city / "data"), "--data", f"上年={city / 'plan-2021'}", "list", "--format", "json"]
    result = CliRunner().invoke(app, [*args, "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert {i["ledger"] for i in items} == {"city", "上年"}  # data/ is named by its parent folder
    assert "上年:3.2" in {i["id"] for i in items}


def test_check__problems_of_a_ref_name_the_ref(city: Path, tmp_path: Path) -> None:
    broken = tmp_path / "ledger.toml"
    text = (city / "ledger.toml").read_text(encoding="utf-8").replace('dir = "data"', 'dir = "nowhere"', 1)
    broken.write_text(text.replace('path = "', f'path = "{city}/'), encoding="utf-8")
    (tmp_path / "repo").mkdir()
    result = CliRunner().invoke(app, ["--workspace", str(broken), "list"])
    assert result.exit_code == 1
    assert "linze/main:nowhere" in result.output


def test_fetched_counties_are_the_ones_read_from_refs(city: Path) -> None:
    rows = {r["ledger"]: r for r in ws_json(city, "rollup")}
    assert {n for n, r in rows.items() if r["read_only"]} == set(FETCHED)


def test_check__every_ledger_of_the_workspace(city: Path) -> None:
    result = CliRunner().invoke(app, ["--workspace", str(city), "check"])
    assert result.exit_code == 0, result.output
    assert f"工作区校验通过：{city / 'ledger.toml'}（8 个台账，186 项措施）" in result.stdout


def _workbook(city: Path, tmp_path: Path) -> Any:
    from openpyxl import load_workbook

    out = tmp_path / "工作区台账.xlsx"
    ws(city, "export", "-o", str(out))
    return load_workbook(out)


def test_export__xlsx_says_whose_each_row_and_sheet_is(city: Path, tmp_path: Path) -> None:
    book = _workbook(city, tmp_path)
    gap = book["指标对标"]
    assert [c.value for c in gap[2]][:3] == ["台账", "指标", "指标项"]
    rows = [[c.value for c in row] for row in gap.iter_rows(min_row=3)]
    power = [r[0] for r in rows if r[1] == "获得电力" and r[2] == "高压办电时间"]
    assert power == ["张掖市", "2021"]  # the two identical rows told apart
    measures = book["措施台账"]
    assert [c.value for c in measures[2]][:2] == ["台账", "序号"]
    by_id = {row[1].value: row[0].value for row in measures.iter_rows(min_row=3)}
    assert by_id["3.2"] == "张掖市" and by_id["2021:3.2"] == "2021" and by_id["高台县:2.1"] == "高台县"
    counties = book.sheetnames[3:]
    assert counties == ["张掖市·临泽县责任清单", "2021·临泽县责任清单"]
    assert book[counties[1]].cell(1, 1).value.split(" · ")[1] == "2021"  # the title row names the ledger too


def test_export__xlsx_title_names_the_workspace_and_each_version(city: Path, tmp_path: Path) -> None:
    book = _workbook(city, tmp_path)
    head = git(city, "rev-parse", "--short", "HEAD").strip()
    linze = git(city, "rev-parse", "--short", "linze/main").strip()
    for sheet in book.worksheets:
        title = sheet.cell(1, 1).value
        assert title.startswith(f"工作区（{2 + len(COUNTIES)} 个台账）")
        assert f"张掖市 {head}、2021 {head}、" in title and f"临泽县 linze/main {linze}" in title
        assert "张掖市2022年优化营商环境" not in title  # not only the first ledger's plan


class _BoardText(HTMLParser):
    """The text of a board's <title>, <h1>, header line and data version, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"title": "title", "h1": "h1", "footer": "footer"}.get(tag)
        if tag == "p" and ("class", "meta") in attrs:
            wanted = "meta"
        self._in = wanted or self._in

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "h1", "p", "footer"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.found[self._in] = self.found.get(self._in, "") + data


def test_board__names_the_workspace_and_each_ledger_s_version(city: Path, tmp_path: Path) -> None:
    out = tmp_path / "board.html"
    ws(city, "board", "-o", str(out))
    page = _BoardText()
    page.feed(out.read_text(encoding="utf-8"))
    head = git(city, "rev-parse", "--short", "HEAD").strip()
    linze = git(city, "rev-parse", "--short", "linze/main").strip()
    assert page.found["h1"] == page.found["title"].split(" · ")[0] == f"工作区挂图作战图（{2 + len(COUNTIES)} 个台账）"
    assert page.found["meta"].startswith("市级方案、上年方案、甘州区、临泽县")  # each ledger by its label
    assert (
        f"张掖市 {head}、2021 {head}、" in page.found["footer"] and f"临泽县 linze/main {linze}" in page.found["footer"]
    )


def test_export__xlsx_of_a_single_ledger_has_no_ledger_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    result = CliRunner().invoke(app, ["--data", str(DATA), "export", "-o", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["措施台账", "指标对标", "责任单位", "临泽县责任清单"]
    assert book["指标对标"].cell(2, 1).value == "指标" and book["措施台账"].cell(2, 1).value == "序号"
    assert "工作区" not in book["措施台账"].cell(1, 1).value


def test_units__county_duties_name_their_ledger(city: Path) -> None:
    card = ws_json(city, "units", "临泽县市场监管局")[0]
    roles = card["county_roles"]
    assert {r["ledger"] for r in roles} == {"张掖市", "2021"}
    opening = [r["ledger"] for r in roles if r["indicator_name"] == "开办企业"]
    assert opening == ["张掖市", "2021"]  # the same duty once per ledger, each attributed
    table = "".join(ws(city, "units", "临泽县市场监管局").stdout.split())  # the duties wrap in their column
    assert "【张掖市】临泽县开办企业：组长单位" in table and "【2021】临泽县开办企业：组长单位" in table


def test_units__single_ledger_county_roles_have_no_ledger_key(runner: CliRunner) -> None:
    args = ["--data", str(DATA), "units", "临泽县市场监管局", "--as-of", AS_OF]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    roles = json.loads(result.stdout)[0]["county_roles"]
    assert roles and all("ledger" not in r for r in roles)
    table = runner.invoke(app, args).stdout
    assert "临泽县开办企业" in "".join(table.split()) and "【" not in table


def test_rollup__folder_sources_as_ledger_toml_writes_them(city: Path) -> None:
    rows = {r["ledger"]: r for r in ws_json(city, "rollup")}
    assert rows["张掖市"]["source"] == "data" and rows["2021"]["source"] == "plan-2021"
    assert rows["甘州区"]["source"] == "counties/甘州区"
    assert rows["临泽县"]["source"] == "linze/main:data"
    table = ws(city, "rollup").stdout
    assert str(city) not in table and "counties/甘州区" in table


def test_list__a_county_held_by_two_ledgers_is_one_choice(city: Path) -> None:
    rows = ws_json(city, "list", "--county", "临泽县")
    assert {r.get("ledger") for r in rows} >= {"张掖市", "2021"}  # both ledgers hold the 临泽县 list


def test_workspace__a_missing_workspace_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--workspace", str(tmp_path / "无"), "rollup"])
    assert result.exit_code == 2 and "找不到工作区文件" in result.stderr


def test_workspace__data_and_workspace_together_is_a_usage_error(city: Path) -> None:
    both = CliRunner().invoke(app, ["--workspace", str(city), "--data", str(city / "data"), "rollup"])
    assert both.exit_code == 2 and "--data 与 --workspace 只能给一个" in both.stderr


def test_workspace__ledger_data_in_the_environment_yields_to_workspace(city: Path) -> None:
    result = CliRunner().invoke(app, ["--workspace", str(city), "rollup", "--format", "json"], env={"LEDGER_DATA": str(city / "data")})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "临泽县" in result.stdout and "2021" in result.stdout
