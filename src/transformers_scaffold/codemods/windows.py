"""The fast path of `AddMappingEntries`: run the libcst edit on a window of the list, not the file.

libcst parses ~10k lines a second here; `MODEL_MAPPING_NAMES` alone is 620 lines and a decoder
touches five mappings of `modeling_auto.py`. Inserting an entry only ever changes the entry before
it and the brackets, so the C `ast` parser locates the mapping and the insertion point, and libcst
parses just the lines of the two neighbours, wrapped as `_ = [ ... ]`. The same `_insert` edit
runs on that small list; its output minus the wrapper replaces the window's bytes.

Anything unusual (two entries for one mapping, a conflict, an element sharing its line with
another, "\\r" line ends) returns None and the caller takes the statement path, which gives the
same result (tests compare both on the real files) and raises the proper errors.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.facts.mappings import mapping_list

if TYPE_CHECKING:
    from transformers_scaffold.codemods.mappings import MappingEntry

Insert = Callable[[cst.List, "MappingEntry"], cst.List]


def _key(element: ast.expr) -> str | None:
    if isinstance(element, ast.Tuple) and len(element.elts) == 2:
        first = element.elts[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


class _Source:
    """Byte offsets of a file's lines (`ast` columns are UTF-8 byte offsets)."""

    def __init__(self, text: str) -> None:
        self.data = text.encode()
        self.starts = [0, *itertools.accumulate(len(line) + 1 for line in self.data.split(b"\n"))]

    def offset(self, lineno: int, col: int) -> int:
        return self.starts[lineno - 1] + col

    def owns_start(self, node: ast.expr) -> bool:
        """Nothing but indentation before `node` on its first line."""
        return not self.data[self.starts[node.lineno - 1] : self.offset(node.lineno, node.col_offset)].strip()


def _ends_its_line(items: ast.List, index: int) -> bool:
    """Nothing but its comma and a comment after entry `index` on its last line."""
    this = items.elts[index]
    following = items.elts[index + 1].lineno if index + 1 < len(items.elts) else items.end_lineno
    return following is not None and this.end_lineno is not None and following > this.end_lineno


def _window(src: _Source, items: ast.List, index: int) -> tuple[int, int, str, str] | None:
    """Byte range around insertion point `index`, and the wrapper making it a `_ = [...]` module."""
    elts = items.elts
    if elts[0].lineno == items.lineno:  # `[("a", "A"),` opens the list: the wrapper would not keep that layout
        return None
    if index < len(elts) and not _ends_its_line(items, index):
        return None
    if index > 0 and not src.owns_start(elts[index - 1]):
        return None
    if 0 < index < len(elts):  # from the line of the entry before to the end of the line of the entry after
        return src.starts[elts[index - 1].lineno - 1], src.starts[elts[index].end_lineno or 0], "_ = [\n", "]\n"
    if index == 0:  # from the real `[`
        return src.offset(items.lineno, items.col_offset), src.starts[elts[0].end_lineno or 0], "_ = ", "]\n"
    if items.end_lineno is None or items.end_col_offset is None:
        return None
    # to the real `]`
    return src.starts[elts[-1].lineno - 1], src.offset(items.end_lineno, items.end_col_offset), "_ = [\n", "\n"


def _edit_window(code: str, prefix: str, suffix: str, entry: MappingEntry, insert: Insert) -> str | None:
    try:
        module = cst.parse_module(prefix + code + suffix)
    except cst.ParserSyntaxError:
        return None
    line = module.body[0]
    assign = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
    if not isinstance(assign, cst.Assign) or not isinstance(assign.value, cst.List):
        return None
    new_line = line.with_changes(body=[assign.with_changes(value=insert(assign.value, entry))])
    out = module.with_changes(body=[new_line]).code
    if not (out.startswith(prefix) and out.endswith(suffix)):
        return None
    return out[len(prefix) : len(out) - len(suffix)]


def insert_in_windows(text: str, entries: Sequence[MappingEntry], insert: Insert) -> str | None:
    """`text` with each entry inserted via `insert` on a small window, or None for the slow path."""
    if "\r" in text or len({entry.mapping for entry in entries}) != len(entries):
        return None
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    src = _Source(text)
    edits: list[tuple[int, int, bytes]] = []
    for entry in entries:
        items = mapping_list(tree, entry.mapping)
        if items is None or not items.elts:
            return None
        keys = [_key(element) for element in items.elts]
        if entry.key in keys:
            existing = items.elts[keys.index(entry.key)].elts[1]  # type: ignore[attr-defined]
            wanted = ast.parse(f"({entry.value_source})", mode="eval").body
            if ast.dump(existing) == ast.dump(wanted):
                continue  # already there
            return None  # a conflict: the statement path raises the error
        index = next((i for i, key in enumerate(keys) if key is not None and key > entry.key), len(keys))
        window = _window(src, items, index)
        if window is None:
            return None
        start, end, prefix, suffix = window
        new = _edit_window(src.data[start:end].decode(), prefix, suffix, entry, insert)
        if new is None:
            return None
        edits.append((start, end, new.encode()))
    data = src.data
    for start, end, new_bytes in sorted(edits, reverse=True):
        data = data[:start] + new_bytes + data[end:]
    return data.decode()
