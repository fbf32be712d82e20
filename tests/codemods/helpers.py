"""Shared assertions for codemod tests: only inserted lines differ."""

from __future__ import annotations

import difflib
from pathlib import Path

AUTO = Path("src/transformers/models/auto")


def inserted_lines(old: str, new: str) -> list[str]:
    """The lines `new` inserts into `old`; fails if any byte of `old` was changed or removed."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    added: list[str] = []
    kept: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), f"{tag}: {a[i1:i2]!r} -> {b[j1:j2]!r}"
        if tag == "insert":
            added += b[j1:j2]
        else:
            kept += b[j1:j2]
    assert "".join(kept) == old  # byte for byte, line ends included
    return [line.rstrip("\r\n") for line in added]


def facts_at(root: Path, overlay: dict[Path, str | None] | None = None):
    """The fork-facts layer over `root`, with some files replaced (`overlay`: absolute path -> text,
    None hides a file): what the pipeline sees after earlier edits, without writing them."""
    from transformers_scaffold.facts import ForkFacts

    def read(rel: str) -> str | None:
        path = root / rel
        if overlay and path in overlay:
            return overlay[path]
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return ForkFacts(root, read=read)
