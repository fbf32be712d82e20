"""`AddTypeCheckingImport`: `from .<module> import *` under `if TYPE_CHECKING:`, in its sorted place.

`models/__init__.py` in Transformers 5.24 star-imports every model package for type checkers and
repo checks (runtime goes through `_LazyModule`). The imports are sorted by module name; the new one
goes before the first that sorts after it, and comments above an import stay with it.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.codemods.base import StatementCodemod
from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext


def _is_type_checking_test(test: ast.expr | cst.BaseExpression) -> bool:
    if isinstance(test, (ast.Name, ast.Attribute)):
        return (test.id if isinstance(test, ast.Name) else test.attr) == "TYPE_CHECKING"
    if isinstance(test, cst.Name):
        return test.value == "TYPE_CHECKING"
    return isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"


def _star_module(statement: cst.BaseStatement) -> str | None:
    """`x` for a `from .x import *` line, else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if not isinstance(node, cst.ImportFrom) or not isinstance(node.names, cst.ImportStar):
        return None
    if len(node.relative) != 1 or not isinstance(node.module, cst.Name):
        return None
    return node.module.value


class AddTypeCheckingImport(StatementCodemod):
    """Add `from .<module> import *` to the first top-level `if TYPE_CHECKING:` block."""

    DESCRIPTION = "Add `from .<module> import *` under `if TYPE_CHECKING:` in models/__init__.py, sorted."

    def __init__(self, context: CodemodContext | None = None, *, module: str, filename: str | None = None) -> None:
        super().__init__(context, filename=filename)
        if not module.isidentifier():
            raise ValueError(f"not a module name: {module!r}")
        self.module_name = module

    def wants(self, statement: ast.stmt) -> bool:
        return isinstance(statement, ast.If) and _is_type_checking_test(statement.test)

    def transform_statements(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out = list(body)
        for index, statement in enumerate(out):
            if isinstance(statement, cst.If) and _is_type_checking_test(statement.test):
                if not isinstance(statement.body, cst.IndentedBlock):
                    break
                out[index] = statement.with_changes(body=self._add_to(statement.body))
                return out
        raise UserError(
            f"{self.filename}: no `if TYPE_CHECKING:` block found; "
            "check that --repo is a Transformers v5 fork (src/transformers/models/__init__.py)"
        )

    def _add_to(self, block: cst.IndentedBlock) -> cst.IndentedBlock:
        lines = list(block.body)
        modules = [_star_module(line) for line in lines]
        if self.module_name in modules:
            return block  # already imported: running twice changes nothing
        index = next((i for i, m in enumerate(modules) if m is not None and m > self.module_name), None)
        if index is None:  # after the last star import (not after other trailing statements)
            last = max((i for i, m in enumerate(modules) if m is not None), default=len(lines) - 1)
            index = last + 1
        new = cst.parse_statement(f"from .{self.module_name} import *\n")
        if index == 0 and isinstance(lines[0], cst.SimpleStatementLine):
            # A comment above the first import heads the block: keep it on top.
            new = new.with_changes(leading_lines=lines[0].leading_lines)
            lines[0] = lines[0].with_changes(leading_lines=())
        lines.insert(index, new)
        return block.with_changes(body=lines)


def add_type_checking_import(text: str, module: str, filename: str | None = None) -> str:
    """Return `text` with `from .<module> import *` under `if TYPE_CHECKING:`, in its sorted place."""
    return AddTypeCheckingImport(module=module, filename=filename).apply(text)
