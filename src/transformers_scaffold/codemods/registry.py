"""The codemod registry: every edit `scaffold` makes to an existing fork file, behind one interface.

A codemod is a class with `NAME` (kebab-case), `DESCRIPTION`, `FILES` (the fork files it edits) and
`transform(text: str | None) -> str` (the file's new text; `None` when the file does not exist yet).
Its docstring is its documentation; `python -m transformers_scaffold.codemods.docs` renders
`docs/codemods/` from this registry and CI fails when those pages are stale. To add a codemod:
write its module, add it to `CODEMODS`, add its test (`tests/codemods/`), regenerate the docs.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from transformers_scaffold.codemods.absolute_imports import AbsoluteImports
from transformers_scaffold.codemods.dict_entry import AddDictEntry
from transformers_scaffold.codemods.from_import import AddFromImportName
from transformers_scaffold.codemods.import_structure import AddImportStructureName
from transformers_scaffold.codemods.mappings import AddMappingEntries, AddMappingEntry
from transformers_scaffold.codemods.pipeline_overload import AddPipelineOverload
from transformers_scaffold.codemods.pipeline_registration import AddPipelineRegistration
from transformers_scaffold.codemods.supported_tasks import AddSupportedTask
from transformers_scaffold.codemods.toctree import AddToctreeEntry
from transformers_scaffold.codemods.type_checking import AddTypeCheckingImport
from transformers_scaffold.codemods.type_checking_names import AddTypeCheckingName


class Codemod(Protocol):
    NAME: ClassVar[str]
    DESCRIPTION: ClassVar[str]
    FILES: ClassVar[tuple[str, ...]]

    def transform(self, text: str | None) -> str: ...


CODEMODS: tuple[type, ...] = (
    AddMappingEntries,
    AddMappingEntry,
    AddTypeCheckingImport,
    AddToctreeEntry,
    # new-pipeline (docs/pipelines.md) and new-model --standalone (docs/standalone.md)
    AddSupportedTask,
    AddDictEntry,
    AddTypeCheckingName,
    AddFromImportName,
    AddImportStructureName,
    AddPipelineOverload,
    AddPipelineRegistration,
    AbsoluteImports,
)
BY_NAME: dict[str, type] = {cls.NAME: cls for cls in CODEMODS}  # type: ignore[attr-defined]
