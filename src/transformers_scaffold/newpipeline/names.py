"""Every spelling of a new pipeline task's name: `text-scoring` -> module `text_scoring`,
class `TextScoringPipeline`, title "Text scoring".

Upstream task names are lower-case words joined by hyphens (`zero-shot-image-classification`);
the module is the same words joined by underscores.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from transformers_scaffold.errors import UserError

_TASK_FORM = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_LENGTH = 64


@dataclass(frozen=True)
class TaskNames:
    task: str  # "text-scoring": the key in SUPPORTED_TASKS
    module: str  # "text_scoring": transformers/pipelines/<module>.py
    camel: str  # "TextScoring"

    @property
    def class_name(self) -> str:
        return f"{self.camel}Pipeline"

    @property
    def title(self) -> str:
        """ "Text scoring", the way upstream titles its task pages."""
        return self.task.replace("-", " ").capitalize()

    def as_answers(self) -> dict[str, str]:
        return {
            "task": self.task,
            "module": self.module,
            "camel": self.camel,
            "class_name": self.class_name,
            "title": self.title,
        }


def resolve_task(raw: str) -> TaskNames:
    """Validate `raw` (e.g. `text-scoring`); `UserError` naming the fix on anything else."""
    if raw is None or not raw.strip():
        raise UserError("the task name is empty; pass a name such as `text-scoring`")
    if len(raw) > MAX_LENGTH:
        raise UserError(f"invalid task name {raw[:20]!r}...: at most {MAX_LENGTH} characters, pick a shorter name")
    if not _TASK_FORM.match(raw):
        raise UserError(
            f"invalid task name {raw!r}: use lower-case ASCII words joined by '-' (e.g. text-scoring), "
            "starting with a letter"
        )
    words = raw.split("-")
    module = "_".join(words)
    if keyword.iskeyword(module) or not module.isidentifier():
        raise UserError(f"invalid task name {raw!r}: {module!r} is a Python keyword; pick another name")
    if words[-1] == "pipeline":
        raise UserError(f"invalid task name {raw!r}: drop the trailing '-pipeline', the class name adds it")
    return TaskNames(task=raw, module=module, camel="".join(w.capitalize() for w in words))
