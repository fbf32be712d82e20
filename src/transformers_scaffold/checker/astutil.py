"""Small AST helpers shared by the rules (stdlib `ast` only: the checker never imports transformers)."""

from __future__ import annotations

import ast
from collections.abc import Iterator


def dotted(node: ast.AST | None) -> str:
    """`torch.nn.Linear` for the expression `torch.nn.Linear`; "" for anything not a name chain."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def call_name(node: ast.AST) -> str:
    return dotted(node.func) if isinstance(node, ast.Call) else ""


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def top_classes(tree: ast.Module | None) -> list[ast.ClassDef]:
    return [n for n in tree.body if isinstance(n, ast.ClassDef)] if tree else []


def base_names(cls: ast.ClassDef) -> list[str]:
    """Last component of each base: `PreTrainedModel` for `modeling_utils.PreTrainedModel`."""
    return [dotted(b).rsplit(".", 1)[-1] for b in cls.bases if dotted(b)]


def class_attr(cls: ast.ClassDef, name: str) -> ast.Assign | ast.AnnAssign | None:
    """The class-body assignment of `name`, if any."""
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            return stmt
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == name:
            return stmt
    return None


def method(cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
            return stmt  # type: ignore[return-value]
    return None


def dunder_all(tree: ast.Module | None) -> tuple[list[str], ast.stmt] | None:
    """The string entries of a module-level `__all__` list/tuple and its statement."""
    if tree is None:
        return None
    for stmt in tree.body:
        targets = (
            stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = stmt.value  # type: ignore[union-attr]
            if isinstance(value, (ast.List, ast.Tuple)):
                names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                return names, stmt
    return None


def string_value(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def functions(tree: ast.AST, name: str | None = None) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (name is None or node.name == name):
            yield node


def defined_names(tree: ast.Module | None) -> set[str]:
    """Names a module defines or imports at top level (what `__all__` may legally list)."""
    names: set[str] = set()
    if tree is None:
        return names
    for stmt in tree.body:
        nodes = [stmt]
        if isinstance(stmt, (ast.If, ast.Try)):
            nodes += list(ast.walk(stmt))
        for node in nodes:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def string_pairs(tree: ast.Module | None, variable: str) -> list[tuple[str, str, int]]:
    """`(key, value, line)` of a module-level `X = OrderedDict([("k", "v"), ...])` or `{"k": "v"}`.

    Tuple values (`("k", ("A", "B"))`) yield one pair per string. Used for the auto mappings.
    """
    if tree is None:
        return []
    for stmt in tree.body:
        if not (
            isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == variable for t in stmt.targets)
        ):
            continue
        value: ast.AST = stmt.value
        if isinstance(value, ast.Call) and value.args:
            value = value.args[0]
        pairs: list[tuple[str, str, int]] = []
        if isinstance(value, ast.Dict):
            items = list(zip(value.keys, value.values, strict=False))
        elif isinstance(value, (ast.List, ast.Tuple)):
            items = [tuple(e.elts) for e in value.elts if isinstance(e, ast.Tuple) and len(e.elts) == 2]  # type: ignore[misc]
        else:
            items = []
        for key, val in items:
            k = string_value(key)
            if k is None:
                continue
            vals = val.elts if isinstance(val, (ast.Tuple, ast.List)) else [val]
            for v in vals:
                s = string_value(v)
                if s is not None:
                    pairs.append((k, s, key.lineno))  # type: ignore[union-attr]
        return pairs
    return []


def enclosing_function_map(tree: ast.AST) -> dict[int, str]:
    """id(node) -> name of the innermost enclosing function, for "inside forward" rules."""
    result: dict[int, str] = {}

    def visit(node: ast.AST, current: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else current
            result[id(child)] = name
            visit(child, name)

    visit(tree, "")
    return result


def nodes_in_function(nodes: list[ast.AST], name: str) -> Iterator[ast.AST]:
    """Every node inside a function called `name` (methods included), not in nested defs.

    `nodes` is a file's pre-walked node list (`SourceFile.nodes`)."""
    funcs = [n for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name]
    for func in funcs:
        stack: list[ast.AST] = list(func.body)
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            yield node
            stack.extend(ast.iter_child_nodes(node))


def pretrained_classes(tree: ast.Module | None) -> list[ast.ClassDef]:
    """Classes of the module in the `PreTrainedModel` family (bases followed inside the file)."""
    classes = top_classes(tree)
    family: set[str] = set()
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name in family:
                continue
            if any(b.endswith("PreTrainedModel") or b in family for b in base_names(cls)):
                family.add(cls.name)
                changed = True
    return [c for c in classes if c.name in family]


def is_true(stmt: ast.Assign | ast.AnnAssign | None) -> bool:
    return stmt is not None and isinstance(stmt.value, ast.Constant) and stmt.value.value is True
