"""One `ast.walk` per node, one answer per file-system lookup, for transformers-mlinter's rules.

mlinter's rules call `ast.walk(tree)` (and walks of the same classes and functions) again and
again on one file's tree: on the 5.16 fork that is about half of the linter's time. Inside
`shared_walks()`, the `ast` that mlinter's own modules see is a proxy whose `walk` returns the
node list of the first walk of that node (a strong reference keeps each walked node alive, so an
`id` is never reused while the memo lives); everything else is the real `ast`. Nothing outside
mlinter's modules is touched, and the memo dies with the block: one file's analysis.

Three of its helpers that read the file system (`MEMOISED`) are asked the same thing by several
rules of one file (a doc page read nine times per file); inside the block every mlinter module's
name for them answers each question once. The file system does not change during one file's
analysis.

Sound because mlinter only reads trees (it never edits a node between two walks);
`tests/checker/test_model_linter.py` compares the findings with and without it on real modeling
files.
"""

from __future__ import annotations

import ast
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from transformers_scaffold.checker.astutil import children

_PREFIX = "mlinter"
# mlinter's lookups that read the file system (the model directory of a path, resolved; the
# model's contribution date, read from its doc page; the model directories) and are asked the
# same question by several rules of one file: answered once per block. True: the answer is a set,
# handed out as a copy.
MEMOISED = {"_model_dir_name": False, "model_contribution_date": False, "_known_model_dirs": True}


class _MemoAst(types.ModuleType):
    def __init__(self) -> None:
        super().__init__("ast")
        # The real module's names copied in: mlinter looks up `ast.Call`, `ast.Name`, ... millions
        # of times per tree, and a `__getattr__` fallback for each was ~8 % of the linter's time.
        self.__dict__.update((k, v) for k, v in vars(ast).items() if k != "walk" and not k.startswith("__"))
        self.memo: dict[int, tuple[ast.AST, list[ast.AST]]] = {}
        # id(node) -> its children; sound while the block lasts: every listed node is held by a
        # walk in `memo` (its id is not reused), and mlinter never edits a tree
        self.kids: dict[int, list[ast.AST]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(ast, name)

    def walk(self, node: ast.AST) -> Iterator[ast.AST]:
        hit = self.memo.get(id(node))
        if hit is None or hit[0] is not node:
            hit = self.memo[id(node)] = (node, self._walk(node))
        return iter(hit[1])

    def _walk(self, node: ast.AST) -> list[ast.AST]:
        """`astutil.walk(node)`, each node's children listed once per block: the rules walk a
        class, then its methods, then the whole module, over the same nodes (about a third of
        the linter's time went to listing them again)."""
        kids = self.kids
        out = [node]
        index = 0
        while index < len(out):
            current = out[index]
            listed = kids.get(id(current))
            if listed is None:
                listed = kids[id(current)] = children(current)
            out.extend(listed)
            index += 1
        return out


def _memoised(function: Callable[..., Any], copy: bool) -> Callable[..., Any]:
    answers: dict[tuple[Any, ...], Any] = {}

    def once(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            return function(*args, **kwargs)
        if args not in answers:
            answers[args] = function(*args)
        answer = answers[args]
        return set(answer) if copy else answer  # a caller may change the set it gets

    return once


def _helper_swaps() -> dict[int, tuple[Any, Callable[..., Any]]]:
    """id(helper) -> (the helper, its memoised stand-in)."""
    helpers = sys.modules.get(f"{_PREFIX}._helpers")
    swaps: dict[int, tuple[Any, Callable[..., Any]]] = {}
    for name, copy in MEMOISED.items():
        function = getattr(helpers, name, None)
        if callable(function):
            swaps[id(function)] = (function, _memoised(function, copy))
    return swaps


@contextmanager
def shared_walks() -> Iterator[None]:
    proxy = _MemoAst()
    swaps = _helper_swaps()
    patched: list[tuple[types.ModuleType, str, Any]] = []
    for name, module in list(sys.modules.items()):
        if not (name == _PREFIX or name.startswith(_PREFIX + ".")):
            continue
        for attr, value in list(vars(module).items()):
            if value is ast and attr == "ast":
                patched.append((module, attr, value))
                module.ast = proxy  # type: ignore[attr-defined]
            elif id(value) in swaps and swaps[id(value)][0] is value:
                patched.append((module, attr, value))
                setattr(module, attr, swaps[id(value)][1])
    try:
        yield
    finally:
        for module, attr, value in patched:
            setattr(module, attr, value)
        proxy.memo.clear()
        proxy.kids.clear()
