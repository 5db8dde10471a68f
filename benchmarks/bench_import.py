"""How long `ledger import` takes on a 300-measure plan: the city plan's indicators repeated, renumbered.

    python benchmarks/bench_import.py

Not a test (the rules forbid timed tests); the issue asks for "a few seconds".
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from bizenv_ledger.importer import import_plan  # noqa: E402

SOURCE = REPO / "data" / "sources" / "张掖市2022年优化营商环境对标整改提升工作方案.txt"
_DIGITS = "一二三四五六七八九"


def cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")
    return head + (_DIGITS[ones - 1] if ones else "")


def big_plan(measures_wanted: int = 300) -> str:
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index("(一) 开办企业与注销")
    end = text.index("四、保障措施")
    blocks = re.split(r"\n(?=[(（][一二三四五六七八九十]+[)）]\s*\S)", text[start:end].strip())
    out: list[str] = []
    count = 0
    while count < measures_wanted:
        for block in blocks:
            number = len(out) + 1
            out.append(re.sub(r"^[(（][一二三四五六七八九十]+[)）]", f"（{cn(number)}）", block))
            count += max(block.count("责任单位"), 1)
            if count >= measures_wanted:
                break
    return text[:start] + "\n\n".join(out) + "\n\n" + text[end:]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "大方案.txt"
        source.write_text(big_plan(), encoding="utf-8")
        started = time.perf_counter()
        result = import_plan([source], Path(tmp) / "台账")
        took = time.perf_counter() - started
    print(f"{result.measures} measures imported in {took:.2f} s")


if __name__ == "__main__":
    main()
