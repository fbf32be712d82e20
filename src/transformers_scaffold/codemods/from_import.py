"""`AddFromImportName`: a name in an existing `from <module> import (...)` statement, sorted.

`SUPPORTED_TASKS` refers to auto classes by name (`(AutoModelForX,) if is_torch_available()
else ()`), imported in `pipelines/__init__.py` under `if is_torch_available():` from
`..models.auto.modeling_auto`. A task whose auto class is not imported yet needs it added there.
Names are kept in isort's case-insensitive order, as ruff writes that import. Idempotent.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.codemods.base import StatementCodemod
from transformers_scaffold.codemods.containers import sorted_index
from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext


def _guard_name(test: ast.expr | cst.BaseExpression) -> str | None:
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name):
        return test.func.id
    if isinstance(test, cst.Call) and isinstance(test.func, cst.Name):
        return test.func.value
    return None


def _module_of(node: cst.ImportFrom) -> str:
    return "." * len(node.relative) + (cst.Module([]).code_for_node(node.module) if node.module else "")


class AddFromImportName(StatementCodemod):
    """Add `name` to the `from <module> import (...)` inside the first top-level `if <guard>():` block."""

    NAME = "add-from-import-name"
    DESCRIPTION = "Add a name to an existing `from <module> import (...)` under `if <guard>():`, sorted."
    FILES = ("src/transformers/pipelines/__init__.py",)

    def __init__(
        self,
        context: CodemodContext | None = None,
        *,
        module: str,
        name: str,
        guard: str = "is_torch_available",
        filename: str | None = None,
    ) -> None:
        super().__init__(context, filename=filename)
        if not name.isidentifier():
            raise ValueError(f"not a Python name: {name!r}")
        self.module, self.name, self.guard = module, name, guard

    def wants(self, statement: ast.stmt) -> bool:
        return isinstance(statement, ast.If) and _guard_name(statement.test) == self.guard

    def transform_statements(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out = list(body)
        for index, statement in enumerate(out):
            if not (isinstance(statement, cst.If) and _guard_name(statement.test) == self.guard):
                continue
            if not isinstance(statement.body, cst.IndentedBlock):
                continue
            lines = list(statement.body.body)
            for i, line in enumerate(lines):
                if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
                    continue
                node = line.body[0]
                if (
                    isinstance(node, cst.ImportFrom)
                    and _module_of(node) == self.module
                    and not isinstance(node.names, cst.ImportStar)
                ):
                    lines[i] = line.with_changes(body=[self._add(node)])
                    out[index] = statement.with_changes(body=statement.body.with_changes(body=lines))
                    return out
        raise UserError(
            f"{self.filename}: no `from {self.module} import (...)` under `if {self.guard}():`; add the import by hand"
        )

    def _add(self, node: cst.ImportFrom) -> cst.ImportFrom:
        aliases = list(node.names)  # type: ignore[arg-type]
        names = [alias.evaluated_name for alias in aliases]
        if self.name in names:
            return node
        index = sorted_index([n.lower() for n in names], self.name.lower())
        template = aliases[min(index, len(aliases) - 2)] if len(aliases) > 1 else aliases[0]
        comma = (
            template.comma
            if isinstance(template.comma, cst.Comma)
            else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        new = cst.ImportAlias(name=cst.Name(self.name), comma=comma)
        if index == len(aliases):
            last = aliases[-1]
            aliases[-1] = last.with_changes(comma=comma)
            new = new.with_changes(comma=last.comma)
        aliases.insert(index, new)
        return node.with_changes(names=aliases)


def add_from_import_name(
    text: str, module: str, name: str, guard: str = "is_torch_available", filename: str | None = None
) -> str:
    """Return `text` with `name` imported from `module` under `if <guard>():`."""
    return AddFromImportName(module=module, name=name, guard=guard, filename=filename).apply(text)
