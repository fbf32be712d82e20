"""The checker's own walks against the plain ones they replace (checker/astutil.py, imports.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from transformers_scaffold.checker.astutil import children, walk
from transformers_scaffold.checker.imports import _SCOPES, ImportTable

LOCAL = """import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from torch import nn


@decorate(os.path)
def outer(x=os.sep):
    import subprocess as sp

    def middle():
        key = lambda y: sp.run(y) or os.getcwd()

        def inner():
            from pickle import load as os

            return os(sp)

        return key, inner

    class Local:
        def method(self):
            return sp.call(nn.Linear)

    return middle


def plain():
    return os.path.join(nn.Module)
"""


class RecursiveImportTable(ImportTable):
    """The table as it was first written: one recursive visit recording every node's scope."""

    def _visit(self, node: ast.AST, scope: int) -> None:
        for child in ast.iter_child_nodes(node):
            self._owner[id(child)] = scope
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                self._bind(scope, child)
            if isinstance(child, _SCOPES):
                self._parent[id(child)] = scope
                self._visit(child, id(child))
            else:
                self._visit(child, scope)


def _sources(sdist_fork: Path) -> list[tuple[str, str]]:
    paths = sorted((sdist_fork / "src" / "transformers").rglob("*.py"))[::10]
    assert len(paths) > 150
    out = [(p.relative_to(sdist_fork).as_posix(), p.read_text()) for p in paths]
    return [*out, ("src/transformers/models/acme/modeling_acme.py", LOCAL)]


def test_walk_and_children_are_the_stdlib_ones(sdist_fork: Path) -> None:
    for _, text in _sources(sdist_fork):
        tree = ast.parse(text)
        nodes = walk(tree)
        assert nodes == list(ast.walk(tree))
        for node in nodes[:: max(1, len(nodes) // 50)]:
            assert children(node) == list(ast.iter_child_nodes(node))


def test_import_table_resolves_every_name_as_the_recursive_visit_did(sdist_fork: Path) -> None:
    local_hits = 0
    for path, text in _sources(sdist_fork):
        tree = ast.parse(text)
        table, reference = ImportTable(tree, path), RecursiveImportTable(tree, path)
        assert [(m.node, m.names) for m in table.modules()] == [(m.node, m.names) for m in reference.modules()]
        assert table._module == reference._module and table._scoped == reference._scoped
        for node in ast.walk(tree):
            if isinstance(node, (ast.Name, ast.Attribute)):
                assert table.qualified(node) == reference.qualified(node), (path, ast.dump(node))
                if isinstance(node, ast.Name):
                    seen = table.lookup(node.id, node)
                    assert seen == reference.lookup(node.id, node)
                    local_hits += seen in {"subprocess", "pickle.load"}
    assert local_hits >= 4, "the function-local imports were resolved somewhere"
