"""Importing a plan document (text, .docx, PDF) into a new ledger folder, with an 导入报告.

The layer sits beside render and write: it may use queries, store and model, never cli.
"""

from __future__ import annotations

from .run import REPORT_FILE, ImportResult, build_import, import_plan
from .sources import ImportRefused

__all__ = ["REPORT_FILE", "ImportRefused", "ImportResult", "build_import", "import_plan"]
