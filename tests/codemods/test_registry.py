"""The codemod registry: every codemod registered once, one interface, docs generated and fresh."""

from __future__ import annotations

import inspect
import pkgutil
import re
from importlib import import_module

import transformers_scaffold.codemods as package
from transformers_scaffold.codemods.docs import REPO_DOCS, stale_pages
from transformers_scaffold.codemods.registry import BY_NAME, CODEMODS


def _defined_codemods() -> set[type]:
    found = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = import_module(f"{package.__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and getattr(obj, "DESCRIPTION", "") and hasattr(obj, "transform"):
                found.add(obj)
    return found


def test_every_codemod_is_registered_once_with_its_metadata() -> None:
    assert _defined_codemods() == set(CODEMODS)
    assert len(BY_NAME) == len(CODEMODS)
    for cls in CODEMODS:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", cls.NAME), cls
        assert cls.DESCRIPTION and cls.__doc__ and cls.FILES, cls
        assert callable(cls.transform)


def test_codemod_docs_are_up_to_date() -> None:
    stale = stale_pages(REPO_DOCS)
    assert not stale, f"stale codemod docs {stale}: run `python -m transformers_scaffold.codemods.docs`"


def test_one_interface_edits_and_is_idempotent() -> None:
    from transformers_scaffold.codemods import AddMappingEntry, AddToctreeEntry, AddTypeCheckingImport

    cases = [
        (
            AddMappingEntry(mapping="M", key="b", value="B"),
            'M = OrderedDict(\n    [\n        ("a", "A"),\n        ("c", "C"),\n    ]\n)\n',
            '("b", "B")',
        ),
        (
            AddTypeCheckingImport(module="beta"),
            "if TYPE_CHECKING:\n    from .alpha import *\n    from .gamma import *\n",
            "from .beta import *",
        ),
        (AddToctreeEntry(local="model_doc/acme", title="Acme"), None, "local: model_doc/acme"),
    ]
    for codemod, before, marker in cases:
        after = codemod.transform(before)
        assert marker in after and (before is None or marker not in before)
        assert codemod.transform(after) == after
