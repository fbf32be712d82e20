"""`AddSupportedTask`: a new task's entry at the end of `SUPPORTED_TASKS` in `pipelines/__init__.py`.

Written the way upstream writes its entries (dotted `impl` string resolved lazily, `pt` auto
classes guarded by `is_torch_available()`, a pinned default model, the input `type`):

    "text-classification": {
        "impl": "transformers.pipelines.text_classification.TextClassificationPipeline",
        "pt": (AutoModelForSequenceClassification,) if is_torch_available() else (),
        "default": {"model": ("distilbert/...", "714eb0f")},
        "type": "text",
    },
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transformers_scaffold.codemods.base import py_string
from transformers_scaffold.codemods.dict_entry import AddDictEntry

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext

SUPPORTED_TASKS = "SUPPORTED_TASKS"


class AddSupportedTask(AddDictEntry):
    """Append `task` to `SUPPORTED_TASKS` with its pipeline class, auto classes, default model and type."""

    NAME = "add-supported-task"
    DESCRIPTION = "Append a task entry (impl, pt, default, type) to SUPPORTED_TASKS in pipelines/__init__.py."
    FILES = ("src/transformers/pipelines/__init__.py",)

    def __init__(
        self,
        context: CodemodContext | None = None,
        *,
        task: str,
        impl: str,
        pt: tuple[str, ...],
        type: str,
        default_model: tuple[str, str] | None = None,
        filename: str | None = None,
    ) -> None:
        if not pt or not all(name.isidentifier() for name in pt):
            raise ValueError(f"pt must name auto classes: {pt!r}")
        super().__init__(context, name=SUPPORTED_TASKS, key=task, value="", sort=False, filename=filename)
        self.impl, self.pt, self.type, self.default_model = impl, pt, type, default_model

    def value_source(self, indent: str | None) -> str:
        outer = indent if indent is not None else ""
        inner = outer + "    "
        classes = ", ".join(self.pt) + ("," if len(self.pt) == 1 else "")
        fields = [
            f'"impl": {py_string(self.impl)}',
            f'"pt": ({classes}) if is_torch_available() else ()',
        ]
        if self.default_model is not None:
            repo, revision = self.default_model
            fields.append(f'"default": {{"model": ({py_string(repo)}, {py_string(revision)})}}')
        fields.append(f'"type": {py_string(self.type)}')
        return "{\n" + "".join(f"{inner}{field},\n" for field in fields) + outer + "}"


def add_supported_task(
    text: str,
    task: str,
    impl: str,
    pt: tuple[str, ...],
    type: str,
    default_model: tuple[str, str] | None = None,
    filename: str | None = None,
) -> str:
    """Return `text` with `task` appended to `SUPPORTED_TASKS`."""
    return AddSupportedTask(
        task=task, impl=impl, pt=pt, type=type, default_model=default_model, filename=filename
    ).apply(text)
