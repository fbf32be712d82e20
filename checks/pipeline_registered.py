from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import LIBRARY_DIR, CheckContext
from transformers_scaffold.facts.pipeline_tables import import_structure_names, read_task_table, type_checking_names

PIPELINES_DIR = f"{LIBRARY_DIR}/pipelines"
PIPELINES_INIT = f"{PIPELINES_DIR}/__init__.py"
TOP_INIT = f"{LIBRARY_DIR}/__init__.py"
_NOT_TASKS = ("__init__", "base", "pt_utils", "audio_utils")


def _top_imports(tree: ast.Module | None) -> dict[str, str]:
    """Name -> relative module of the module's top-level `from .x import Name` (older forks import eagerly)."""
    return {
        alias.asname or alias.name: node.module or ""
        for node in (tree.body if tree else [])
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names
    }


def _pipeline_classes(tree: ast.Module | None) -> list[ast.ClassDef]:
    """Public classes of a pipeline module that subclass a `...Pipeline`."""
    out = []
    for node in tree.body if tree else []:
        if isinstance(node, ast.ClassDef) and node.name.endswith("Pipeline") and not node.name.startswith("_"):
            bases = [
                b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in node.bases
            ]
            if any(base.endswith("Pipeline") for base in bases):
                out.append(node)
    return out


def _task_impls(tree: ast.Module | None) -> set[str]:
    """The `impl`s of `SUPPORTED_TASKS`: dotted strings (5.24's lazy layout) or class names (older, eager)."""
    impls: set[str] = set()
    for node in tree.body if tree else []:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "SUPPORTED_TASKS" for t in node.targets
        ):
            for value in getattr(node.value, "values", []):
                for key, item in zip(getattr(value, "keys", []), getattr(value, "values", []), strict=False):
                    if isinstance(key, ast.Constant) and key.value == "impl" and isinstance(item, ast.Constant):
                        impls.add(str(item.value))
                    elif isinstance(key, ast.Constant) and key.value == "impl" and isinstance(item, ast.Name):
                        impls.add(item.id)
    return impls


class PipelineRegistered(Rule):
    """What it does
    For each pipeline class in `src/transformers/pipelines/<task>.py` (a public subclass of
    `Pipeline`), checks the four places a fork registers it: a `SUPPORTED_TASKS` entry whose
    `impl` is the class, the lazy-import entry in `_PIPELINE_CLASS_TO_MODULE`, the import under
    `if TYPE_CHECKING:` in `pipelines/__init__.py`, and the name in the top-level
    `_import_structure["pipelines"]` of `transformers/__init__.py`. Older forks without the lazy
    table (a 5.16 tree imports every pipeline eagerly and puts classes in `impl`) are checked in
    their own shape: the class in `impl` and a top-level `from .<task> import <Class>`.

    Why is this bad?
    Without the task entry `pipeline("<task>")` raises `KeyError: Unknown task`; without the
    lazy-import entry `from transformers.pipelines import XPipeline` raises `AttributeError`;
    without the top-level entry `from transformers import XPipeline` fails; without the
    `TYPE_CHECKING` import type checkers and upstream's repo checks do not see the class.

    Example
    `pipelines/text_scoring.py` defines `TextScoringPipeline`, but `_PIPELINE_CLASS_TO_MODULE`
    has no `"TextScoringPipeline"` key.

    Fix safety
    No automatic fix here: `scaffold new-pipeline TASK` writes all four entries (task name,
    auto class and input type are choices).
    """

    CODE = "SCF115"
    NAME = "pipeline-registered"
    SUMMARY = "pipeline class not registered in pipelines/__init__.py or the top-level init"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if not ctx.exists(PIPELINES_INIT):
            return
        targets = [
            f
            for f in (
                ctx.files
                if not ctx.whole_tree
                else [p.relative_to(ctx.root).as_posix() for p in sorted((ctx.root / PIPELINES_DIR).glob("*.py"))]
            )
            if f.startswith(PIPELINES_DIR + "/")
            and f.count("/") == 3
            and f.endswith(".py")
            and f.rsplit("/", 1)[1][:-3] not in _NOT_TASKS
        ]
        if not targets:
            return
        init = ctx.source(PIPELINES_INIT)
        table = read_task_table(init.text)
        impls = _task_impls(init.tree)
        checked = type_checking_names(init.text)
        eager = _top_imports(init.tree)
        lazy_layout = bool(table.pipeline_classes)  # 5.24: `_PIPELINE_CLASS_TO_MODULE`; older forks import eagerly
        top = import_structure_names(ctx.source(TOP_INIT).text, "pipelines") if ctx.exists(TOP_INIT) else None
        for path in targets:
            module = path[len(LIBRARY_DIR) + 1 : -3].replace("/", ".")
            dotted = f"transformers.{module}"
            for cls in _pipeline_classes(ctx.source(path).tree):
                missing = []
                stem = module.rsplit(".", 1)[1]
                if f"{dotted}.{cls.name}" not in impls and not (cls.name in impls and eager.get(cls.name) == stem):
                    missing.append("a SUPPORTED_TASKS entry")
                if lazy_layout and table.pipeline_classes.get(cls.name) != dotted:
                    missing.append("_PIPELINE_CLASS_TO_MODULE")
                if cls.name not in checked and eager.get(cls.name) != stem:
                    missing.append("the TYPE_CHECKING import" if lazy_layout else f"`from .{stem} import {cls.name}`")
                if top is not None and cls.name not in top:
                    missing.append('_import_structure["pipelines"] of transformers/__init__.py')
                if missing:
                    yield self.finding(
                        path,
                        cls.lineno,
                        f"{cls.name} is not registered: missing {', '.join(missing)}",
                        fix="run `scaffold new-pipeline TASK` for new tasks, or add the entries by hand",
                    )
