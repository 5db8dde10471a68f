"""item_edit.edit_item: the edits of one list item made on its own lines give what a Draft of the whole file gives,
the file read once, and what the new lines hold is what the whole new file holds there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from bizenv_ledger.store import yaml_reader
from bizenv_ledger.write import item_edit
from bizenv_ledger.write.edit import Block, Draft, EditError, Word, measure_path, metric_path
from bizenv_ledger.write.item_edit import Edited, edit_item
from tests.writing import COMMENTED

TEXT = COMMENTED.read_text(encoding="utf-8")
Path_ = tuple[str | int, ...]


def _ids(text: str) -> list[str]:
    parsed, _ = yaml_reader.parse(text.encode("utf-8"))
    assert parsed is not None
    return [str(m["id"]) for m in parsed.data["measures"]]


def _done(draft: Draft, path: Path_) -> None:
    draft.set_key(path, "status", Word("done"))
    draft.set_key(path, "closing", Block((("on", "2022-08-15"), ("note", "已完成"))))


def _progress(draft: Draft, path: Path_) -> None:
    draft.append_item(path, "progress", Block((("on", "2022-08-15"), ("text", "进展：过半"))))


def _reopen(draft: Draft, path: Path_) -> None:
    closing = draft.cut_key(path, "closing")
    draft.set_key(path, "status", Word("open"))
    draft.append_item(path, "reopenings", Block((("on", "2022-09-01"), ("reason", "补充材料"), ("closing", closing))))


def _by_whole_draft(text: str, locate: Callable[[Any], Path_], change: Callable[[Draft, Path_], None]) -> str:
    draft = Draft(text, "f.yaml")
    change(draft, locate(draft.data))
    return draft.result()


def _measure(measure_id: str) -> Callable[[Any], Path_]:
    def locate(data: Any) -> Path_:
        path = measure_path(data, measure_id)
        if path is None:
            raise EditError(f"找不到措施 {measure_id}")
        return path

    return locate


def _at(text: str, measure_id: str) -> Path_:
    parsed, _ = yaml_reader.parse(text.encode("utf-8"))
    assert parsed is not None
    path = measure_path(parsed.data, measure_id)
    assert path is not None
    return path


def _holds(edited: Edited, at: Path_) -> bool:
    """The item handed on is what the whole new text, parsed, holds at its place."""
    assert edited.item is not None and edited.item.path == at
    parsed, problem = yaml_reader.parse(edited.text.encode("utf-8"))
    assert parsed is not None, problem
    node = parsed.data
    for part in at:
        node = node[part]
    return bool(node == edited.item.value)


@pytest.mark.parametrize("change", [_done, _progress], ids=["done", "progress"])
@pytest.mark.parametrize("measure_id", _ids(TEXT))
def test_edit_item__same_text_as_a_draft_of_the_whole_file(measure_id: str, change: Any) -> None:
    """Every measure of the commented fixture (comments, block scalars, flow items, the last item)."""
    expected = _by_whole_draft(TEXT, _measure(measure_id), change)
    at = _at(TEXT, measure_id)
    edited = edit_item(TEXT, "f.yaml", _measure(measure_id), change, at)
    assert edited.text == expected
    assert _holds(edited, at)


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: "\ufeff" + t.replace("\n", "\r\n"),  # a BOM and Windows line ends
        lambda t: t[: t.rindex("\n")],  # the last measure's last line the file's, with no line end
        lambda t: t.replace('  - id: "3.1"\n', '  -\n    id: "3.1"\n', 1),  # an item whose dash stands alone
        lambda t: t.replace("\n  - ", "\n- ").replace("\n    ", "\n  "),  # the lists at the keys' column
        lambda t: "%YAML 1.2\n---\n" + t,  # a directive: %TAG could change what the item's tags mean
    ],
    ids=["bom-crlf", "unterminated", "dash-alone", "unindented-lists", "directive"],
)
def test_edit_item__odd_layouts_give_the_whole_draft_text(variant: Callable[[str], str]) -> None:
    text = variant(TEXT)
    assert text != TEXT
    for measure_id in (_ids(text)[0], _ids(text)[-1]):
        expected = _by_whole_draft(text, _measure(measure_id), _done)
        at = _at(text.removeprefix("\ufeff"), measure_id)
        edited = edit_item(text, "f.yaml", _measure(measure_id), _done, at)
        assert edited.text == expected
        assert edited.item is None or _holds(edited, at)


def test_edit_item__a_metric_reading_appended() -> None:
    def locate(data: Any) -> Path_:
        path = metric_path(data, "high_voltage_days")
        assert path is not None
        return path

    def change(draft: Draft, path: Path_) -> None:
        draft.append_item(path, "readings", Block((("on", "2022-08-15"), ("value", 4))))

    edited = edit_item(TEXT, "f.yaml", locate, change, ("metrics", 0))
    assert edited.text == _by_whole_draft(TEXT, locate, change)
    assert _holds(edited, ("metrics", 0))


_ITEMS = "number: 3\nname: 获得电力\nmeasures:\n"
_KEEP = "      note: |+\n        第一行\n\n"  # a block scalar that keeps its trailing blank lines


@pytest.mark.parametrize(
    ("text", "change"),
    [
        (_ITEMS + "  - id: '3.1'\n    status: done\n    closing:\n      on: '2022-08-01'\n" + _KEEP, _reopen),
        (_ITEMS + "  - id: '3.1'\n    text: |+\n      文字\n\n\n  - id: '3.2'\n    text: b\n", _done),
        (_ITEMS + "  - id: '3.1'\n    text: a\n# 注释\n      # 缩进的注释\n  - id: '3.2'\n    text: b\n", _progress),
        (_ITEMS + "  - id: '3.1'\n    text: &a 文字\n  - id: '3.2'\n    text: b\n", _done),
        (_ITEMS + "  - id: '3.1'\n    text: 文字\n      第二行\n  - id: '3.2'\n    text: b\n...\n", _progress),
        ("indicators:\n  - number: 3\n    measures:\n      - id: '3.1'\n        text: a\n    name: x\n", _done),
    ],
    ids=["kept-blank-lines-moved-last", "kept-blank-lines", "comments-after", "anchor", "document-end", "county"],
)
def test_edit_item__blocks_ends_and_comments_read_as_in_the_whole_file(text: str, change: Any) -> None:
    """Whatever follows the item reads with it as in the file: its lines run to the next content."""
    at = _at(text, "3.1")
    try:
        expected: object = _by_whole_draft(text, _measure("3.1"), change)
    except EditError as exc:
        expected = str(exc)
    try:
        edited = edit_item(text, "f.yaml", _measure("3.1"), change, at)
    except EditError as exc:
        assert str(exc) == expected
        return
    assert edited.text == expected
    assert edited.item is None or _holds(edited, at)


def test_edit_item__a_place_that_holds_another_item_edits_the_one_asked_for() -> None:
    """``at`` is a hint from the loaded record: the item there must be the one ``locate`` finds."""
    edited = edit_item(TEXT, "f.yaml", _measure("3.2"), _done, _at(TEXT, "3.1"))
    assert edited.text == _by_whole_draft(TEXT, _measure("3.2"), _done)
    assert edited.item is None


def test_edit_item__a_file_at_the_readers_limits_is_edited_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader refuses a file of too many nodes: a file the edit would take past the limit is not edited alone."""
    at = _at(TEXT, "3.1")
    assert edit_item(TEXT, "f.yaml", _measure("3.1"), _done, at).item is not None
    monkeypatch.setattr(item_edit, "MAX_NODES", 60)
    assert edit_item(TEXT, "f.yaml", _measure("3.1"), _done, at).item is None
    monkeypatch.undo()
    monkeypatch.setattr(item_edit, "MAX_BYTES", len(TEXT.encode("utf-8")))
    assert edit_item(TEXT, "f.yaml", _measure("3.1"), _done, at).item is None


def test_edit_item__reads_the_file_once_where_a_draft_parses_it_after_every_edit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One pass of the parser over the whole file (to find the item); the new text is not parsed whole."""
    measure_id = _ids(TEXT)[1]
    at = _at(TEXT, measure_id)
    whole: list[int] = []
    real = yaml.parse

    def counting(stream: Any, *args: Any, **kwargs: Any) -> Any:
        if len(stream) > len(TEXT) // 2:
            whole.append(len(stream))
        return real(stream, *args, **kwargs)

    monkeypatch.setattr(yaml, "parse", counting)
    edited = edit_item(TEXT, "f.yaml", _measure(measure_id), _done, at)
    assert len(whole) == 1 and edited.item is not None
    whole.clear()
    _by_whole_draft(TEXT, _measure(measure_id), _done)
    assert len(whole) == 3  # the file, then again after each of the two edits


def _nodes(text: str) -> int:
    parsed, problem = yaml_reader.parse(text.encode("utf-8"))
    assert parsed is not None, problem
    return parsed.nodes


def test_reader__counts_the_nodes_as_count_nodes_does_for_every_file_of_the_plan() -> None:
    """The reader's count, kept in the cache, is what a write's arithmetic (total less the item) assumes."""
    from bizenv_ledger.store.yaml_item import count_nodes
    from tests.conftest import DATA

    files = sorted(DATA.glob("*.yaml")) + sorted(DATA.glob("*/*.yaml"))
    assert len(files) >= 20
    for path in files:
        parsed, _ = yaml_reader.parse(path.read_bytes())
        assert parsed is not None and parsed.nodes == count_nodes(parsed.data) > 0, path


@pytest.mark.parametrize("measure_id", _ids(TEXT))
def test_edit_item__with_the_files_count_gives_the_same_text_and_the_new_files_exact_count(measure_id: str) -> None:
    at = _at(TEXT, measure_id)
    walked = edit_item(TEXT, "f.yaml", _measure(measure_id), _done, at)
    counted = edit_item(TEXT, "f.yaml", _measure(measure_id), _done, at, _nodes(TEXT))
    assert counted.text == walked.text == _by_whole_draft(TEXT, _measure(measure_id), _done)
    assert walked.item is not None and walked.item.nodes is None  # counted by walking: at least, not exactly
    assert counted.item is not None and counted.item.nodes == _nodes(counted.text)


def test_edit_item__with_the_files_count_stops_at_the_item() -> None:
    """Given the count, nothing after the item is read: what follows it is the file the reader accepted."""
    first = _ids(TEXT)[0]
    at = _at(TEXT, first)
    tail = TEXT + "\nextra: *nowhere\n"  # an alias after the item: the walk to the end refuses the file
    with pytest.raises(EditError):  # read to the end, the file is refused: edited whole, the alias refused
        edit_item(tail, "f.yaml", _measure(first), _done, at)
    stopped = edit_item(tail, "f.yaml", _measure(first), _done, at, _nodes(TEXT))
    assert stopped.item is not None and stopped.text.endswith("extra: *nowhere\n")


def test_edit_item__a_count_smaller_than_the_item_is_not_believed() -> None:
    at = _at(TEXT, "3.1")
    edited = edit_item(TEXT, "f.yaml", _measure("3.1"), _done, at, 2)
    assert edited.item is None and edited.text == _by_whole_draft(TEXT, _measure("3.1"), _done)


def test_edit_item__with_the_files_count_the_limit_is_still_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _at(TEXT, "3.1")
    total = _nodes(TEXT)
    monkeypatch.setattr(item_edit, "MAX_NODES", total + 2)  # done adds more than two nodes
    assert edit_item(TEXT, "f.yaml", _measure("3.1"), _done, at, total).item is None
