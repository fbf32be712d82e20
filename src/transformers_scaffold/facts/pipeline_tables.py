"""Pipeline facts the fork-facts layer does not read yet, as plain data.

`facts.ForkFacts.supported_tasks` gives `SUPPORTED_TASKS`; this module reads the rest of what
`new-pipeline` needs from `pipelines/__init__.py` (`TASK_ALIASES`, `REMOVED_TASKS`, the lazy
`_PIPELINE_CLASS_TO_MODULE` table) and which `MODEL_*_MAPPING_NAMES` dict backs each `AutoModel*`
class of `modeling_auto.py` (read from the fork, not from the static `facts.tasks` rows, so every
auto class of the fork is accepted). Only `ast` and the standard library: no project imports, so
it can move as it is into `facts/`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from transformers_scaffold.facts.mappings import assigned_names

PIPELINES_INIT = "src/transformers/pipelines/__init__.py"
MODELING_AUTO = "src/transformers/models/auto/modeling_auto.py"


@dataclass(frozen=True)
class TaskTable:
    aliases: dict[str, str] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()
    pipeline_classes: dict[str, str] = field(default_factory=dict)  # class name -> dotted module

    def taken(self, task: str) -> str | None:
        """Why `task` cannot be a new task name here, or None when it is free."""
        if task in self.aliases:
            return f"is an alias of {self.aliases[task]!r} in TASK_ALIASES"
        if task in self.removed or task.startswith("translation_"):
            return "is listed in REMOVED_TASKS"
        return None


def _top_assign(tree: ast.Module, name: str) -> ast.expr | None:
    """The value of the first module-level assignment of `name`."""
    for node in tree.body:
        if name in assigned_names(node):
            return node.value  # type: ignore[attr-defined]
    return None


def _str_dict(node: ast.expr | None) -> dict[str, ast.expr]:
    if not isinstance(node, ast.Dict):
        return {}
    return {
        k.value: v
        for k, v in zip(node.keys, node.values, strict=False)
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    }


def read_task_table(pipelines_init_text: str) -> TaskTable:
    """Aliases, removed tasks and lazy classes of `pipelines/__init__.py` (empty when it does not parse)."""
    try:
        tree = ast.parse(pipelines_init_text)
    except SyntaxError:
        return TaskTable()

    def strings(name: str) -> dict[str, str]:
        return {
            k: v.value
            for k, v in _str_dict(_top_assign(tree, name)).items()
            if isinstance(v, ast.Constant) and isinstance(v.value, str)
        }

    return TaskTable(
        aliases=strings("TASK_ALIASES"),
        removed=frozenset(_str_dict(_top_assign(tree, "REMOVED_TASKS"))),
        pipeline_classes=strings("_PIPELINE_CLASS_TO_MODULE"),
    )


def read_auto_classes(modeling_auto_text: str) -> dict[str, str]:
    """`AutoModelForX` -> the `MODEL_FOR_X_MAPPING_NAMES` dict behind it, from `modeling_auto.py`.

    `class AutoModelForX(_BaseAutoModelClass): _model_mapping = MODEL_FOR_X_MAPPING` plus
    `MODEL_FOR_X_MAPPING = _LazyAutoMapping(CONFIG_MAPPING_NAMES, MODEL_FOR_X_MAPPING_NAMES)`.
    """
    try:
        tree = ast.parse(modeling_auto_text)
    except SyntaxError:
        return {}
    lazy: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.value.args) == 2:
            names_arg = node.value.args[1]
            if isinstance(names_arg, ast.Name):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        lazy[target.id] = names_arg.id
    out: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not node.name.startswith("AutoModel"):
            continue
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "_model_mapping" for t in stmt.targets)
                and isinstance(stmt.value, ast.Name)
                and stmt.value.id in lazy
            ):
                out[node.name] = lazy[stmt.value.id]
    return out


def type_checking_names(text: str) -> frozenset[str]:
    """Names bound by `from ... import` under the module's top-level `if TYPE_CHECKING:` blocks."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return frozenset()
    names: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.If):
            continue
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom):
                    names.update(alias.asname or alias.name for alias in stmt.names)
    return frozenset(names)


def import_structure_names(text: str, key: str) -> frozenset[str] | None:
    """The strings of `_import_structure[key]` in a top-level `_import_structure = {...}` (None: absent)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    value = _str_dict(_top_assign(tree, "_import_structure")).get(key)
    if not isinstance(value, ast.List):
        return None
    return frozenset(e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
