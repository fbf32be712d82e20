"""`AddMappingEntry`: insert `("key", value),` into an auto mapping, in its sorted place.

Transformers' auto mappings are module-level `NAME = OrderedDict([("key", value), ...])` (also
`OrderedDict[str, str | None]([...])` in `tokenization_auto.py`), kept sorted by key (plain string
order: `"EvollaModel"` < `"aimv2"`, `"bert"` < `"bert-generation"` < `"big_bird"`). The new entry
goes before the first key that sorts after it, so a mapping that is not perfectly sorted still gets
a deterministic place. Comments stay with the entry below them; the trailing comma and the
indentation are copied from the neighbours.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.codemods.base import StatementCodemod, assigned_names, py_string, string_value
from transformers_scaffold.codemods.windows import insert_in_windows
from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext

LINE_LENGTH = 119  # Transformers' ruff `line-length`: a longer new entry is exploded as ruff would


@dataclass(frozen=True)
class PyExpr:
    """A mapping value given as Python source, e.g. `"BertTokenizer" if is_tokenizers_available() else None`."""

    source: str


@dataclass(frozen=True)
class MappingEntry:
    """One `(key, value)` pair for the mapping assigned to `mapping`. A `str` value is quoted for you."""

    mapping: str
    key: str
    value: str | PyExpr

    @property
    def value_source(self) -> str:
        return self.value.source if isinstance(self.value, PyExpr) else py_string(self.value)


class AddMappingEntries(StatementCodemod):
    """Insert several entries, possibly into several mappings of one file, in one pass."""

    NAME = "add-mapping-entries"
    DESCRIPTION = "Insert (key, value) entries into OrderedDict auto mappings, each in its sorted place."
    FILES = (
        "src/transformers/models/auto/auto_mappings.py",
        "src/transformers/models/auto/configuration_auto.py",
        "src/transformers/models/auto/modeling_auto.py",
        "src/transformers/models/auto/tokenization_auto.py",
    )

    def __init__(
        self,
        context: CodemodContext | None = None,
        entries: Iterable[MappingEntry] = (),
        *,
        filename: str | None = None,
    ) -> None:
        super().__init__(context, filename=filename)
        self.entries = list(entries)
        for entry in self.entries:
            try:
                ast.parse(f"({entry.value_source})", mode="eval")
            except SyntaxError as exc:
                raise ValueError(f"mapping value is not a Python expression: {entry.value_source!r}") from exc
        self._targets = {entry.mapping for entry in self.entries}

    def wants(self, statement: ast.stmt) -> bool:
        return any(name in self._targets for name in assigned_names(statement))

    def apply(self, text: str) -> str:
        fast = insert_in_windows(text, self.entries, lambda pairs, entry: _insert(pairs, entry, self.filename))
        return fast if fast is not None else super().apply(text)

    def transform_statements(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out = list(body)
        for mapping in dict.fromkeys(entry.mapping for entry in self.entries):
            index, old, put = _find_mapping(out, mapping, self.filename)
            pairs = old
            for entry in self.entries:
                if entry.mapping == mapping:
                    pairs = _insert(pairs, entry, self.filename)
            if pairs is not old:
                out[index] = put(pairs)
        return out


class AddMappingEntry(AddMappingEntries):
    """Insert `("key", value),` into the mapping assigned to `mapping`, in its sorted place."""

    NAME = "add-mapping-entry"
    DESCRIPTION = "Insert one (key, value) entry into an OrderedDict auto mapping, in its sorted place."

    def __init__(
        self,
        context: CodemodContext | None = None,
        *,
        mapping: str,
        key: str,
        value: str | PyExpr,
        filename: str | None = None,
    ) -> None:
        super().__init__(context, [MappingEntry(mapping, key, value)], filename=filename)


def apply_mapping_entries(text: str, entries: Iterable[MappingEntry], filename: str | None = None) -> str:
    """Return `text` with every entry inserted (one parse, one pass); unchanged entries are no-ops."""
    entries = list(entries)
    if not entries:
        return text
    return AddMappingEntries(entries=entries, filename=filename).apply(text)


def add_mapping_entry(text: str, mapping: str, key: str, value: str | PyExpr, filename: str | None = None) -> str:
    """Return `text` with `(key, value)` inserted into `mapping`."""
    return apply_mapping_entries(text, [MappingEntry(mapping, key, value)], filename)


# --- the edit itself, on libcst nodes -------------------------------------------------------------


def _locate(
    statement: cst.BaseStatement, mapping: str
) -> tuple[cst.List, Callable[[cst.List], cst.BaseStatement]] | None:
    """The `[...]` of a `mapping = OrderedDict([...])`-style statement and a function putting a new one in its place."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    for position, small in enumerate(statement.body):
        if isinstance(small, cst.Assign):
            names = [t.target.value for t in small.targets if isinstance(t.target, cst.Name)]
        elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            names = [small.target.value]
        else:
            continue
        value = small.value
        if mapping not in names or value is None:
            continue
        call = value if isinstance(value, cst.Call) and value.args else None
        items = call.args[0].value if call and call.args[0].keyword is None and not call.args[0].star else value
        if not isinstance(items, cst.List):
            continue

        def put(
            new: cst.List, small: cst.Assign | cst.AnnAssign = small, call: cst.Call | None = call, at: int = position
        ):
            new_value = call.with_changes(args=[call.args[0].with_changes(value=new), *call.args[1:]]) if call else new
            body = list(statement.body)
            body[at] = small.with_changes(value=new_value)
            return statement.with_changes(body=body)

        return items, put
    return None


def _find_mapping(
    body: Sequence[cst.BaseStatement], mapping: str, filename: str
) -> tuple[int, cst.List, Callable[[cst.List], cst.BaseStatement]]:
    for index, statement in enumerate(body):
        found = _locate(statement, mapping)
        if found is not None:
            return index, *found
    raise UserError(
        f"{filename}: no `{mapping} = OrderedDict([...])` mapping found; check that --repo is a Transformers v5 fork"
    )


def _entry_key(element: cst.BaseElement) -> str | None:
    value = element.value
    if isinstance(value, cst.Tuple) and len(value.elements) == 2:
        return string_value(value.elements[0].value)
    return None


def _same_value(existing: cst.BaseExpression, source: str) -> bool:
    old = cst.Module(body=[]).code_for_node(existing)
    try:
        return ast.dump(ast.parse(f"({old})", mode="eval")) == ast.dump(ast.parse(f"({source})", mode="eval"))
    except SyntaxError:
        return False


def _indent_of(pairs: cst.List, index: int) -> str | None:
    """The indentation of element `index` (None when the list is on one line)."""
    ws: object = pairs.lbracket.whitespace_after if index == 0 else pairs.elements[index - 1].comma
    if index > 0:
        ws = ws.whitespace_after if isinstance(ws, cst.Comma) else None
    return ws.last_line.value if isinstance(ws, cst.ParenthesizedWhitespace) else None


def _newline_then(indent: str, like: cst.ParenthesizedWhitespace | None = None) -> cst.ParenthesizedWhitespace:
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(),
        empty_lines=like.empty_lines if like else (),
        indent=like.indent if like else True,
        last_line=cst.SimpleWhitespace(indent),
    )


def _element_node(entry: MappingEntry, indent: str | None) -> cst.BaseExpression:
    """`("key", value)`, exploded over several lines the way ruff writes it when it does not fit."""
    key = py_string(entry.key)
    value = textwrap.dedent(entry.value_source.strip("\n"))
    if indent is None:  # a one-line list stays on one line
        return cst.parse_expression(f"({key}, {' '.join(value.split()) if chr(10) in value else value})")
    if "\n" not in value and len(f"{indent}({key}, {value}),") <= LINE_LENGTH:
        return cst.parse_expression(f"({key}, {value})")
    inner = indent + " " * 4
    if "\n" not in value and len(f"{inner}{value},") > LINE_LENGTH:
        value = _split_conditional(value)
    return cst.parse_expression(f"(\n{inner}{key},\n{textwrap.indent(value, inner)},\n{indent})")


def _split_conditional(value: str) -> str:
    """`a if b else c` on three lines, as ruff splits a conditional that does not fit; else `value`."""
    node = cst.parse_expression(value)
    if not isinstance(node, cst.IfExp) or node.lpar:
        return value
    code = cst.Module(body=[]).code_for_node
    return f"{code(node.body)}\nif {code(node.test)}\nelse {code(node.orelse)}"


def _insert(pairs: cst.List, entry: MappingEntry, filename: str) -> cst.List:
    elements = list(pairs.elements)
    for element in elements:
        if _entry_key(element) == entry.key:
            existing = element.value.elements[1].value  # type: ignore[attr-defined]
            if _same_value(existing, entry.value_source):
                return pairs  # already there: running twice changes nothing
            shown = cst.Module(body=[]).code_for_node(existing)
            raise UserError(
                f"{filename}: {entry.mapping} already maps {entry.key!r} to {shown}, not {entry.value_source}; "
                "pick another model name or remove the existing entry"
            )
    index = next(
        (i for i, element in enumerate(elements) if (key := _entry_key(element)) is not None and key > entry.key),
        len(elements),
    )
    node = _element_node(entry, _indent_of(pairs, max(index - 1, 0)))
    if not elements:  # an empty mapping: keep it on one line
        return pairs.with_changes(elements=[cst.Element(node)])
    multiline = isinstance(pairs.lbracket.whitespace_after, cst.ParenthesizedWhitespace)
    if index == 0:
        first_indent = _indent_of(pairs, 0)
        sep = _newline_then(first_indent) if multiline and first_indent is not None else cst.SimpleWhitespace(" ")
        return pairs.with_changes(elements=[cst.Element(node, comma=cst.Comma(whitespace_after=sep)), *elements])
    prev = elements[index - 1]
    indent = _indent_of(pairs, index - 1)
    prev_comma = prev.comma
    if isinstance(prev_comma, cst.Comma) and isinstance(prev_comma.whitespace_after, cst.ParenthesizedWhitespace):
        after = prev_comma.whitespace_after
        # prev keeps its own trailing comment; the comment lines below it stay above the next entry.
        here = after.last_line if index < len(elements) else cst.SimpleWhitespace(indent or "")
        new_prev = prev.with_changes(
            comma=prev_comma.with_changes(whitespace_after=after.with_changes(empty_lines=(), last_line=here))
        )
        new = cst.Element(node, comma=cst.Comma(whitespace_after=_newline_then(after.last_line.value, after)))
    else:  # prev is the last entry (libcst gives the line break before `]` to the bracket), or a one-line list
        sep = _newline_then(indent) if multiline and indent is not None else cst.SimpleWhitespace(" ")
        closing = pairs.rbracket.whitespace_before
        if index == len(elements) and isinstance(closing, cst.ParenthesizedWhitespace) and closing.first_line.comment:
            # `("zaya", "ZayaModel"),  # note` then `]`: the note stays on zaya's line, not ours.
            sep = (
                sep.with_changes(first_line=closing.first_line)
                if isinstance(sep, cst.ParenthesizedWhitespace)
                else sep
            )
            pairs = pairs.with_changes(
                rbracket=pairs.rbracket.with_changes(
                    whitespace_before=closing.with_changes(first_line=cst.TrailingWhitespace())
                )
            )
        base = prev_comma if isinstance(prev_comma, cst.Comma) else cst.Comma()
        new_prev = prev.with_changes(comma=base.with_changes(whitespace_after=sep))
        new = cst.Element(node, comma=prev_comma if index == len(elements) else cst.Comma(whitespace_after=sep))
    elements[index - 1 : index] = [new_prev, new]
    return pairs.with_changes(elements=elements)
