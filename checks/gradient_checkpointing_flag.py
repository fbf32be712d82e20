from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import base_names, class_attr, is_true, pretrained_classes, top_classes
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING


class GradientCheckpointingFlag(FileRule):
    """What it does
    Checks that `supports_gradient_checkpointing = True` is set on the `PreTrainedModel`
    subclass exactly when the file's layers can be checkpointed: a layer subclasses
    `GradientCheckpointingLayer` (5.x) or the code calls `self._gradient_checkpointing_func`
    (the older style).

    Why is this bad?
    Without the flag, `model.gradient_checkpointing_enable()` raises even though the layers
    support it; with the flag but no checkpointing layer, it silently does nothing and the
    memory savings users expect never happen.

    Example
    ```python
    class AcmeDecoderLayer(GradientCheckpointingLayer): ...
    class AcmePreTrainedModel(PreTrainedModel):
        supports_gradient_checkpointing = False  # should be True
    ```

    Fix safety
    No automatic fix: turning the flag on is only right once the common gradient-checkpointing
    tests pass. Composite models that own no `...Layer`/`...Block` class (they wrap sub-models
    through `AutoModel`, e.g. Llava) may set the flag without layers of their own. `modular_*`
    files inherit their layers and are not checked; the generated modeling file is.
    """

    CODE = "SCF201"
    NAME = "gradient-checkpointing-flag"
    SUMMARY = "supports_gradient_checkpointing disagrees with the layers"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        tree = source.tree
        if tree is None:
            return
        layers = [c for c in top_classes(tree) if "GradientCheckpointingLayer" in base_names(c)]
        checkpoints = bool(layers) or "_gradient_checkpointing_func" in source.text
        owns_layers = any(c.name.endswith(("Layer", "Block")) for c in top_classes(tree))
        models = pretrained_classes(tree)
        flagged = [(c, class_attr(c, "supports_gradient_checkpointing")) for c in models]
        flag_on = any(is_true(a) for _, a in flagged)
        roots = [
            c
            for c in models
            if any(b.endswith("PreTrainedModel") for b in base_names(c)) and c.name.endswith("PreTrainedModel")
        ]
        if checkpoints and not flag_on and roots:
            yield self.finding(
                source.path,
                roots[0].lineno,
                f"{roots[0].name} lacks supports_gradient_checkpointing = True although {layers[0].name if layers else 'the layers'} can be checkpointed",
                fix="set supports_gradient_checkpointing = True",
            )
        for _cls, attr in flagged:
            if is_true(attr) and not checkpoints and attr is not None and owns_layers:
                yield self.finding(
                    source.path,
                    attr.lineno,
                    "supports_gradient_checkpointing = True but no layer subclasses GradientCheckpointingLayer",
                    fix="make the decoder/encoder layer subclass GradientCheckpointingLayer",
                )
