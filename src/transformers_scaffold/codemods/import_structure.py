"""`AddImportStructureName`: a public name in the top-level `_import_structure` of `transformers/__init__.py`.

The top-level package declares its lazy exports as `_import_structure = {"pipelines": ["...",
...], ...}`, each list sorted; a new pipeline class goes into the `"pipelines"` list in its
sorted place (plain string order, as upstream keeps them). Idempotent.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.codemods.base import StatementCodemod, assigned_names, py_string, string_value
from transformers_scaffold.codemods.containers import insert_element, sorted_index
from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext

IMPORT_STRUCTURE = "_import_structure"


class AddImportStructureName(StatementCodemod):
    """Add `name` to the list under `key` of the top-level `_import_structure` dict, sorted."""

    NAME = "add-import-structure-name"
    DESCRIPTION = "Add a public name to `_import_structure[key]` in transformers/__init__.py, sorted."
    FILES = ("src/transformers/__init__.py",)

    def __init__(
        self, context: CodemodContext | None = None, *, key: str, name: str, filename: str | None = None
    ) -> None:
        super().__init__(context, filename=filename)
        if not name.isidentifier():
            raise ValueError(f"not a Python name: {name!r}")
        self.key, self.name = key, name

    def wants(self, statement: ast.stmt) -> bool:
        return IMPORT_STRUCTURE in assigned_names(statement)

    def transform_statements(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out = list(body)
        for index, statement in enumerate(out):
            if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
                continue
            node = statement.body[0]
            if not isinstance(node, cst.Assign):
                continue
            if not any(isinstance(t.target, cst.Name) and t.target.value == IMPORT_STRUCTURE for t in node.targets):
                continue
            if not isinstance(node.value, cst.Dict):
                continue
            out[index] = statement.with_deep_changes(node, value=self._edit(node.value))
            return out
        raise UserError(
            f"{self.filename}: no top-level `{IMPORT_STRUCTURE} = {{...}}` dict found; is this a Transformers v5 fork?"
        )

    def _edit(self, mapping: cst.Dict) -> cst.Dict:
        for i, element in enumerate(mapping.elements):
            if isinstance(element, cst.DictElement) and string_value(element.key) == self.key:
                if not isinstance(element.value, cst.List):
                    raise UserError(
                        f"{self.filename}: {IMPORT_STRUCTURE}[{self.key!r}] is not a list literal; edit it by hand"
                    )
                names = [string_value(e.value) for e in element.value.elements]
                if self.name in names:
                    return mapping
                new_list = insert_element(
                    element.value, sorted_index(names, self.name), cst.Element(cst.SimpleString(py_string(self.name)))
                )
                elements = list(mapping.elements)
                elements[i] = element.with_changes(value=new_list)
                return mapping.with_changes(elements=elements)
        raise UserError(
            f"{self.filename}: {IMPORT_STRUCTURE} has no {self.key!r} key; is this a Transformers v5 fork?"
        )


def add_import_structure_name(text: str, key: str, name: str, filename: str | None = None) -> str:
    """Return `text` with `name` in `_import_structure[key]`."""
    return AddImportStructureName(key=key, name=name, filename=filename).apply(text)
