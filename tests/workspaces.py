"""A city workspace in tmp_path: the city plan, last year's plan and six county ledgers.

The county ledgers are small ones built from the 临泽县 list (data/counties/临泽县.yaml): its
first indicators, one measure per problem the list names, the units as the list writes
them (县市场监管局 …) resolved by each county's own units.yaml to that county's unit
(高台县市场监管局 …). Three live in folders of the city's repository, three in repositories
of their own, fetched by the city as remote-tracking branches (linze/main …).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from .conftest import DATA, git

COUNTIES = ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县"]
# the counties whose ledgers the city reads from git refs, and the remote each is fetched as
FETCHED = {"临泽县": "linze", "高台县": "gaotai", "肃南裕固族自治县": "sunan"}
INDICATORS = 3  # indicators taken from the 临泽县 list into each county ledger


def _canonical(county: str, written: str) -> str:
    """The county's own name for a unit the list writes 县公安局 or 国家税务总局临泽县税务局."""
    if written.startswith("县"):
        return county + written[1:]
    return written.replace("临泽县", county)


def _written(county: str, written: str) -> str:
    return written.replace("临泽县", county)


def county_ledger(target: Path, county: str, position: int) -> Path:
    """A county's ledger at ``target``; ``position`` varies which measures are done (so counties differ)."""
    source = yaml.safe_load((DATA / "counties" / "临泽县.yaml").read_text(encoding="utf-8"))
    (target / "indicators").mkdir(parents=True)
    plan = {
        "title": f"{county}优化营商环境对标提升责任清单",
        "doc_number": f"{county}清单",
        "issuer": f"{county}人民政府办公室",
        "issued": "2022-06-24",
    }
    (target / "plan.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    written_units: dict[str, str] = {}
    for ind in source["indicators"][:INDICATORS]:
        units = [_written(county, u) for u in (*ind["lead_units"], *ind["deputy_units"])]
        for u in units:
            written_units[u] = _canonical(county, u)
        measures = []
        for k, problem in enumerate(ind["problems"], 1):
            m = {"id": f"{ind['number']}.{k}", "text": f"整改：{problem}", "units": list(units)}
            # the first measure of each indicator was due 2022年9月 (red on 2022-10-01 unless done)
            m["deadline"] = "2022年9月" if k == 1 else "2022年12月"
            if k == 1 and (ind["number"] + position) % 3 == 0:
                m["status"] = "done"
                m["closing"] = {"on": "2022-09-20", "note": "已整改"}
            measures.append(m)
        doc = {"number": ind["number"], "name": ind["name"], "best": ind["best"], "measures": measures}
        path = target / "indicators" / f"{ind['number']:02d}-{ind['name']}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    entries = []
    for written, canon in sorted(written_units.items()):
        entry: dict[str, object] = {"name": canon, "level": "县直", "county": county}
        if written != canon:
            entry["aliases"] = [written]
        entries.append(entry)
    (target / "units.yaml").write_text(yaml.safe_dump({"units": entries}, allow_unicode=True), encoding="utf-8")
    return target


def _repo(path: Path) -> None:
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "营商办 测试")
    git(path, "config", "user.email", "office@example.org")


def city_workspace(tmp_path: Path) -> Path:
    """The city's repository with ledger.toml at its root; returns that root."""
    city = tmp_path / "city"
    shutil.copytree(DATA, city / "data", ignore=shutil.ignore_patterns("sources"))
    shutil.copytree(DATA, city / "plan-2021", ignore=shutil.ignore_patterns("sources"))
    lines = [
        '[[ledgers]]\nname = "张掖市"\npath = "data"\nlabel = "市级方案"\n',
        '[[ledgers]]\nname = "2021"\npath = "plan-2021"\nlabel = "上年方案"\n',
    ]
    for position, county in enumerate(COUNTIES):
        if county in FETCHED:
            repo = tmp_path / "offices" / county
            county_ledger(repo / "data", county, position)
            _repo(repo)
            git(repo, "add", "data")
            git(repo, "commit", "-q", "-m", f"{county}台账")
            lines.append(f'[[ledgers]]\nname = "{county}"\nref = "{FETCHED[county]}/main"\ndir = "data"\n')
        else:
            county_ledger(city / "counties" / county, county, position)
            lines.append(f'[[ledgers]]\nname = "{county}"\npath = "counties/{county}"\n')
    (city / "ledger.toml").write_text("\n".join(lines), encoding="utf-8")
    _repo(city)
    for county, remote in FETCHED.items():
        git(city, "remote", "add", remote, str(tmp_path / "offices" / county))
        git(city, "fetch", "-q", remote)
    git(city, "add", ".")
    git(city, "commit", "-q", "-m", "市级工作区")
    return city
