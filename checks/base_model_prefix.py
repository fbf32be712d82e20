from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.textmodel import pretrained_family

from ._common import MODELING


class BaseModelPrefix(FileRule):
    """What it does
    Checks that the model's root `...PreTrainedModel` class (the one deriving directly from
    `PreTrainedModel`) sets a non-empty `base_model_prefix`.

    Why is this bad?
    `base_model_prefix` is how checkpoints of the base model load into a head model and back
    (`model.` prefixes in state dicts). Without it, `from_pretrained` of a head class on a
    base checkpoint leaves every weight newly initialised.

    Example
    ```python
    class AcmePreTrainedModel(PreTrainedModel):
        config_class = AcmeConfig  # no base_model_prefix = "model"
    ```

    Fix safety
    No automatic fix: the prefix must match the attribute name of the base model in the heads.
    """

    CODE = "SCF213"
    NAME = "base-model-prefix"
    SUMMARY = "root PreTrainedModel class lacks base_model_prefix"
    SEVERITY = "warning"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        for cls in pretrained_family(source.classes):
            if "PreTrainedModel" not in cls.bases:
                continue
            value = cls.attrs.get("base_model_prefix", ("", 0))[0].split("#", 1)[0].strip()
            if value in ("", '""', "''", "None"):
                yield self.finding(
                    source.path,
                    cls.line,
                    f"{cls.name} has no base_model_prefix",
                    fix='set base_model_prefix = "model" (the base model attribute name)',
                )
