"""The monthly 通报 as a Word document laid out as a Chinese official document (GB/T 9704-2012).

It writes the same blocks as the Markdown and HTML 通报 (``bulletin.bulletin_blocks``), so the three
never drift apart. Only shows: the fonts to name are chosen by the caller (``OfficialFonts``).

The conventions followed: A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; 22 lines a
page (a fixed line pitch of 28.95 pt); the title in 2号 (22 pt) 小标宋; the body in 3号 (16 pt)
仿宋_GB2312 with a two-character first-line indent; first-level headings (一、) in 3号 黑体; page
numbers in 4号 (14 pt) half-width Arabic numerals between dashes, odd pages on the right and even pages
on the left, one character in from the edge; the issuing office and the date close the document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .bulletin import Block, bulletin_blocks

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..queries.report import MonthlyReport

__all__ = ["OFFICIAL_FONTS", "OfficialFonts", "blocks_docx", "bulletin_docx", "column_widths_mm"]

TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 12  # 小四: tables of seven columns do not fit in 3号
LINE_PITCH_PT = 28.95  # 22 lines in the 225 mm of the type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
SHORT_COLUMN_MM = 27.0  # 2022-09-30 in 小四, with the cell margins: wider columns wrap
SIDE_COLUMN_MM = 29.0  # five CJK characters in 小四
NARROW_COLUMN_MM = 15.0  # two CJK characters
MAIN_COLUMN_MM = 45.0  # the least the measure text is given


@dataclass(frozen=True, slots=True)
class OfficialFonts:
    """The font names written into the document, by role."""

    title: str
    body: str
    heading: str
    numbers: str  # page numbers: a Latin font, half-width digits


OFFICIAL_FONTS = OfficialFonts(title="方正小标宋简体", body="仿宋_GB2312", heading="黑体", numbers="Times New Roman")


def bulletin_docx(rep: MonthlyReport, *, scope: str = "", fonts: OfficialFonts = OFFICIAL_FONTS) -> bytes:
    """The 通报 as the bytes of a .docx file."""
    return blocks_docx(bulletin_blocks(rep, scope), fonts)


def blocks_docx(blocks: list[Block], fonts: OfficialFonts = OFFICIAL_FONTS) -> bytes:
    """Any document made of bulletin blocks (the 通报, a 督办通知) as a .docx laid out by GB/T 9704."""
    from docx import Document

    doc = Document()
    _page_setup(doc, fonts)
    _base_style(doc, fonts)
    for block in blocks:
        _write(doc, block, fonts)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _write(doc: Any, block: Block, fonts: OfficialFonts) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if block.kind == "table" and block.table is not None:
        _table(doc, block.table.headers, block.table.rows, fonts)
        return
    if block.kind == "title":
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(para, block.text, fonts.title, TITLE_PT)
        para.paragraph_format.space_after = _pt(LINE_PITCH_PT)
        return
    if block.kind == "subtitle":
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(para, block.text, fonts.body, BODY_PT)
        return
    if block.kind == "heading":
        para = doc.add_heading(level=1)
        _run(para, block.text, fonts.heading, BODY_PT)
        _indent(para)
        return
    para = doc.add_paragraph()
    if block.kind == "address":  # 主送机关: flush left, no indent
        _run(para, block.text, fonts.body, BODY_PT)
        return
    if block.kind == "sign":
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        # 落款 stands four characters in from the right edge, as offices print it
        para.paragraph_format.right_indent = _pt(BODY_PT * 4)
    else:
        _indent(para)
    _run(para, block.text, fonts.body, BODY_PT)


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def _indent(para: Any) -> None:
    para.paragraph_format.first_line_indent = _pt(BODY_PT * 2)


def _run(para: Any, text: str, font: str, size: float, *, bold: bool = False) -> Any:
    run = para.add_run(text)
    run.font.size = _pt(size)
    run.font.bold = bold
    _font_name(run, font)
    return run


def _font_name(run_or_style: Any, font: str) -> None:
    """Name the font for Latin and East Asian text alike (Word reads the CJK font from w:eastAsia)."""
    from docx.oxml.ns import qn

    run_or_style.font.name = font
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def _base_style(doc: Any, fonts: OfficialFonts) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import RGBColor

    normal = doc.styles["Normal"]
    _font_name(normal, fonts.body)
    normal.font.size = _pt(BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = _pt(LINE_PITCH_PT)
    fmt.space_before = _pt(0)
    fmt.space_after = _pt(0)
    heading = doc.styles["Heading 1"]
    _font_name(heading, fonts.heading)
    heading.font.size = _pt(BODY_PT)
    heading.font.bold = False
    heading.font.color.rgb = RGBColor(0, 0, 0)
    hfmt = heading.paragraph_format
    hfmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    hfmt.line_spacing = _pt(LINE_PITCH_PT)
    hfmt.space_before = _pt(0)
    hfmt.space_after = _pt(0)
    hfmt.keep_with_next = True


def _page_setup(doc: Any, fonts: OfficialFonts) -> None:
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28 - 7)  # the number's line sits 7 mm below the type area
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], fonts, odd=True)
    _page_number(section.even_page_footer.paragraphs[0], fonts, odd=False)


def _page_number(para: Any, fonts: OfficialFonts, *, odd: bool) -> None:
    """``— 1 —``: odd pages on the right, even pages on the left, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        para.paragraph_format.right_indent = _pt(PAGE_NUMBER_PT)
    else:
        para.paragraph_format.left_indent = _pt(PAGE_NUMBER_PT)
    _run(para, "— ", fonts.numbers, PAGE_NUMBER_PT)
    _field(para, "PAGE", fonts.numbers)
    _run(para, " —", fonts.numbers, PAGE_NUMBER_PT)


def _field(para: Any, instruction: str, font: str) -> None:
    """A Word field (PAGE): begin, instruction, separate, a placeholder result, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def part(tag: str, **attrs: str) -> Any:
        run = _run(para, "", font, PAGE_NUMBER_PT)
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(key), value)
        run._r.append(el)
        return run

    part("w:fldChar", **{"w:fldCharType": "begin"})
    instr = _run(para, "", font, PAGE_NUMBER_PT)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr._r.append(text)
    part("w:fldChar", **{"w:fldCharType": "separate"})
    _run(para, "1", font, PAGE_NUMBER_PT)
    part("w:fldChar", **{"w:fldCharType": "end"})


def _table(doc: Any, headers: list[str], rows: Sequence[list[str]], fonts: OfficialFonts) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for w in column_widths_mm(headers, rows)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol, which LibreOffice and WPS read; Word reads each cell's w:tcW
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        _cell(cell, text, fonts.heading, width)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, row, widths, strict=True):
            _cell(cell, text, fonts.body, width)


def _half_widths(text: str) -> int:
    """Display width in half-width units: a CJK character counts as two."""
    return sum(1 if ord(ch) < 0x1100 else 2 for ch in text)


def column_widths_mm(headers: list[str], rows: Sequence[list[str]]) -> list[float]:
    """Short columns (ids, dates, counts) as wide as their longest cell, unwrapped; long texts share the rest."""
    type_area = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
    half_mm = TABLE_PT * 0.3528 * 0.5  # a half-width character (digits run a little over half an em), in mm
    padding = 4.5  # the cell's own left and right margins (1.9 mm each) and a little air
    natural = [
        max(_half_widths(cell) for cell in [header, *(r[i] for r in rows)]) * half_mm + padding
        for i, header in enumerate(headers)
    ]
    short = {i for i, w in enumerate(natural) if w <= SHORT_COLUMN_MM}
    if len(short) == len(headers) or sum(natural) <= type_area:
        spare = type_area - sum(natural)
        return [w + spare / len(headers) for w in natural] if spare > 0 else natural
    main = max(range(len(headers)), key=lambda i: natural[i])
    # the other long columns (指标, 牵头单位, 理由) wrap at about five characters; the main text takes the rest
    widths = [natural[i] if i in short else min(natural[i], SIDE_COLUMN_MM) for i in range(len(headers))]
    widths[main] = max(type_area - sum(w for i, w in enumerate(widths) if i != main), MAIN_COLUMN_MM)
    excess = sum(widths) - type_area
    side = [i for i in range(len(headers)) if i not in short and i != main]
    slack = sum(widths[i] - NARROW_COLUMN_MM for i in side if widths[i] > NARROW_COLUMN_MM)
    if excess > 0 and slack > 0:  # too many columns: the side columns give way first, down to two characters
        take = min(excess, slack) / slack
        for i in side:
            widths[i] -= max(widths[i] - NARROW_COLUMN_MM, 0) * take
    excess = sum(widths) - type_area
    if excess > 0:  # then the main text, down to a narrow column of its own
        widths[main] = max(widths[main] - excess, NARROW_COLUMN_MM * 2)
    return widths


def _cell(cell: Any, text: str, font: str, width: Any) -> None:
    from docx.enum.text import WD_LINE_SPACING

    cell.width = width
    para = cell.paragraphs[0]
    para.paragraph_format.first_line_indent = _pt(0)
    para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _run(para, text, font, TABLE_PT)


def _repeat_header(row: Any) -> None:
    """The header row repeats at the top of every page a long table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
