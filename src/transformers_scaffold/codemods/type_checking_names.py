"""`AddTypeCheckingName`: `from .<module> import <Name>` under `if TYPE_CHECKING:`, in its sorted place.

Two places use it for a new pipeline: `pipelines/__init__.py` (`from .text_scoring import
TextScoringPipeline`, sorted by module) and the top-level `transformers/__init__.py` (`from
.pipelines import TextScoringPipeline as TextScoringPipeline`, the re-export form, sorted by name
among the imports from the same module). The new line goes before the first import of the block
whose (module, name) sorts after it; imports from the same module are preferred neighbours, so
it lands inside its group (the `# Pipelines` comment above the group stays where it is).
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


def _is_type_checking(test: ast.expr | cst.BaseExpression) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    if isinstance(test, cst.Name):
        return test.value == "TYPE_CHECKING"
    return isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"


def _imported(line: cst.BaseStatement) -> tuple[str, list[str]] | None:
    """(".module", [names]) of a relative `from .module import A[, B]` line, else None."""
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    node = line.body[0]
    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar) or not node.relative:
        return None
    module = "." * len(node.relative) + (cst.Module([]).code_for_node(node.module) if node.module else "")
    return module, [alias.evaluated_name for alias in node.names]


class AddTypeCheckingName(StatementCodemod):
    """Add `from <module> import <name>` (or `... as <name>`) to the first top-level `if TYPE_CHECKING:`."""

    NAME = "add-type-checking-name"
    DESCRIPTION = "Add `from .<module> import <Name>` under `if TYPE_CHECKING:`, in sorted place."
    FILES = ("src/transformers/pipelines/__init__.py", "src/transformers/__init__.py")

    def __init__(
        self,
        context: CodemodContext | None = None,
        *,
        module: str,
        name: str,
        reexport: bool = False,
        filename: str | None = None,
    ) -> None:
        super().__init__(context, filename=filename)
        if not module.startswith(".") or not all(p.isidentifier() for p in module.lstrip(".").split(".")):
            raise ValueError(f"not a relative module: {module!r}")
        if not name.isidentifier():
            raise ValueError(f"not a Python name: {name!r}")
        self.module, self.name, self.reexport = module, name, reexport

    def wants(self, statement: ast.stmt) -> bool:
        return isinstance(statement, ast.If) and _is_type_checking(statement.test)

    def transform_statements(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out = list(body)
        for index, statement in enumerate(out):
            if isinstance(statement, cst.If) and _is_type_checking(statement.test):
                if not isinstance(statement.body, cst.IndentedBlock):
                    raise UserError(f"{self.filename}: the `if TYPE_CHECKING:` body is on the `if` line; indent it")
                out[index] = statement.with_changes(body=self._add(statement.body))
                return out
        raise UserError(
            f"{self.filename}: no top-level `if TYPE_CHECKING:` block found; is this a Transformers v5 fork?"
        )

    def _add(self, block: cst.IndentedBlock) -> cst.IndentedBlock:
        lines = list(block.body)
        found = [_imported(line) for line in lines]
        if any(f is not None and f[0] == self.module and self.name in f[1] for f in found):
            return block
        mine = (self.module, self.name)
        same = [i for i, f in enumerate(found) if f is not None and f[0] == self.module]
        candidates = same or [i for i, f in enumerate(found) if f is not None and f[0].count(".") == 1 and f[0] != "."]
        after = next((i for i in candidates if (found[i][0], found[i][1][0]) > mine), None)  # type: ignore[index]
        index = after if after is not None else (candidates[-1] + 1 if candidates else len(lines))
        alias = f" as {self.name}" if self.reexport else ""
        new = cst.parse_statement(f"from {self.module} import {self.name}{alias}\n")
        head = lines[index] if candidates and index == candidates[0] else None
        if isinstance(head, cst.SimpleStatementLine):
            # First of its group: the group's heading comment (and blank lines) move up with it.
            new = new.with_changes(leading_lines=head.leading_lines)
            lines[index] = head.with_changes(leading_lines=())
        lines.insert(index, new)
        return block.with_changes(body=lines)


def add_type_checking_name(
    text: str, module: str, name: str, reexport: bool = False, filename: str | None = None
) -> str:
    """Return `text` with `from <module> import <name>` under `if TYPE_CHECKING:`."""
    return AddTypeCheckingName(module=module, name=name, reexport=reexport, filename=filename).apply(text)
