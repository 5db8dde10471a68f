"""Reading a document into numbered source lines: plain text (UTF-8 or GB18030), .docx and PDF.

Every reader gives the same thing back: a list of ``SourceLine`` with a label a person can find in
the original (第 12 行, 第 3 段, 第 2 页第 5 行). Table cells come as lines that start with a tab, the
way the county list's text export has them, so one parser serves text, Word and PDF alike.
A document that cannot be read at all raises ``ImportRefused`` before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model.errors import LedgerError, UsageError

__all__ = ["ImportRefused", "SourceDoc", "SourceLine", "read_source"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS_DOCX = "请在 Word 或 WPS 中“另存为” .docx 后再导入"


class ImportRefused(LedgerError):
    """The document cannot be read at all; nothing was written (exit 1)."""


@dataclass(frozen=True, slots=True)
class SourceLine:
    label: str  # where a person finds it: 第 12 行 / 第 3 段 / 第 2 页第 5 行
    text: str


@dataclass(frozen=True, slots=True)
class SourceDoc:
    path: Path
    kind: str  # 纯文本 / Word 文档 / PDF
    encoding: str | None
    lines: list[SourceLine]


def read_source(path: Path) -> SourceDoc:
    """The document's lines; refuses (ImportRefused) what it cannot read, with the reason in Chinese."""
    if not path.exists():
        raise UsageError(f"找不到文件“{path}”")
    if path.is_dir():
        raise UsageError(f"“{path}”是目录，请给出方案文件（.txt、.docx 或 .pdf）")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if data.startswith(OLE2_MAGIC) or suffix in {".doc", ".wps"}:
        msg = f"{path.name}：这是旧版 Word 二进制文件（.doc），无法直接读取。{SAVE_AS_DOCX}"
        raise ImportRefused(msg)
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        from ._pdf import read_pdf

        return SourceDoc(path, "PDF", None, read_pdf(path))
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        from ._docx import read_docx

        return SourceDoc(path, "Word 文档", None, read_docx(path))
    text, encoding = decode_text(data, path.name)
    lines = [SourceLine(f"第 {i} 行", line) for i, line in enumerate(text.splitlines(), start=1)]
    return SourceDoc(path, "纯文本", encoding, lines)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM) strictly, else GB18030 (a superset of GBK) strictly; never a guess.

    GB18030 would also decode many a UTF-8 file into nonsense, which is why UTF-8 is tried first and
    strictly: a file that is valid UTF-8 is almost never meant as GB18030.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ImportRefused(f"{name}：看起来不是文本文件（含有二进制内容）。{SAVE_AS_DOCX}，或另存为纯文本")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030（GBK）"
    except UnicodeDecodeError as exc:
        msg = (
            f"{name}：无法识别文字编码（既不是 UTF-8，也不是 GB18030/GBK，第 {exc.start + 1} 个字节处出错）。"
            "请用记事本或 WPS 另存为 UTF-8 编码后再导入"
        )
        raise ImportRefused(msg) from None
