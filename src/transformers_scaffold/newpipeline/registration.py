"""Every edit to existing fork files that registers a new pipeline task, computed in memory.

- `pipelines/__init__.py`: the `SUPPORTED_TASKS` entry, the lazy-import entry of
  `_PIPELINE_CLASS_TO_MODULE`, the `TYPE_CHECKING` import, the auto class import (when missing)
  and the typed `pipeline()` overload;
- `transformers/__init__.py`: `_import_structure["pipelines"]` and the `TYPE_CHECKING` re-export;
- `docs/source/en/_toctree.yml`: the task page under "Task recipes".

Each file is read once through `read`; nothing is written here.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from transformers_scaffold.codemods.dict_entry import AddDictEntry
from transformers_scaffold.codemods.from_import import AddFromImportName
from transformers_scaffold.codemods.import_structure import AddImportStructureName
from transformers_scaffold.codemods.pipeline_overload import AddPipelineOverload
from transformers_scaffold.codemods.supported_tasks import AddSupportedTask
from transformers_scaffold.codemods.toctree import TOCTREE_PATH, AddToctreeEntry
from transformers_scaffold.codemods.type_checking_names import AddTypeCheckingName
from transformers_scaffold.errors import UserError
from transformers_scaffold.facts.pipeline_tables import PIPELINES_INIT
from transformers_scaffold.newpipeline.spec import PipelineSpec

TOP_INIT = "src/transformers/__init__.py"
AUTO_MODULE = "..models.auto.modeling_auto"
TASK_SECTIONS = {
    "text": "Natural language processing",
    "audio": "Audio",
    "image": "Computer vision",
    "multimodal": "Multimodal",
}
TASK_PARENTS = ("Task recipes",)

Reader = Callable[[str], "str | None"]


def _required(read: Reader, rel: str) -> str:
    text = read(rel)
    if text is None:
        raise UserError(f"{rel} not found; --repo must point at a Transformers v5 fork")
    return text


def _imports_name(text: str, name: str) -> bool:
    """Whether `name` is imported anywhere in the module (any block)."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
            return True
    return False


def plan_pipeline_registration(spec: PipelineSpec, read: Reader) -> dict[str, str]:
    """`{repo-relative path: new text}` of every file that changes (or is created: the toctree)."""
    names = spec.names
    out: dict[str, str] = {}

    text = _required(read, PIPELINES_INIT)
    new = text
    if not _imports_name(new, spec.auto_class):
        new = AddFromImportName(module=AUTO_MODULE, name=spec.auto_class, filename=PIPELINES_INIT).apply(new)
    new = AddDictEntry(
        name="_PIPELINE_CLASS_TO_MODULE",
        key=names.class_name,
        value=f"transformers.pipelines.{names.module}",
        filename=PIPELINES_INIT,
    ).apply(new)
    new = AddTypeCheckingName(module=f".{names.module}", name=names.class_name, filename=PIPELINES_INIT).apply(new)
    new = AddSupportedTask(
        task=names.task,
        impl=spec.impl,
        pt=(spec.auto_class,),
        type=spec.input_type,
        default_model=spec.default_model,
        filename=PIPELINES_INIT,
    ).apply(new)
    new = AddPipelineOverload(task=names.task, class_name=names.class_name, filename=PIPELINES_INIT).apply(new)
    if new != text:
        out[PIPELINES_INIT] = new

    top = _required(read, TOP_INIT)
    new_top = AddImportStructureName(key="pipelines", name=names.class_name, filename=TOP_INIT).apply(top)
    new_top = AddTypeCheckingName(module=".pipelines", name=names.class_name, reexport=True, filename=TOP_INIT).apply(
        new_top
    )
    if new_top != top:
        out[TOP_INIT] = new_top

    toc = read(TOCTREE_PATH)
    new_toc = AddToctreeEntry(
        local=f"tasks/{names.module}", title=names.title, section=TASK_SECTIONS[spec.input_type], parents=TASK_PARENTS
    ).transform(toc)
    if new_toc != toc:
        out[TOCTREE_PATH] = new_toc
    return out
