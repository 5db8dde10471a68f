"""Which of the official document fonts this machine has, and the installed ones to name instead.

GB/T 9704 names 小标宋, 仿宋_GB2312 and 黑体, which Windows office PCs usually have and Linux
machines usually do not. A document naming a font its reader lacks is drawn in whatever the reader
substitutes, so where a font is missing here the document names the nearest installed one instead,
and the user is told which (``--keep-fonts`` keeps the official names, for a document made on one
machine and printed on another).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..render.docx import OFFICIAL_FONTS, OfficialFonts

__all__ = ["choose_fonts", "installed_families"]

ROLES = {"title": "标题", "body": "正文", "heading": "一级标题", "numbers": "页码"}

FALLBACKS: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "华文中宋", "STZhongsong", "宋体", "SimSun",
              "Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei"),
    "body": ("仿宋_GB2312", "仿宋", "FangSong", "华文仿宋", "STFangsong", "宋体", "SimSun", "Noto Serif CJK SC",
             "Source Han Serif SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei"),
    "heading": ("黑体", "SimHei", "STHeiti", "微软雅黑", "Microsoft YaHei", "Noto Sans CJK SC",
                "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"),
    "numbers": ("Times New Roman", "Liberation Serif", "DejaVu Serif", "Noto Serif"),
}  # fmt: skip


def installed_families(env: dict[str, str] | None = None) -> set[str] | None:
    """Every font family name this machine has, or None where that cannot be told."""
    env = dict(os.environ) if env is None else env
    if sys.platform == "win32":
        return _windows_families(env)
    try:
        out = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, encoding="utf-8", timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def _windows_families(env: dict[str, str]) -> set[str] | None:
    """Windows keeps its fonts' names in the registry (``宋体 & 新宋体 (TrueType)``)."""
    if sys.platform != "win32":  # lets mypy, on any platform, check this against the right stubs
        return None
    import winreg  # Windows only, imported only there

    names: set[str] = set()
    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, key_path) as key:
                for i in range(winreg.QueryInfoKey(key)[1]):
                    value = winreg.EnumValue(key, i)[0]
                    label = value.split(" (")[0]
                    names.update(part.strip() for part in label.split("&"))
        except OSError:
            continue
    windir = Path(env.get("WINDIR", r"C:\Windows")) / "Fonts"
    if (windir / "simfang.ttf").exists():
        names.add("仿宋")
    return names or None


def choose_fonts(installed: set[str] | None, *, keep: bool = False) -> tuple[OfficialFonts, list[str]]:
    """The fonts to name in the document, and a note for each one that differs from the official font."""
    if keep:
        return OFFICIAL_FONTS, []
    if installed is None:
        return OFFICIAL_FONTS, ["无法列出本机字体，文档按公文规定字体命名（在缺少这些字体的电脑上会被替换）。"]
    chosen: dict[str, str] = {}
    notes: list[str] = []
    for role, official in ((r, getattr(OFFICIAL_FONTS, r)) for r in ROLES):
        found = next((name for name in FALLBACKS[role] if name in installed), None)
        if found is None:
            chosen[role] = official
            notes.append(f"本机未安装{ROLES[role]}字体“{official}”，也没有可替代的字体；文档仍按“{official}”命名。")
            continue
        chosen[role] = found
        if found != official:
            notes.append(
                f"本机未安装{ROLES[role]}字体“{official}”，已改用“{found}”（加 --keep-fonts 保留公文字体名）。"
            )
    return OfficialFonts(**chosen), notes
