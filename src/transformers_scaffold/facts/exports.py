"""A module's `__all__`, read as upstream's lazy import structure reads it: the literal list.

The text is searched first (a regex plus `ast.literal_eval` of just the list) so that a
whole-tree check does not parse every modeling file; only when that fails does a full `ast` parse
run (an `__all__` built by `+`, or brackets inside strings).
"""

from __future__ import annotations

import ast
import re

from transformers_scaffold.facts.mappings import assigned_names

_ALL = re.compile(r"^__all__\s*(?::[^=]*)?=\s*(\[[^\]]*\]|\([^)]*\))", re.MULTILINE)


def read_all(text: str) -> tuple[list[str], int] | None:
    """The string entries of a module-level `__all__` and its 1-based line; None when it has none."""
    match = _ALL.search(text)
    if match is not None:
        try:
            value = ast.literal_eval(match.group(1))
        except (ValueError, SyntaxError):
            value = None
        if isinstance(value, (list, tuple)):
            return [v for v in value if isinstance(v, str)], text.count("\n", 0, match.start()) + 1
    if "__all__" not in text:
        return None
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    for statement in tree.body:
        if "__all__" in assigned_names(statement):
            value = getattr(statement, "value", None)
            if isinstance(value, (ast.List, ast.Tuple)):
                names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                return names, statement.lineno
    return None
