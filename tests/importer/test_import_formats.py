"""The two documents as Word and as PDF (made here with python-docx and headless chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bizenv_ledger.importer import ImportRefused, import_plan
from tests.conftest import CITY_SOURCE, COUNTY_SOURCE

from . import documents
from .exact import county_fields, loaded, measure_fields


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("documents")
    city = CITY_SOURCE.read_text(encoding="utf-8")
    county = COUNTY_SOURCE.read_text(encoding="utf-8")
    return {
        "plan.docx": documents.plan_docx(city, folder / "方案.docx"),
        "plan.pdf": documents.plan_pdf(city, folder / "方案.pdf"),
        "county.docx": documents.county_docx(county, folder / "清单.docx"),
        "county.pdf": documents.county_pdf(county, folder / "清单.pdf"),
        "image.pdf": documents.image_only_pdf(folder / "扫描件.pdf"),
    }


@pytest.mark.parametrize("name", ["plan.docx", "plan.pdf"])
def test_import_formats__plan_reads_to_the_same_60_measures(
    made: dict[str, Path], tmp_path: Path, plan, name: str
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "台账"
    import_plan([made[name]], out)
    assert measure_fields(loaded(out)) == measure_fields(plan)


@pytest.mark.parametrize("name", ["county.docx", "county.pdf"])
def test_import_formats__county_table_reads_to_the_same_18_rows(
    made: dict[str, Path], tmp_path: Path, plan, name: str
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "台账"
    import_plan([made[name]], out)
    ledger = loaded(out)
    assert county_fields(ledger, "临泽县") == county_fields(plan, "临泽县")
    assert ledger.counties[0].issuer == "临泽县人民政府办公室"


def test_import_formats__report_points_into_the_pdf_by_page_and_line(made: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "台账"
    result = import_plan([made["plan.pdf"]], out)
    assert "| 1.1 | 第 1 页第" in result.report or "| 1.1 | 第 2 页第" in result.report


def test_import_formats__word_list_numbers_are_read(tmp_path: Path) -> None:
    import docx

    from .samples import CLEAN_PLAN

    document = docx.Document()
    for line in CLEAN_PLAN.splitlines():
        if line[:2] in {"1.", "2.", "3.", "4.", "5."}:  # the parts as a Word numbered list, numbers not typed
            document.add_paragraph(line[2:], style="List Number")
        elif line.strip():
            document.add_paragraph(line)
    source = tmp_path / "方案.docx"
    document.save(str(source))
    out = tmp_path / "台账"
    import_plan([source], out)
    ledger = loaded(out)
    assert [m.id for i in ledger.indicators for m in i.measures] == ["1.1", "1.2", "2.1"]
    assert ledger.indicators[0].best == "服务规范，群众满意。"


def test_import_formats__encrypted_pdf_is_refused(made: dict[str, Path], tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(made["plan.pdf"])).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    source = tmp_path / "加密.pdf"
    with source.open("wb") as fh:
        writer.write(fh)
    out = tmp_path / "台账"
    with pytest.raises(ImportRefused, match="PDF 已加密"):
        import_plan([source], out)
    assert not out.exists()


def test_import_formats__image_only_pdf_is_refused(made: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "台账"
    with pytest.raises(ImportRefused, match="没有文字层"):
        import_plan([made["image.pdf"]], out)
    assert not out.exists()


def test_import_formats__broken_docx_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "坏.docx"
    source.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportRefused, match="无法作为 Word 文档读取"):
        import_plan([source], tmp_path / "台账")
