from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.textmodel import TextClass, pretrained_family

from ._common import MODELING


def _prefix(cls: TextClass) -> str:
    value = cls.attrs.get("base_model_prefix", ("", 0))[0].split("#", 1)[0].strip()
    return "" if value in ("", '""', "''", "None") else value


def _descendants_set_prefix(root: str, family: list[TextClass]) -> bool:
    """A composite root (Bark, DPR) whose sub-models each set their own prefix needs none itself."""
    below = {root}
    changed = True
    while changed:
        changed = False
        for cls in family:
            if cls.name not in below and any(b in below for b in cls.bases):
                below.add(cls.name)
                changed = True
    return any(_prefix(c) for c in family if c.name in below and c.name != root)


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

    A composite root whose sub-models each set their own prefix (Bark's semantic/coarse/fine
    models, DPR's encoders) is not flagged: loading goes through the sub-models' prefixes.

    Fix safety
    No automatic fix: the prefix must match the attribute name of the base model in the heads.
    """

    CODE = "SCF213"
    DUPLICATES = ("TRF002",)
    NAME = "base-model-prefix"
    SUMMARY = "root PreTrainedModel class lacks base_model_prefix"
    SEVERITY = "warning"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        family = pretrained_family(source.classes)
        for cls in family:
            if "PreTrainedModel" not in cls.bases:
                continue
            if not _prefix(cls) and not _descendants_set_prefix(cls.name, family):
                yield self.finding(
                    source.path,
                    cls.line,
                    f"{cls.name} has no base_model_prefix",
                    fix='set base_model_prefix = "model" (the base model attribute name)',
                )
