from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import class_attr, top_classes
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING, MODULAR


class TiedWeightsKeysDict(FileRule):
    """What it does
    Flags `_tied_weights_keys` written as a list, tuple or set.

    Why is this bad?
    Since Transformers 5 it maps each tied parameter to its source,
    `{"lm_head.weight": "model.embed_tokens.weight"}`; the old list form is no longer
    understood, and the output embedding ends up untied (or randomly initialised) on load.

    Example
    ```python
    _tied_weights_keys = ["lm_head.weight"]
    ```
    Write `_tied_weights_keys = {"lm_head.weight": "model.embed_tokens.weight"}`.

    Fix safety
    No automatic fix: the source parameter's name is model specific.
    """

    CODE = "SCF204"
    NAME = "tied-weights-keys-dict"
    SUMMARY = "_tied_weights_keys must be a dict (target -> source)"
    FILES = MODELING + MODULAR

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if "_tied_weights_keys" not in source.text:
            return
        for cls in top_classes(source.tree):
            attr = class_attr(cls, "_tied_weights_keys")
            if attr is not None and isinstance(attr.value, (ast.List, ast.Tuple, ast.Set)):
                yield self.finding(
                    source.path,
                    attr.lineno,
                    f"{cls.name}._tied_weights_keys is a {type(attr.value).__name__.lower()}, not a dict",
                    fix='write {"lm_head.weight": "model.embed_tokens.weight"}',
                )
