from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import dotted, top_classes
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.repo import is_config_class

from ._common import CONFIGURATION


class ConfigStrict(FileRule):
    """What it does
    Checks that configuration classes are declared the 5.x way: decorated with `@strict`
    (from `huggingface_hub.dataclasses`) so typed class attributes are validated.

    Why is this bad?
    Without `@strict` the typed fields are not validated: a string where an int belongs, or a
    typo'd keyword, is silently accepted and fails much later inside the model.

    Example
    ```python
    class AcmeConfig(PreTrainedConfig):  # no @strict
        hidden_size: int = 768
    ```

    A subclass of the file's own (strict) config that declares no field of its own (a deprecated
    alias) is not flagged: there is nothing new to validate.

    Fix safety
    No automatic fix: old-style configs with an `__init__` must be converted first.
    """

    CODE = "SCF114"
    DUPLICATES = ("TRF010",)
    NAME = "config-not-strict"
    SUMMARY = "configuration class is not decorated with @strict"
    SEVERITY = "warning"
    FILES = CONFIGURATION

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        classes = [c for c in top_classes(source.tree) if is_config_class(c)]
        local = {c.name for c in classes}
        for cls in classes:
            if any(dotted(b) in local for b in cls.bases) and not any(isinstance(s, ast.AnnAssign) for s in cls.body):
                continue  # a subclass of this file's (strict) config that adds no field: nothing to validate
            names = {dotted(d.func if isinstance(d, ast.Call) else d).rsplit(".", 1)[-1] for d in cls.decorator_list}
            if "strict" not in names:
                yield self.finding(
                    source.path,
                    cls.lineno,
                    f"{cls.name} is not decorated with @strict",
                    fix="add @strict (from huggingface_hub.dataclasses import strict)",
                )
