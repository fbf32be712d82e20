from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import Edit, FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

from ._common import LIBRARY

DEBUG_CALLS = {"breakpoint", "pdb.set_trace", "ipdb.set_trace", "pdb.post_mortem", "pudb.set_trace"}
DEBUG_MODULES = {"pdb", "ipdb", "pudb"}


def _imports_debugger(stmt: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(stmt, ast.Import):
        return any(a.name.split(".")[0] in DEBUG_MODULES for a in stmt.names)
    return stmt.level == 0 and (stmt.module or "").split(".")[0] in DEBUG_MODULES


class DebuggerLeftIn(FileRule):
    """What it does
    Flags `breakpoint()`, `pdb.set_trace()` (and `ipdb`/`pudb`) calls and debugger imports in
    library code.

    Why is this bad?
    A forgotten breakpoint hangs every training job and CI run that reaches it.

    Example
    ```python
    def forward(self, x):
        breakpoint()
        return self.proj(x)
    ```

    Calls and imports are matched through the file's imports (`import pdb as p`,
    `from pdb import set_trace as _dbg`, function-local imports).

    Fix safety
    Safe when the call or import is a statement on its own lines: `--fix` deletes it, or
    replaces it with `pass` when it is the only statement of its block.
    """

    CODE = "SCF313"
    NAME = "debugger-left-in"
    SUMMARY = "breakpoint()/pdb.set_trace() left in library code"
    FIXABLE = True
    FILES = LIBRARY

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        text = source.text
        if not any(t in text for t in ("breakpoint", "set_trace", "post_mortem", "pdb", "pudb")):
            return
        imports = source.imports
        for parent in source.nodes:
            for field in ("body", "orelse", "finalbody"):
                block = getattr(parent, field, None)
                if not isinstance(block, list):
                    continue
                for stmt in block:
                    if isinstance(stmt, ast.Expr) and imports.call(stmt.value) in DEBUG_CALLS:
                        what = f"{imports.call(stmt.value)}() left in"
                    elif isinstance(stmt, (ast.Import, ast.ImportFrom)) and _imports_debugger(stmt):
                        what = "debugger import left in"
                    else:
                        continue
                    yield self._finding(source, stmt, block, what)

    def _finding(self, source: SourceFile, stmt: ast.stmt, block: list[ast.stmt], what: str) -> Finding:
        end = stmt.end_lineno or stmt.lineno
        line = source.line(stmt.lineno)
        alone = not line[: stmt.col_offset].strip() and line[stmt.col_offset :].split("#")[
            0
        ].strip() == source.segment(stmt)
        edits: tuple[Edit, ...] = ()
        if alone and stmt.lineno == end:
            indent = source.line(stmt.lineno)[: stmt.col_offset]
            text = f"{indent}pass\n" if len(block) == 1 else ""
            edits = (Edit(source.path, stmt.lineno, end, text),)
        return self.finding(source.path, stmt.lineno, what, col=stmt.col_offset + 1, fix="delete it", edits=edits)
