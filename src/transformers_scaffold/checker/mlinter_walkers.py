"""Stack-based twins of transformers-mlinter's recursive tree walkers (TRF021).

TRF021 walks every function of a modeling file with two recursive generators, `_iter_functions`
(the functions under a node, with their enclosing class) and `_iter_body` (a function's nodes,
without descending into nested definitions). Each level of recursion is a `yield from` through
every generator above it, so a deep node costs its depth in generator resumptions: on the 5.16
fork the two were about a third of the linter's time. `fast_walkers` swaps in loops over an
explicit stack that yield the same items in the same order (pre-order, children in field order,
as `ast.iter_child_nodes` gives them). Only a linter whose two generators are the ones these twins
were written against (their source text's digest) is touched; any other keeps its own.
`tests/checker/test_mlinter_walkers.py` compares both on every function of real modeling files.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
from collections.abc import Iterator
from typing import Any

from transformers_scaffold.checker.astutil import children

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def iter_body(node: ast.AST) -> Iterator[ast.AST]:
    """mlinter's `trf021._iter_body`: *node*'s descendants in pre-order, nested function and
    class definitions neither yielded nor entered."""
    stack = [child for child in reversed(children(node)) if not isinstance(child, _SCOPES)]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child for child in reversed(children(current)) if not isinstance(child, _SCOPES))


def iter_functions(
    node: ast.AST, class_node: ast.ClassDef | None = None
) -> Iterator[tuple[ast.ClassDef | None, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """mlinter's `trf021._iter_functions`: `(enclosing class or None, function)` for every function
    under *node*, in pre-order."""
    stack: list[tuple[ast.AST, ast.ClassDef | None]] = [(c, class_node) for c in reversed(children(node))]
    while stack:
        current, owner = stack.pop()
        if isinstance(current, ast.ClassDef):
            owner = current
        elif isinstance(current, _DEFS):
            yield owner, current
        stack.extend((child, owner) for child in reversed(children(current)))


# rule module -> {its walker: (the twin, the digest of the source text the twin reproduces)}
TWINS: dict[str, dict[str, tuple[Any, str]]] = {
    "trf021": {
        "_iter_body": (iter_body, "a5bc9f03e1645e92"),
        "_iter_functions": (iter_functions, "b415b466a775ffa2"),
    },
}


# "trf021._iter_body" -> the linter's own walker, kept when its twin is swapped in (the tests
# compare the two)
ORIGINALS: dict[str, Any] = {}


def source_digest(function: Any) -> str:
    import inspect  # only where mlinter runs: `inspect` costs a warm hook run ~15 ms to import

    try:
        text = inspect.getsource(function)
    except (OSError, TypeError):
        return "-"
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def fast_walkers(linter: Any) -> list[str]:
    """Swap the twins into the loaded linter (once); the walkers that are now twins."""
    swapped = []
    for name, walkers in TWINS.items():
        try:
            module = getattr(linter, name, None) or importlib.import_module(f"{linter.__name__}.{name}")
        except ImportError:
            continue
        for attr, (twin, digest) in walkers.items():
            current = getattr(module, attr, None)
            if current is not twin:
                if current is None or source_digest(current) != digest:
                    continue  # another linter version: its own walker stays
                ORIGINALS[f"{name}.{attr}"] = current
                setattr(module, attr, twin)
            swapped.append(f"{name}.{attr}")
    return swapped
