"""The strict YAML reader: positions, no YAML 1.1 surprises, and malformed input refused quickly."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bizenv_ledger.store import yaml_reader
from bizenv_ledger.store.yaml_messages import FALLBACK, context_zh, problem_zh
from bizenv_ledger.store.yaml_reader import MAX_BYTES, MAX_DEPTH, MAX_DIGITS, YamlProblem, parse, strict_loader
from tests.conftest import DATA


def data_of(text: str) -> object:
    parsed, problem = parse(text.encode("utf-8"))
    assert problem is None, problem
    assert parsed is not None
    return parsed.data


def problem_of(raw: bytes) -> YamlProblem:
    parsed, problem = parse(raw)
    assert parsed is None
    assert problem is not None
    return problem


# ---------------------------------------------------------------------------
# YAML 1.1's surprises do not happen
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2022-06-30", "2022-06-30"),  # YAML 1.1: a date object
        ("2022-06-30 12:00:00", "2022-06-30 12:00:00"),  # YAML 1.1: a datetime
        ("no", "no"),  # YAML 1.1: False
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("NO", "NO"),
        ("010", "010"),  # YAML 1.1: 8 (octal)
        ("0o10", "0o10"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("12:30", "12:30"),  # YAML 1.1: 750 (sexagesimal)
        (".inf", ".inf"),
        (".nan", ".nan"),
        ("1e3", "1e3"),
        ("=", "="),
    ],
)
def test_parse__yaml_1_1_look_alikes_stay_text(written: str, value: str) -> None:
    assert data_of(f"v: {written}\n") == {"v": value}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("3.50", Decimal("3.50")),  # exact: not the float 3.5
        ("2.7", Decimal("2.7")),
        ("94.66", Decimal("94.66")),
        ("-0.5", Decimal("-0.5")),
        (".5", Decimal(".5")),
        ("0", 0),
        ("12", 12),
        ("-3", -3),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("'010'", "010"),
        ('"2022-06-30"', "2022-06-30"),
        ("'3.50'", "3.50"),
    ],
)
def test_parse__core_scalars_resolve_exactly(written: str, value: object) -> None:
    got = data_of(f"v: {written}\n")
    assert got == {"v": value}
    assert type(got["v"]) is type(value)  # type: ignore[index]
    if isinstance(value, Decimal):
        assert str(got["v"]) == str(value)  # type: ignore[index]


def test_parse__key_on_stays_the_word_on() -> None:
    """YAML 1.1 turns the key ``on`` into True; the ledger's closing: {on: …} depends on it not doing so."""
    assert data_of("closing:\n  on: 2022-09-30\n  note: 已完成\n") == {
        "closing": {"on": "2022-09-30", "note": "已完成"}
    }


def test_parse__byte_order_mark_is_dropped() -> None:
    assert data_of("\ufeffnumber: 1\n") == {"number": 1}


# ---------------------------------------------------------------------------
# Positions
# ---------------------------------------------------------------------------


def test_parse__positions_of_keys_and_items_are_one_based() -> None:
    parsed, _ = parse(b"a: 1\nlist:\n  - x\n  - y: 2\n    z: [p, q]\n")
    assert parsed is not None
    assert parsed.positions[("a",)] == (1, 1)
    assert parsed.positions[("list",)] == (2, 1)
    assert parsed.positions[("list", 0)] == (3, 5)
    assert parsed.positions[("list", 1, "y")] == (4, 5)
    assert parsed.positions[("list", 1, "z", 1)] == (5, 12)
    assert parsed.spans[("list",)] == (3, 5)


def test_parse__columns_count_characters_not_bytes() -> None:
    parsed, _ = parse("units: [市财政局, 市税务局]\n".encode())
    assert parsed is not None
    assert parsed.positions[("units", 1)] == (1, 15)


# ---------------------------------------------------------------------------
# Refused
# ---------------------------------------------------------------------------


def test_parse__empty_file() -> None:
    assert problem_of(b"") == YamlProblem(1, 1, "文件是空的")
    assert problem_of(b" \n\n\t\n") == YamlProblem(1, 1, "文件是空的")


def test_parse__comments_only() -> None:
    assert problem_of("# 只有注释\n".encode()) == YamlProblem(1, 1, "文件里只有注释，没有内容")


def test_parse__syntax_error_at_its_line() -> None:
    problem = problem_of(b"a: 1\nb: [x, y\nc: 3\n")
    assert problem.line == 3
    assert problem.message.startswith("YAML 语法错误：")


def test_parse__bad_indentation_at_its_line() -> None:
    problem = problem_of(b"a:\n  b: 1\n c: 2\n")
    assert (problem.line, problem.message.startswith("YAML 语法错误：")) == (3, True)


def test_parse__not_utf8_names_the_line() -> None:
    problem = problem_of("number: 1\nname: 开办企业\n".encode("gbk"))
    assert (problem.line, problem.col) == (2, 7)
    assert "不是 UTF-8 编码的文本" in problem.message
    assert "UTF-8" in problem.message


def test_parse__control_character_at_its_position() -> None:
    problem = problem_of("a: 中文\nb: 中文x\x07y\n".encode())
    assert (problem.line, problem.col) == (2, 7)
    assert problem.message == "YAML 语法错误：不允许的控制字符 #x0007"


def test_parse__duplicate_key() -> None:
    assert problem_of(b"a: 1\nb: 2\na: 3\n") == YamlProblem(3, 1, "重复的键“a”")


def test_parse__two_documents() -> None:
    problem = problem_of(b"a: 1\n---\nb: 2\n")
    assert problem.line == 2 and problem.message.startswith("YAML 语法错误")


@pytest.mark.parametrize("text", ["a: !!python/object:os.system 1\n", "a: !!binary aGVsbG8=\n", "a: !custom x\n"])
def test_parse__tags_are_refused(text: str) -> None:
    problem = problem_of(text.encode())
    assert (problem.line, problem.col) == (1, 4)
    assert problem.message.startswith("不支持的 YAML 标签")


def test_parse__complex_keys_are_refused() -> None:
    assert problem_of(b"? [a, b]\n: 1\n").message == "键必须是简单文本"


def test_parse__alias_is_refused_at_the_alias() -> None:
    problem = problem_of(b"a: &x 1\nb: *x\n")
    assert (problem.line, problem.col) == (2, 4)
    assert "锚点与别名" in problem.message


def test_parse__merge_key_is_refused() -> None:
    assert "锚点与别名" in problem_of(b"base: &b {k: 1}\nother:\n  <<: *b\n").message


def test_parse__billion_laughs_is_refused_at_once() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    problem = problem_of(("\n".join(lines) + "\n").encode())
    assert time.perf_counter() - start < 1
    assert (problem.line, problem.col) == (2, 8)
    assert "锚点与别名" in problem.message


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 1_000_000])
def test_parse__deep_nesting_is_refused_without_recursion(depth: int) -> None:
    """A few thousand brackets used to end in RecursionError, a million in a segfault."""
    start = time.perf_counter()
    problem = problem_of(("[" * depth + "]" * depth + "\n").encode())
    assert time.perf_counter() - start < 2
    assert problem.message == f"嵌套超过 {MAX_DEPTH} 层，不像是台账文件"
    assert problem.line == 1


def test_parse__deep_block_nesting_is_refused() -> None:
    problem = problem_of(("- " * 100_000 + "x\n").encode())
    assert problem.message == f"嵌套超过 {MAX_DEPTH} 层，不像是台账文件"


def test_parse__nesting_within_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    assert data_of("a: " + "[" * depth + "1" + "]" * depth + "\n") is not None


def test_parse__file_over_the_size_limit_is_refused_before_decoding() -> None:
    raw = b"\xff" * (MAX_BYTES + 1)  # not even UTF-8: the size is what is reported
    start = time.perf_counter()
    problem = problem_of(raw)
    assert time.perf_counter() - start < 0.5
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message.startswith("文件过大")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"a: b: c\n", "此处不能出现“键: 值”"),
        (b'a: "x\n', "未闭合的引号或括号"),
        (b"a:\n\t- x\n", "制表符（Tab）"),
        (b"a: [1, 2\nb: 3\n", "方括号列表里缺少"),
        (b"a: @x\n", "请给这个值加引号"),
    ],
)
def test_parse__syntax_errors_are_explained_in_chinese(text: bytes, expected: str) -> None:
    _, problem = parse(text)
    assert problem is not None and expected in problem.message
    assert not any(word in problem.message for word in ("found", "expected", "while", "allowed"))


# ---------------------------------------------------------------------------
# Every PyYAML problem in Chinese, whichever parser reads the file
# ---------------------------------------------------------------------------

PURE_PYTHON = strict_loader(yaml.SafeLoader)
# Words a Chinese message may carry: YAML's own names and values the user types.
_ALLOWED_LATIN = {"YAML", "Tab", "UTF", "TAG", "null", "true", "false"}


def english_words(message: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{3,}", message)) - _ALLOWED_LATIN


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each syntax test runs with libyaml's parser and with PyYAML's own (whose wording differs)."""
    if request.param == "pure-python":
        monkeypatch.setattr(yaml_reader, "_StrictLoader", PURE_PYTHON)
    return str(request.param)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("a: b: c\n", 1, "此处不能出现“键: 值”"),
        ("a: b\n  c: d\n", 2, "此处不能出现“键: 值”"),
        ('a: "x\n', 2, "未闭合的引号或括号"),
        ("a: 'x\n", 2, "未闭合的引号或括号"),
        ("a: @x\n", 1, "不能开头的字符"),
        ("a: `x\n", 1, "不能开头的字符"),
        ("a:\n\t- x\n", 2, "制表符（Tab）"),
        ("a: [1, 2\nb: 3\n", 2, "方括号列表里缺少"),
        ("a: [b, c}\n", 1, "方括号列表里缺少"),
        ("a: {x: 1\n", 2, "花括号映射里缺少"),
        ("a: {b: c]\n", 1, "花括号映射里缺少"),
        ("a:\n  b: 1\n c: 2\n", 3, "缩进不一致"),
        ("a: 1\n- b\n", 2, "缩进不一致"),
        ("- a\nb: 1\n", 2, "缩进不一致"),
        ("key: value\nkey2\n", 3, "缺少冒号"),
        ("a: 1\n---\nb: 2\n", 2, "只能有一个文档"),
        ("a: 1\n...\nb\n", 3, "多出来的内容"),
        ("[1, 2]]\n", 1, "多出来的内容"),
        ('a: "\\q"\n', 1, "反斜杠转义"),
        ('"a\\x4"\n', 1, "十六进制数字"),
        ("a: |0\n  x\n", 1, "缩进数字应为 1–9"),
        ("a: !<x\n", 1, "无法识别的 YAML 标签"),
        ("a: !x!y z\n", 1, "无法识别的 YAML 标签"),
        ("%YAML 2.0\n---\na: 1\n", 1, "不支持的 YAML 版本"),
        ("a: &\n", 1, "后应为字母或数字"),
        ("a: *\n", 1, "后应为字母或数字"),
        ("&a x: &a y\n", 1, "锚点与别名"),
    ],
)
def test_parse__every_syntax_error_is_said_in_chinese_at_its_line(
    loader: str, text: str, line: int, expected: str
) -> None:
    problem = problem_of(text.encode())
    assert problem.line == line, (loader, problem)
    assert problem.message.startswith("YAML 语法错误："), problem
    assert expected in problem.message, (loader, problem.message)
    assert not english_words(problem.message), (loader, problem.message)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 5_000, 1_000_000])
@pytest.mark.parametrize("shape", ["flow", "block"])
def test_parse__nesting_beyond_the_limit_is_said_in_chinese(loader: str, depth: int, shape: str) -> None:
    """PyYAML 6.0.4's own limit ("exceeded maximum nesting depth") fires before ours on deep input."""
    text = "[" * depth + "]" * depth + "\n" if shape == "flow" else "- " * depth + "x\n"
    if loader == "pure-python" and depth > 5_000:
        text = text[: 5_000 * 2]  # PyYAML's own parser is slow on a million levels; the limit fires early anyway
    start = time.perf_counter()
    problem = problem_of(text.encode())
    assert time.perf_counter() - start < 5
    assert problem.message == f"嵌套超过 {MAX_DEPTH} 层，不像是台账文件", (loader, problem)
    assert problem.line == 1


def test_parse__a_pyyaml_message_nobody_has_seen_falls_back_to_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """A future PyYAML may word a problem in a way the table does not know: the user still reads Chinese."""
    mark = yaml.Mark("<unicode string>", 0, 2, 5, None, None)

    def new_wording(*_: object, **__: object) -> None:
        raise yaml.MarkedYAMLError("while frobnicating a widget", mark, "found an unheard-of problem", mark)

    monkeypatch.setattr(yaml, "parse", new_wording)  # the one call into PyYAML
    problem = problem_of(b"a: 1\nb: 2\nc: 3\n")
    assert (problem.line, problem.col) == (3, 6)
    assert problem.message == f"YAML 语法错误：{FALLBACK}"
    assert not english_words(problem.message)


def test_problem_zh__unknown_text_is_the_general_chinese_sentence() -> None:
    assert problem_zh("found something new", "while doing something else", depth=MAX_DEPTH) == FALLBACK
    assert problem_zh(None, None, depth=MAX_DEPTH) == FALLBACK
    assert context_zh("while doing something else") == "这段内容"


def test_parse__control_character_in_chinese_with_either_parser(loader: str) -> None:
    problem = problem_of("a: 中文\nb: 中文x\x07y\n".encode())
    assert (problem.line, problem.col) == (2, 7), loader
    assert problem.message == "YAML 语法错误：不允许的控制字符 #x0007"


# ---------------------------------------------------------------------------
# Explicit tags and long numbers (issue 9: these used to end in a traceback)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: !!int 0x10\n", "标签 !!int 要求十进制整数，而值是“0x10”"),
        ("v: !!int ''\n", "标签 !!int 要求十进制整数，而值是“”"),
        ("v: !!int 1_000\n", "标签 !!int 要求十进制整数"),
        ("v: !!float abc\n", "标签 !!float 要求小数（如 2.7），而值是“abc”"),
        ("v: !!float .nan\n", "标签 !!float 要求小数"),
        ("v: !!float .inf\n", "标签 !!float 要求小数"),
        ("v: !!float 1e3\n", "标签 !!float 要求小数"),
        ("v: !!bool yes\n", "标签 !!bool 要求true 或 false，而值是“yes”"),
        ("v: !!null x\n", "标签 !!null 要求空值（null）"),
        ("v: !!timestamp 2022-01-01\n", "不支持的 YAML 标签 tag:yaml.org,2002:timestamp"),
        ("v: !!set {a}\n", "不支持的 YAML 标签 tag:yaml.org,2002:set"),
        ("v: !!omap [a: 1]\n", "不支持的 YAML 标签 tag:yaml.org,2002:omap"),
        ("v: !custom [1]\n", "不支持的 YAML 标签 !custom"),
    ],
)
def test_parse__an_explicit_tag_must_fit_its_value(text: str, expected: str) -> None:
    problem = problem_of(text.encode())
    assert (problem.line, problem.col) == (1, 4)
    assert problem.message.startswith(expected), problem.message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: !!int 12\n", 12),
        ("v: !!int '-3'\n", -3),
        ("v: !!float 2.50\n", Decimal("2.50")),
        ("v: !!bool true\n", True),
        ("v: !!null ''\n", None),
        ("v: !!str 2022\n", "2022"),
        ("v: !!str yes\n", "yes"),
        ("v: !!seq [1]\n", [1]),
        ("v: !!map {a: 1}\n", {"a": 1}),
    ],
)
def test_parse__an_explicit_tag_that_fits_is_read(text: str, value: object) -> None:
    got = data_of(text)
    assert got == {"v": value} and type(got["v"]) is type(value)  # type: ignore[index]


@pytest.mark.parametrize("written", ["1" * 4301, "-" + "9" * 5000, "1" * 4400 + ".5", "0." + "1" * 4400, "1" * 21])
def test_parse__a_number_of_thousands_of_digits_is_refused(written: str) -> None:
    """int() of more than 4,300 digits raised ValueError: Exceeds the limit (4300 digits)."""
    problem = problem_of(f"number: {written}\n".encode())
    assert (problem.line, problem.col) == (1, 9)
    assert problem.message.startswith(f"数字位数过多（超过 {MAX_DIGITS} 位）")


def test_parse__twenty_digits_are_still_a_number() -> None:
    assert data_of(f"v: {'9' * MAX_DIGITS}\nw: {'1' * 10}.{'5' * 10}\n") == {
        "v": int("9" * MAX_DIGITS),
        "w": Decimal("1111111111.5555555555"),
    }


@pytest.mark.parametrize("path", sorted(DATA.glob("**/*.yaml")), ids=lambda p: p.name)
def test_parse__without_positions_is_the_same_data(path: Path) -> None:
    """The loader reads without positions (and parses again with them only to locate a problem)."""
    bare, problem = parse(path.read_bytes(), positions=False)
    with_positions, _ = parse(path.read_bytes())
    assert with_positions is not None and bare is not None and problem is None
    assert bare.data == with_positions.data
    assert (bare.positions, bare.spans) == ({}, {}) and with_positions.positions


def test_parse__the_text_a_write_just_parsed_is_not_parsed_again() -> None:
    """A write parses the edited file with positions, then validates it: the same text gives the same parse."""
    raw = (DATA / "indicators" / "03-获得电力.yaml").read_bytes()
    edited, _ = parse(raw)
    again, _ = parse(raw, positions=False)
    assert again is edited
    other, _ = parse(raw + b"\n", positions=False)
    assert other is not edited and other is not None and other.positions == {}


def test_parse__without_positions_refuses_alike() -> None:
    for text in [b"a: &x 1\nb: *x\n", b"a: 1\na: 2\n", b"a: !!int 0x10\n", b"a: 1\n---\nb: 2\n", b"[" * 70]:
        assert parse(text, positions=False) == parse(text)
