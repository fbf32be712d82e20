"""One `ast.walk` per node for transformers-mlinter: its 56 rules each walk the whole module.

mlinter's rules call `ast.walk(tree)` (and walks of the same classes and functions) again and
again on one file's tree: on the 5.16 fork that is about half of the linter's time. Inside
`shared_walks()`, the `ast` that mlinter's own modules see is a proxy whose `walk` returns the
node list of the first walk of that node (a strong reference keeps each walked node alive, so an
`id` is never reused while the memo lives); everything else is the real `ast`. Nothing outside
mlinter's modules is touched, and the memo dies with the block: one file's analysis.

Sound because mlinter only reads trees (it never edits a node between two walks);
`tests/checker/test_model_linter.py` compares the findings with and without it on real modeling
files.
"""

from __future__ import annotations

import ast
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from transformers_scaffold.checker.astutil import walk

_PREFIX = "mlinter"


class _MemoAst(types.ModuleType):
    def __init__(self) -> None:
        super().__init__("ast")
        # The real module's names copied in: mlinter looks up `ast.Call`, `ast.Name`, ... millions
        # of times per tree, and a `__getattr__` fallback for each was ~8 % of the linter's time.
        self.__dict__.update((k, v) for k, v in vars(ast).items() if k != "walk" and not k.startswith("__"))
        self.memo: dict[int, tuple[ast.AST, list[ast.AST]]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(ast, name)

    def walk(self, node: ast.AST) -> Iterator[ast.AST]:
        hit = self.memo.get(id(node))
        if hit is None or hit[0] is not node:
            hit = self.memo[id(node)] = (node, walk(node))
        return iter(hit[1])


@contextmanager
def shared_walks() -> Iterator[None]:
    proxy = _MemoAst()
    patched = []
    for name, module in list(sys.modules.items()):
        if (name == _PREFIX or name.startswith(_PREFIX + ".")) and getattr(module, "ast", None) is ast:
            module.ast = proxy  # type: ignore[attr-defined]
            patched.append(module)
    try:
        yield
    finally:
        for module in patched:
            module.ast = ast  # type: ignore[attr-defined]
        proxy.memo.clear()
