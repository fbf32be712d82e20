from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.textmodel import pretrained_family

from ._common import MODELING


class TieWeightsOverride(FileRule):
    """What it does
    Flags a `tie_weights` method defined on a `PreTrainedModel` subclass.

    Why is this bad?
    Transformers 5 ties weights from `_tied_weights_keys` in one place (loading, resizing,
    TP/FSDP sharding all rely on it). An override bypasses that machinery: weights come apart
    after `resize_token_embeddings` or sharded loading.

    Example
    ```python
    def tie_weights(self):
        self.lm_head.weight = self.model.embed_tokens.weight
    ```
    Declare `_tied_weights_keys = {"lm_head.weight": "model.embed_tokens.weight"}` instead.

    Fix safety
    No automatic fix.
    """

    CODE = "SCF212"
    DUPLICATES = ("TRF004",)
    NAME = "tie-weights-override"
    SUMMARY = "PreTrainedModel subclass overrides tie_weights"
    SEVERITY = "warning"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if "def tie_weights" not in source.text:
            return
        for cls in pretrained_family(source.classes):
            if "tie_weights" in cls.methods:
                yield self.finding(
                    source.path,
                    cls.methods["tie_weights"],
                    f"{cls.name} overrides tie_weights",
                    fix="declare _tied_weights_keys instead",
                )
