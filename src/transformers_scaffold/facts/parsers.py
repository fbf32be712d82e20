"""Text parsers of the fork-facts layer (`fork.py` caches what they return, keyed by the file's digest).

Each takes one file's text and returns plain data, or None where the file does not parse.
"""

from __future__ import annotations

import ast
from typing import Any

from transformers_scaffold.facts import mappings


def _module(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except SyntaxError:
        return None


def pipeline_test_keys(text: str) -> list[str] | None:
    """The task keys of `PipelineTesterMixin`'s `pipeline_test_mapping`; None where the file does not parse."""
    tree = _module(text)
    if tree is None:
        return None
    for statement in tree.body:
        if "pipeline_test_mapping" in mappings.assigned_names(statement) and isinstance(statement.value, ast.Dict):  # type: ignore[attr-defined]
            return [k.value for k in statement.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]  # type: ignore[attr-defined]
    return None


def supported_tasks(text: str) -> dict[str, dict[str, Any]] | None:
    """`SUPPORTED_TASKS` of `pipelines/__init__.py`: per task its line, `impl`, `type` and the `Auto*` classes of `pt`."""
    tree = _module(text)
    if tree is None:
        return None
    for statement in tree.body:
        if "SUPPORTED_TASKS" not in mappings.assigned_names(statement):
            continue
        value = statement.value  # type: ignore[attr-defined]
        if not isinstance(value, ast.Dict):
            return None
        out: dict[str, dict[str, Any]] = {}
        for key, body in zip(value.keys, value.values, strict=False):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(body, ast.Dict)):
                continue
            info: dict[str, Any] = {"line": key.lineno}
            for k, v in zip(body.keys, body.values, strict=False):
                name = k.value if isinstance(k, ast.Constant) else None
                if name in ("impl", "type") and isinstance(v, ast.Constant):
                    info[name] = v.value
                elif name == "pt":
                    info["pt"] = sorted(
                        {n.id for n in ast.walk(v) if isinstance(n, ast.Name) and n.id.startswith("Auto")}
                    )
            out[key.value] = info
        return out
    return None


def config_args(text: str) -> list[str] | None:
    """The names `ConfigArgs` of `utils/auto_docstring.py` documents; None where the file does not parse."""
    tree = _module(text)
    if tree is None:
        return None
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef) and cls.name == "ConfigArgs":
            return sorted(
                t.id
                for stmt in cls.body
                if isinstance(stmt, ast.Assign)
                for t in stmt.targets
                if isinstance(t, ast.Name)
            )
    return []
