"""PyYAML's problems said in Chinese, whichever PyYAML and whichever parser (libyaml or pure Python).

PyYAML words its errors in English, and libyaml and the pure-Python parser word the
same problem differently ("mapping values are not allowed here" / "... in this
context"). The users read Chinese, so each known wording maps to one explanation,
and anything not listed falls back to a general Chinese one: English never reaches
the user, whatever a future PyYAML says.
"""

from __future__ import annotations

__all__ = ["FALLBACK", "NESTING", "context_zh", "problem_zh"]

FALLBACK = "无法解析这里的写法（请检查冒号、引号、括号和缩进）"
NESTING = "嵌套超过 {depth} 层，不像是台账文件"

# (words that appear in the English message, the Chinese), first match wins: the more specific first.
_PROBLEMS = [
    ("exceeded maximum nesting depth", NESTING),
    ("mapping values are not allowed", "此处不能出现“键: 值”（含冒号的文本请加引号，或检查缩进）"),
    ("mapping keys are not allowed", "此处不能出现“? 键”（含问号的文本请加引号，或检查缩进）"),
    ("sequence entries are not allowed", "此处不能出现列表项“- ”（请检查缩进）"),
    ("found unexpected end of stream", "文件在未闭合的引号或括号处结束了"),
    ("tab character", "缩进里有制表符（Tab），请改用空格"),
    ("that cannot start any token", "这里有一个不能开头的字符（如 @、`、%），请给这个值加引号"),
    ("',' or ']'", "方括号列表里缺少“,”或“]”"),
    ("',' or '}'", "花括号映射里缺少“,”或“}”"),
    ("did not find expected key", "缩进不一致：这里应当是一个键"),
    ("'-' indicator", "缩进不一致：这里应当是列表项“- ”"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("expected <block end>", "缩进不一致"),
    ("invalid indentation or unclosed", "缩进不一致，或有未闭合的“[”“{”"),
    ("unknown escape character", "双引号文本里有无法识别的反斜杠转义（文本里的 \\ 请写成 \\\\，或改用单引号）"),
    ("hexadecimal number", "双引号文本里的 \\x、\\u 转义后应为十六进制数字"),
    ("hexdecimal number", "双引号文本里的 \\x、\\u 转义后应为十六进制数字"),
    ("unicode character escape", "双引号文本里的 \\u 转义不是有效字符"),
    ("found unexpected ':'", "多了一个冒号“:”（含冒号的文本请加引号）"),
    ("document separator", "这里不能出现“---”或“...”（去掉它，或给这段文本加引号）"),
    ("document indicator", "这里不能出现“---”或“...”（去掉它，或给这段文本加引号）"),
    ("another document", "文件里只能有一个文档（去掉多余的“---”）"),
    ("single document", "文件里只能有一个文档（去掉多余的“---”）"),
    ("document start", "上面的内容已经完整，这里多出来的内容接不上（多余的括号、“...”，或缩进不一致）"),
    ("node content", "这里缺少内容（列表或映射写了一半？）"),
    ("undefined alias", "不支持 YAML 锚点与别名（& 和 *），请直接写出内容"),
    ("duplicate anchor", "不支持 YAML 锚点与别名（& 和 *），请直接写出内容"),
    ("alphabetic or numeric character", "“&”“*”“!”或“%”后应为字母或数字（作为普通文本请加引号）"),
    ("duplicate tag handle", "重复的 %TAG 指令（以“%”开头的行请删去或加引号）"),
    ("tag handle", "无法识别的 YAML 标签（以“!”开头的文本请加引号）"),
    ("non-specific tag", "无法识别的 YAML 标签（以“!”开头的文本请加引号）"),
    ("tag uri", "无法识别的 YAML 标签（以“!”开头的文本请加引号）"),
    ("expected uri", "无法识别的 YAML 标签（以“!”开头的文本请加引号）"),
    ("uri escape", "无法识别的 YAML 标签（以“!”开头的文本请加引号）"),
    ("'>'", "无法识别的 YAML 标签（以“!”开头的文本请加引号）"),
    ("'!'", "无法识别的 YAML 标签（以“!”开头的文本请加引号）"),
    ("yaml directive", "无法识别的 %YAML 指令（以“%”开头的行请删去或加引号）"),
    ("tag directive", "无法识别的 %TAG 指令（以“%”开头的行请删去或加引号）"),
    ("directive", "无法识别的“%”指令（以“%”开头的行请删去或加引号）"),
    ("incompatible yaml document", "不支持的 YAML 版本（请删去文件开头的 %YAML 行）"),
    ("version number", "无法识别的 %YAML 版本号（请删去文件开头的 %YAML 行）"),
    ("indentation indicator", "“|”或“>”后的缩进数字应为 1–9"),
    ("chomping or indentation", "“|”或“>”后只能跟“+”“-”或 1–9 的数字"),
    ("comment or a line break", "这一行后面多了内容（“|”“>”“---”等标记后只能换行或写注释）"),
    ("comment or line break", "这一行后面多了内容（“|”“>”“---”等标记后只能换行或写注释）"),
    ("whitespace", "这里应有一个空格（如“- 值”“键: 值”）"),
    ("expected ' '", "这里应有一个空格（如“- 值”“键: 值”）"),
    ("a digit", "这里应为数字"),
    ("control character", "不允许的控制字符"),
    ("utf-8", "不是 UTF-8 编码的文本；请另存为 UTF-8"),
    ("utf-16", "不是 UTF-8 编码的文本；请另存为 UTF-8"),
    ("surrogate", "不是 UTF-8 编码的文本；请另存为 UTF-8"),
    ("invalid unicode character", "不允许的字符"),
    ("input is too long", "文件过大"),
    ("duplicate key", "重复的键"),
]

# The "while ..." context: what was being read when the problem was found.
_CONTEXTS = [
    ("increasing flow level", "嵌套的括号"),
    ("increasing block level", "嵌套的缩进"),
    ("flow sequence", "方括号列表"),
    ("flow mapping", "花括号映射"),
    ("block mapping", "一个映射"),
    ("block collection", "一个列表"),
    ("quoted scalar", "引号内的文本"),
    ("block scalar", "“|”或“>”开头的多行文本"),
    ("plain scalar", "一段文本"),
    ("simple key", "一个键"),
    ("tag", "一个 YAML 标签"),
    ("directive", "一条“%”指令"),
    ("anchor", "一个锚点"),
    ("alias", "一个别名"),
    ("single document", "文档"),
    ("composing a mapping", "一个映射"),
    ("node", "一个值"),
]


def problem_zh(problem: str | None, context: str | None, *, depth: int) -> str:
    """The Chinese for one of PyYAML's problems; a general Chinese sentence when it is not known.

    The problem is looked up first, then the context: for a duplicate anchor PyYAML's problem
    is only "second occurrence", and its context says what is wrong.
    """
    for english in (problem, context):
        text = (english or "").lower()
        for words, chinese in _PROBLEMS:
            if words in text:
                return chinese.format(depth=depth) if chinese is NESTING else chinese
    return FALLBACK


def context_zh(english: str | None) -> str:
    """What PyYAML was reading ("while scanning a quoted scalar"), in Chinese."""
    text = (english or "").lower()
    for words, chinese in _CONTEXTS:
        if words in text:
            return chinese
    return "这段内容"
