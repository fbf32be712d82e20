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
        for cls in top_classes(source.tree):
            if not is_config_class(cls):
                continue
            names = {dotted(d.func if isinstance(d, ast.Call) else d).rsplit(".", 1)[-1] for d in cls.decorator_list}
            if "strict" not in names:
                yield self.finding(
                    source.path,
                    cls.lineno,
                    f"{cls.name} is not decorated with @strict",
                    fix="add @strict (from huggingface_hub.dataclasses import strict)",
                )
