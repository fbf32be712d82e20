"""`AddDictEntry`: insert `"key": value,` into a top-level dict literal, sorted or at the end.

Used for `_PIPELINE_CLASS_TO_MODULE` in `pipelines/__init__.py` (the lazy-import table: class
name -> submodule, sorted by class name) and, through `AddSupportedTask`, for `SUPPORTED_TASKS`
(insertion order, new tasks at the end). Idempotent: the same key with the same value is a no-op;
the same key with another value is a `UserError`.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.codemods.base import StatementCodemod, assigned_names, py_string, string_value
from transformers_scaffold.codemods.containers import element_indent, insert_element, sorted_index
from transformers_scaffold.codemods.mappings import PyExpr
from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext


def _dict_of(statement: cst.BaseStatement, name: str) -> tuple[cst.Dict, cst.SimpleStatementLine] | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    targets = (
        [t.target for t in node.targets]
        if isinstance(node, cst.Assign)
        else [node.target]
        if isinstance(node, cst.AnnAssign)
        else []
    )
    if not any(isinstance(t, cst.Name) and t.value == name for t in targets):
        return None
    value = getattr(node, "value", None)
    return (value, statement) if isinstance(value, cst.Dict) else None


class AddDictEntry(StatementCodemod):
    """Insert `"key": value` into the dict literal assigned to `name` at top level."""

    NAME = "add-dict-entry"
    DESCRIPTION = 'Insert a "key": value entry into a top-level dict literal, in sorted place or at the end.'
    FILES = ("src/transformers/pipelines/__init__.py",)

    def __init__(
        self,
        context: CodemodContext | None = None,
        *,
        name: str,
        key: str,
        value: str | PyExpr,
        sort: bool = True,
        filename: str | None = None,
    ) -> None:
        super().__init__(context, filename=filename)
        self.name, self.key, self.value, self.sort = name, key, value, sort

    def value_source(self, indent: str | None) -> str:
        """The value's Python source; `indent` is the elements' indentation (None: one-line dict)."""
        return self.value.source if isinstance(self.value, PyExpr) else py_string(self.value)

    def wants(self, statement: ast.stmt) -> bool:
        return self.name in assigned_names(statement)

    def transform_statements(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out = list(body)
        for index, statement in enumerate(out):
            found = _dict_of(statement, self.name)
            if found is None:
                continue
            mapping, line = found
            out[index] = line.with_deep_changes(line.body[0], value=self._insert(mapping))
            return out
        raise UserError(
            f"{self.filename}: no top-level `{self.name} = {{...}}` dict found; is this a Transformers v5 fork?"
        )

    def _insert(self, mapping: cst.Dict) -> cst.Dict:
        keys = [string_value(e.key) if isinstance(e, cst.DictElement) else None for e in mapping.elements]
        source = self.value_source(element_indent(mapping))
        try:
            value = cst.parse_expression(source)
        except cst.ParserSyntaxError as exc:
            raise ValueError(f"not a Python expression: {source!r}") from exc
        if self.key in keys:
            existing = mapping.elements[keys.index(self.key)]
            assert isinstance(existing, cst.DictElement)
            if ast.dump(ast.parse(f"({cst.Module([]).code_for_node(existing.value)})", mode="eval")) == ast.dump(
                ast.parse(f"({source})", mode="eval")
            ):
                return mapping  # already there
            raise UserError(
                f"{self.filename}: {self.name} already has the key {self.key!r} with another value; remove it first"
            )
        index = sorted_index(keys, self.key) if self.sort else len(keys)
        element = cst.DictElement(
            key=cst.SimpleString(py_string(self.key)),
            value=value,
            whitespace_before_colon=cst.SimpleWhitespace(""),
            whitespace_after_colon=cst.SimpleWhitespace(" "),
        )
        return insert_element(mapping, index, element)


def add_dict_entry(
    text: str, name: str, key: str, value: str | PyExpr, sort: bool = True, filename: str | None = None
) -> str:
    """Return `text` with `"key": value` in the top-level dict `name`."""
    return AddDictEntry(name=name, key=key, value=value, sort=sort, filename=filename).apply(text)
