"""Word .docx through python-docx: paragraphs (with their list numbers) and tables, in body order."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from .sources import SAVE_AS_DOCX, ImportRefused, SourceLine

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN = "一二三四五六七八九十"


def read_docx(path: Path) -> list[SourceLine]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a broken install
        raise ImportRefused("读取 .docx 需要 python-docx：请重新安装 bizenv-ledger") from None
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, Exception) as exc:  # python-docx raises several kinds
        msg = (
            f"{path.name}：无法作为 Word 文档读取（{type(exc).__name__}：文件可能已损坏，或不是 .docx）。{SAVE_AS_DOCX}"
        )
        raise ImportRefused(msg) from None
    numbers = _Numbering(document)
    lines: list[SourceLine] = []
    paragraph_no = 0
    table_no = 0
    after_table = False
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph_no += 1
            para = Paragraph(child, document)
            # after a table, a line is not the continuation of its last cell (the 落款 of a county list)
            prefix = "\t" if after_table and para.text.strip() else ""
            label = numbers.label(child, _style_element(para))
            lines.append(SourceLine(f"第 {paragraph_no} 段", prefix + label + para.text))
        elif child.tag == f"{_W}tbl":
            table_no += 1
            after_table = True
            lines.extend(_table_lines(Table(child, document), table_no))
    return lines


def _style_element(para: Any) -> Any:
    try:
        style = para.style
    except (KeyError, ValueError):
        return None
    return style.element if style is not None else None


def _table_lines(table: Any, table_no: int) -> list[SourceLine]:
    """Each cell as a line starting with a tab; a cell's further paragraphs as lines without one."""
    out: list[SourceLine] = []
    for r, row in enumerate(table.rows, start=1):
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats in python-docx's row.cells
                continue
            seen.add(id(cell._tc))
            paragraphs = [p.text for p in cell.paragraphs] or [""]
            label = f"表 {table_no} 第 {r} 行"
            out.append(SourceLine(label, "\t" + paragraphs[0]))
            out.extend(SourceLine(label, text) for text in paragraphs[1:] if text.strip())
    return out


class _Numbering:
    """Word's automatic list numbers (not part of the paragraph's text), rebuilt from numbering.xml."""

    def __init__(self, document: Any) -> None:
        self.formats: dict[tuple[str, str], tuple[str, str]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract = {a.get(f"{_W}abstractNumId"): a for a in root.iter(f"{_W}abstractNum")}
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            definition = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
            if definition is None:
                continue
            for lvl in definition.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                key = (num.get(f"{_W}numId") or "", lvl.get(f"{_W}ilvl") or "0")
                self.formats[key] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "%1.",
                )

    def label(self, p: Any, style: Any) -> str:
        """The number Word shows before the paragraph: its own list, or its style's (List Number)."""
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None and style is not None:
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            return ""
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        key = (num_id.get(f"{_W}val") if num_id is not None else "", ilvl.get(f"{_W}val") if ilvl is not None else "0")
        if key not in self.formats:
            return ""
        self.counters[key] = self.counters.get(key, 0) + 1
        fmt, pattern = self.formats[key]
        return pattern.replace(f"%{int(key[1]) + 1}", _render(self.counters[key], fmt))


def _render(n: int, fmt: str) -> str:
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if n <= len(_CIRCLED) else str(n)
    if fmt in {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting"}:
        if n <= 10:
            return _CN[n - 1]
        return ("" if n < 20 else _CN[n // 10 - 1]) + "十" + (_CN[n % 10 - 1] if n % 10 else "")
    return str(n)
