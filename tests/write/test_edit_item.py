"""item_edit.edit_item: the edits of one list item made on its own lines give what a Draft of the whole file gives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bizenv_ledger.store import yaml_reader
from bizenv_ledger.write.edit import Block, Draft, Word, measure_path, metric_path
from bizenv_ledger.write.item_edit import edit_item
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


def _by_whole_draft(text: str, locate: Callable[[Any], Path_], change: Callable[[Draft, Path_], None]) -> str:
    draft = Draft(text, "f.yaml")
    change(draft, locate(draft.data))
    return draft.result()


def _measure(measure_id: str) -> Callable[[Any], Path_]:
    def locate(data: Any) -> Path_:
        path = measure_path(data, measure_id)
        assert path is not None
        return path

    return locate


@pytest.mark.parametrize("change", [_done, _progress], ids=["done", "progress"])
@pytest.mark.parametrize("measure_id", _ids(TEXT))
def test_edit_item__same_text_as_a_draft_of_the_whole_file(measure_id: str, change: Any) -> None:
    """Every measure of the commented fixture (comments, block scalars, flow items, the last item)."""
    expected = _by_whole_draft(TEXT, _measure(measure_id), change)
    assert edit_item(TEXT, "f.yaml", _measure(measure_id), change) == expected


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: "\ufeff" + t.replace("\n", "\r\n"),  # a BOM and Windows line ends
        lambda t: t[: t.rindex("\n")],  # the last measure's last line the file's, with no line end
        lambda t: t.replace('  - id: "3.1"\n', '  -\n    id: "3.1"\n', 1),  # an item whose dash stands alone
    ],
    ids=["bom-crlf", "unterminated", "dash-alone"],
)
def test_edit_item__odd_layouts_give_the_whole_draft_text(variant: Callable[[str], str]) -> None:
    text = variant(TEXT)
    assert text != TEXT
    for measure_id in (_ids(text)[0], _ids(text)[-1]):
        expected = _by_whole_draft(text, _measure(measure_id), _done)
        assert edit_item(text, "f.yaml", _measure(measure_id), _done) == expected


def test_edit_item__a_metric_reading_appended() -> None:
    def locate(data: Any) -> Path_:
        path = metric_path(data, "high_voltage_days")
        assert path is not None
        return path

    def change(draft: Draft, path: Path_) -> None:
        draft.append_item(path, "readings", Block((("on", "2022-08-15"), ("value", 4))))

    assert edit_item(TEXT, "f.yaml", locate, change) == _by_whole_draft(TEXT, locate, change)


def test_edit_item__parses_the_whole_file_twice_where_a_draft_parses_it_after_every_edit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once for where the item is, once to check the new text (the parse the write's check then reuses)."""
    measure_id = _ids(TEXT)[1]
    whole: list[int] = []
    real = yaml_reader._Composer.run

    def counting(self: Any, text: str) -> Any:
        if len(text) > len(TEXT) // 2:
            whole.append(len(text))
        return real(self, text)

    monkeypatch.setattr(yaml_reader._Composer, "run", counting)
    new = edit_item(TEXT, "f.yaml", _measure(measure_id), _done)
    assert len(whole) == 2
    assert yaml_reader.parse(new.encode("utf-8"), positions=False)[0] is not None
    assert len(whole) == 2  # the new text, parsed without positions, is the one just checked
    whole.clear()
    _by_whole_draft(TEXT, _measure(measure_id), _done)
    assert len(whole) == 3  # the file, then again after each of the two edits
