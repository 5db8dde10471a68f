"""Surgical line edits (edit.Draft) on the commented fixture: only the touched item's lines change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bizenv_ledger.model.errors import UsageError
from bizenv_ledger.store.yaml_reader import parse
from bizenv_ledger.write import edit
from bizenv_ledger.write.edit import Block, Draft, EditError, Word, measure_path, metric_path, scalar
from tests.writing import COMMENTED, HOSTILE, measure_span, touched_old_lines

TEXT = COMMENTED.read_text(encoding="utf-8")


def _data(text: str) -> Any:
    parsed, problem = parse(text.encode("utf-8"))
    assert parsed is not None, problem
    return parsed.data


def _closing(on: str = "2022-08-15", **extra: edit.Node) -> Block:
    return Block((("on", on), *extra.items()))


def _done(text: str, measure_id: str, closing: Block) -> str:
    draft = Draft(text)
    path = measure_path(draft.data, measure_id)
    assert path is not None
    draft.set_key(path, "status", Word("done"))
    draft.set_key(path, "closing", closing)
    return draft.result()


@pytest.mark.parametrize("text", HOSTILE)
def test_scalar__hostile_text_reads_back_exactly(text: str) -> None:
    assert _data(f"note: {scalar(text)}\n") == {"note": text}


def test_scalar__values_read_back_as_the_loader_reads_them() -> None:
    for value in (True, False, 5, Decimal("2.70"), {"min": 110, "max": 180}, {"at_most": 60}):
        assert _data(f"v: {scalar(value)}\n") == {"v": value}
    assert scalar(Word("done")) == "done" and scalar(Word("no")) == '"no"'


def test_scalar__lone_surrogate_refused_as_a_bad_argument() -> None:
    with pytest.raises(UsageError, match="代理码位"):
        scalar("bad \udcff byte")


def test_draft__done_appends_status_and_closing_inside_the_measure_only() -> None:
    new = _done(
        TEXT, "3.2", _closing(note="备注", evidence=(Block((("ref", "张电〔2022〕12号"), ("kind", Word("doc")))),))
    )
    start, end = measure_span(TEXT, "3.2")
    assert all(start <= line <= end for line in touched_old_lines(TEXT, new))
    assert (
        '    deadline: 2022年8月\n    status: done\n    closing:\n      "on": "2022-08-15"\n      note: "备注"\n' in new
    )
    assert new.endswith("# 文件末尾的注释，且没有换行符")  # still no newline at the end


def test_draft__lines_outside_the_measure_stay_byte_for_byte() -> None:
    new = _done(TEXT, "3.5", _closing())
    old_lines, new_lines = TEXT.splitlines(keepends=True), new.splitlines(keepends=True)
    start, _ = measure_span(TEXT, "3.5")
    inserted = len(new_lines) - len(old_lines)
    last_content = 4 + start - 1  # id, text, units, deadline
    assert new_lines[:last_content] == old_lines[:last_content]
    assert new_lines[last_content + inserted :] == old_lines[last_content:]
    assert new.endswith("\n# 文件末尾的注释，且没有换行符")


def test_draft__explicit_status_is_replaced_and_its_comment_kept() -> None:
    new = _done(TEXT, "3.3", _closing())
    assert "    status: done    # 明确写出的状态\n" in new
    assert "status: open" not in new


def test_draft__replacing_a_scalar_keeps_the_trailing_comment() -> None:
    draft = Draft(TEXT)
    path = measure_path(draft.data, "3.1")
    assert path is not None
    draft.set_key(path, "deadline", "2022年12月")
    new = draft.result()
    assert '    deadline: "2022年12月"   # 原文“2022年11月”\n' in new
    assert touched_old_lines(TEXT, new) == [
        TEXT.splitlines().index("    deadline: 2022年11月   # 原文“2022年11月”") + 1
    ]


def test_draft__appends_after_a_flow_mapping_item_and_into_an_empty_flow_list() -> None:
    draft = Draft(TEXT)
    for mid in ("3.1", "3.3"):
        path = measure_path(draft.data, mid)
        assert path is not None
        draft.append_item(path, "progress", Block((("on", "2022-09-01"), ("text", f"{mid} 的进展"))))
    new = draft.result()
    assert (
        '      - {"on": "2022-08-01", text: 流式写法的进展}\n      - "on": "2022-09-01"\n        text: "3.1 的进展"\n'
        in new
    )
    assert '    progress:\n      - "on": "2022-09-01"\n        text: "3.3 的进展"\n' in new
    assert "progress: []" not in new


def test_draft__appends_to_an_indentless_list_with_its_own_indentation() -> None:
    draft = Draft(TEXT)
    path = metric_path(draft.data, "high_voltage_days")
    assert path is not None
    draft.append_item(path, "readings", Block((("on", "2022-10-01"), ("value", 5))))
    new = draft.result()
    assert '      source: 首次读数\n    - "on": "2022-10-01"\n      value: 5\n\n  - key: high_voltage_steps' in new


def test_draft__reopen_moves_the_closing_with_its_comments_and_block_scalar() -> None:
    draft = Draft(TEXT)
    path = measure_path(draft.data, "3.4")
    assert path is not None
    closing = draft.cut_key(path, "closing")
    draft.set_key(path, "status", Word("open"))
    draft.append_item(path, "reopenings", Block((("on", "2022-09-01"), ("reason", "佐证不足"), ("closing", closing))))
    new = draft.result()
    assert (
        '    status: open\n    reopenings:\n      - "on": "2022-09-01"\n        reason: "佐证不足"\n'
        "        closing:\n          # 销号依据\n"
        '          "on": "2022-08-20"\n          evidence:\n          - ref: 张电〔2022〕9号\n'
        "            kind: doc\n          note: |\n            单引号的 '备注'\n            第二行\n\n  - id: \"3.5\""
    ) in new
    reopened = _data(new)["measures"][3]
    assert reopened["reopenings"][0]["closing"]["note"] == "单引号的 '备注'\n第二行\n"


def test_draft__crlf_and_bom_are_kept() -> None:
    text = "\ufeff" + TEXT.replace("\n", "\r\n")
    new = _done(text, "3.2", _closing())
    assert new.startswith("\ufeff")
    assert "\n" not in new.replace("\r\n", "")
    assert '    status: done\r\n    closing:\r\n      "on": "2022-08-15"\r\n' in new


def test_draft__a_flow_mapping_measure_is_refused() -> None:
    text = TEXT.replace(
        '  - id: "3.5"\n    text: 推动营销系统与政务服务平台贯通。\n    units: [国网张掖供电公司]\n    deadline: 2022年11月\n',
        '  - {id: "3.5", text: 推动营销系统与政务服务平台贯通。, units: [国网张掖供电公司], deadline: 2022年11月}\n',
    )
    assert text != TEXT
    with pytest.raises(EditError, match="流式映射"):
        _done(text, "3.5", _closing())


def test_draft__a_non_empty_flow_list_is_refused() -> None:
    text = TEXT.replace('      - {"on": "2022-08-01", text: 流式写法的进展}', "").replace(
        "    progress:\n\n", '    progress: [{"on": "2022-08-01", text: 流式}]\n\n'
    )
    draft = Draft(text)
    path = measure_path(draft.data, "3.1")
    assert path is not None
    with pytest.raises(EditError, match="流式列表"):
        draft.append_item(path, "progress", Block((("on", "2022-09-01"), ("text", "x"))))


def test_draft__an_edit_that_would_change_anything_else_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = edit._render_pair

    def misspelt(key: str, node: edit.Node, indent: int) -> list[str]:
        return real(f"x_{key}", node, indent)

    monkeypatch.setattr(edit, "_render_pair", misspelt)
    with pytest.raises(EditError, match="与预期不符"):
        _done(TEXT, "3.2", _closing())


def test_draft__an_edit_that_breaks_the_yaml_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = edit._render_pair

    def misindented(key: str, node: edit.Node, indent: int) -> list[str]:
        return real(key, node, indent - 2)

    monkeypatch.setattr(edit, "_render_pair", misindented)
    with pytest.raises(EditError, match="局部修改后无法解析"):
        _done(TEXT, "3.2", _closing())


def test_draft__unparsable_text_is_refused() -> None:
    with pytest.raises(EditError, match="无法解析"):
        Draft("measures: [unclosed\n", "x.yaml")


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("    progress: []   # 尚无进展\n", "    progress:   # 尚无进展\n"),
        ("    progress:   # 待补\n", "    progress:   # 待补\n"),
    ],
)
def test_draft__an_empty_list_replaced_by_items_keeps_its_comment(written: str, kept: str) -> None:
    text = f'measures:\n  - id: "1.1"\n    text: 措施\n{written}  - id: "1.2"\n    text: 另一项\n'
    draft = Draft(text)
    path = measure_path(draft.data, "1.1")
    assert path is not None
    draft.append_item(path, "progress", Block((("on", "2022-09-01"), ("text", "新进展"))))
    new = draft.result()
    assert f'{kept}      - "on": "2022-09-01"\n        text: "新进展"\n  - id: "1.2"\n' in new
    assert _data(new)["measures"][0]["progress"] == [{"on": "2022-09-01", "text": "新进展"}]
