"""The Word 通报: read back with python-docx, and turned into a PDF by headless LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from bizenv_ledger.cli.fonts import choose_fonts
from bizenv_ledger.render.docx import OFFICIAL_FONTS, column_widths_mm
from tests.conftest import DATA
from tests.helpers import run
from tests.queries.test_report_scenario import september

TITLE = "张掖市优化营商环境对标整改提升工作进展通报（2022年9月）"
HEADINGS = [
    "一、总体进展", "二、本月完成事项", "三、本月退回整改事项", "四、本月新增逾期事项", "五、逾期未完成事项",
    "六、本月延期事项", "七、各责任单位按期完成情况", "八、指标数据变化", "九、下步工作要求",
]  # fmt: skip


def _write(runner: CliRunner, tmp_path: Path, *args: str, data: Path = DATA) -> Path:
    out = tmp_path / "九月通报.docx"
    result = run(runner, data, "report", "--month", "2022-09", "-o", str(out), "--keep-fonts", *args)
    assert result.exit_code == 0, result.output
    return out


def _east_asia(run_: object) -> str | None:
    rfonts = run_._r.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


def test_docx__title_headings_and_body_in_the_official_fonts(runner: CliRunner, tmp_path: Path) -> None:
    doc = Document(str(_write(runner, tmp_path)))
    paras = [p for p in doc.paragraphs if p.text]
    title = paras[0]
    assert title.text == TITLE
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    headings = [p for p in paras if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == HEADINGS
    assert {_east_asia(p.runs[0]) for p in headings} == {"黑体"}
    body = [p for p in paras[1:] if p.style.name == "Normal"]
    assert body and {_east_asia(r) for p in body for r in p.runs} == {"仿宋_GB2312"}
    assert {r.font.size for p in body for r in p.runs} == {Pt(16)}
    assert [p.text for p in paras[-2:]] == ["张掖市优化营商环境工作领导小组办公室", "2022年9月30日"]


def test_docx__a4_with_the_standard_margins_and_page_numbers(runner: CliRunner, tmp_path: Path) -> None:
    doc = Document(str(_write(runner, tmp_path)))
    section = doc.sections[0]
    # stored in twentieths of a point: compare to the tenth of a millimetre
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        para = footer.paragraphs[0]
        assert para.alignment is not None and para.alignment.name == align
        assert "PAGE" in "".join(el.text or "" for el in para._p.iter(qn("w:instrText")))
        assert para.text.startswith("— ") and para.text.endswith(" —")


def test_docx__tables_are_word_tables_with_the_bulletins_rows(
    runner: CliRunner, tmp_path: Path, ledger_dir: Path
) -> None:
    doc = Document(str(_write(runner, tmp_path, data=september(ledger_dir))))
    headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["编号", "指标", "措施", "牵头单位", "完成时限", "逾期"] in headers
    assert ["责任单位", "牵头", "配合", "已完成", "逾期", "按期完成率"] in headers
    overdue = doc.tables[headers.index(["编号", "指标", "措施", "牵头单位", "完成时限", "逾期"])]
    rows = [[c.text for c in r.cells] for r in overdue.rows[1:]]
    assert rows and all(re.fullmatch(r"\d+\.\d+", r[0]) and r[5].endswith("天") for r in rows)
    # the header row repeats on every page a table runs onto
    assert overdue.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_docx__says_what_the_markdown_says(runner: CliRunner, tmp_path: Path) -> None:
    doc = Document(str(_write(runner, tmp_path)))
    words = {p.text for p in doc.paragraphs if p.text}
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    markdown = run(runner, DATA, "report", "--month", "2022-09").stdout
    for line in markdown.splitlines():
        if line.startswith("|") and not line.startswith("|--"):
            assert all(cell.strip() in cells for cell in line.strip("|").split(" | ")), line
        elif line and not line.startswith("|"):
            assert line.lstrip("# ") in words, line


def test_docx__converts_to_pdf_with_libreoffice(runner: CliRunner, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: .ci/run installs libreoffice-writer-nogui"
    out = _write(runner, tmp_path)
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = out.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert 3 <= pages <= 12, info
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info), info  # A4
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", TITLE) in flat
    assert all(h in flat for h in HEADINGS)
    assert "—1—" in flat and flat.rstrip().endswith("2022年9月30日" + f"—{pages}—")


def test_report__docx_needs_an_output_file(runner: CliRunner) -> None:
    result = run(runner, DATA, "report", "--month", "2022-09", "--format", "DOCX")
    assert result.exit_code == 2
    assert "Word 通报须用 -o 指定文件" in result.output


def test_choose_fonts__falls_back_to_installed_fonts_and_says_so() -> None:
    fonts, notes = choose_fonts({"仿宋", "SimHei", "WenQuanYi Micro Hei", "DejaVu Serif"})
    assert (fonts.title, fonts.body, fonts.heading, fonts.numbers) == (
        "WenQuanYi Micro Hei", "仿宋", "SimHei", "DejaVu Serif",
    )  # fmt: skip
    assert len(notes) == 4 and "“仿宋_GB2312”，已改用“仿宋”" in notes[1]


def test_choose_fonts__official_fonts_present_means_no_note() -> None:
    installed = {OFFICIAL_FONTS.title, OFFICIAL_FONTS.body, OFFICIAL_FONTS.heading, OFFICIAL_FONTS.numbers}
    assert choose_fonts(installed) == (OFFICIAL_FONTS, [])
    fonts, notes = choose_fonts(None)
    assert fonts == OFFICIAL_FONTS and "无法列出本机字体" in notes[0]


@pytest.mark.parametrize("columns", [2, 6, 7, 8])
def test_column_widths_mm__fill_the_type_area_and_keep_dates_whole(columns: int) -> None:
    headers = ["编号", "措施", "到期日", *(f"列{i}" for i in range(columns - 3))]
    rows = [
        [
            "13.3",
            "加快推进“互联网+政府采购”，实现全流程电子化。" * 3,
            "2022-09-30",
            *("牵头单位名称" for _ in range(columns - 3)),
        ]
    ]
    widths = column_widths_mm(headers[:columns], [r[:columns] for r in rows])
    assert abs(sum(widths) - 156) < 0.5 or columns == 2
    assert widths[1] == max(widths)
    if columns > 2:
        assert widths[2] >= 10 * 2.1  # ten half-width digits of 小四
