"""Edits to existing Transformers files, one codemod per kind of edit.

Each is a pure `str -> str` function (plus a class with `DESCRIPTION` and typed arguments):
idempotent, every other byte kept, `UserError` on conflicts or a file of unexpected shape.

- `AddMappingEntry` / `apply_mapping_entries`: auto mappings (`modeling_auto.py`, ...), sorted.
- `AddTypeCheckingImport` / `add_type_checking_import`: `models/__init__.py`.
- `AddToctreeEntry` / `add_toctree_entry`: `docs/source/en/_toctree.yml` (a YAML text edit).
- `plan_registration` (in `registration`): all of them for one new model.
"""

from __future__ import annotations

from transformers_scaffold.codemods.mappings import (
    AddMappingEntries,
    AddMappingEntry,
    MappingEntry,
    PyExpr,
    add_mapping_entry,
    apply_mapping_entries,
)
from transformers_scaffold.codemods.toctree import AddToctreeEntry, add_toctree_entry
from transformers_scaffold.codemods.type_checking import AddTypeCheckingImport, add_type_checking_import

__all__ = [
    "AddMappingEntries",
    "AddMappingEntry",
    "AddToctreeEntry",
    "AddTypeCheckingImport",
    "MappingEntry",
    "PyExpr",
    "add_mapping_entry",
    "add_toctree_entry",
    "add_type_checking_import",
    "apply_mapping_entries",
]
