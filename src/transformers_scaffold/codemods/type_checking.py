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


def _ast_star_module(statement: ast.stmt) -> str | None:
    """`x` for a `from .x import *` statement (as `ast` sees it), else None."""
    if not isinstance(statement, ast.ImportFrom) or statement.level != 1 or not statement.module:
        return None
    star = "." not in statement.module and [alias.name for alias in statement.names] == ["*"]
    return statement.module if star else None


class AddTypeCheckingImport(StatementCodemod):
    """Add `from .<module> import *` to the first top-level `if TYPE_CHECKING:` block."""

    NAME = "add-type-checking-import"
    DESCRIPTION = "Add `from .<module> import *` under `if TYPE_CHECKING:` in models/__init__.py, sorted."
    FILES = ("src/transformers/models/__init__.py",)

    def __init__(self, context: CodemodContext | None = None, *, module: str, filename: str | None = None) -> None:
        super().__init__(context, filename=filename)
        if not module.isidentifier():
            raise ValueError(f"not a module name: {module!r}")
        self.module_name = module

    def wants(self, statement: ast.stmt) -> bool:
        return isinstance(statement, ast.If) and _is_type_checking_test(statement.test)

    def apply(self, text: str) -> str:
        fast = self._apply_window(text)
        return fast if fast is not None else super().apply(text)

    def _apply_window(self, text: str) -> str | None:
        """Like `mappings`' fast path: libcst sees only the imports around the insertion point.

        The window is the real `if TYPE_CHECKING:` line (first place) or a stand-in for it, plus
        the whole lines of the statements before and after; None means "take the statement path".
        """
        if "\r" in text:
            return None
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return None
        block = next((s for s in tree.body if isinstance(s, ast.If) and _is_type_checking_test(s.test)), None)
        if (
            block is None
            or len({s.lineno for s in block.body}) != len(block.body)
            or block.body[0].lineno <= block.lineno
        ):
            return None
        if any(s.lineno <= (p.end_lineno or p.lineno) for p, s in zip(block.body, block.body[1:], strict=False)):
            return None  # statements sharing lines
        modules = [_ast_star_module(s) for s in block.body]
        if self.module_name in modules:
            return text
        index = next((i for i, m in enumerate(modules) if m is not None and m > self.module_name), None)
        if index is None:
            index = max((i for i, m in enumerate(modules) if m is not None), default=len(modules) - 1) + 1
        lines = text.split("\n")
        chunks = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
        body = block.body
        if index == 0:
            start, end, prefix = block.lineno - 1, body[0].end_lineno or body[0].lineno, ""
        else:
            last = body[index] if index < len(body) else body[-1]
            start, end, prefix = body[index - 1].lineno - 1, last.end_lineno or last.lineno, "if TYPE_CHECKING:\n"
        window = "".join(chunks[start:end])
        if not window.endswith("\n"):
            return None
        try:
            module = cst.parse_module(prefix + window)
        except cst.ParserSyntaxError:
            return None
        statement = module.body[0] if len(module.body) == 1 else None
        if not isinstance(statement, cst.If) or not isinstance(statement.body, cst.IndentedBlock):
            return None
        code = module.with_changes(body=[statement.with_changes(body=self._add_to(statement.body))]).code
        if not code.startswith(prefix):
            return None
        return "".join(chunks[:start]) + code[len(prefix) :] + "".join(chunks[end:])

    def transform_statements(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out = list(body)
        for index, statement in enumerate(out):
            if isinstance(statement, cst.If) and _is_type_checking_test(statement.test):
                if not isinstance(statement.body, cst.IndentedBlock):
                    raise UserError(
                        f"{self.filename}: the `if TYPE_CHECKING:` body is on the `if` line; "
                        "move it to its own indented lines"
                    )
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
