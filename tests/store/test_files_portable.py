"""Atomic writes where directories cannot be opened (Windows): the directory fsync is skipped cleanly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bizenv_ledger.store import files as _fsio
from bizenv_ledger.store.files import atomic_write


def _refuse_directories(monkeypatch: pytest.MonkeyPatch) -> None:
    """os.open on a directory fails as it does on Windows (PermissionError); files open as usual."""
    real_open = os.open

    def windows_open(path: str | os.PathLike[str], flags: int, *args: int, **kw: object) -> int:
        if Path(path).is_dir():
            raise PermissionError(13, "拒绝访问。", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", windows_open)


def test_atomic_write__without_directory_fsync_never_opens_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "台账.csv"
    target.write_bytes(b"old")
    _refuse_directories(monkeypatch)
    monkeypatch.setattr(_fsio, "_DIRECTORY_FSYNC", True)
    with pytest.raises(PermissionError):  # what the unguarded code did on Windows
        atomic_write(target, b"new")
    monkeypatch.setattr(_fsio, "_DIRECTORY_FSYNC", False)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.csv"]


def test_atomic_write__without_fchmod_still_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fchmod")  # Windows before Python 3.13
    target = tmp_path / "新文件.html"
    atomic_write(target, "挂图".encode())
    assert target.read_text(encoding="utf-8") == "挂图"
