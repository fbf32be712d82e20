"""One import/alias resolver for every rule that matches calls or imports.

`ImportTable(source)` knows, for each scope of a module, what each local name is bound to by an
import: `import subprocess as sp` binds `sp` -> `subprocess`, `from pdb import set_trace as _dbg`
binds `_dbg` -> `pdb.set_trace`, `from ...models.mistral import modeling_mistral` (in
`src/transformers/models/acme/modeling_acme.py`) binds `modeling_mistral` ->
`transformers.models.mistral.modeling_mistral`. Function-local imports bind inside their function
(and the functions nested in it) only.

`qualified(node)` turns a name or attribute chain into its fully qualified dotted name:
`sp.run` -> `subprocess.run`, `_dbg` -> `pdb.set_trace`; a chain whose head no import binds
is returned as written (`breakpoint`, `self.proj`), so builtins still match by their name.
`modules()` lists every import statement of the file (function-local ones included) with the
absolute module names it brings in.

Assignments (`run = subprocess.run`) are not followed: the resolver is about imports, and a
rename through a variable is rare in library code and ambiguous to resolve statically.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from transformers_scaffold.checker.astutil import dotted

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# What statements live in (an import is one): the nodes `_statements` descends into.
_BLOCKS = (ast.stmt, ast.excepthandler, ast.match_case)


def module_name(path: str) -> str:
    """`transformers.models.llama.modeling_llama` for `src/transformers/models/llama/modeling_llama.py`."""
    parts = path.split("/")
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1].endswith(".py"):
        parts[-1] = parts[-1][:-3]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def absolute(path: str, module: str | None, level: int) -> str:
    """The absolute module of `from <level dots><module> import ...` written in file `path`."""
    if level == 0:
        return module or ""
    package = module_name(path).split(".")
    if not path.endswith("__init__.py"):
        package = package[:-1]
    base = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
    return ".".join([*base, module] if module else base)


@dataclass(frozen=True)
class ImportedModule:
    """One import statement: its node and each absolute module (or module.name) it brings in."""

    node: ast.Import | ast.ImportFrom
    names: tuple[str, ...]


class ImportTable:
    """The names each scope of one module binds by import (see the module docstring)."""

    def __init__(self, tree: ast.Module | None, path: str) -> None:
        self.path = path
        self._module: dict[str, str] = {}
        self._scoped: dict[int, dict[str, str]] = {}  # id(function node) -> its local bindings
        self._owner: dict[int, int] = {}  # id(node) -> id(innermost enclosing function), 0: module
        self._parent: dict[int, int] = {}  # id(function) -> id(enclosing function), 0: module
        self._imports: list[ImportedModule] = []
        if tree is not None:
            self._visit(tree, 0)

    # --- building ------------------------------------------------------------------------
    def _bind(self, scope: int, node: ast.Import | ast.ImportFrom) -> None:
        table = self._module if scope == 0 else self._scoped.setdefault(scope, {})
        names: list[str] = []
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.append(alias.name)
                if alias.asname:
                    table[alias.asname] = alias.name
                else:  # `import a.b` binds `a`
                    head = alias.name.split(".")[0]
                    table[head] = head
        else:
            base = absolute(self.path, node.module, node.level)
            for alias in node.names:
                if alias.name == "*":
                    names.append(base)
                    continue
                full = f"{base}.{alias.name}" if base else alias.name
                names.append(full)
                table[alias.asname or alias.name] = full
        self._imports.append(ImportedModule(node, tuple(names)))

    def _visit(self, tree: ast.AST, scope: int) -> None:
        """Bind the imports (statements only: expressions hold none), then record the scope of
        every node inside a function that binds imports of its own. A node anywhere else sees no
        local import on its way out (its scopes bind none), so it needs no entry: `lookup`
        falls back to the module's table for it, which is what the scope chain would reach."""
        functions: dict[int, ast.AST] = {}
        self._statements(tree, scope, functions)
        for key in self._scoped:
            outer = self._parent.get(key, 0)
            while outer and outer not in self._scoped:
                outer = self._parent.get(outer, 0)
            if not outer:  # the outermost function with imports of its own on its chain
                self._owner[key] = self._parent.get(key, 0)
                self._own(functions[key], key)

    def _statements(self, node: ast.AST, scope: int, functions: dict[int, ast.AST]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                self._bind(scope, child)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._parent[id(child)] = scope
                functions[id(child)] = child
                self._statements(child, id(child), functions)
            elif isinstance(child, _BLOCKS):
                self._statements(child, scope, functions)

    def _own(self, node: ast.AST, scope: int) -> None:
        for child in ast.iter_child_nodes(node):
            self._owner[id(child)] = scope
            if isinstance(child, _SCOPES):
                self._parent[id(child)] = scope
                self._own(child, id(child))
            else:
                self._own(child, scope)

    # --- queries -------------------------------------------------------------------------
    def lookup(self, name: str, at: ast.AST | None = None) -> str | None:
        """What `name` is bound to by an import visible at node `at` (module scope when None)."""
        scope = self._owner.get(id(at), 0) if at is not None else 0
        while scope:
            table = self._scoped.get(scope)
            if table and name in table:
                return table[name]
            scope = self._parent.get(scope, 0)
        return self._module.get(name)

    def qualified(self, node: ast.AST | None) -> str:
        """Fully qualified dotted name of a name/attribute chain ("" when it is not one)."""
        written = dotted(node)
        if not written:
            return ""
        head, _, rest = written.partition(".")
        bound = self.lookup(head, node)
        if bound is None:
            return written
        return f"{bound}.{rest}" if rest else bound

    def call(self, node: ast.AST) -> str:
        """Qualified name of what a call calls (`""` for calls of computed values)."""
        return self.qualified(node.func) if isinstance(node, ast.Call) else ""

    def modules(self) -> Iterator[ImportedModule]:
        yield from self._imports

    def binds_any(self, prefixes: tuple[str, ...]) -> bool:
        """True when some import brings in a module under one of `prefixes` (cheap pre-check)."""
        return any(
            n == p or n.startswith(p + ".") for imported in self._imports for n in imported.names for p in prefixes
        )
