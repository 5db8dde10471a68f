"""Word and PDF files made in the tests from the source texts (python-docx; headless chromium)."""

from __future__ import annotations

import base64
import html
import struct
import subprocess
import zlib
from pathlib import Path

from .variants import paragraphs

CHROMIUM = "/usr/bin/chromium"
_CSS = "body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:14pt}table{border-collapse:collapse}td{border:1px solid #000;vertical-align:top;padding:2pt}tr{break-inside:avoid}"


def county_cells(text: str) -> tuple[list[str], list[list[str]], str]:
    """The county list's text: lines before the table, the cells (each a list of lines), the 落款."""
    before: list[str] = []
    cells: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            cells.append([line[1:]] if line[1:].strip() else [])
        elif line.strip() and cells and not line.startswith("- "):
            cells[-1].append(line)
        elif line.strip() and not cells:
            before.append(line.replace("[bookmark: _GoBack]", ""))
    signature = " ".join(cells.pop())
    return before, cells, signature


def plan_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for paragraph in paragraphs(text):
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def county_docx(text: str, path: Path) -> Path:
    import docx

    before, cells, signature = county_cells(text)
    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    rows = [cells[k : k + 6] for k in range(0, len(cells), 6)]
    table = document.add_table(rows=len(rows), cols=6)
    for r, row in enumerate(rows):
        for c, lines in enumerate(row):
            cell = table.cell(r, c)
            cell.paragraphs[0].text = lines[0] if lines else ""
            for more in lines[1:]:
                cell.add_paragraph(more)
    document.add_paragraph(signature)
    document.save(str(path))
    return path


def print_pdf(body_html: str, path: Path) -> Path:
    page = path.with_suffix(".html")
    page.write_text(
        f"<!doctype html><meta charset='utf-8'><style>{_CSS}</style><body>{body_html}</body>", encoding="utf-8"
    )
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--print-to-pdf={path}",
        page.as_uri(),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return path


def plan_pdf(text: str, path: Path) -> Path:
    return print_pdf("".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(text)), path)


def county_pdf(text: str, path: Path) -> Path:
    before, cells, signature = county_cells(text)
    rows = [cells[k : k + 6] for k in range(0, len(cells), 6)]
    table = "".join(
        "<tr>" + "".join("<td>" + "<br>".join(html.escape(x) for x in lines) + "</td>" for lines in row) + "</tr>"
        for row in rows
    )
    head = "".join(f"<p>{html.escape(line)}</p>" for line in before)
    return print_pdf(f"{head}<table>{table}</table><p>{html.escape(signature)}</p>", path)


def png(width: int = 40, height: int = 20) -> bytes:
    """A grey PNG, for a PDF that holds only an image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def image_only_pdf(path: Path) -> Path:
    data = base64.b64encode(png()).decode()
    return print_pdf(f"<img src='data:image/png;base64,{data}' width='400'>", path)
