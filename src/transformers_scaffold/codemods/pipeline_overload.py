"""`AddPipelineOverload`: the `@overload` of `pipeline()` that types a new task's return value.

`pipelines/__init__.py` carries one generated overload per task between `# <generated-code>`
markers (upstream regenerates them with `utils/check_pipeline_typing.py`):

    @overload
    def pipeline(task: Literal["text-classification"], model: ..., **kwargs: Any) -> TextClassificationPipeline: ...

The new overload is a copy of its neighbour with the task literal and the return class replaced
(libcst edits only those two nodes), placed in sorted order of the task, so the parameters always
match the fork's own `pipeline()` signature. Idempotent; a fork without overloads is left as is.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.codemods.base import py_string
from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext


def _overload_task(node: ast.stmt) -> tuple[str | None] | None:
    """(task,) of an `@overload def pipeline(task: Literal[...])`, (None,) for `Literal[None]`; else None."""
    if not isinstance(node, ast.FunctionDef) or node.name != "pipeline" or not node.args.args:
        return None
    if not any(isinstance(d, ast.Name) and d.id == "overload" for d in node.decorator_list):
        return None
    ann = node.args.args[0].annotation
    if isinstance(ann, ast.Subscript) and isinstance(ann.value, ast.Name) and ann.value.id == "Literal":
        value = ann.slice
        if isinstance(value, ast.Constant) and (value.value is None or isinstance(value.value, str)):
            return (value.value,)
    return None


class _Retype(cst.CSTTransformer):
    def __init__(self, task: str, class_name: str) -> None:
        self.task, self.class_name = task, class_name

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        params = list(updated.params.params)
        first = params[0]
        ann = first.annotation
        assert ann is not None and isinstance(ann.annotation, cst.Subscript)
        sub = ann.annotation.with_changes(
            slice=[cst.SubscriptElement(slice=cst.Index(value=cst.SimpleString(py_string(self.task))))]
        )
        params[0] = first.with_changes(annotation=ann.with_changes(annotation=sub))
        returns = updated.returns.with_changes(annotation=cst.Name(self.class_name)) if updated.returns else None
        return updated.with_changes(params=updated.params.with_changes(params=params), returns=returns)


class AddPipelineOverload:
    """Insert `@overload def pipeline(task: Literal["<task>"], ...) -> <Class>: ...`, sorted by task."""

    NAME = "add-pipeline-overload"
    DESCRIPTION = "Add the typed @overload of pipeline() for a new task, copied from its neighbour."
    FILES = ("src/transformers/pipelines/__init__.py",)

    def __init__(
        self, context: CodemodContext | None = None, *, task: str, class_name: str, filename: str | None = None
    ) -> None:
        if not class_name.isidentifier():
            raise ValueError(f"not a class name: {class_name!r}")
        self.context, self.task, self.class_name = context, task, class_name
        self.filename = filename or "pipelines/__init__.py"

    def transform(self, text: str | None) -> str:
        if text is None:
            raise UserError(f"{self.filename} not found; --repo must point at a Transformers v5 fork")
        return self.apply(text)

    def apply(self, text: str) -> str:
        try:
            tree = ast.parse(text)
        except SyntaxError as exc:
            raise UserError(
                f"cannot parse {self.filename} (line {exc.lineno}: {exc.msg}); fix the file first"
            ) from exc
        overloads = [(node, found[0]) for node in tree.body if (found := _overload_task(node)) is not None]
        tasks = [task for _, task in overloads if task is not None]
        if not tasks or self.task in tasks:
            return text  # no typed overloads in this fork, or already there
        named = [(node, task) for node, task in overloads if task is not None]
        after = next(((node, task) for node, task in named if task > self.task), None)
        model, _ = after if after is not None else named[-1]
        assert isinstance(model, ast.FunctionDef)  # what _overload_task accepts
        lines = text.split("\n")
        start = min(d.lineno for d in model.decorator_list) - 1
        end = model.end_lineno or model.lineno
        chunk = "\n".join(lines[start:end]) + "\n"
        new = cst.parse_module(chunk).visit(_Retype(self.task, self.class_name)).code
        at = start if after is not None else end
        return "\n".join(lines[:at] + new.rstrip("\n").split("\n") + lines[at:])


def add_pipeline_overload(text: str, task: str, class_name: str, filename: str | None = None) -> str:
    """Return `text` with the `pipeline()` overload of `task`."""
    return AddPipelineOverload(task=task, class_name=class_name, filename=filename).apply(text)
