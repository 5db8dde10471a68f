"""PDF with a text layer through pdfplumber: lines in reading order, tables as cell lines.

pdfplumber (on pdfminer.six) gives each character's position, which is what tells a table's
cells apart and a page footer from the text; an encrypted PDF or one without a text layer (a scan)
is refused with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .sources import ImportRefused, SourceLine

__all__ = ["read_pdf"]


def read_pdf(path: Path) -> list[SourceLine]:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover - a broken install
        raise ImportRefused("读取 PDF 需要 pdfplumber：请重新安装 bizenv-ledger") from None
    try:
        with pdfplumber.open(str(path)) as pdf:
            lines: list[SourceLine] = []
            for number, page in enumerate(pdf.pages, start=1):
                lines.extend(_page_lines(page, number, after_table=any(t.startswith("\t") for t in _texts(lines))))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportRefused(
            f"{path.name}：PDF 已加密（设有密码），无法读取。请先取消加密，或另存为 .docx 后再导入"
        ) from None
    except PDFSyntaxError:
        raise ImportRefused(f"{path.name}：PDF 文件已损坏，无法读取") from None
    except Exception as exc:  # pdfminer raises many kinds; any of them means the file cannot be read
        # pdfplumber wraps pdfminer's error in its own PdfminerException
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(inner).lower():
            raise ImportRefused(f"{path.name}：PDF 已加密（设有密码），无法读取。请先取消加密后再导入") from None
        raise ImportRefused(f"{path.name}：无法读取 PDF（{type(exc).__name__}）") from None
    if not any(line.text.strip() for line in lines):
        msg = f"{path.name}：PDF 没有文字层（可能是扫描件或图片），无法读取；本工具不做文字识别（OCR），请提供 .docx 或带文字的 PDF"
        raise ImportRefused(msg)
    return lines


def _texts(lines: list[SourceLine]) -> list[str]:
    return [line.text for line in lines]


def _page_lines(page: Any, number: int, *, after_table: bool) -> list[SourceLine]:
    """Text lines outside tables and table cells, ordered top to bottom.

    A line below a table is marked as a cell of its own (a leading tab), so that the county list's
    落款 is not read as the rest of the table's last cell.
    """
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    first_top = min((float(box[1]) for box in boxes), default=None)
    chunks: list[tuple[float, list[str]]] = []
    for line in page.extract_text_lines(return_chars=False):
        if not any(_inside(line, box) for box in boxes):
            below = after_table or (first_top is not None and float(line["top"]) > first_top)
            chunks.append((float(line["top"]), [("\t" if below else "") + line["text"]]))
    for table in tables:
        cells: list[str] = []
        for row in table.extract():
            for cell in row:
                if cell is None:  # the continuation of a merged cell
                    continue
                parts = str(cell).split("\n")
                cells.append("\t" + parts[0])
                cells.extend(p for p in parts[1:] if p.strip())
        chunks.append((float(table.bbox[1]), cells))
    chunks.sort(key=lambda chunk: chunk[0])
    texts = [text for _, group in chunks for text in group]
    return [SourceLine(f"第 {number} 页第 {k} 行", text) for k, text in enumerate(texts, start=1)]


def _inside(line: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return bool(
        line["x0"] >= x0 - 1 and line["x1"] <= x1 + 1 and line["top"] >= top - 1 and line["bottom"] <= bottom + 1
    )
