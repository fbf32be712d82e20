"""`AddPipelineRegistration`: register a pipeline task in a standalone package's `__init__.py`.

Outside a fork a task cannot go into `SUPPORTED_TASKS`; Transformers' public door is
`PIPELINE_REGISTRY.register_pipeline(task, pipeline_class=..., pt_model=..., type=...)`, run when
the package is imported. The edit adds the registry import after the last `from transformers
import`, the pipeline class import after the last relative import, the call before `__all__` (or at
the end) and the class to `__all__`. Idempotent; the same task registered with another class is a
`UserError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.codemods.base import py_string, string_value
from transformers_scaffold.codemods.containers import insert_element
from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext

_REGISTRY_IMPORT = "from transformers.pipelines import PIPELINE_REGISTRY\n"


def _call_task(statement: cst.BaseStatement) -> tuple[str | None, str | None] | None:
    """(task, pipeline class) of a top-level `PIPELINE_REGISTRY.register_pipeline(...)` line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    expr = statement.body[0]
    call = expr.value if isinstance(expr, cst.Expr) else None
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return None
    if call.func.attr.value != "register_pipeline":
        return None
    task = string_value(call.args[0].value) if call.args else None
    cls = next(
        (
            a.value.value
            for a in call.args
            if a.keyword and a.keyword.value == "pipeline_class" and isinstance(a.value, cst.Name)
        ),
        None,
    )
    return task, cls


def _imports_name(statement: cst.BaseStatement, name: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    return any(
        isinstance(node, cst.ImportFrom)
        and not isinstance(node.names, cst.ImportStar)
        and any(alias.evaluated_alias == name or alias.evaluated_name == name for alias in node.names)
        for node in statement.body
    )


def _is_import(statement: cst.BaseStatement, relative: bool) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.ImportFrom)
        and bool(statement.body[0].relative) == relative
    )


def _is_all(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    node = statement.body[0]
    return isinstance(node, cst.Assign) and any(
        isinstance(t.target, cst.Name) and t.target.value == "__all__" for t in node.targets
    )


class AddPipelineRegistration:
    """Add `PIPELINE_REGISTRY.register_pipeline("<task>", ...)` (and its imports) to a package `__init__`."""

    NAME = "add-pipeline-registration"
    DESCRIPTION = "Register a pipeline task through PIPELINE_REGISTRY.register_pipeline in a package __init__.py."
    FILES = ("src/<package>/__init__.py",)

    def __init__(
        self,
        context: CodemodContext | None = None,
        *,
        task: str,
        class_name: str,
        module: str,
        auto_class: str,
        type: str,
        filename: str | None = None,
    ) -> None:
        for name in (class_name, module, auto_class):
            if not name.isidentifier():
                raise ValueError(f"not a Python name: {name!r}")
        self.context, self.task, self.class_name, self.module = context, task, class_name, module
        self.auto_class, self.type = auto_class, type
        self.filename = filename or "__init__.py"

    def transform_module(self, tree: cst.Module) -> cst.Module:
        body = list(tree.body)
        for statement in body:
            found = _call_task(statement)
            if found and found[0] == self.task:
                if found[1] == self.class_name:
                    return tree
                raise UserError(
                    f"{self.filename} already registers task {self.task!r} with {found[1]}; remove it first"
                )
        if not any(_imports_name(s, self.auto_class) for s in body):
            raise UserError(f"{self.filename} does not import {self.auto_class}; the package registers no such model")
        if not any(_imports_name(s, "PIPELINE_REGISTRY") for s in body):
            at = max((i for i, s in enumerate(body) if _is_import(s, relative=False)), default=-1) + 1
            body.insert(at, cst.parse_statement(_REGISTRY_IMPORT))
        at = max((i for i, s in enumerate(body) if _is_import(s, relative=True)), default=-1) + 1
        body.insert(at, cst.parse_statement(f"from .{self.module} import {self.class_name}\n"))
        call = cst.parse_statement(
            f"PIPELINE_REGISTRY.register_pipeline(\n"
            f"    {py_string(self.task)},\n"
            f"    pipeline_class={self.class_name},\n"
            f"    pt_model={self.auto_class},\n"
            f"    type={py_string(self.type)},\n"
            f")\n"
        )
        all_at = next((i for i, s in enumerate(body) if _is_all(s)), None)
        if all_at is None:
            body.append(call.with_changes(leading_lines=[cst.EmptyLine()]))
        else:
            body.insert(all_at, call.with_changes(leading_lines=[cst.EmptyLine()]))
            statement = body[all_at + 1]
            assert isinstance(statement, cst.SimpleStatementLine)
            assign = statement.body[0]
            assert isinstance(assign, cst.Assign)
            if isinstance(assign.value, cst.List):
                names = [string_value(e.value) for e in assign.value.elements]
                if self.class_name not in names:
                    new_list = insert_element(
                        assign.value, len(names), cst.Element(cst.SimpleString(py_string(self.class_name)))
                    )
                    body[all_at + 1] = statement.with_deep_changes(assign, value=new_list)
        return tree.with_changes(body=body)

    def transform(self, text: str | None) -> str:
        if text is None:
            raise UserError(f"{self.filename} not found; is this a package made by `new-model --standalone`?")
        return self.apply(text)

    def apply(self, text: str) -> str:
        try:
            tree = cst.parse_module(text)
        except cst.ParserSyntaxError as exc:
            raise UserError(f"cannot parse {self.filename} (line {exc.raw_line}); fix the file first") from exc
        return self.transform_module(tree).code
