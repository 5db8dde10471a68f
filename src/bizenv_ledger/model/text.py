"""What a text in the ledger may hold: the characters it refuses and how long each field may be. Pure.

One definition serves the three places that need it: ``check`` reports a YAML
text that breaks it (file:line), the write commands refuse such input (exit 2),
and the renderers show any such character that still reaches them (an old
commit, an error message echoing an argument) escaped instead of raw.

Refused everywhere: control characters (C0 but newline and tab, DEL, C1, which
drive the terminal: ESC sequences set the window title or clear the screen, CR
overwrites a line, U+009B is an 8-bit CSI), bidirectional overrides and
isolates and the other invisible format characters (U+202E shows text reversed),
the line and paragraph separators, surrogates, and the Unicode noncharacters
(U+FFFE, U+FDD0…, which git's commit-message check rewrites as mojibake).
Newline and tab are allowed in the long free-text fields only.
"""

from __future__ import annotations

import re

__all__ = ["FIELD_LIMITS", "LONG_TEXT", "NAME", "REFERENCE", "UNSAFE", "char_label", "text_fault"]

# The plan's longest texts: a measure 183 characters, a 全省最优 167, a note 105, a key 36, a name 21.
# The bounds leave ten times that, and keep one field from flooding a table or a cell.
LONG_TEXT = 2000  # measure text, notes, reasons, progress, problems, best/current/target
REFERENCE = 500  # an evidence reference (URL, file path, document number), a reading's source, a title
NAME = 100  # unit, indicator and metric names, ids, keys, deadlines, levels, leaders

_LONG_FIELDS = (
    "text",
    "note",
    "reason",
    "review_note",
    "best",
    "baseline",
    "current",
    "target",
    "problems",
    "others",
    "ranking",
)
_REFERENCE_FIELDS = ("ref", "evidence", "source", "title", "addressees", "issuer", "doc_number")
# YAML key -> the most characters its text may have; any other text field is a NAME.
FIELD_LIMITS: dict[str, int] = {
    **dict.fromkeys(_LONG_FIELDS, LONG_TEXT),
    **dict.fromkeys(_REFERENCE_FIELDS, REFERENCE),
}
MULTILINE = frozenset(_LONG_FIELDS)  # the fields where a newline or a tab is text, not a fault

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(17))
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_FORMAT = "\u00ad\u180e\u200b-\u200d\u2060-\u2065\u206a-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
# Everything refused in any field (newline and tab are handled per field).
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_FORMAT}\u2028\u2029\ud800-\udfff{_NONCHARACTERS}]")
_LAYOUT = re.compile("[\t\n]")

_CONTROL_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR", 0x1B: "ESC",
    0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI",
}  # fmt: skip


def char_label(ch: str) -> str:
    """U+001B, the way a message names a character that cannot be shown."""
    return f"U+{ord(ch):04X}"


def _kind(ch: str) -> str:
    code = ord(ch)
    if code == 0x0A:
        return "换行符"
    if code == 0x09:
        return "制表符"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        name = _CONTROL_NAMES.get(code)
        return f"控制字符 {char_label(ch)}" + (f"（{name}）" if name else "")
    if re.fullmatch(f"[{_BIDI}]", ch):
        return f"双向文本控制符 {char_label(ch)}"
    if code in (0x2028, 0x2029):
        return f"行/段分隔符 {char_label(ch)}"
    if 0xD800 <= code <= 0xDFFF:
        return f"代理码位 {char_label(ch)}（不是有效字符，可能来自错误的编码）"
    if re.fullmatch(f"[{_NONCHARACTERS}]", ch):
        return f"非字符 {char_label(ch)}（Unicode 规定不作文本使用）"
    return f"不可见格式字符 {char_label(ch)}"


def text_fault(text: str, field: str) -> str | None:
    """What is wrong with ``text`` as the value of YAML key ``field``, in Chinese; None when nothing is."""
    if len(text) <= NAME and text.isprintable():
        return None  # nearly every text: short, and nothing in it is a control or a format character
    limit = FIELD_LIMITS.get(field, NAME)
    if len(text) > limit:
        return f"长度 {len(text)} 字，超过上限 {limit} 字"
    bad = UNSAFE.search(text) or (None if field in MULTILINE else _LAYOUT.search(text))
    if bad is None:
        return None
    where = f"位于第 {bad.start() + 1} 个字符"
    if bad[0] in "\t\n":
        return f"含有{_kind(bad[0])}，{where}；此处只能写一行"
    return f"含有{_kind(bad[0])}，{where}；台账文本不能含有这类字符"
