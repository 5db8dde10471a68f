"""The evidence a closing (销号) cites: a document number, a URL, or a file in the repository, hashed.

A closing without any would not pass an audit: it is refused unless ``--no-evidence`` says why.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from ..model.errors import UsageError
from .edit import Block, Node, Word
from .git import Repo

if TYPE_CHECKING:
    from .actions import Context

__all__ = ["DOC_NUMBER", "EvidenceRef", "check_evidence", "classify_evidence"]


@dataclass(frozen=True)
class EvidenceRef:
    ref: str
    kind: str  # doc | url | file
    sha256: str | None = None

    def block(self) -> Block:
        pairs: list[tuple[str, Node]] = [("ref", self.ref), ("kind", Word(self.kind))]
        if self.sha256:
            pairs.append(("sha256", self.sha256))
        return Block(tuple(pairs))


# 发文字号 (GB/T 9704-2012 7.2.4): the issuer's short name, the year in 〔〕, the number, 号 (张电〔2022〕12号,
# 甘政办发〔2022〕45号). Typed brackets vary ([2022], （2022）, 【2022】); it may stand inside a title.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fffA-Za-z]+[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,6}\s*号")


def classify_evidence(typed: str, ctx: Context) -> EvidenceRef:
    """A URL, a file inside the repository (hashed), or a document number (张电〔2022〕12号)."""
    from .actions import required_text  # actions plans the closing that cites this evidence

    ref = required_text(typed, "--evidence", "ref").strip()
    url = urlparse(ref)
    if url.scheme in ("http", "https") and url.netloc and not re.search(r"\s", ref):
        return EvidenceRef(ref, "url")
    if (found := _evidence_file(ref, ctx)) is not None:
        return found
    if DOC_NUMBER.search(unicodedata.normalize("NFKC", ref)):
        return EvidenceRef(ref, "doc")
    msg = f"佐证材料“{ref}”既不是文号（应写作 机关代字〔年份〕序号号，如 张电〔2022〕12号）、网址，也找不到这个文件"
    raise UsageError(msg)


def _evidence_file(ref: str, ctx: Context) -> EvidenceRef | None:
    """``ref`` as a file (from the working directory, else the repository's top), if there is one."""
    base = ctx.repo.top if ctx.repo else ctx.root.resolve().parent
    for candidate in (ctx.cwd / ref, base / ref):
        path = candidate.expanduser().resolve()
        if not path.is_file():
            continue
        if not path.is_relative_to(base):
            msg = f"佐证文件 {ref} 不在{'仓库' if ctx.repo else '台账所在目录'}（{base}）之内"
            raise UsageError(msg)
        if _in_git_dir(path, base, ctx.repo):
            msg = f"佐证文件 {ref} 在 git 的内部目录（.git）中，不能作为佐证材料；请把佐证文件放在仓库的普通目录里"
            raise UsageError(msg)
        try:
            with path.open("rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError as exc:
            msg = f"无法读取佐证文件 {ref}（{exc.strerror or exc}）"
            raise UsageError(msg) from None
        from .actions import required_text

        return EvidenceRef(required_text(path.relative_to(base).as_posix(), "--evidence", "ref"), "file", digest)
    return None


def _in_git_dir(path: Path, base: Path, repo: Repo | None) -> bool:
    """``path`` (resolved: no ``..``, no symlink) lies in git's own files: a ``.git`` folder, or the repo's git dir."""
    if any(part.casefold() == ".git" for part in path.relative_to(base).parts):
        return True
    return repo is not None and path.is_relative_to(repo.git_dir)


NEEDS_EVIDENCE = (
    "销号须有佐证材料：用 --evidence 给出文号（如 张电〔2022〕12号）、网址或仓库内的文件，可多次给出；"
    "确实没有的，用 --no-evidence --note 原因 写明为什么没有"
)


def check_evidence(note: str | None, evidence: list[str], no_evidence: bool) -> None:
    """A closing without evidence would not pass an audit: evidence, or an explicit, explained --no-evidence."""
    if no_evidence and evidence:
        msg = "--no-evidence 与 --evidence 不能同时给出"
        raise UsageError(msg)
    if no_evidence and (note is None or not note.strip()):
        msg = "--no-evidence 须同时用 --note 写明没有佐证材料的原因"
        raise UsageError(msg)
    if not evidence and not no_evidence:
        raise UsageError(NEEDS_EVIDENCE)
